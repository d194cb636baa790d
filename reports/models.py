import secrets
from datetime import datetime, timedelta
from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.adjusting import Adjustments, Change, changes
from assessment.catalogue import load_catalogue
from assessment.models import Assessment


def new_file_key() -> str:
    """128 random bits for a plan's stored name: nothing, not even the secret
    key, lets anyone work the name out."""
    return secrets.token_hex(16)


def stale_after() -> timedelta:
    """A render older than the hard time limit has no live worker behind it."""
    return timedelta(seconds=settings.REPORTS_RENDER_TIME_LIMIT + 2)


class ReportQuerySet(models.QuerySet):
    def in_flight(self):
        return self.filter(status__in=[Report.Status.QUEUED, Report.Status.RENDERING])

    def abandoned(self, now: datetime):
        """Renders whose worker died: claimed longer ago than any render lasts."""
        return self.filter(
            status=Report.Status.RENDERING, started_at__lt=now - stale_after()
        )

    def claimable(self, now: datetime):
        return self.filter(status=Report.Status.QUEUED) | self.abandoned(now)

    def claim(self, report_id: int) -> "Report | None":
        """Take the report for rendering, or None if another worker has it or it is done.

        The number of attempts after the claim is the claim's token: only the
        holder of the latest one may mark the report ready (see `held`).
        """
        now = timezone.now()
        claimed = (
            self.claimable(now)
            .filter(pk=report_id)
            .update(
                status=Report.Status.RENDERING,
                started_at=now,
                attempts=F("attempts") + 1,
            )
        )
        return self.get(pk=report_id) if claimed else None

    def busy_until(self, report_id: int) -> float | None:
        """Seconds until another worker's claim goes stale; None if there is none."""
        started = (
            self.filter(pk=report_id, status=Report.Status.RENDERING)
            .values_list("started_at", flat=True)
            .first()
        )
        if started is None:
            return None
        remaining = started + stale_after() - timezone.now()
        return max(remaining.total_seconds(), 0) + 1

    def to_send_again(self, now: datetime) -> list[int]:
        """Take back abandoned renders (failing those killed at every try), and
        return the ids of the queued reports never sent or sent too long ago."""
        abandoned = self.abandoned(now)
        abandoned.filter(attempts__gt=settings.REPORTS_MAX_RETRIES).update(
            status=Report.Status.FAILED,
            failure_reason=Report.Failure.INTERRUPTED,
            finished_at=now,
        )
        abandoned.update(status=Report.Status.QUEUED, sent_at=None)
        waited = now - timedelta(seconds=settings.REPORTS_REQUEUE_AFTER)
        unsent = self.filter(status=Report.Status.QUEUED).filter(
            Q(sent_at__isnull=True) | Q(sent_at__lt=waited)
        )
        return list(unsent.values_list("pk", flat=True))


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

    class Failure(models.TextChoices):
        """Why a render failed, in words for the owner and the advisor.

        The exception itself goes to the log, never to a page.
        """

        INTERRUPTED = (
            "interrupted",
            _(
                "La création a été interrompue à chaque tentative. Réessayez dans "
                "quelques minutes."
            ),
        )
        UNAVAILABLE = (
            "unavailable",
            _(
                "Le service était momentanément indisponible. Réessayez dans quelques "
                "minutes."
            ),
        )
        ERROR = (
            "error",
            _(
                "Une erreur imprévue a empêché la création du PDF ; l’équipe technique "
                "en est informée. Réessayez : si l’erreur revient, votre diagnostic "
                "reste enregistré."
            ),
        )

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
    # Drawn once per version: a second render overwrites instead of adding.
    file_key = models.CharField(max_length=32, default=new_file_key, editable=False)
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
        """Where the PDF is stored: the version's folder and its random key."""
        return (
            f"reports/{self.assessment_id}/"
            f"plan-action-v{self.version}-{self.file_key}.pdf"
        )

    @property
    def download_name(self) -> str:
        return f"plan-action-caillou-v{self.version}.pdf"

    @cached_property
    def plan_adjustments(self) -> Adjustments:
        return Adjustments.from_json(self.adjustments)

    def is_adjusted(self) -> bool:
        """An advisor changed this version: hid, added or advised something."""
        return bool(self.plan_adjustments)

    @cached_property
    def plan_changes(self) -> tuple[Change, ...]:
        """What the advisor hid (with the reason) or added, as the owner reads it."""
        return changes(self.plan_adjustments, load_catalogue())

    @property
    def failure_message(self) -> str:
        """The plain sentence a failed render shows; empty when it has not failed."""
        if self.status != self.Status.FAILED:
            return ""
        # Rows failed before the reasons were kept as codes hold raw errors.
        known = self.failure_reason in self.Failure.values
        return str(self.Failure(self.failure_reason if known else "error").label)

    def is_done(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)

    def held(self):
        """This row while this claim (its attempt number) still holds it.

        Updates go through it: a worker whose claim was taken over since
        changes nothing.
        """
        return Report.objects.filter(
            pk=self.pk, status=self.Status.RENDERING, attempts=self.attempts
        )

    def release(self) -> None:
        """Give the claim back before an automatic retry."""
        self.held().update(status=self.Status.QUEUED)

    def fail(self, reason: "Report.Failure") -> None:
        self.held().update(
            status=self.Status.FAILED,
            failure_reason=reason,
            finished_at=timezone.now(),
        )

    def finish(self, *, data: bytes, checksum: str, pages: int, render_ms: int):
        """Mark the claimed report ready with its stored file."""
        self.held().update(
            status=self.Status.READY,
            file=self.filename,
            size=len(data),
            page_count=pages,
            checksum=checksum,
            finished_at=timezone.now(),
            render_ms=render_ms,
            failure_reason="",
        )

    def requeue(self) -> bool:
        """Put a failed report back in the queue; False when it had not failed."""
        queued = Report.objects.filter(pk=self.pk, status=self.Status.FAILED).update(
            status=self.Status.QUEUED, failure_reason="", attempts=0, sent_at=None
        )
        self.refresh_from_db()
        return bool(queued)
