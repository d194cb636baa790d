import hashlib
import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Department, Sector, SizeBand

# Stated on the result page; the owner may change the hourly cost.
DEFAULT_HOURLY_COST = Decimal("35")
DEFAULT_WORKING_WEEKS = 45

CONSENT_VERSION = "2026-11"
# What the owner says of the company and of themselves, copied by a re-assessment.
PROFILE_FIELDS = (
    "company_name", "siren", "sector", "size_band", "department", "revenue_band",
    "respondent_name", "respondent_email", "respondent_role",
)  # fmt: skip
CONSENT_TEXT = _(
    "J’accepte que Caillou enregistre mes réponses et les informations sur mon "
    "entreprise pour calculer mon diagnostic et mon plan d’action. Elles ne sont "
    "partagées avec un conseiller que si je le demande."
)


def validate_siren(value: str) -> None:
    """A SIREN is nine digits whose Luhn checksum is valid."""
    if not (len(value) == 9 and value.isdigit()):
        raise ValidationError(_("Un SIREN compte exactement 9 chiffres."))
    total = 0
    for index, char in enumerate(reversed(value)):
        digit = int(char) * (2 if index % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    if total % 10:
        raise ValidationError(_("Ce SIREN n’est pas valide : vérifiez les 9 chiffres."))


class QuestionnaireQuerySet(models.QuerySet):
    def current(self):
        """The questionnaire new diagnostics are answered with: the highest version."""
        return self.order_by("-version").first()


class Questionnaire(models.Model):
    """One version of the questionnaire; published versions are never changed."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("titre"), max_length=200)
    title_en = models.CharField(_("titre en anglais"), max_length=200, blank=True)
    # Hash of the seed content: a published version must not change silently.
    fingerprint = models.CharField(max_length=64, editable=False)
    # Hash of the content with its English text, which may be added to later.
    text_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        verbose_name = _("questionnaire")

    def __str__(self):
        return f"{self.title} (v{self.version})"


class Section(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="sections"
    )
    code = models.SlugField(_("code"))
    title = models.CharField(_("titre"), max_length=200)
    title_en = models.CharField(_("titre en anglais"), max_length=200, blank=True)
    intro = models.TextField(_("introduction"), blank=True)
    intro_en = models.TextField(_("introduction en anglais"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"))

    class Meta:
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "code"], name="assessment_section_code_unique"
            )
        ]

    def __str__(self):
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("choix unique")
        MULTIPLE = "multiple", _("choix multiple")
        SCALE = "scale", _("échelle de 0 à 4")
        NUMBER = "number", _("nombre")
        SHORT_TEXT = "short_text", _("texte court")
        LONG_TEXT = "long_text", _("texte long")

    class Dimension(models.TextChoices):
        STRATEGY = "strategy", _("Stratégie")
        USES = "uses", _("Usages et outils")
        DATA = "data", _("Données")
        SKILLS = "skills", _("Compétences et formation")
        CYBER = "cyber", _("Cybersécurité et souveraineté")
        GOVERNANCE = "governance", _("Gouvernance et éthique")

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="questions"
    )
    code = models.CharField(_("code"), max_length=80)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    label = models.CharField(_("intitulé"), max_length=300)
    label_en = models.CharField(_("intitulé en anglais"), max_length=300, blank=True)
    help_text = models.CharField(_("aide"), max_length=500, blank=True)
    help_text_en = models.CharField(_("aide en anglais"), max_length=500, blank=True)
    required = models.BooleanField(_("obligatoire"), default=True)
    position = models.PositiveSmallIntegerField(_("ordre"))
    dimension = models.CharField(
        _("dimension notée"), max_length=12, choices=Dimension.choices, blank=True
    )
    weight = models.DecimalField(_("poids"), max_digits=4, decimal_places=2, default=1)
    min_value = models.DecimalField(
        _("minimum"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("maximum"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unité"), max_length=40, blank=True)
    unit_en = models.CharField(_("unité en anglais"), max_length=40, blank=True)
    max_length = models.PositiveIntegerField(
        _("longueur maximale"), null=True, blank=True
    )
    max_choices = models.PositiveSmallIntegerField(
        _("nombre de choix maximal"), null=True, blank=True
    )
    # Shown only when another question's answer matches, e.g.
    # {"question": "stone.sinks", "includes": "appels-offres"}.
    condition = models.JSONField(_("condition d’affichage"), null=True, blank=True)
    # Time-sink questions: which stone category and which measure they give.
    stone_category = models.SlugField(_("catégorie de caillou"), blank=True)
    measure = models.CharField(
        _("mesure"),
        max_length=10,
        blank=True,
        choices=[("hours", _("heures par semaine")), ("people", _("personnes"))],
    )

    class Meta:
        ordering = ["questionnaire", "section__position", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "code"], name="assessment_question_code_unique"
            )
        ]

    def __str__(self):
        return self.code


class Choice(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices"
    )
    code = models.CharField(_("code"), max_length=60)
    label = models.CharField(_("libellé"), max_length=200)
    label_en = models.CharField(_("libellé en anglais"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"))
    points = models.PositiveSmallIntegerField(
        _("points"), default=0, validators=[MaxValueValidator(100)]
    )
    stone_category = models.SlugField(_("catégorie de caillou"), blank=True)
    # A choice that excludes all others in a multiple choice ("aucun").
    exclusive = models.BooleanField(_("exclusif"), default=False)

    class Meta:
        ordering = ["question", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "code"], name="assessment_choice_code_unique"
            )
        ]

    def __str__(self):
        return self.label


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(nbytes: int = 32) -> tuple[str, str]:
    """A fresh secret and its hash: the hash is stored, the secret shown once."""
    token = secrets.token_urlsafe(nbytes)
    return token, hash_token(token)


class AssessmentQuerySet(models.QuerySet):
    def with_token(self, token: str):
        return self.filter(token_hash=hash_token(token))

    def submitted(self):
        return self.filter(status=Assessment.Status.SUBMITTED)


class Assessment(models.Model):
    """A company's diagnostic; the private token is only ever stored hashed."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("en cours")
        SUBMITTED = "submitted", _("terminé")

    class RevenueBand(models.TextChoices):
        UNDER_500K = "under-500k", _("moins de 500 000 €")
        UNDER_2M = "500k-2m", _("de 500 000 € à 2 M€")
        UNDER_10M = "2m-10m", _("de 2 M€ à 10 M€")
        UNDER_50M = "10m-50m", _("de 10 M€ à 50 M€")
        OVER_50M = "over-50m", _("plus de 50 M€")

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="assessments"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="followups",
        verbose_name=_("diagnostic précédent"),
    )
    language = models.CharField(max_length=5, default="fr")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    company_name = models.CharField(_("nom de l’entreprise"), max_length=200)
    siren = models.CharField(
        _("SIREN"), max_length=9, blank=True, validators=[validate_siren]
    )
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, verbose_name=_("secteur"), related_name="+"
    )
    size_band = models.ForeignKey(
        SizeBand, on_delete=models.PROTECT, verbose_name=_("effectif"), related_name="+"
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        verbose_name=_("département"),
        related_name="+",
    )
    revenue_band = models.CharField(
        _("chiffre d’affaires"), max_length=12, choices=RevenueBand.choices, blank=True
    )
    respondent_name = models.CharField(_("votre nom"), max_length=150)
    respondent_email = models.EmailField(_("votre e-mail"))
    respondent_role = models.CharField(_("votre fonction"), max_length=150)
    consent_at = models.DateTimeField(_("consentement donné le"))
    consent_version = models.CharField(
        _("version du texte de consentement"), max_length=20
    )

    hourly_cost = models.DecimalField(
        _("coût horaire chargé (€)"),
        max_digits=6,
        decimal_places=2,
        default=DEFAULT_HOURLY_COST,
        validators=[
            MinValueValidator(Decimal("1")),
            MaxValueValidator(Decimal("1000")),
        ],
    )
    working_weeks = models.PositiveSmallIntegerField(
        _("semaines travaillées par an"),
        default=DEFAULT_WORKING_WEEKS,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("diagnostic")
        constraints = [
            models.CheckConstraint(
                condition=Q(hourly_cost__gte=1) & Q(hourly_cost__lte=1000),
                name="assessment_hourly_cost_in_range",
            ),
            models.CheckConstraint(
                condition=Q(working_weeks__gte=1) & Q(working_weeks__lte=52),
                name="assessment_working_weeks_in_range",
            ),
        ]

    def __str__(self):
        return self.company_name

    def profile(self) -> dict:
        """The company profile, as `answering.start_assessment` takes it."""
        return {name: getattr(self, name) for name in PROFILE_FIELDS}

    def set_new_token(self) -> str:
        """Give the assessment a fresh private token; return it (shown only once)."""
        token, self.token_hash = new_token()
        return token

    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    def mark_submitted(self) -> None:
        self.status = self.Status.SUBMITTED
        self.submitted_at = timezone.now()
        self.save(update_fields=["status", "submitted_at", "updated_at"])


class Answer(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    # A choice code, a list of codes, a number or a text, by question kind.
    value = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question"], name="assessment_answer_unique"
            )
        ]

    def __str__(self):
        return f"{self.question.code}={self.value!r}"


