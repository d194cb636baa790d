"""API serializers for diagnostics: input validation and output field mapping only.

Outputs read the frozen dataclasses of `questionnaire.py` and `results.py`.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.models import Department, Sector, SizeBand

from .answering import PROFILE_FIELDS
from .models import Assessment, Question
from .scoring import dimension_label

# Question codes are at most 80 characters; a longer key cannot be one.
MAX_CODE_LENGTH = 80
MAX_ANSWERS_PER_REQUEST = 500


def _json_types(field) -> tuple[type, ...] | None:
    """The JSON types the schema documents for an input field; None: any."""
    if isinstance(field, serializers.BooleanField):
        return (bool,)
    if isinstance(field, serializers.IntegerField):
        return (int,)
    if isinstance(field, serializers.DecimalField) and field.coerce_to_string:
        return (str,)  # documented as a decimal string
    if isinstance(field, serializers.FloatField | serializers.DecimalField):
        return (int, float)
    if isinstance(field, serializers.MultipleChoiceField | serializers.ListField):
        return (list,)
    if isinstance(field, serializers.CharField | serializers.ChoiceField):
        return (str,)
    if isinstance(field, serializers.SlugRelatedField):
        return (str,)
    return None


def _undocumented(field, value) -> str | None:
    """Why a JSON value is not what the schema documents for `field`, if it is not."""
    types = _json_types(field)
    if value is None or types is None:
        return None  # the field's own `allow_null` decides
    if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
        return _("Type de valeur incorrect.")
    max_length = getattr(field, "max_length", None)
    if isinstance(value, str) and max_length and len(value) > max_length:
        # DRF counts after trimming spaces: the schema counts what was sent.
        return field.error_messages["max_length"].format(max_length=max_length)
    return None


# Takes each field as its schema says: DRF would turn 12 into "12". Mix in before
# the serializer class. A comment, not a docstring: the schema would show it.
class TypedInput:
    def to_internal_value(self, data):
        if isinstance(data, dict):
            wrong = {
                name: reason
                for name, field in self.fields.items()
                if not field.read_only
                and name in data
                and (reason := _undocumented(field, data[name]))
            }
            if wrong:
                raise serializers.ValidationError(wrong)
        return super().to_internal_value(data)


class StrictSerializer(TypedInput, serializers.Serializer):
    """Refuses fields it does not know, rather than silently ignoring them."""

    def validate(self, attrs):
        unknown = sorted(set(self.initial_data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError(
                {name[:MAX_CODE_LENGTH]: _("Champ inconnu.") for name in unknown}
            )
        return attrs


class CatalogueKeyField(serializers.SlugRelatedField):
    """A catalogue item by slug or code; a NUL byte cannot be one (PostgreSQL refuses it)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)


# --- Questionnaire ---------------------------------------------------------------


class ChoiceSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    exclusive = serializers.BooleanField(
        help_text="Cannot be combined with other choices (e.g. « none »)."
    )


CONDITION_SCHEMA = {
    "type": "object",
    "nullable": True,
    "description": "Ask the question only when this holds; null: always ask it.",
    "properties": {
        "question": {"type": "string", "description": "Code it depends on."},
        "includes": {
            "type": "string",
            "description": "Shown when that multiple-choice answer has this code.",
        },
        "in": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Shown when that single-choice answer is one of these.",
        },
    },
    "required": ["question"],
}


@extend_schema_field(CONDITION_SCHEMA)
class ConditionField(serializers.JSONField):
    """The stored display condition, given back as it is."""


class QuestionSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.ChoiceField(choices=Question.Kind.choices)
    label = serializers.CharField()
    help_text = serializers.CharField()
    required = serializers.BooleanField()
    min_value = serializers.FloatField(allow_null=True)
    max_value = serializers.FloatField(allow_null=True)
    unit = serializers.CharField()
    max_length = serializers.IntegerField(allow_null=True)
    max_choices = serializers.IntegerField(allow_null=True)
    condition = ConditionField()
    choices = ChoiceSerializer(many=True)


class SectionSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    intro = serializers.CharField()
    questions = QuestionSerializer(many=True)


class QuestionnaireSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    title = serializers.CharField()
    sections = SectionSerializer(many=True)


# --- Creating and reading a diagnostic ------------------------------------------


class ProfileSerializer(StrictSerializer, serializers.ModelSerializer):
    """The company profile and the consent a new diagnostic starts with."""

    sector = CatalogueKeyField(
        slug_field="slug",
        queryset=Sector.objects.all(),
        help_text="Slug of a sector (GET /api/v1/sectors/).",
        error_messages={"does_not_exist": _("Secteur inconnu : « {value} ».")},
    )
    size_band = CatalogueKeyField(
        slug_field="code",
        queryset=SizeBand.objects.all(),
        help_text="Code of a size band: micro, small, medium, intermediate, large.",
        error_messages={"does_not_exist": _("Effectif inconnu : « {value} ».")},
    )
    department = CatalogueKeyField(
        slug_field="code",
        queryset=Department.objects.all(),
        help_text="Code of a French department (GET /api/v1/departments/).",
        error_messages={"does_not_exist": _("Département inconnu : « {value} ».")},
    )
    consent = serializers.BooleanField(
        write_only=True,
        help_text="Must be true: the respondent agrees to the consent text.",
    )

    class Meta:
        model = Assessment
        fields = [*PROFILE_FIELDS, "consent"]

    def validate_consent(self, value):
        if value is not True:
            raise serializers.ValidationError(
                _("Votre accord est nécessaire pour enregistrer le diagnostic.")
            )
        return value


