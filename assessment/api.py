"""REST API for diagnostics: start one, answer, submit, read the result.

Each view validates with an input serializer, calls a function of `answering.py`
or `results.py`, and answers with an output serializer. A diagnostic opens with
its private token (`Authorization: Token <token>`) or the web form's session;
anything else gets 404, so that a stranger cannot learn which ids exist.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import APIException, NotFound
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import (
    ERRORS_400,
    DocumentedTokenAuthentication,
    ErrorSerializer,
    invalid,
)

from . import serializers as s
from .access import get_assessment_for_request, token_from_header
from .answering import (
    PROFILE_FIELDS,
    AssessmentClosed,
    current_questionnaire,
    save_answers,
    start_assessment,
    stored_answers,
    submit,
)
from .catalogue import load_reader
from .models import Assessment, Questionnaire
from .peers import cached_peer_benchmark
from .questionnaire import spec_for
from .results import result_for

TAGS = ["diagnostics"]


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class NoQuestionnaire(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("Aucun questionnaire n’est chargé pour le moment.")
    default_code = "no_questionnaire"


class AssessmentTokenAuthentication(DocumentedTokenAuthentication):
    """Names the `Authorization: Token` scheme; the views check it per diagnostic.

    The token opens one diagnostic, not a user account, so no user is set.
    """

    scheme_name = "assessmentToken"
    scheme_description = (
        "`Token <token>`, with the token returned once when the diagnostic was "
        "created. The web form's session cookie works too (then unsafe methods "
        "need the CSRF token)."
    )

    def authenticate(self, request):
        return None


NOT_SAVED = _("Certaines réponses ne sont pas valides : rien n’a été enregistré.")


def _questionnaire() -> Questionnaire:
    try:
        return current_questionnaire()
    except Questionnaire.DoesNotExist:
        raise NoQuestionnaire from None


def start(profile: dict, previous: Assessment | None = None) -> Response:
    """Start a diagnostic in the request's language; answer with its token, once."""
    try:
        assessment, token = start_assessment(
            profile=profile, previous=previous, language=get_language()
        )
    except Questionnaire.DoesNotExist:
        raise NoQuestionnaire from None
    data = s.CreatedSerializer({"assessment": assessment, "token": token}).data
    return Response(
        data,
        status=status.HTTP_201_CREATED,
        headers={"Location": data["links"]["detail"]},
    )


ERROR_404 = OpenApiResponse(
    ErrorSerializer, "No such diagnostic, or no access to it (never 403)."
)
ERROR_409 = OpenApiResponse(ErrorSerializer, "Not possible in this state.")


class PublicView(APIView):
    authentication_classes = []
    permission_classes = []


# Base for the views of one diagnostic, opened by its token or session.
class AssessmentView(PublicView):
    authentication_classes = [AssessmentTokenAuthentication]

    def get_assessment(self, request, pk: int) -> Assessment:
        try:
            assessment = get_assessment_for_request(request, pk)
        except Http404:
            raise NotFound from None  # its own message is not translated
        if token_from_header(request) is None and request.method not in SAFE_METHODS:
            # Access came from the session cookie, which a browser sends by itself.
            SessionAuthentication().enforce_csrf(request)
        return assessment


class QuestionnaireDetail(PublicView):
    @extend_schema(
        tags=TAGS,
        summary="The current questionnaire",
        description="Sections and questions of the version new diagnostics use; "
        "a question with a `condition` is asked only when it holds.",
        responses={200: s.QuestionnaireSerializer},
    )
    def get(self, request):
        spec = spec_for(_questionnaire())
        return Response(s.QuestionnaireSerializer(spec).data)


class AssessmentCreate(PublicView):
    throttle_scope = "diagnostic_create"

    @extend_schema(
        tags=TAGS,
        summary="Start a diagnostic",
        description="Creates a diagnostic from the company profile and consent. "
        "The private token is returned only in this response.",
        request=s.ProfileSerializer,
        responses={201: s.CreatedSerializer, 400: ERRORS_400},
    )
    def post(self, request):
        serializer = s.ProfileSerializer(data=request.data)
        if not serializer.is_valid():
            return invalid(serializer.errors)
        profile = {name: serializer.validated_data[name] for name in PROFILE_FIELDS
                   if name in serializer.validated_data}  # fmt: skip
        return start(profile)


class AssessmentDetail(AssessmentView):
    @extend_schema(
        tags=TAGS,
        summary="A diagnostic: profile, status and dates",
        responses={200: s.AssessmentSerializer, 404: ERROR_404},
    )
    def get(self, request, pk):
        assessment = self.get_assessment(request, pk)
        return Response(s.AssessmentSerializer(assessment).data)

    @extend_schema(
        tags=TAGS,
        summary="Change the hourly cost",
        description="The loaded hourly cost prices the stone; it may change at any "
        "time, even after submission.",
        request=s.HourlyCostSerializer,
        responses={200: s.AssessmentSerializer, 400: ERRORS_400, 404: ERROR_404},
    )
    def patch(self, request, pk):
        assessment = self.get_assessment(request, pk)
        serializer = s.HourlyCostSerializer(data=request.data)
        if not serializer.is_valid():
            return invalid(serializer.errors)
        assessment.hourly_cost = serializer.validated_data["hourly_cost"]
        assessment.save(update_fields=["hourly_cost", "updated_at"])
        return Response(s.AssessmentSerializer(assessment).data)


