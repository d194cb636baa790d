from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from assessment.models import Assessment


class ReportQuerySet(models.QuerySet):
    def in_flight(self):
        return self.filter(status__in=[Report.Status.QUEUED, Report.Status.RENDERING])


class Report(models.Model):
    """One version of a diagnostic's PDF action plan.

    The row is the source of truth: it is saved before any message is sent,
    and a render starts by claiming it (QUEUED → RENDERING with a conditional
    UPDATE). A retry, automatic or asked for, sets it back to QUEUED.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("en file d’attente")
        RENDERING = "rendering", _("en cours de création")
        READY = "ready", _("prêt")
        FAILED = "failed", _("échec")

    class Requester(models.TextChoices):
        OWNER = "owner", _("dirigeant")
        ADVISOR = "advisor", _("conseiller")
        API = "api", _("API")

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=_("diagnostic"),
    )
    version = models.PositiveIntegerField(_("version"))
    language = models.CharField(_("langue"), max_length=5, default="fr")
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    failure_reason = models.TextField(_("raison de l’échec"), blank=True)
    file = models.FileField(_("fichier"), blank=True)
    size = models.PositiveIntegerField(_("taille (octets)"), null=True, blank=True)
    page_count = models.PositiveSmallIntegerField(_("pages"), null=True, blank=True)
    checksum = models.CharField(_("empreinte SHA-256"), max_length=64, blank=True)
    queued_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    # When the last message was handed to the broker; empty while it could not be.
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    render_ms = models.PositiveIntegerField(_("durée du rendu (ms)"), null=True)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    requested_by = models.CharField(
        _("demandé par"),
        max_length=10,
        choices=Requester.choices,
        default=Requester.OWNER,
    )
    requested_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("utilisateur"),
    )

    # What an advisor changed in the plan (assessment.adjusting.Adjustments).
    adjustments = models.JSONField(_("ajustements du conseiller"), default=dict)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["assessment", "-version"]
        verbose_name = _("plan d’action (PDF)")
        verbose_name_plural = _("plans d’action (PDF)")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "version"], name="reports_report_version_unique"
            ),
        ]
        indexes = [models.Index(fields=["status", "queued_at"])]

    def __str__(self):
        return f"{self.assessment} v{self.version}"

    def get_absolute_url(self):
        return reverse("reports:status", args=[self.assessment_id, self.pk])

    @property
    def filename(self) -> str:
        """Stable per version, so a second render overwrites instead of adding."""
        key = salted_hmac("reports.file", f"{self.assessment_id}-{self.version}")
        return (
            f"reports/{self.assessment_id}/"
            f"plan-action-v{self.version}-{key.hexdigest()[:16]}.pdf"
        )

    @property
    def download_name(self) -> str:
        return f"plan-action-caillou-v{self.version}.pdf"

    def is_done(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)
