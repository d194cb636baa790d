from django.conf import settings
from django.urls import reverse
from rest_framework import serializers

from assessment.serializers import TypedInput

from .models import Report


class ReportRequestSerializer(TypedInput, serializers.Serializer):
    language = serializers.ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES],
        required=False,
        help_text="Language of the plan; defaults to the diagnostic's.",
    )


class ReportLinksSerializer(serializers.Serializer):
    detail = serializers.CharField()
    pdf = serializers.CharField(allow_null=True)


class ChangeSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["hidden", "added"])
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    slug = serializers.CharField()
    name = serializers.CharField()
    text = serializers.CharField(
        help_text="Why the advisor hid it, or the note that came with it."
    )


class ReportChangesSerializer(serializers.Serializer):
    """What an advisor changed in this version, as the owner reads it."""

    adjusted = serializers.BooleanField()
    items = ChangeSerializer(many=True)
    advice = serializers.ListField(child=serializers.CharField())


class ReportSerializer(serializers.ModelSerializer):
    failure_reason = serializers.CharField(
        source="failure_message",
        read_only=True,
        help_text="Why the render failed, in a sentence for people; empty otherwise.",
    )
    changes = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id", "assessment", "version", "language", "status", "failure_reason",
            "size", "page_count", "checksum", "attempts", "requested_by",
            "queued_at", "started_at", "finished_at", "render_ms", "changes", "links",
        ]  # fmt: skip
        read_only_fields = fields

    def get_changes(self, report) -> ReportChangesSerializer:
        return {
            "adjusted": report.is_adjusted(),
            "items": [change.to_json() for change in report.plan_changes],
            "advice": list(report.plan_adjustments.advice),
        }

    def get_links(self, report) -> ReportLinksSerializer:
        ready = report.status == Report.Status.READY
        return {
            "detail": reverse("reports_api:detail", args=[report.pk]),
            "pdf": reverse("reports_api:pdf", args=[report.pk]) if ready else None,
        }
