"""The catalogue: reference data and the records the seed documents name.

Content records (programmes, providers, use cases…) each cite the documents
they come from; reference data (regions, sectors, stone categories…) does not.
"""

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .formatting import money

# ---------------------------------------------------------------------------
# Sources and citations


class Source(models.Model):
    file_name = models.CharField(_("nom du fichier"), max_length=200, unique=True)
    title = models.CharField(_("titre"), max_length=300, blank=True)
    published_on = models.DateField(_("date de publication"), null=True, blank=True)
    date_text = models.CharField(
        _("date (telle qu’écrite)"),
        max_length=100,
        blank=True,
        help_text=_(
            "Quand le document ne donne qu’une date partielle, p. ex. « 2025-07 »."
        ),
    )
    publisher = models.CharField(_("éditeur"), max_length=200, blank=True)

    class Meta:
        ordering = ["file_name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return self.file_name

    def natural_key(self):
        return (self.file_name,)


class Citation(models.Model):
    """A short verbatim quote from a source that backs a catalogue record."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="citations",
        verbose_name=_("source"),
    )
    quote = models.TextField(
        _("citation"), help_text=_("Extrait exact du document, court.")
    )

    class Meta:
        ordering = ["source__file_name", "id"]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(quote=""), name="catalog_citation_quote_required"
            ),
        ]

    def __str__(self):
        return f"{self.source}: « {self.quote[:60]} »"


# ---------------------------------------------------------------------------
# Reference data


class Region(models.Model):
    code = models.CharField(_("code INSEE"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("région")
        verbose_name_plural = _("régions")

    def __str__(self):
        return self.name


class Department(models.Model):
    code = models.CharField(_("code"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=100)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="departments",
        verbose_name=_("région"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("département")
        verbose_name_plural = _("départements")

    def __str__(self):
        return f"{self.name} ({self.code})"


class Sector(models.Model):
    """A sector of activity, mapped to the French activity nomenclature (NAF)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("nom"), max_length=100)
    naf_section = models.CharField(
        _("section NAF"),
        max_length=10,
        blank=True,
        help_text=_("La ou les lettres de section de la NAF rév. 2, p. ex. « F »."),
    )
    naf_codes = models.CharField(
        _("codes NAF"),
        max_length=200,
        blank=True,
        help_text=_("Divisions ou sous-classes NAF couvertes, p. ex. « 41, 42, 43 »."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("secteur")
        verbose_name_plural = _("secteurs")

    def __str__(self):
        return self.name


class SizeBand(models.Model):
    """A company size, by headcount (INSEE categories)."""

    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("nom"), max_length=100)
    min_employees = models.PositiveIntegerField(_("effectif minimum"))
    max_employees = models.PositiveIntegerField(
        _("effectif maximum"), null=True, blank=True
    )

    class Meta:
        ordering = ["min_employees"]
        verbose_name = _("taille d’entreprise")
        verbose_name_plural = _("tailles d’entreprise")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_employees__isnull=True)
                | Q(max_employees__gte=models.F("min_employees")),
                name="catalog_sizeband_range",
            ),
        ]

    def __str__(self):
        return self.name


class Need(models.Model):
    """What a company may need help with: cybersecurity, training, funding…"""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("nom"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("besoin")
        verbose_name_plural = _("besoins")

    def __str__(self):
        return self.name


class Service(models.Model):
    """A service a provider sells: AI integration, sovereign cloud…"""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("nom"), max_length=100)
    needs = models.ManyToManyField(
        Need, blank=True, related_name="services", verbose_name=_("besoins servis")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self):
        return self.name


