"""Pages of the PDF action plans: ask, follow, download, retry (owner's session).

A PDF leaves only through `pdf_response`, after the caller checked access: no
URL serves the storage folder, in any mode.
"""

import logging

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessment.access import get_assessment_for_request

from . import asking
from .models import Report

logger = logging.getLogger("caillou.reports")


def _get_report_for_request(request, assessment_id: int, pk: int) -> Report:
    assessment = get_assessment_for_request(request, assessment_id)
    return get_object_or_404(Report, pk=pk, assessment=assessment)


@require_GET
def report_list(request, assessment_id: int):
    assessment = get_assessment_for_request(request, assessment_id)
    return render(request, "reports/report_list.html", {"assessment": assessment})


@require_POST
def request_report(request, assessment_id: int):
    assessment = get_assessment_for_request(request, assessment_id)
    try:
        report = asking.request_report(
            assessment, language=request.LANGUAGE_CODE, user=_user(request)
        )
    except asking.NotSubmitted:
        messages.error(request, _("Terminez d’abord le diagnostic."))
        return redirect("reports:list", assessment_id)
    messages.info(
        request,
        _("Demande enregistrée : votre plan (version %(v)d) est en file d’attente.")
        % {"v": report.version},
    )
    if request.htmx:
        return render(
            request, "reports/_report_actions.html", {"assessment": assessment}
        )
    return redirect("reports:list", assessment_id)


@require_GET
def report_status(request, assessment_id: int, pk: int):
    """The status of one version: polled by htmx while it is being made."""
    report = _get_report_for_request(request, assessment_id, pk)
    if not request.htmx:
        return redirect("reports:list", assessment_id)
    return render(request, "reports/_report_status.html", {"report": report})


@require_GET
def download(request, assessment_id: int, pk: int):
    report = _get_report_for_request(request, assessment_id, pk)
    return pdf_response(report, by="owner")


@require_POST
def retry(request, assessment_id: int, pk: int):
    report = _get_report_for_request(request, assessment_id, pk)
    if asking.retry_report(report):
        messages.info(request, _("Le plan est de nouveau en file d’attente."))
    if request.htmx:
        return render(request, "reports/_report_status.html", {"report": report})
    return redirect("reports:list", assessment_id)


def pdf_response(report: Report, *, by: str) -> FileResponse:
    """The PDF as a streamed download, read through the storage API, and a log
    line saying who (`by`) took it; 404 while it is not ready."""
    if report.status != Report.Status.READY or not report.file:
        raise Http404("this report has no PDF yet")
    try:
        data = report.file.open("rb")
    except FileNotFoundError:  # lost from storage: ask for a new version
        raise Http404("this report's file is missing") from None
    logger.info(
        "plan %s (diagnostic %s, v%s) downloaded by %s",
        report.pk, report.assessment_id, report.version, by,
    )  # fmt: skip
    return FileResponse(
        data,
        as_attachment=True,
        filename=report.download_name,
        content_type="application/pdf",
    )


def _user(request):
    return request.user if request.user.is_authenticated else None
