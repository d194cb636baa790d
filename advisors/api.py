"""REST API of the advisor workspace, and the owner's sharing.

Advisors sign in with their account (session, or their API token); a case of
another organisation answers 404 like one that does not exist. Owners share
with their diagnostic's token, as for the rest of their diagnostic.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from assessment.api import ERROR_404, AssessmentView
from assessment.results import own_words
from config.api import ERRORS_400, invalid
from reports.views import pdf_response

from . import cases, queue
from . import serializers as s
from .access import case_for, is_verified, membership_of
from .authentication import AdvisorTokenAuthentication
from .filters import SORTS
from .models import AccessLog, Case, Organisation

TAGS = ["advisors"]
SHARE_TAGS = ["sharing"]
AUTHENTICATION = [AdvisorTokenAuthentication, SessionAuthentication]


class AdvisorView(APIView):
    """Members of an organisation only; anyone else gets a JSON 404."""

    authentication_classes = AUTHENTICATION
    permission_classes = []

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.membership = membership_of(request.user)
        if self.membership is None:
            raise NotFound(_("Réservé aux conseillers d’une organisation."))
        # A browser session must have given the second factor, as for the pages;
        # an API token was only issued with it.
        by_session = isinstance(request.successful_authenticator, SessionAuthentication)
        if by_session and not is_verified(request):
            raise PermissionDenied(_("Confirmez d’abord votre second facteur."))

    def get_case(self, pk) -> Case:
        try:
            return case_for(self.membership, pk)
        except Http404:
            raise NotFound(_("Dossier introuvable.")) from None


def workflow_error(error: cases.WorkflowError) -> Response:
    return Response(
        {"detail": str(error), "errors": {}}, status=status.HTTP_400_BAD_REQUEST
    )


QUEUE_PARAMETERS = [
    OpenApiParameter("status", str, enum=Case.Status.values),
    OpenApiParameter("department", str, description="Department code, e.g. 31."),
    OpenApiParameter("sector", str, description="Sector slug."),
    OpenApiParameter("size", str, description="Size band code."),
    OpenApiParameter("level", int, description="0 (discovery) to 4."),
    OpenApiParameter("stone", str, description="Stone category slug."),
    OpenApiParameter("assignee", str, description="`me`, `none` or a user id."),
    OpenApiParameter(
        "late", str, enum=["1"], description="`1`: an action of the plan is overdue."
    ),
    OpenApiParameter("campaign", int, description="A campaign's id."),
    OpenApiParameter("shared_after", OpenApiTypes.DATE),
    OpenApiParameter("shared_before", OpenApiTypes.DATE),
    OpenApiParameter("q", str, description="Part of the company name."),
    OpenApiParameter("sort", str, enum=list(SORTS)),
    OpenApiParameter("page", int),
    OpenApiParameter("per_page", int, enum=list(queue.PER_PAGE_CHOICES)),
]


class QueueSchema(AutoSchema):
    """The queue's filters also come from the page's form: an empty one filters nothing."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        for parameter in (operation or {}).get("parameters", []):
            parameter["allowEmptyValue"] = True
        return operation


class CaseList(AdvisorView):
    schema = QueueSchema()

    @extend_schema(
        tags=TAGS,
        summary="The organisation's shared cases, filtered and paginated",
        parameters=QUEUE_PARAMETERS,
        responses={
            200: s.CaseRowSerializer(many=True),
            400: ERRORS_400,
            404: ERROR_404,
        },
    )
    def get(self, request):
        found = queue.read(
            request.query_params,
            organisation=self.membership.organisation,
            user=request.user,
        )
        if found.errors:
            return invalid(found.errors)
        page = found.page
        return Response(
            s.CaseRowSerializer(page.object_list, many=True).data,
            headers={
                "X-Total-Count": str(page.paginator.count),
                "X-Page": str(page.number),
                "X-Page-Count": str(page.paginator.num_pages),
            },
        )


