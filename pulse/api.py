"""REST API of the employee pulse.

The owner's endpoints open with the diagnostic's token, as the rest of the
diagnostic API; the employees' endpoints open with the pulse link token alone.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from assessment.api import ERROR_404, AssessmentView, Conflict, PublicView
from config.api import ERRORS_400, ErrorSerializer, invalid

from . import serializers as s
from . import survey as pulse
from .models import PulseInvitation

TAGS = ["employee pulse"]
ERROR_409 = OpenApiResponse(ErrorSerializer, "The diagnostic is not submitted yet.")
ERROR_410 = OpenApiResponse(ErrorSerializer, "The owner closed this link.")
ERROR_429 = OpenApiResponse(ErrorSerializer, "Too many answers from this address.")
NOT_SUBMITTED = _("Le diagnostic n’est pas encore terminé.")


class Gone(APIException):
    status_code = status.HTTP_410_GONE
    default_detail = _("Ce questionnaire est clos : il ne reçoit plus de réponses.")
    default_code = "closed"


class AnswerThrottle(AnonRateThrottle):
    """Answers from one address; the rate is a setting, not a DRF scope."""

    scope = "pulse"

    def get_rate(self):
        return settings.PULSE_ANSWER_RATE


def _links(request, token: str) -> dict:
    page = reverse("pulse:answer", args=[token])
    api = reverse("pulse_api:answer", args=[token])
    return {"url": request.build_absolute_uri(page), "answer": api}


def _open_invitation(token: str) -> PulseInvitation:
    invitation = PulseInvitation.objects.with_token(token).first()
    if invitation is None:
        raise NotFound(_("Ce lien ne mène à aucun questionnaire."))
    if not invitation.is_open():
        raise Gone
    return invitation


class PulseDetail(AssessmentView):
    @extend_schema(
        tags=TAGS,
        summary="The pulse of a diagnostic: answer count, totals and the gap",
        description="Totals and the gap with the owner's answers appear once "
        "`min_responses` employees have answered, then by whole groups of that "
        "size; individual answers are never given.",
        responses={200: s.PulseStatusSerializer, 404: ERROR_404},
    )
    def get(self, request, pk):
        assessment = self.get_assessment(request, pk)
        summary = pulse.summary_for(assessment)
        return Response(s.PulseStatusSerializer(summary).data)

    @extend_schema(
        tags=TAGS,
        summary="Open the pulse, or replace its link",
        description="Returns the employees' link once. Asking again gives a new "
        "link (the old one stops working, answers are kept) and reopens a "
        "closed pulse.",
        request=None,
        responses={201: s.PulseCreatedSerializer, 404: ERROR_404, 409: ERROR_409},
    )
    def post(self, request, pk):
        assessment = self.get_assessment(request, pk)
        try:
            invitation, token = pulse.invite(assessment)
        except pulse.NotSubmitted:
            raise Conflict(NOT_SUBMITTED) from None
        data = {"token": token, "status": invitation.status, **_links(request, token)}
        return Response(
            s.PulseCreatedSerializer(data).data, status=status.HTTP_201_CREATED
        )


class PulseClose(AssessmentView):
    @extend_schema(
        tags=TAGS,
        summary="Close the pulse",
        description="The link stops taking answers; closing twice is harmless.",
        request=None,
        responses={
            200: s.PulseStatusSerializer,
            404: ERROR_404,
            409: OpenApiResponse(ErrorSerializer, "No pulse was opened."),
        },
    )
    def post(self, request, pk):
        assessment = self.get_assessment(request, pk)
        invitation = pulse.invitation_of(assessment)
        if invitation is None:
            raise Conflict(_("Aucun lien n’a encore été créé pour ce diagnostic."))
        pulse.close(invitation)
        summary = pulse.summary_for(assessment)
        return Response(s.PulseStatusSerializer(summary).data)


class PulseForm(PublicView):
    @extend_schema(
        tags=TAGS,
        summary="The employees' questions (public, by link token)",
        responses={
            200: s.PulseFormSerializer,
            404: OpenApiResponse(ErrorSerializer, "No such link."),
            410: ERROR_410,
        },
    )
    def get(self, request, token):
        invitation = _open_invitation(token)
        data = {
            "company_name": invitation.assessment.company_name,
            "min_responses": pulse.min_responses(),
            "questions": pulse.question_list(),
        }
        return Response(s.PulseFormSerializer(data).data)


class PulseAnswer(PublicView):
    throttle_classes = [AnswerThrottle]

    @extend_schema(
        tags=TAGS,
        summary="Answer the pulse anonymously (public, by link token)",
        description="Nothing that identifies the person is stored: not the "
        "address, not the time (the day only). Questions for AI users are "
        "ignored when `frequency` is `never`. All or nothing.",
        request=s.PulseAnswersSerializer,
        responses={
            201: ErrorSerializer,
            400: ERRORS_400,
            404: OpenApiResponse(ErrorSerializer, "No such link."),
            410: ERROR_410,
            429: ERROR_429,
        },
    )
    def post(self, request, token):
        invitation = _open_invitation(token)
        serializer = s.PulseAnswersSerializer(data=request.data)
        if not serializer.is_valid():
            return invalid(serializer.errors)
        try:
            errors = pulse.answer(invitation, serializer.validated_data)
        except pulse.PulseClosed:
            raise Gone from None
        if errors:
            return invalid(errors)
        thanks = _("Merci : votre réponse anonyme est enregistrée.")
        return Response({"detail": thanks}, status=status.HTTP_201_CREATED)