class Outcome(models.Model):
    """The scores and the stone of a submitted diagnostic, kept for comparisons.

    Written once when the diagnostic is submitted (its answers no longer
    change), so that peer benchmarks and advisors' queues and statistics filter
    and average plain columns instead of scoring thousands of diagnostics.
    """

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, primary_key=True, related_name="outcome"
    )
    overall = models.PositiveSmallIntegerField(_("score global"))
    level = models.PositiveSmallIntegerField(_("niveau"))  # 0 to 4, scoring.LEVELS
    strategy = models.PositiveSmallIntegerField(Question.Dimension.STRATEGY.label)
    uses = models.PositiveSmallIntegerField(Question.Dimension.USES.label)
    data = models.PositiveSmallIntegerField(Question.Dimension.DATA.label)
    skills = models.PositiveSmallIntegerField(Question.Dimension.SKILLS.label)
    cyber = models.PositiveSmallIntegerField(Question.Dimension.CYBER.label)
    governance = models.PositiveSmallIntegerField(Question.Dimension.GOVERNANCE.label)
    stone_category = models.SlugField(_("catégorie de caillou"), blank=True)
    # Copied from the diagnostic so that comparisons need no join.
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="+")
    size_band = models.ForeignKey(SizeBand, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("résultat enregistré")
        verbose_name_plural = _("résultats enregistrés")
        indexes = [models.Index(fields=["sector", "size_band"])]

    def __str__(self):
        return f"{self.assessment_id}: {self.overall}"

    @staticmethod
    def dimension_codes() -> list[str]:
        return list(Question.Dimension.values)

    def dimensions(self) -> dict[str, int]:
        return {code: getattr(self, code) for code in self.dimension_codes()}


class ActionProgress(models.Model):
    """How far the owner got with one action of their diagnostic's roadmap.

    `action` is the action's stable key (`roadmap.Action.key`: "backups",
    "quick-win", "pilot"…), derived from where the action comes from, so a
    tick survives a change of wording or order. No row: still to do.
    """

    class Status(models.TextChoices):
        STARTED = "started", _("commencée")
        DONE = "done", _("faite")
        DROPPED = "dropped", _("abandonnée")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="action_progress"
    )
    action = models.SlugField(_("action"), max_length=40)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices)
    on = models.DateField(_("date"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("avancement d’une action")
        verbose_name_plural = _("avancement des actions")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "action"], name="assessment_progress_unique"
            )
        ]

    def __str__(self):
        return f"{self.assessment_id}/{self.action}: {self.status}"

    def closes(self) -> bool:
        """Done or dropped: the action no longer falls due."""
        return self.status in (self.Status.DONE, self.Status.DROPPED)