class CaseDetail(AdvisorView):
    @extend_schema(
        tags=TAGS,
        summary="A case: profile, scores, stone, own words, adjusted plan, work",
        description="Each call is recorded in the case's access log, which the "
        "owner sees.",
        responses={200: s.CaseSerializer, 404: ERROR_404},
    )
    def get(self, request, pk):
        case = self.get_case(pk)
        cases.record_access(case, request.user, AccessLog.Action.API)
        result = cases.result_for_case(case)
        context = {"result": result, "own_words": own_words(result.answers)}
        return Response(s.CaseSerializer(case, context=context).data)


class CaseNotes(AdvisorView):
    @extend_schema(
        tags=TAGS, summary="Add a private note", request=s.NoteSerializer,
        responses={201: s.NoteSerializer, 400: ERRORS_400, 404: ERROR_404},
    )  # fmt: skip
    def post(self, request, pk):
        case = self.get_case(pk)
        serializer = s.NoteSerializer(data=request.data)
        if not serializer.is_valid():
            return invalid(serializer.errors)
        try:
            note = cases.add_note(case, request.user, serializer.validated_data["text"])
        except cases.WorkflowError as error:
            return workflow_error(error)
        return Response(s.NoteSerializer(note).data, status=status.HTTP_201_CREATED)


class CaseStatus(AdvisorView):
    @extend_schema(
        tags=TAGS,
        summary="Move the case to another status",
        description="new → in_review → plan_sent → follow_up → closed, one step "
        "back, or closing at any time; the change is kept in the history.",
        request=s.StatusSerializer,
        responses={200: s.CaseRowSerializer, 400: ERRORS_400, 404: ERROR_404},
    )
    def post(self, request, pk):
        case = self.get_case(pk)
        serializer = s.StatusSerializer(data=request.data)
        if not serializer.is_valid():
            return invalid(serializer.errors)
        try:
            cases.change_status(case, serializer.validated_data["status"], request.user)
        except cases.WorkflowError as error:
            return workflow_error(error)
        return Response(s.CaseRowSerializer(case).data)


class CaseAssignee(AdvisorView):
    @extend_schema(
        tags=TAGS, summary="Give the case to a member, or to nobody",
        request=s.AssigneeSerializer,
        responses={200: s.CaseRowSerializer, 400: ERRORS_400, 404: ERROR_404},
    )  # fmt: skip
    def post(self, request, pk):
        case = self.get_case(pk)
        serializer = s.AssigneeSerializer(data=request.data)
        if not serializer.is_valid():
            return invalid(serializer.errors)
        try:
            assignee = cases.member_by_id(case, serializer.validated_data["assignee"])
            cases.assign(case, assignee)
        except cases.WorkflowError as error:
            return invalid({"assignee": str(error)})
        return Response(s.CaseRowSerializer(case).data)


class CaseAdjustments(AdvisorView):
    @extend_schema(
        tags=TAGS,
        summary="Adjust the plan: hide a recommendation, add an item, advise",
        description="`hide` needs `item_kind`, `item_slug` and the reason in "
        "`text`; `add` needs `item_kind` and `item_slug` of a catalogue item; "
        "`advice` needs `text`. The next PDF version applies them.",
        request=s.AdjustmentSerializer,
        responses={201: s.AdjustmentSerializer, 400: ERRORS_400, 404: ERROR_404},
    )
    def post(self, request, pk):
        case = self.get_case(pk)
        serializer = s.AdjustmentSerializer(data=request.data)
        if not serializer.is_valid():
            return invalid(serializer.errors)
        data = serializer.validated_data
        try:
            adjustment = cases.apply_adjustment(
                case, request.user, data["kind"], item_kind=data.get("item_kind", ""),
                item_slug=data.get("item_slug", ""), text=data.get("text", ""),
            )  # fmt: skip
        except cases.WorkflowError as error:
            return workflow_error(error)
        return Response(
            s.AdjustmentSerializer(adjustment).data, status=status.HTTP_201_CREATED
        )


class CaseAdjustmentDetail(AdvisorView):
    @extend_schema(
        tags=TAGS, summary="Take an adjustment back",
        responses={204: None, 404: ERROR_404},
    )  # fmt: skip
    def delete(self, request, pk, adjustment_id):
        case = self.get_case(pk)
        if not cases.remove_adjustment(case, adjustment_id):
            raise NotFound(_("Ajustement introuvable."))
        return Response(status=status.HTTP_204_NO_CONTENT)


