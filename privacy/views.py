"""Pages of the owner's rights: the privacy notice, their data, erasing it.

The owner is recognised like on every diagnostic page: the session that
created or resumed the diagnostic, or its private link (`assessment.access`).
"""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from assessment.access import SESSION_KEY, get_assessment_for_request
from assessment.models import Assessment

from . import erasure, export

ERASED_KEY = "privacy_erased"


def retention_periods() -> dict:
    return {
        "unfinished_days": settings.PRIVACY_UNFINISHED_RETENTION_DAYS,
        "finished_months": settings.PRIVACY_FINISHED_ANONYMISE_MONTHS,
        "access_log_days": settings.PRIVACY_ACCESS_LOG_RETENTION_DAYS,
        "contact_email": settings.PRIVACY_CONTACT_EMAIL,
    }


@require_GET
def policy(request):
    mine = Assessment.objects.filter(pk__in=request.session.get(SESSION_KEY, []))
    context = {**retention_periods(), "assessments": mine.order_by("-created_at")}
    return render(request, "privacy/policy.html", context)


@require_GET
def download(request, pk: int):
    assessment = get_assessment_for_request(request, pk)
    response = HttpResponse(
        export.export_json(erasure.linked(assessment)),
        content_type="application/json; charset=utf-8",
    )
    filename = f"caillou-mes-donnees-{assessment.pk}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "POST"])
def erase(request, pk: int):
    """GET asks for confirmation; POST (with its CSRF token) erases."""
    assessment = get_assessment_for_request(request, pk)
    linked = erasure.linked(assessment)
    if request.method != "POST":
        context = {
            "assessment": assessment,
            "linked": linked,
            "report_count": sum(a.reports.count() for a in linked),
        }
        return render(request, "privacy/erase_confirm.html", context)
    erased = erasure.erase(linked)
    ids = {a.pk for a in linked}
    request.session[SESSION_KEY] = [
        pk for pk in request.session.get(SESSION_KEY, []) if pk not in ids
    ]
    request.session[ERASED_KEY] = [erased.diagnostics, erased.reports]
    return redirect("privacy:erased")


@require_GET
def erased(request):
    counts = request.session.pop(ERASED_KEY, None)
    context = {"diagnostics": counts[0], "reports": counts[1]} if counts else {}
    return render(request, "privacy/erased.html", context)