REMINDERS_CONSENT_VERSION = "2026-12"
REMINDERS_CONSENT_TEXT = _(
    "J’accepte de recevoir à cette adresse un e-mail de rappel quand une action de "
    "mon plan arrive à échéance, au plus un par semaine. Je peux arrêter à tout "
    "moment par le lien de chaque e-mail."
)


class FollowUp(models.Model):
    """The follow-up of a diagnostic's plan: when an action next falls due, and
    the owner's reminders, sent only after their explicit opt-in.

    `due_on` is the earliest end date of an action neither done nor dropped
    (none: nothing left to do), kept by `followup.refresh` whenever it may
    change, so that the reminders and the advisors' queue read one column.
    """

    assessment = models.OneToOneField(
        Assessment,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="plan_followup",
    )
    due_on = models.DateField(_("prochaine échéance"), null=True, blank=True)
    # The opt-in: to what address, when, and the text agreed to.
    reminder_email = models.EmailField(_("e-mail des rappels"), blank=True)
    reminders_agreed_at = models.DateTimeField(
        _("rappels acceptés le"), null=True, blank=True
    )
    reminders_consent_text = models.TextField(_("texte accepté"), blank=True)
    reminders_consent_version = models.CharField(
        _("version du texte accepté"), max_length=20, blank=True
    )
    reminders_stopped_at = models.DateTimeField(
        _("rappels arrêtés le"), null=True, blank=True
    )
    # Where the owner opted in from, for the links of the e-mails.
    site_url = models.URLField(max_length=200, blank=True)
    reminded_at = models.DateTimeField(_("dernier rappel le"), null=True, blank=True)

    class Meta:
        verbose_name = _("suivi du plan")
        verbose_name_plural = _("suivis des plans")
        indexes = [
            # The reminders' daily query: opted in, not stopped, something due.
            models.Index(
                fields=["due_on"],
                condition=Q(reminders_agreed_at__isnull=False)
                & Q(reminders_stopped_at__isnull=True),
                name="assessment_followup_reminded",
            )
        ]

    def __str__(self):
        return f"{self.assessment_id}: {self.due_on}"

    def reminders_on(self) -> bool:
        return bool(
            self.reminders_agreed_at
            and not self.reminders_stopped_at
            and self.reminder_email
        )