class ReassessSerializer(ProfileSerializer):
    """A new diagnostic from a previous one: profile fields given here replace its."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in PROFILE_FIELDS:
            self.fields[name].required = False


def _links(pk: int) -> dict[str, str]:
    return {
        name: reverse(f"assessment_api:{name}", args=[pk])
        for name in ("detail", "answers", "submit", "result", "reassess")
    }


class LinksSerializer(serializers.Serializer):
    detail = serializers.CharField()
    answers = serializers.CharField()
    submit = serializers.CharField()
    result = serializers.CharField()
    reassess = serializers.CharField()


class CreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="assessment.id")
    token = serializers.CharField(
        help_text="Private token: send it as `Authorization: Token <token>`. "
        "It is shown only this once and stored hashed."
    )
    status = serializers.CharField(source="assessment.status")
    questionnaire_version = serializers.IntegerField(
        source="assessment.questionnaire.version"
    )
    previous = serializers.IntegerField(
        source="assessment.previous_id", allow_null=True
    )
    links = serializers.SerializerMethodField()

    @extend_schema_field(LinksSerializer)
    def get_links(self, obj) -> dict:
        return _links(obj["assessment"].pk)


class AssessmentSerializer(serializers.ModelSerializer):
    sector = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    size_band = serializers.SlugRelatedField(slug_field="code", read_only=True)
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    # Read-only model fields lose `allow_blank`: say that "" means not given.
    revenue_band = serializers.ChoiceField(
        choices=Assessment.RevenueBand.choices, allow_blank=True, read_only=True
    )
    questionnaire_version = serializers.IntegerField(source="questionnaire.version")
    hourly_cost = serializers.DecimalField(
        max_digits=6, decimal_places=2, coerce_to_string=False
    )
    links = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "id", "status", "questionnaire_version", "language", "previous",
            *PROFILE_FIELDS, "consent_at", "consent_version",
            "hourly_cost", "working_weeks",
            "created_at", "updated_at", "submitted_at", "links",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(LinksSerializer)
    def get_links(self, obj) -> dict:
        return _links(obj.pk)


class HourlyCostSerializer(StrictSerializer):
    hourly_cost = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        coerce_to_string=False,  # a number, as the diagnostic gives it back
        min_value=1,
        max_value=1000,
        help_text="Loaded hourly cost in euros, used to price the stone (1–1000).",
    )


# --- Answers ---------------------------------------------------------------------

ANSWER_VALUE_SCHEMA = {
    "oneOf": [
        {"type": "string", "description": "single, scale: a choice code; texts"},
        {"type": "number", "description": "number"},
        {"type": "array", "items": {"type": "string"}, "description": "multiple"},
    ],
    "nullable": True,
}


@extend_schema_field(ANSWER_VALUE_SCHEMA)
class AnswerValueField(serializers.JSONField):
    """Any JSON value: `clean_answer` judges it against its question."""


class AnswersSerializer(serializers.Serializer):
    """An object keyed by question code; null or "" clears an answer."""

    max_answers = MAX_ANSWERS_PER_REQUEST

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError(
                {"answers": _("Envoyez un objet JSON : code de question → réponse.")}
            )
        if len(data) > self.max_answers:
            raise serializers.ValidationError(
                {"answers": _("Trop de réponses dans une seule requête.")}
            )
        too_long = [code for code in data if len(code) > MAX_CODE_LENGTH]
        if too_long:
            raise serializers.ValidationError(
                {too_long[0][:MAX_CODE_LENGTH]: _("Ce code de question est trop long.")}
            )
        return data

    def to_representation(self, instance):
        return dict(instance)


class AnswersSchema(OpenApiSerializerExtension):
    """The answers object has one key per question code, so describe it by hand."""

    target_class = AnswersSerializer

    def map_serializer(self, auto_schema, direction):
        return ANSWERS_SCHEMA


ANSWERS_SCHEMA = {
    "type": "object",
    "description": "Answers keyed by question code.",
    "additionalProperties": ANSWER_VALUE_SCHEMA,
    "example": {
        "company.customers": "businesses",
        "stone.sinks": ["appels-offres"],
        "stone.appels-offres.hours": 6,
        "stone.description": "Les appels d’offres nous prennent nos vendredis.",
    },
}


class SubmittedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    result = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_result(self, obj) -> str:
        return reverse("assessment_api:result", args=[obj.pk])


# --- Result ------------------------------------------------------------------------


class LevelSerializer(serializers.Serializer):
    rank = serializers.IntegerField(help_text="0 (discovery) to 4 (transformation).")
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()


class DimensionScoreSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    score = serializers.IntegerField(help_text="0 to 100.")


class StoneSerializer(serializers.Serializer):
    category = serializers.CharField(source="slug", help_text="Stone category slug.")
    name = serializers.CharField()
    weekly_hours = serializers.FloatField()
    people = serializers.FloatField()
    automatable_share = serializers.FloatField()
    hourly_cost = serializers.FloatField()
    working_weeks = serializers.IntegerField()
    yearly_hours = serializers.FloatField()
    yearly_cost = serializers.IntegerField(help_text="Euros a year.")
    removable_weekly_hours = serializers.FloatField()
    removable_yearly_cost = serializers.IntegerField(help_text="Euros a year.")
    reasons = serializers.ListField(child=serializers.CharField())


class NeedSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    weight = serializers.FloatField()
    reason = serializers.CharField()


class RecommendationSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    summary = serializers.CharField()
    url = serializers.CharField(help_text="Page of the record on this site.")
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())
    details = serializers.DictField(help_text="Kind-specific facts (cost, effort…).")


class ExclusionSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    reason = serializers.CharField(help_text="The rule that kept it out, in words.")


class RecommendationsSerializer(serializers.Serializer):
    needs = NeedSerializer(many=True)
    secure_first = serializers.BooleanField()
    secure_first_reasons = serializers.ListField(child=serializers.CharField())
    use_cases = RecommendationSerializer(many=True)
    programmes = RecommendationSerializer(many=True)
    providers = RecommendationSerializer(many=True)
    training = RecommendationSerializer(many=True)
    contacts = RecommendationSerializer(
        many=True, help_text="Whom to call after a cyberattack, in the territory."
    )
    excluded = ExclusionSerializer(
        many=True, help_text="Catalogue programmes not advised, and why not."
    )


class LinkSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    url = serializers.CharField()


class ActionSerializer(serializers.Serializer):
    title = serializers.CharField()
    description = serializers.CharField()
    owner = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    duration = serializers.CharField()
    indicator = serializers.CharField()
    cost_band = serializers.CharField()
    programmes = LinkSerializer(many=True)
    providers = LinkSerializer(many=True)
    cost_code = serializers.CharField(help_text="free, under_1k, 1k_10k or over_10k.")
    budget_note = serializers.CharField(
        help_text="How the cost squares with the declared budget (may be empty)."
    )
    key = serializers.CharField(help_text="What the action is: a basic, quick-win…")
    use_case = serializers.CharField(help_text="The use case it tries or pilots.")


class PhaseSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    actions = ActionSerializer(many=True)
    in_place = serializers.ListField(
        child=serializers.CharField(), help_text="Basics already in place."
    )


class ComparisonSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="`overall` or a dimension code.")
    label = serializers.CharField()
    score = serializers.IntegerField(help_text="This diagnostic's, 0 to 100.")
    peers = serializers.FloatField(help_text="The peers' average, 0 to 100.")


class PeerBenchmarkSerializer(serializers.Serializer):
    peers = serializers.IntegerField(
        help_text="Other companies of the same sector and size band compared with "
        "(the latest diagnostic of each)."
    )
    better_than = serializers.IntegerField(
        help_text="How many of them have a lower overall score."
    )
    out_of_ten = serializers.IntegerField(
        help_text="The same, out of 10, rounded down."
    )
    summary = serializers.CharField()
    sector = serializers.CharField()
    size_band = serializers.CharField()
    scores = ComparisonSerializer(source="rows", many=True)


class ResultSerializer(serializers.Serializer):
    """Pass the peer comparison as `context["peer_benchmark"]` (None: too few)."""

    assessment = serializers.IntegerField(source="assessment_id")
    scores = serializers.SerializerMethodField()
    overall = serializers.IntegerField(source="scorecard.overall")
    level = LevelSerializer(source="scorecard.level")
    stone = StoneSerializer(allow_null=True)
    recommendations = RecommendationsSerializer()
    roadmap = PhaseSerializer(many=True)
    peer_benchmark = serializers.SerializerMethodField(
        help_text="How the scores compare with companies of the same sector and "
        "size band; null until enough of them have answered."
    )

    @extend_schema_field(DimensionScoreSerializer(many=True))
    def get_scores(self, result) -> list:
        return [
            {"code": code, "label": dimension_label(code), "score": score}
            for code, score in result.scorecard.dimensions.items()
        ]

    @extend_schema_field(PeerBenchmarkSerializer(allow_null=True))
    def get_peer_benchmark(self, result) -> dict | None:
        found = self.context.get("peer_benchmark")
        return PeerBenchmarkSerializer(found).data if found else None


# --- Reading the owner's words -------------------------------------------------

READING_MAX_LENGTH = 2000


class StoneReadingInputSerializer(StrictSerializer):
    text = serializers.CharField(
        max_length=READING_MAX_LENGTH,
        allow_blank=True,
        trim_whitespace=False,
        help_text="The owner's words about the task that weighs most, in French.",
    )

    def validate_text(self, value: str) -> str:
        if "\x00" in value or any("\ud800" <= ch <= "\udfff" for ch in value):
            raise serializers.ValidationError(
                _("Ce texte contient des caractères invalides.")
            )
        return value


class CategoryReadingSerializer(serializers.Serializer):
    category = serializers.CharField(source="slug", help_text="A stone category slug.")
    name = serializers.CharField()
    confidence = serializers.FloatField(min_value=0, max_value=1)
    evidence = serializers.ListField(
        child=serializers.CharField(),
        help_text="The owner's words that led to this category.",
    )


class ConcernReadingSerializer(serializers.Serializer):
    concern = serializers.ChoiceField(
        source="slug",
        choices=["attack", "cloud", "data-leak", "budget", "shadow-ai"],
        help_text="attack: a past cyber attack or incident; cloud: fear of the "
        "cloud; data-leak: fear of data leaving the company; budget: a tight "
        "budget; shadow-ai: staff using AI tools unofficially.",
    )
    evidence = serializers.CharField(help_text="The owner's sentence that says it.")


class StoneReadingSerializer(serializers.Serializer):
    categories = CategoryReadingSerializer(
        many=True, help_text="Best first; empty when nothing is understood."
    )
    concerns = ConcernReadingSerializer(many=True)
