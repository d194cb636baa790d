"""Advising organisations, their members, and the cases owners share with them."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from assessment.models import Assessment, hash_token
from catalog.models import Department, Sector, SizeBand
from reports.models import Report

SHARE_CONSENT_VERSION = "2026-11"
SHARE_CONSENT_TEXT = _(
    "J’accepte que les conseillers de %(organisation)s voient mon diagnostic : "
    "les informations sur mon entreprise, mes réponses, mes résultats et mes plans "
    "d’action. Je peux retirer ce partage à tout moment ; je verrai qui a ouvert "
    "mon dossier et quand."
)


class Organisation(models.Model):
    """A chamber of commerce, a regional agency, a cyber response centre…"""

    class Kind(models.TextChoices):
        CHAMBER = "chamber", _("Chambre consulaire")
        AGENCY = "agency", _("Agence régionale")
        CYBER = "cyber", _("Centre de réponse cyber")
        OTHER = "other", _("Autre")

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant"), unique=True)
    kind = models.CharField(
        _("type"), max_length=10, choices=Kind.choices, default=Kind.OTHER
    )
    departments = models.ManyToManyField(
        Department,
        blank=True,
        related_name="+",
        verbose_name=_("départements couverts"),
    )
    description = models.TextField(_("présentation"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A user's place in one organisation: advisor, or admin who also manages it."""

    class Role(models.TextChoices):
        ADVISOR = "advisor", _("conseiller")
        ADMIN = "admin", _("administrateur de l’organisation")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="members"
    )
    role = models.CharField(
        _("rôle"), max_length=10, choices=Role.choices, default=Role.ADVISOR
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membre")
        verbose_name_plural = _("membres")

    def __str__(self):
        return f"{self.user} ({self.organisation})"

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN


def _active(fields: list[str], name: str) -> models.Index:
    """An index on the active cases only, which are all the queue reads."""
    return models.Index(
        fields=fields,
        condition=Q(withdrawn_at__isnull=True),
        name=f"advisors_case_{name}",
    )


class CaseQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)

    def of(self, organisation):
        return self.active().filter(organisation=organisation)


class Case(models.Model):
    """A diagnostic an owner shared with an organisation, with their consent.

    Withdrawing the consent hides the case from the organisation at once; the
    row stays as the record of what was consented to and when.
    """

    class Status(models.TextChoices):
        NEW = "new", _("nouveau")
        IN_REVIEW = "in_review", _("en cours d’examen")
        PLAN_SENT = "plan_sent", _("plan envoyé")
        FOLLOW_UP = "follow_up", _("suivi")
        CLOSED = "closed", _("clos")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="cases"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="cases"
    )
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("conseiller chargé"),
    )
    consent_text = models.TextField(_("texte du consentement"))
    consent_version = models.CharField(_("version du consentement"), max_length=20)
    shared_at = models.DateTimeField(_("partagé le"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("partage retiré le"), null=True, blank=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    # The diagnostic's facets, copied when it is shared (`copy_facets`): a
    # submitted diagnostic does not change, so the queue filters and sorts
    # this one table through the indexes below instead of joining a million
    # diagnostics. Anonymising the diagnostic anonymises the name here too.
    company_name = models.CharField(max_length=200, blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, related_name="+"
    )
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, null=True, related_name="+"
    )
    size_band = models.ForeignKey(
        SizeBand, on_delete=models.PROTECT, null=True, related_name="+"
    )
    overall = models.PositiveSmallIntegerField(null=True)  # None without an outcome
    level = models.PositiveSmallIntegerField(null=True)
    stone = models.SlugField(blank=True)  # the outcome's stone category
    # The diagnostic's FollowUp.due_on, copied when shared and whenever the owner
    # ticks an action (cases.follow_progress): « actions en retard » reads it.
    actions_due_on = models.DateField(
        _("prochaine échéance du plan"), null=True, blank=True
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-shared_at"]
        verbose_name = _("dossier partagé")
        verbose_name_plural = _("dossiers partagés")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "organisation"],
                condition=Q(withdrawn_at__isnull=True),
                name="advisors_case_one_active_share",
            )
        ]
        # The queue and its counts read active cases only: partial indexes,
        # which a count can read without visiting the table.
        indexes = [
            # The default order; the name in it lets the company search and
            # the counts read this index alone, never the table.
            _active(["organisation", "-shared_at", "-id", "company_name"], "recent"),
            models.Index(
                fields=["organisation", "status", "-shared_at"],
                condition=Q(withdrawn_at__isnull=True),
                name="advisors_case_active_status",
            ),
            models.Index(
                fields=["organisation", "assignee", "-shared_at"],
                condition=Q(withdrawn_at__isnull=True),
                name="advisors_case_active_assignee",
            ),
            models.Index(
                fields=["organisation", "actions_due_on"],
                condition=Q(withdrawn_at__isnull=True),
                name="advisors_case_active_due",
            ),
            models.Index(
                fields=["organisation", "assessment"],
                condition=Q(withdrawn_at__isnull=True),
                name="advisors_case_active_diag",
            ),
            # The queue's filters on the copied facets, in its default order
            # (or the order they are asked with), and its other sorts.
            _active(["organisation", "department", "-shared_at"], "dept"),
            _active(["organisation", "department", "-overall", "-id"], "dept_score"),
            _active(["organisation", "sector", "size_band", "-shared_at"], "sector"),
            _active(["organisation", "level", "stone", "-shared_at"], "level"),
            _active(["organisation", "-overall", "-id"], "score"),
            _active(["organisation", "company_name", "id"], "company"),
            _active(["organisation", "-updated_at", "-id"], "updated"),
        ]

    def __str__(self):
        return f"{self.assessment.company_name} → {self.organisation}"

    def save(self, *args, **kwargs):
        if self._state.adding:
            self.copy_facets()
        super().save(*args, **kwargs)

    def copy_facets(self) -> None:
        """Take the diagnostic's facets (and its outcome's, if recorded)."""
        assessment = self.assessment
        outcome = getattr(assessment, "outcome", None)
        self.company_name = assessment.company_name
        self.department_id = assessment.department_id
        self.sector_id = assessment.sector_id
        self.size_band_id = assessment.size_band_id
        self.overall = outcome.overall if outcome else None
        self.level = outcome.level if outcome else None
        self.stone = outcome.stone_category if outcome else ""