class AnswerList(AssessmentView):
    @extend_schema(
        tags=TAGS,
        summary="The answers saved so far",
        responses={200: s.AnswersSerializer, 404: ERROR_404},
    )
    def get(self, request, pk):
        assessment = self.get_assessment(request, pk)
        return Response(s.AnswersSerializer(stored_answers(assessment)).data)

    @extend_schema(
        tags=TAGS,
        summary="Save answers",
        description="Answers keyed by question code: a choice code (single, scale), "
        "a list of codes (multiple), a number or a text; null clears an answer. "
        "All or nothing: when one answer is invalid, none is saved.",
        request=s.AnswersSerializer,
        responses={
            200: s.AnswersSerializer,
            400: ERRORS_400,
            404: ERROR_404,
            409: OpenApiResponse(ErrorSerializer, "The diagnostic is submitted."),
        },
    )
    def patch(self, request, pk):
        assessment = self.get_assessment(request, pk)
        serializer = s.AnswersSerializer(data=request.data)
        if not serializer.is_valid():
            return invalid(serializer.errors, NOT_SAVED)
        try:
            errors = save_answers(assessment, serializer.validated_data)
        except AssessmentClosed:
            raise Conflict(
                _("Ce diagnostic est terminé : ses réponses ne changent plus. "
                  "Refaites-en un pour partir de ces réponses.")
            ) from None  # fmt: skip
        if errors:
            return invalid(errors, NOT_SAVED)
        return Response(s.AnswersSerializer(stored_answers(assessment)).data)


class AssessmentSubmit(AssessmentView):
    @extend_schema(
        tags=TAGS,
        summary="Submit the diagnostic",
        description="Closes the diagnostic when every required question that "
        "applies is answered; submitting twice is harmless.",
        request=None,
        responses={200: s.SubmittedSerializer, 400: ERRORS_400, 404: ERROR_404},
    )
    def post(self, request, pk):
        assessment = self.get_assessment(request, pk)
        missing = submit(assessment)
        if missing:
            return invalid(missing, _("Il manque des réponses obligatoires."))
        return Response(s.SubmittedSerializer(assessment).data)


class ResultDetail(AssessmentView):
    @extend_schema(
        tags=TAGS,
        summary="The result: scores, stone, recommendations and roadmap",
        description="Every recommendation carries the reasons that chose it.",
        responses={
            200: s.ResultSerializer,
            404: ERROR_404,
            409: OpenApiResponse(ErrorSerializer, "Not submitted yet."),
        },
    )
    def get(self, request, pk):
        assessment = self.get_assessment(request, pk)
        if not assessment.is_submitted():
            raise Conflict(_("Le diagnostic n’est pas encore terminé."))
        context = {"peer_benchmark": cached_peer_benchmark(assessment)}
        return Response(
            s.ResultSerializer(result_for(assessment), context=context).data
        )


class AssessmentReassess(AssessmentView):
    throttle_scope = "diagnostic_create"

    @extend_schema(
        tags=TAGS,
        summary="Start a new diagnostic from this one",
        description="Copies the profile (fields sent here replace it) and the "
        "answers of a submitted diagnostic into a new one, with its own token.",
        request=s.ReassessSerializer,
        responses={
            201: s.CreatedSerializer,
            400: ERRORS_400,
            404: ERROR_404,
            409: OpenApiResponse(ErrorSerializer, "Not submitted yet."),
        },
    )
    def post(self, request, pk):
        previous = self.get_assessment(request, pk)
        if not previous.is_submitted():
            raise Conflict(
                _("Ce diagnostic n’est pas terminé : complétez-le plutôt que d’en "
                  "commencer un nouveau.")
            )  # fmt: skip
        serializer = s.ReassessSerializer(data=request.data)
        if not serializer.is_valid():
            return invalid(serializer.errors)
        profile = previous.profile()
        profile.update(
            (k, v) for k, v in serializer.validated_data.items() if k in PROFILE_FIELDS
        )
        return start(profile, previous)


class StoneReading(PublicView):
    @extend_schema(
        tags=TAGS,
        summary="Read the owner's words about the stone",
        description="Maps a French description of the task that weighs most to "
        "the catalogue's stone categories, best first, each with a confidence "
        "(0 to 1) and the words that led to it, and finds the worries that "
        "change the advice. Typos, missing accents and SMS spellings are read. "
        "Nothing is stored.",
        request=s.StoneReadingInputSerializer,
        responses={200: s.StoneReadingSerializer, 400: ERRORS_400},
    )
    def post(self, request):
        serializer = s.StoneReadingInputSerializer(data=request.data)
        if not serializer.is_valid():
            return invalid(serializer.errors)
        reading = load_reader().read(serializer.validated_data["text"])
        return Response(s.StoneReadingSerializer(reading).data)
