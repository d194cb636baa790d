"""The statistics of the member's organisation, for the advisor API."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from assessment.api import ERROR_404
from config.api import ERRORS_400, ErrorSerializer, invalid

from .api import TAGS, AdvisorView, QueueSchema
from .stats import organisation_statistics, parse_period


class StatsPeriodSerializer(serializers.Serializer):
    shared_after = serializers.DateField(allow_null=True)
    shared_before = serializers.DateField(allow_null=True)


class StatsRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Code, slug or status; empty: no value.")
    label = serializers.CharField()
    count = serializers.IntegerField()


class StatsAverageSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="`overall` or a dimension code.")
    label = serializers.CharField()
    value = serializers.FloatField(
        allow_null=True, help_text="Mean score out of 100; null without any case."
    )


class StatsMonthSerializer(serializers.Serializer):
    month = serializers.CharField(source="key", help_text="YYYY-MM, local time.")
    label = serializers.CharField()
    count = serializers.IntegerField()


class StatisticsSerializer(serializers.Serializer):
    period = StatsPeriodSerializer()
    total = serializers.IntegerField(help_text="Active cases shared in the period.")
    overall = StatsAverageSerializer()
    dimensions = StatsAverageSerializer(many=True)
    statuses = StatsRowSerializer(many=True, help_text="Every status, in order.")
    levels = StatsRowSerializer(many=True, help_text="Every level, in order.")
    stones = StatsRowSerializer(
        many=True, help_text="The ten most frequent stone categories."
    )
    departments = StatsRowSerializer(many=True, help_text="Largest first.")
    sectors = StatsRowSerializer(many=True, help_text="Largest first.")
    size_bands = StatsRowSerializer(many=True, help_text="Smallest companies first.")
    months = StatsMonthSerializer(
        many=True, help_text="Cases shared each month, months without any included."
    )


DATE_PARAMETERS = [
    OpenApiParameter(
        name, OpenApiTypes.DATE, description=description + " (YYYY-MM-DD, included)."
    )
    for name, description in (
        ("shared_after", "Cases shared on or after this day"),
        ("shared_before", "Cases shared on or before this day"),
    )
]


class StatsView(AdvisorView):
    """Organisation members only; anyone else learns nothing (404)."""

    schema = QueueSchema()  # the page's date form sends empty dates too

    @extend_schema(
        tags=TAGS,
        summary="The organisation's statistics",
        description="Counts of the organisation's active cases by status, level, "
        "stone, department, sector, size and month, and the average scores.",
        parameters=DATE_PARAMETERS,
        responses={
            200: StatisticsSerializer,
            400: ERRORS_400,
            403: OpenApiResponse(ErrorSerializer, "Second factor not confirmed."),
            404: ERROR_404,
        },
    )
    def get(self, request):
        period, errors = parse_period(request.query_params)
        if errors:
            return invalid(errors)
        found = organisation_statistics(self.membership.organisation, period)
        return Response(StatisticsSerializer(found).data)