class CaseReports(AdvisorView):
    @extend_schema(
        tags=TAGS,
        summary="Render a new version of the plan with the case's adjustments",
        request=None,
        responses={
            202: OpenApiResponse(s.CaseReportSerializer, "Queued: follow Location."),
            404: ERROR_404,
        },
    )
    def post(self, request, pk):
        case = self.get_case(pk)
        report = cases.regenerate(case, request.user)
        data = s.CaseReportSerializer(report, context={"case": case}).data
        return Response(
            data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": data["links"]["detail"]},
        )


class CaseReportDetail(AdvisorView):
    def get_report(self, pk, report_pk):
        case = self.get_case(pk)
        report = cases.reports_of(case).filter(pk=report_pk).first()
        if report is None:
            raise NotFound(_("Plan introuvable."))
        return case, report

    @extend_schema(
        tags=TAGS, summary="A version of the plan and its status",
        responses={200: s.CaseReportSerializer, 404: ERROR_404},
    )  # fmt: skip
    def get(self, request, pk, report_pk):
        case, report = self.get_report(pk, report_pk)
        return Response(s.CaseReportSerializer(report, context={"case": case}).data)


class CaseReportPdf(CaseReportDetail):
    @extend_schema(
        tags=TAGS, summary="Download a ready plan (PDF); recorded in the access log",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            404: ERROR_404,
        },
    )  # fmt: skip
    def get(self, request, pk, report_pk):
        case, report = self.get_report(pk, report_pk)
        try:
            response = pdf_response(report, by=f"advisor {request.user.pk} (API)")
        except Http404:
            raise NotFound(_("Ce plan n’est pas encore prêt.")) from None
        cases.record_access(case, request.user, AccessLog.Action.DOWNLOAD)
        return response


# --- The owner's sharing ----------------------------------------------------------


class Shares(AssessmentView):
    def _payload(self, assessment):
        organisations = list(cases.organisations_for(assessment))
        for organisation in organisations:
            organisation.consent_text = cases.consent_text(organisation)
        return s.SharesSerializer(
            {"shares": cases.shares_of(assessment), "organisations": organisations}
        ).data

    @extend_schema(
        tags=SHARE_TAGS,
        summary="The diagnostic's shares, who opened them, and the organisations",
        responses={200: s.SharesSerializer, 404: ERROR_404},
    )
    def get(self, request, pk):
        return Response(self._payload(self.get_assessment(request, pk)))

    @extend_schema(
        tags=SHARE_TAGS,
        summary="Share the diagnostic with an organisation (explicit consent)",
        request=s.ShareSerializer,
        responses={201: s.SharesSerializer, 400: ERRORS_400, 404: ERROR_404},
    )
    def post(self, request, pk):
        assessment = self.get_assessment(request, pk)
        serializer = s.ShareSerializer(data=request.data)
        if not serializer.is_valid():
            return invalid(serializer.errors)
        if not serializer.validated_data["consent"]:
            return invalid({"consent": _("Le partage demande votre accord explicite.")})
        organisation = Organisation.objects.filter(
            pk=serializer.validated_data["organisation"]
        ).first()
        if organisation is None:
            return invalid({"organisation": _("Organisation inconnue.")})
        try:
            cases.share(assessment, organisation)
        except cases.WorkflowError as error:
            return workflow_error(error)
        return Response(self._payload(assessment), status=status.HTTP_201_CREATED)


class ShareDetail(AssessmentView):
    @extend_schema(
        tags=SHARE_TAGS,
        summary="Withdraw a share: the organisation no longer sees the case",
        responses={204: None, 404: ERROR_404},
    )
    def delete(self, request, pk, case_pk):
        assessment = self.get_assessment(request, pk)
        case = assessment.cases.filter(pk=case_pk, withdrawn_at__isnull=True).first()
        if case is None:
            raise NotFound(_("Partage introuvable."))
        cases.withdraw(case)
        return Response(status=status.HTTP_204_NO_CONTENT)
