"""REST API for PDF action plans: ask for one, follow it, download it, retry it.

A plan opens with its diagnostic's private token (or the web session), like
the diagnostic itself; anything else gets 404.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from assessment.access import MAX_ID
from assessment.api import ERROR_404, ERROR_409, AssessmentView, Conflict
from config.api import ErrorSerializer, ValidationErrorSerializer, invalid

from . import asking, views
from .models import Report
from .serializers import ReportRequestSerializer, ReportSerializer

TAGS = ["action plans"]
ACCEPTED = OpenApiResponse(
    ReportSerializer, "Queued: follow the `Location` header until it is ready."
)


def _accepted(report: Report) -> Response:
    data = ReportSerializer(report).data
    return Response(
        data,
        status=status.HTTP_202_ACCEPTED,
        headers={"Location": data["links"]["detail"]},
    )


class AssessmentReportList(AssessmentView):
    @extend_schema(
        tags=TAGS,
        summary="The versions of a diagnostic's action plan",
        responses={200: ReportSerializer(many=True), 404: ERROR_404},
    )
    def get(self, request, pk):
        assessment = self.get_assessment(request, pk)
        return Response(ReportSerializer(assessment.reports.all(), many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Ask for a new version of the action plan (PDF)",
        description="Saves the request and renders it in the background. While a "
        "version is queued or rendering, that version is returned instead of a new "
        "one. Only submitted diagnostics have a plan.",
        request=ReportRequestSerializer,
        responses={
            202: ACCEPTED,
            400: OpenApiResponse(ValidationErrorSerializer),
            404: ERROR_404,
            409: OpenApiResponse(ErrorSerializer, "Not submitted yet."),
        },
    )
    def post(self, request, pk):
        assessment = self.get_assessment(request, pk)
        serializer = ReportRequestSerializer(data=request.data)
        if not serializer.is_valid():
            return invalid(serializer.errors)
        try:
            report = asking.request_report(
                assessment,
                requested_by=Report.Requester.API,
                language=serializer.validated_data.get("language"),
            )
        except asking.NotSubmitted:
            raise Conflict(_("Le diagnostic n’est pas encore terminé.")) from None
        return _accepted(report)


class ReportView(AssessmentView):
    def get_report(self, request, pk: int) -> Report:
        if pk > MAX_ID:
            raise NotFound
        report = Report.objects.filter(pk=pk).first()
        if report is None:
            raise NotFound
        self.get_assessment(request, report.assessment_id)  # 404 without access
        return report


class ReportDetail(ReportView):
    @extend_schema(
        tags=TAGS,
        summary="One version of the action plan: its status",
        responses={200: ReportSerializer, 404: ERROR_404},
    )
    def get(self, request, pk):
        return Response(ReportSerializer(self.get_report(request, pk)).data)


class ReportPdf(ReportView):
    @extend_schema(
        tags=TAGS,
        summary="Download the PDF",
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            404: OpenApiResponse(
                ErrorSerializer,
                "No such plan, no access to it, or not ready yet.",
            ),
        },
    )
    def get(self, request, pk):
        report = self.get_report(request, pk)
        if report.status != Report.Status.READY:
            raise NotFound(_("Ce plan n’est pas encore prêt."))
        return views.pdf_response(report, by="owner (API)")


class ReportRetry(ReportView):
    @extend_schema(
        tags=TAGS,
        summary="Retry a failed render",
        request=None,
        responses={202: ACCEPTED, 404: ERROR_404, 409: ERROR_409},
    )
    def post(self, request, pk):
        report = self.get_report(request, pk)
        if not asking.retry_report(report):
            raise Conflict(_("Seul un plan en échec peut être relancé."))
        return _accepted(report)