class StoneCategory(models.Model):
    """A typical SME time sink, the "caillou dans la chaussure" AI may remove."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("nom"), max_length=150)
    # Shown to owners in English; the keyword lexicon stays French.
    name_en = models.CharField(_("nom en anglais"), max_length=150, blank=True)
    description = models.TextField(_("description"), blank=True)
    keywords = models.TextField(
        _("mots-clés"),
        blank=True,
        help_text=_(
            "Un mot-clé ou une expression par ligne, en français : sert à "
            "reconnaître cette catégorie dans le texte libre des dirigeants "
            "(sans tenir compte des accents ni des majuscules)."
        ),
    )
    example_phrases = models.TextField(
        _("exemples de phrases"),
        blank=True,
        help_text=_(
            "Une phrase par ligne, comme un dirigeant la dirait : la lecture du texte "
            "libre apprend de ces exemples les mots de la catégorie, même absents "
            "des mots-clés."
        ),
    )
    automatable_share = models.DecimalField(
        _("part automatisable (estimation éditoriale)"),
        max_digits=3,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_(
            "Estimation de la rédaction, entre 0 et 1, de la part de ce temps que "
            "l’IA supprime habituellement. Ce n’est pas un chiffre des documents."
        ),
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("catégorie de caillou")
        verbose_name_plural = _("catégories de caillou")
        constraints = [
            models.CheckConstraint(
                condition=Q(automatable_share__gte=0) & Q(automatable_share__lte=1),
                name="catalog_stonecategory_share_between_0_and_1",
            ),
        ]

    def __str__(self):
        return self.name

    def keyword_list(self) -> list[str]:
        """The lexicon as a list, blank lines and surrounding spaces removed."""
        return [line.strip() for line in self.keywords.splitlines() if line.strip()]

    def example_list(self) -> list[str]:
        """The example phrases as a list, blank lines and surrounding spaces removed."""
        return [
            line.strip() for line in self.example_phrases.splitlines() if line.strip()
        ]


# ---------------------------------------------------------------------------
# Content records: cited


class CitedModel(models.Model):
    slug = models.SlugField(unique=True, max_length=120)
    citations = GenericRelation(Citation)

    class Meta:
        abstract = True

    def natural_key(self):
        return (self.slug,)

    def sources(self) -> list[Citation]:
        """Citations with their source, in a stable order, for display."""
        return list(self.citations.select_related("source"))


class ProviderQuerySet(models.QuerySet):
    def in_department(self, department):
        return self.filter(department=department)

    def in_region(self, region):
        return self.filter(Q(region=region) | Q(department__region=region))

    def sovereign(self):
        return self.filter(is_french_or_eu=True)

    def offering(self, service):
        return self.filter(services=service).distinct()

    def serving_need(self, need):
        return self.filter(services__needs=need).distinct()


class Provider(CitedModel):
    class Kind(models.TextChoices):
        INTEGRATOR = "integrator", _("Intégrateur")
        PUBLISHER = "publisher", _("Éditeur de logiciels")
        CYBERSECURITY = "cybersecurity", _("Prestataire en cybersécurité")
        CLOUD = "cloud", _("Hébergeur, cloud")
        CONSULTING = "consulting", _("Conseil")
        TRAINING = "training", _("Organisme de formation")

    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    town = models.CharField(_("ville"), max_length=100, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="providers",
        verbose_name=_("département"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="providers",
        verbose_name=_("région"),
        help_text=_("Quand le document situe l’entreprise dans une région sans ville."),
    )
    services = models.ManyToManyField(
        Service, blank=True, related_name="providers", verbose_name=_("services")
    )
    is_french_or_eu = models.BooleanField(
        _("français ou européen (souveraineté)"),
        null=True,
        blank=True,
        help_text=_("Vide quand les documents ne le disent pas."),
    )
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("site web"), blank=True)

    objects = ProviderQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("prestataire")
        verbose_name_plural = _("prestataires")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalog:provider_detail", args=[self.slug])

    def clean(self):
        if self.department and self.region and self.department.region != self.region:
            raise ValidationError(
                {"region": _("Le département n’est pas dans cette région.")}
            )


class SolutionQuerySet(models.QuerySet):
    def sovereign(self):
        return self.filter(is_french_or_eu=True)

    def open_source(self):
        return self.filter(open_source=True)

    def for_stone(self, category):
        return self.filter(stone_categories=category)


class Solution(CitedModel):
    name = models.CharField(_("nom"), max_length=200)
    provider = models.ForeignKey(
        Provider,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="solutions",
        verbose_name=_("éditeur"),
    )
    description = models.TextField(_("description"), blank=True)
    open_source = models.BooleanField(_("open source"), null=True, blank=True)
    is_free = models.BooleanField(_("gratuit"), null=True, blank=True)
    is_french_or_eu = models.BooleanField(
        _("français ou européen (souveraineté)"), null=True, blank=True
    )
    stone_categories = models.ManyToManyField(
        StoneCategory,
        blank=True,
        related_name="solutions",
        verbose_name=_("catégories de caillou"),
    )

    objects = SolutionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("solution")
        verbose_name_plural = _("solutions")

    def __str__(self):
        return self.name


class UseCaseQuerySet(models.QuerySet):
    def for_stone(self, category):
        return self.filter(stone_categories=category)

    def for_sector(self, sector):
        """Use cases for this sector, and those for every sector."""
        matching = UseCase.objects.filter(Q(sectors=sector) | Q(sectors=None))
        return self.filter(pk__in=matching.values("pk"))

    def within_maturity(self, level: int):
        return self.filter(min_maturity__lte=level)


class UseCase(CitedModel):
    class Effort(models.TextChoices):
        LOW = "low", _("Faible")
        MEDIUM = "medium", _("Moyen")
        HIGH = "high", _("Élevé")

    class CostBand(models.TextChoices):
        FREE = "free", _("Gratuit")
        UNDER_1K = "under_1k", _("Moins de 1 000 €")
        FROM_1K_TO_10K = "1k_10k", _("De 1 000 à 10 000 €")
        OVER_10K = "over_10k", _("Plus de 10 000 €")

    name = models.CharField(_("nom"), max_length=200)
    summary = models.TextField(_("ce que fait l’IA"))
    stone_categories = models.ManyToManyField(
        StoneCategory,
        blank=True,
        related_name="use_cases",
        verbose_name=_("catégories de caillou"),
    )
    sectors = models.ManyToManyField(
        Sector,
        blank=True,
        related_name="use_cases",
        verbose_name=_("secteurs"),
        help_text=_("Vide : tous les secteurs."),
    )
    prerequisites = models.TextField(_("prérequis"), blank=True)
    min_maturity = models.PositiveSmallIntegerField(
        _("maturité minimale (estimation éditoriale)"),
        default=0,
        validators=[MaxValueValidator(4)],
        help_text=_(
            "De 0 (découverte) à 4 (transformation) ; estimation de la rédaction."
        ),
    )
    effort = models.CharField(
        _("effort"), max_length=10, choices=Effort.choices, blank=True
    )
    cost_band = models.CharField(
        _("coût"), max_length=10, choices=CostBand.choices, blank=True
    )
    time_saved = models.CharField(_("temps gagné"), max_length=300, blank=True)
    services = models.ManyToManyField(
        Service,
        blank=True,
        related_name="use_cases",
        verbose_name=_("services nécessaires"),
        help_text=_(
            "Ce qu’un prestataire doit savoir faire pour mener ce projet : sert à "
            "choisir les prestataires du pilote."
        ),
    )
    solutions = models.ManyToManyField(
        Solution,
        blank=True,
        related_name="use_cases",
        verbose_name=_("exemples de solutions"),
    )

    objects = UseCaseQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("cas d’usage")
        verbose_name_plural = _("cas d’usage")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_maturity__lte=4),
                name="catalog_usecase_min_maturity_at_most_4",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalog:use_case_detail", args=[self.slug])


class ProgrammeQuerySet(models.QuerySet):
    """Who may take a programme up: the one rule, for the catalogue and the matching.

    Empty eligibility (regions, departments, sizes, sectors) means no limit.
    """

    def top_level(self):
        return self.filter(parent=None)

    def of_kind(self, kind):
        return self.filter(kind=kind)

    def training(self):
        return self.of_kind(Programme.Kind.TRAINING)

    def open_on(self, day):
        """Not over on that day (no end date: open)."""
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))

    def open_to_companies(self):
        return self.filter(open_to_companies=True)

    def for_region(self, region):
        """Programmes open to companies in this region (or with no area limit)."""
        in_area = Q(regions=region) | Q(departments__region=region)
        return self._matching(in_area | Q(regions=None, departments=None))

    def covering(self, department):
        """Programmes open to companies in this department (or anywhere)."""
        in_area = Q(departments=department) | Q(regions=department.region_id)
        return self._matching(in_area | Q(regions=None, departments=None))

    def for_size(self, size_band):
        return self._matching(Q(size_bands=size_band) | Q(size_bands=None))

    def for_sector(self, sector):
        return self._matching(Q(sectors=sector) | Q(sectors=None))

    def for_need(self, need):
        return self._matching(Q(needs=need))

    def eligible(self, *, department, size_band, sector, day):
        """What a company of this department, size and sector may take up that day."""
        return (
            self.open_to_companies()
            .open_on(day)
            .covering(department)
            .for_size(size_band)
            .for_sector(sector)
        )

    def _matching(self, condition):
        # A subquery keeps the rows unique whatever the many-to-many joins.
        return self.filter(pk__in=Programme.objects.filter(condition).values("pk"))


# What a plan tells a company to do next, by the way it takes the programme up.
# An envelope ("none") has no step of its own: the plan never offers it.
NEXT_STEPS = {
    "call": _("Déposer une demande auprès de %(operator)s."),
    "contact": _("Prendre contact avec %(operator)s."),
    "training": _("S’inscrire auprès de %(operator)s."),
    "event": _("S’inscrire à la prochaine édition auprès de %(operator)s."),
}
INCIDENT_STEP = _("Garder ce contact à portée de main : %(operator)s.")
DEFAULT_NEXT_STEP = _("Contacter %(operator)s.")


def next_step_text(uptake: str, operator: str, *, kind: str = "") -> str:
    """What to do next with a programme taken up this way, in the active language."""
    if kind == "incident_response":
        return str(INCIDENT_STEP % {"operator": operator})
    return str(NEXT_STEPS.get(uptake, DEFAULT_NEXT_STEP) % {"operator": operator})


class Programme(CitedModel):
    """A programme, funding envelope, training offer, charter or event.

    An envelope of a larger plan is a programme whose `parent` is the plan.
    Empty eligibility (regions, departments, sizes, sectors) means no limit.
    """

    class Uptake(models.TextChoices):
        """How a company takes the programme up."""

        CALL = "call", _("Répondre à un appel ou déposer une demande")
        CONTACT = "contact", _("Prendre contact")
        TRAINING = "training", _("S’inscrire à une formation")
        EVENT = "event", _("S’inscrire à un événement")
        NONE = "none", _("Aucune démarche : une enveloppe budgétaire")

    class ReservedFor(models.TextChoices):
        """Kinds of company a programme is reserved to (empty: any company)."""

        ANY = "", _("Toute entreprise")
        AI_FIRMS = "ai-firms", _("Entreprises spécialisées dans l’IA")
        STARTUPS = "startups", _("Start-up")
        CONSORTIA = "consortia", _("Projets de recherche en consortium")

    class Kind(models.TextChoices):
        FUNDING = "funding", _("Financement")
        ACCOMPANIMENT = "accompaniment", _("Accompagnement")
        TRAINING = "training", _("Formation")
        INCIDENT_RESPONSE = "incident_response", _("Réponse à incident")
        CHARTER = "charter", _("Charte")
        EVENT = "event", _("Événement")
        NETWORK = "network", _("Réseau")
        INFRASTRUCTURE = "infrastructure", _("Infrastructure")

    name = models.CharField(_("nom"), max_length=250)
    operator = models.CharField(_("opérateur"), max_length=250, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="envelopes",
        verbose_name=_("plan ou programme parent"),
    )
    summary = models.TextField(_("résumé"))
    eligibility = models.TextField(_("qui est éligible"), blank=True)
    regions = models.ManyToManyField(
        Region, blank=True, related_name="programmes", verbose_name=_("régions")
    )
    departments = models.ManyToManyField(
        Department,
        blank=True,
        related_name="programmes",
        verbose_name=_("départements"),
    )
    size_bands = models.ManyToManyField(
        SizeBand,
        blank=True,
        related_name="programmes",
        verbose_name=_("tailles d’entreprise"),
    )
    sectors = models.ManyToManyField(
        Sector, blank=True, related_name="programmes", verbose_name=_("secteurs")
    )
    needs = models.ManyToManyField(
        Need, blank=True, related_name="programmes", verbose_name=_("besoins servis")
    )
    cost_to_company = models.CharField(
        _("coût pour l’entreprise"), max_length=250, blank=True
    )
    is_free = models.BooleanField(_("gratuit"), null=True, blank=True)
    amount_eur = models.DecimalField(
        _("montant (€)"), max_digits=15, decimal_places=2, null=True, blank=True
    )
    amount_text = models.CharField(
        _("montant (tel qu’écrit)"), max_length=250, blank=True
    )
    starts_on = models.DateField(_("début"), null=True, blank=True)
    ends_on = models.DateField(_("fin"), null=True, blank=True)
    period_text = models.CharField(_("période"), max_length=250, blank=True)
    place = models.CharField(_("lieu"), max_length=250, blank=True)
    url = models.URLField(_("lien"), blank=True)
    duration_text = models.CharField(_("durée"), max_length=100, blank=True)
    audience = models.CharField(_("public"), max_length=300, blank=True)
    uptake = models.CharField(
        _("démarche de l’entreprise"),
        max_length=10,
        choices=Uptake.choices,
        default=Uptake.CONTACT,
        help_text=_(
            "Comment une entreprise s’en saisit. « Aucune » : une enveloppe d’un plan, "
            "jamais présentée comme un dispositif auquel candidater."
        ),
    )
    reserved_for = models.CharField(
        _("réservé à"),
        max_length=10,
        choices=ReservedFor.choices,
        default=ReservedFor.ANY,
        blank=True,
    )
    open_to_companies = models.BooleanField(
        _("ouvert aux entreprises"),
        default=True,
        help_text=_(
            "Décochez quand le dispositif s’adresse à d’autres publics (étudiants, "
            "laboratoires, instituts) : il reste au catalogue sans être recommandé "
            "aux entreprises."
        ),
    )
    position = models.PositiveSmallIntegerField(
        _("ordre"), default=0, help_text=_("Ordre d’affichage parmi les enveloppes.")
    )
    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="catalog_programme_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(amount_eur__isnull=True) | Q(amount_eur__gte=0),
                name="catalog_programme_amount_not_negative",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalog:programme_detail", args=[self.slug])

    @property
    def is_training(self) -> bool:
        return self.kind == self.Kind.TRAINING

    def amount_label(self) -> str:
        """The amount as the documents write it, else formatted from the number."""
        return self.amount_text or money(self.amount_eur)

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("La fin précède le début.")})
        if self.pk and self.pk in self.ancestor_ids():
            raise ValidationError(
                {"parent": _("Un programme ne peut pas être son propre parent.")}
            )

    def ancestor_ids(self) -> set[int]:
        ids, parent = set(), self.parent
        while parent is not None and parent.pk not in ids:
            ids.add(parent.pk)
            parent = parent.parent
        return ids


class RegionalExample(CitedModel):
    """A company the documents cite for what it does with AI."""

    name = models.CharField(_("nom"), max_length=200)
    town = models.CharField(_("ville"), max_length=100, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="regional_examples",
        verbose_name=_("département"),
    )
    sectors = models.ManyToManyField(
        Sector,
        blank=True,
        related_name="regional_examples",
        verbose_name=_("secteurs"),
    )
    ai_use = models.TextField(_("ce que l’entreprise fait avec l’IA"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("exemple régional")
        verbose_name_plural = _("exemples régionaux")

    def __str__(self):
        return self.name


class KeyFigure(CitedModel):
    label = models.CharField(_("libellé"), max_length=300)
    value = models.DecimalField(_("valeur"), max_digits=16, decimal_places=4)
    unit = models.CharField(_("unité"), max_length=50, blank=True)
    value_text = models.CharField(
        _("valeur (telle qu’écrite)"), max_length=100, blank=True
    )
    scope = models.CharField(_("périmètre"), max_length=150, blank=True)
    year = models.PositiveSmallIntegerField(_("année"), null=True, blank=True)

    class Meta:
        ordering = ["label"]
        verbose_name = _("chiffre clé")
        verbose_name_plural = _("chiffres clés")

    def __str__(self):
        return f"{self.label} : {self.value_text or self.value}"