class CaseTally(models.Model):
    """Active cases an organisation received on one local day (or in one month),
    counted by one facet.

    Every write that changes what the statistics count (a share, a withdrawal,
    a change of status, an erasure) updates these rows in its own transaction
    (advisors/tallies.py), so the statistics add up a few rows per month
    instead of every case, and are never stale. Each case counts once per
    facet in its day's row and once in its month's row: a period reads whole
    months from the month rows and its ragged ends from the day rows. The
    score sums let the status rows (one per case) give the averages.
    """

    class Facet(models.TextChoices):
        STATUS = "status"
        DEPARTMENT = "department"  # key: department id
        SECTOR = "sector"  # key: sector id
        SIZE_BAND = "size_band"  # key: size band id
        LEVEL = "level"  # key: level rank, "" without a recorded outcome
        STONE = "stone"  # key: stone category slug, "" for none

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+"
    )
    # shared_at's date in settings.TIME_ZONE; the first of its month for a month row
    day = models.DateField()
    whole_month = models.BooleanField(default=False)
    facet = models.CharField(max_length=10, choices=Facet.choices)
    key = models.CharField(max_length=50, blank=True)
    cases = models.IntegerField(default=0)
    scored = models.IntegerField(default=0)  # cases with a recorded outcome
    overall = models.BigIntegerField(default=0)  # sums of the scored cases' scores
    strategy = models.BigIntegerField(default=0)
    uses = models.BigIntegerField(default=0)
    data = models.BigIntegerField(default=0)
    skills = models.BigIntegerField(default=0)
    cyber = models.BigIntegerField(default=0)
    governance = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "whole_month", "day", "facet", "key"],
                name="advisors_casetally_one_row",
            ),
            # A count below zero means a write forgot its tally: fail loudly.
            models.CheckConstraint(
                condition=Q(cases__gte=0)
                & Q(scored__gte=0)
                & Q(scored__lte=F("cases")),
                name="advisors_casetally_counts",
            ),
        ]

    def __str__(self):
        return (
            f"{self.organisation_id} {self.day} {self.facet}={self.key}: {self.cases}"
        )


class StatusChange(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=10, choices=Case.Status.choices)
    to_status = models.CharField(max_length=10, choices=Case.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.case_id}: {self.from_status} → {self.to_status}"


