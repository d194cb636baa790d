"""API serializers for the employee pulse: input checks and output mapping only.

Outputs read the frozen dataclasses of `survey.py`; `survey.clean_answers`
judges the answers themselves.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessment.serializers import AnswersSerializer

from . import survey as pulse

MAX_KEYS = 20  # a few more than the questions: each unknown one gets its error


class PulseChoiceSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    exclusive = serializers.BooleanField(help_text="Cannot be combined with others.")


class PulseQuestionSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.ChoiceField(choices=[pulse.SINGLE, pulse.MULTIPLE])
    label = serializers.CharField()
    help_text = serializers.CharField()
    required = serializers.BooleanField()
    users_only = serializers.SerializerMethodField(
        help_text="Asked only when `frequency` is not `never`; ignored otherwise."
    )
    max_choices = serializers.IntegerField(allow_null=True)
    choices = PulseChoiceSerializer(many=True)

    @extend_schema_field(serializers.BooleanField())
    def get_users_only(self, question) -> bool:
        return pulse.users_only(question)


class PulseFormSerializer(serializers.Serializer):
    company_name = serializers.CharField()
    min_responses = serializers.IntegerField(
        help_text="The owner sees totals only from this many answers."
    )
    questions = PulseQuestionSerializer(many=True)


class PulseAnswersSerializer(AnswersSerializer):
    """An object keyed by question code: a choice code, or a list for `multiple`.

    Read as the diagnostic's answers are; `survey.clean_answers` judges them.
    """

    max_answers = MAX_KEYS


class PulseAnswersSchema(OpenApiSerializerExtension):
    target_class = PulseAnswersSerializer

    def map_serializer(self, auto_schema, direction):
        return {
            "type": "object",
            "description": "Answers keyed by question code (GET the form for them).",
            "additionalProperties": {
                "oneOf": [
                    {"type": "string"},
                    {"type": "array", "items": {"type": "string"}},
                ]
            },
            "example": {
                "frequency": "weekly",
                "tools": ["chatgpt"],
                "tasks": ["writing", "translation"],
                "account": "personal",
                "data": "internal",
                "known": "no",
                "training": "none",
                "help": ["training", "rules"],
            },
        }


class PulseCreatedSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text="The link token: shown only this once and stored hashed."
    )
    url = serializers.CharField(help_text="The page to send to the employees.")
    answer = serializers.CharField(help_text="The API address to answer at.")
    status = serializers.CharField()


class ChoiceCountSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    percent = serializers.IntegerField(help_text="Of those who answered the question.")


class QuestionCountSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    answered = serializers.IntegerField()
    choices = ChoiceCountSerializer(many=True)


class AggregateSerializer(serializers.Serializer):
    responses = serializers.IntegerField(help_text="Answers in these totals.")
    users = serializers.IntegerField(help_text="Use AI for work, however rarely.")
    weekly = serializers.IntegerField(help_text="Use AI every week or more.")
    unofficial = serializers.IntegerField(
        help_text="Use a personal account, or their manager does not know."
    )
    company_data = serializers.IntegerField()
    customer_data = serializers.IntegerField()
    trained = serializers.IntegerField(help_text="Trained by the company.")
    self_trained = serializers.IntegerField()
    questions = QuestionCountSerializer(many=True)


class GapRowSerializer(serializers.Serializer):
    topic = serializers.CharField()
    owner = serializers.CharField(help_text="What the owner answered.")
    employees = serializers.CharField(help_text="What the employees say, in totals.")
    differs = serializers.BooleanField()


class PulseStatusSerializer(serializers.Serializer):
    status = serializers.SerializerMethodField()
    received = serializers.IntegerField(help_text="Answers received.")
    min_responses = serializers.IntegerField()
    needed = serializers.IntegerField(help_text="Answers still needed for totals.")
    pending = serializers.IntegerField(
        help_text="Answers waiting for the next full group to join the totals."
    )
    aggregate = AggregateSerializer(allow_null=True)
    gap = GapRowSerializer(many=True, allow_null=True)

    @extend_schema_field(serializers.ChoiceField(choices=["none", "open", "closed"]))
    def get_status(self, summary) -> str:
        return summary.invitation.status if summary.invitation else "none"
