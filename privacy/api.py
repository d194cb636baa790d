"""REST API of the owner's rights: a copy of their data, erasing it.

Opened like every diagnostic endpoint: `Authorization: Token <token>` (or the
web session, then DELETE needs the CSRF token); anything else gets 404.
"""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from assessment.api import ERROR_404, AssessmentView

from . import erasure, export

TAGS = ["personal data"]


class ErasedSerializer(serializers.Serializer):
    diagnostics = serializers.IntegerField(help_text="Diagnostics erased.")
    reports = serializers.IntegerField(help_text="PDF plan versions erased.")
    files = serializers.IntegerField(help_text="Files deleted from storage.")


class PersonalData(AssessmentView):
    @extend_schema(
        tags=TAGS,
        summary="A copy of all the data kept about this diagnostic's owner",
        description="The diagnostic and those it was retaken from or into: "
        "company profile, respondent, consent, answers, scores, the PDF plans' "
        f"records and the rows other services attach to it. Format `{export.FORMAT}`.",
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, "The data, as JSON."),
            404: ERROR_404,
        },
    )
    def get(self, request, pk):
        assessment = self.get_assessment(request, pk)
        data = export.export_json(erasure.linked(assessment))
        return HttpResponse(data, content_type="application/json; charset=utf-8")

    @extend_schema(
        tags=TAGS,
        summary="Erase the diagnostic and everything kept with it",
        description="Erases the diagnostic, those it was retaken from or into, "
        "their answers, PDF plans (files included) and whatever other services "
        "attach to them (shares with advisors, notes, access log). Cannot be "
        "undone; the private token stops working.",
        request=None,
        responses={200: ErasedSerializer, 404: ERROR_404},
    )
    def delete(self, request, pk):
        assessment = self.get_assessment(request, pk)
        erased = erasure.erase(erasure.linked(assessment))
        return Response(ErasedSerializer(erased).data)