class Note(models.Model):
    """A private note on a case: only the organisation's members read it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.case_id}: {self.text[:40]}"


class Adjustment(models.Model):
    """An advisor's change to the plan: hide a recommendation, add one, advise."""

    class Kind(models.TextChoices):
        HIDE = "hide", _("recommandation retirée")
        ADD = "add", _("élément du catalogue ajouté")
        ADVICE = "advice", _("conseil")

    class ItemKind(models.TextChoices):
        USE_CASE = "use_case", _("cas d’usage")
        PROGRAMME = "programme", _("programme ou financement")
        TRAINING = "training", _("formation")
        PROVIDER = "provider", _("prestataire")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="adjustments")
    kind = models.CharField(_("type"), max_length=6, choices=Kind.choices)
    item_kind = models.CharField(
        _("type d’élément"), max_length=10, choices=ItemKind.choices, blank=True
    )
    item_slug = models.SlugField(_("élément"), max_length=120, blank=True)
    text = models.TextField(_("raison ou conseil"), max_length=2000, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.case_id}: {self.kind} {self.item_slug}"


class AdvisorVersion(models.Model):
    """A plan version an advisor made: it carries their organisation's advice,
    so only that organisation's case lists it (and the owner, who sees all)."""

    report = models.OneToOneField(
        Report, on_delete=models.CASCADE, related_name="advisor_version"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+"
    )

    def __str__(self):
        return f"{self.report} ({self.organisation})"


class AccessLog(models.Model):
    """Each time a member of an organisation opens or downloads a case."""

    class Action(models.TextChoices):
        VIEW = "view", _("consultation")
        DOWNLOAD = "download", _("téléchargement d’un plan")
        API = "api", _("consultation par l’API")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Kept as shown to the owner, even if the account is deleted later.
    user_name = models.CharField(max_length=150)
    action = models.CharField(max_length=10, choices=Action.choices)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.user_name} {self.action} {self.case_id}"


class ApiToken(models.Model):
    """A member's key to the advisor API. Only its SHA-256 is kept: shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("nom"), max_length=100)
    # The first characters of the key, so that its owner can tell keys apart.
    prefix = models.CharField(_("début de la clé"), max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("jeton d’API")
        verbose_name_plural = _("jetons d’API")

    def __str__(self):
        return f"{self.user} — {self.name} ({self.prefix}…)"

    # Keys start with it; a diagnostic's token never has a dot, so the two
    # kinds of `Authorization: Token` keys cannot be taken for one another.
    MARK = "caillou."

    @staticmethod
    def digest_of(key: str) -> str:
        return hash_token(key)

    @classmethod
    def issue(cls, user, name: str) -> tuple["ApiToken", str]:
        """A new token and its key, which is not stored and cannot be shown again."""
        key = cls.MARK + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, prefix=key[:16], digest=cls.digest_of(key)
        )
        return token, key


class CampaignQuerySet(models.QuerySet):
    def of(self, organisation):
        return self.filter(organisation=organisation)


class Campaign(models.Model):
    """An event or a drive that brings a group of owners through the diagnostic.

    Its public link (`code`) starts diagnostics that it counts, with a
    creation budget of its own (settings.CAMPAIGN_STARTS_PER_HOUR); the
    diagnostics know nothing of it (`CampaignEntry` links them).
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="campaigns"
    )
    # Who receives the cases the owners choose to share; often the organisation.
    receiving = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation qui reçoit les dossiers"),
    )
    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    starts_on = models.DateField(_("premier jour"))
    ends_on = models.DateField(_("dernier jour"))
    event = models.CharField(_("événement"), max_length=200, blank=True)
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    welcome = models.TextField(_("mot d’accueil"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("fermée le"), null=True, blank=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("campagne")
        verbose_name_plural = _("campagnes")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="advisors_campaign_dates_in_order",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class CampaignEntry(models.Model):
    """A diagnostic started from a campaign's link, and the owner's consent to
    share it with the receiving organisation, given on the first page (empty
    when not given): the case is made when the diagnostic is submitted."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="entries"
    )
    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="campaign_entry"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    share_consent_text = models.TextField(blank=True)
    share_consent_version = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["started_at", "pk"]
        verbose_name = _("diagnostic d’une campagne")
        verbose_name_plural = _("diagnostics des campagnes")

    def __str__(self):
        return f"{self.campaign_id}: {self.assessment_id}"

    @property
    def consents_to_share(self) -> bool:
        return bool(self.share_consent_text)
