from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessment.serializers import ResultSerializer, TypedInput
from reports.serializers import (
    ChangeSerializer,
    ReportLinksSerializer,
    ReportSerializer,
)

from . import cases
from .models import AccessLog, Adjustment, Case, Note, Organisation, StatusChange


def person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


class OrganisationSerializer(serializers.ModelSerializer):
    departments = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="code"
    )

    class Meta:
        model = Organisation
        fields = ["id", "name", "slug", "kind", "description", "departments"]


class CaseRowSerializer(serializers.ModelSerializer):
    company_name = serializers.CharField(source="assessment.company_name")
    department = serializers.CharField(source="assessment.department.code")
    sector = serializers.CharField(source="assessment.sector.slug")
    size_band = serializers.CharField(source="assessment.size_band.code")
    overall = serializers.IntegerField(
        source="assessment.outcome.overall", allow_null=True
    )
    level = serializers.IntegerField(source="assessment.outcome.level", allow_null=True)
    stone_category = serializers.CharField(
        source="assessment.outcome.stone_category", allow_null=True
    )
    assignee = serializers.IntegerField(
        source="assignee_id", allow_null=True, read_only=True
    )
    url = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id", "company_name", "department", "sector", "size_band", "overall",
            "level", "stone_category", "status", "assignee", "shared_at",
            "updated_at", "actions_due_on", "url",
        ]  # fmt: skip

    @extend_schema_field(OpenApiTypes.STR)
    def get_url(self, case) -> str:
        return reverse("advisors_api:case", args=[case.pk])


class NoteSerializer(TypedInput, serializers.ModelSerializer):
    author = serializers.SerializerMethodField()

    class Meta:
        model = Note
        fields = ["id", "text", "author", "created_at"]
        read_only_fields = ["id", "author", "created_at"]

    def get_author(self, note) -> str:
        return person(note.author)


class StatusChangeSerializer(serializers.ModelSerializer):
    by = serializers.SerializerMethodField()

    class Meta:
        model = StatusChange
        fields = ["from_status", "to_status", "by", "at"]

    def get_by(self, change) -> str:
        return person(change.by)


class AdjustmentSerializer(TypedInput, serializers.ModelSerializer):
    author = serializers.SerializerMethodField()

    class Meta:
        model = Adjustment
        fields = [
            "id",
            "kind",
            "item_kind",
            "item_slug",
            "text",
            "author",
            "created_at",
        ]
        read_only_fields = ["id", "author", "created_at"]
        extra_kwargs = {"text": {"max_length": 2000}}

    def get_author(self, adjustment) -> str:
        return person(adjustment.author)


class AccessSerializer(serializers.ModelSerializer):
    class Meta:
        model = AccessLog
        fields = ["user_name", "action", "at"]


class CaseSerializer(CaseRowSerializer):
    respondent_name = serializers.CharField(source="assessment.respondent_name")
    respondent_email = serializers.CharField(source="assessment.respondent_email")
    own_words = serializers.SerializerMethodField()
    result = serializers.SerializerMethodField()
    notes = NoteSerializer(many=True)
    history = StatusChangeSerializer(many=True)
    adjustments = AdjustmentSerializer(many=True)
    reports = serializers.SerializerMethodField()

    class Meta(CaseRowSerializer.Meta):
        fields = CaseRowSerializer.Meta.fields + [
            "respondent_name", "respondent_email", "own_words", "result", "notes",
            "history", "adjustments", "reports",
        ]  # fmt: skip

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_own_words(self, case) -> dict:
        return self.context["own_words"]

    @extend_schema_field(ResultSerializer)
    def get_result(self, case) -> dict:
        return ResultSerializer(self.context["result"]).data

    @extend_schema_field(ReportSerializer(many=True))
    def get_reports(self, case) -> list:
        return CaseReportSerializer(
            cases.reports_of(case), many=True, context={"case": case}
        ).data


class CaseReportSerializer(ReportSerializer):
    @extend_schema_field(ReportLinksSerializer)
    def get_links(self, report) -> dict:
        case = self.context["case"]
        ready = report.status == report.Status.READY
        return {
            "detail": reverse("advisors_api:report", args=[case.pk, report.pk]),
            "pdf": reverse("advisors_api:report_pdf", args=[case.pk, report.pk])
            if ready
            else None,
        }


class StatusSerializer(TypedInput, serializers.Serializer):
    status = serializers.ChoiceField(choices=Case.Status.choices)


class AssigneeSerializer(TypedInput, serializers.Serializer):
    assignee = serializers.IntegerField(
        allow_null=True, min_value=1, help_text="A member's user id, or null."
    )


class ShareSerializer(TypedInput, serializers.Serializer):
    organisation = serializers.IntegerField(min_value=1)
    consent = serializers.BooleanField(
        help_text="Must be true: the owner agrees to the consent text of the "
        "organisation (GET shares lists the organisations with their text)."
    )


class CaseChangesSerializer(serializers.Serializer):
    """What the organisation changed in the plan, as the owner reads it."""

    organisation = serializers.CharField()
    items = ChangeSerializer(many=True)
    advice = serializers.ListField(child=serializers.CharField())


class ShareRowSerializer(serializers.ModelSerializer):
    organisation = OrganisationSerializer()
    accesses = AccessSerializer(many=True)
    changes = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id", "organisation", "consent_text", "consent_version", "shared_at",
            "withdrawn_at", "accesses", "changes",
        ]  # fmt: skip

    def get_changes(self, case) -> CaseChangesSerializer:
        return cases.changes_of(case).to_json()


class ShareOptionSerializer(OrganisationSerializer):
    consent_text = serializers.CharField()
    covers_department = serializers.BooleanField(source="covers")

    class Meta(OrganisationSerializer.Meta):
        fields = OrganisationSerializer.Meta.fields + [
            "consent_text", "covers_department",
        ]  # fmt: skip


class SharesSerializer(serializers.Serializer):
    shares = ShareRowSerializer(many=True)
    organisations = ShareOptionSerializer(many=True)
