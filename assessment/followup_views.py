"""« Suivi de mon plan »: the owner ticks the roadmap's actions, opts in to
reminders, and stops them from an e-mail without signing in.

Plain forms (POST, then redirect); with htmx a tick swaps its own action in
place. The rules live in `followup`.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import followup
from .access import get_assessment_for_request
from .forms import ProgressForm, RemindersForm
from .models import Assessment


def _page_url(assessment: Assessment, anchor: str = "") -> str:
    return reverse("assessment:followup", args=[assessment.pk]) + anchor


def _submitted_or_none(request, pk):
    assessment = get_assessment_for_request(request, pk)
    return assessment if assessment.is_submitted() else None


def followup_page(request, pk):
    assessment = _submitted_or_none(request, pk)
    if assessment is None:
        return redirect("assessment:result", pk=pk)  # which sends on to the steps
    return _render_page(request, assessment)


def _render_page(request, assessment, *, failed=None, reminders_form=None, status=200):
    """The page; `failed`: (action key, its form with errors) to show again."""
    today = timezone.localdate()
    rows = followup.tracked(assessment, today)
    plan = followup.ensure(assessment)
    phases = []
    for row in rows:
        if not phases or phases[-1][0] is not row.phase:
            phases.append((row.phase, []))
        form = failed[1] if failed and failed[0] == row.key else _form_of(row)
        phases[-1][1].append((row, form))
    context = {
        "assessment": assessment,
        "phases": phases,
        "counts": followup.counts(rows),
        "followup": plan,
        "reminders_form": reminders_form
        or RemindersForm(initial={"email": assessment.respondent_email}),
        "today": today,
    }
    return render(request, "assessment/followup.html", context, status=status)


def _form_of(row: followup.Tracked) -> ProgressForm:
    return ProgressForm(
        initial={"status": row.status, "on": row.on},
        prefix=row.key,
        today=timezone.localdate(),
    )


@require_POST
def tick(request, pk, action):
    """One action started, done, dropped or back to do; htmx swaps it alone."""
    assessment = _submitted_or_none(request, pk)
    if assessment is None:
        return redirect("assessment:result", pk=pk)
    form = ProgressForm(request.POST, prefix=action, today=timezone.localdate())
    if form.is_valid():
        try:
            followup.record(
                assessment, action=action, status=form.cleaned_data["status"],
                on=form.cleaned_data["on"],
            )  # fmt: skip
        except followup.ProgressError as error:
            for field, message in error.errors.items():
                form.add_error(field if field in form.fields else None, message)
    if form.errors:
        if action not in {row.key for row in followup.tracked(assessment)}:
            messages.error(request, _("Cette action n’est pas dans votre plan."))
            return redirect(_page_url(assessment))
        if request.htmx:
            return _render_action(request, assessment, action, form, status=400)
        return _render_page(request, assessment, failed=(action, form), status=400)
    if request.htmx:
        return _render_action(request, assessment, action, None, saved=True)
    messages.success(request, _("C’est enregistré."))
    return redirect(_page_url(assessment, f"#action-{action}"))


def _render_action(request, assessment, action, form, *, status=200, saved=False):
    row = next(r for r in followup.tracked(assessment) if r.key == action)
    context = {
        "assessment": assessment,
        "row": row,
        "form": form or _form_of(row),
        "saved": saved,
    }
    return render(request, "assessment/_followup_action.html", context, status=status)


@require_POST
def reminders(request, pk):
    """Opt in to reminders (an address and a ticked box), or stop them."""
    assessment = _submitted_or_none(request, pk)
    if assessment is None:
        return redirect("assessment:result", pk=pk)
    if "stop" in request.POST:
        followup.stop_reminders(followup.ensure(assessment))
        messages.success(request, _("Les rappels sont arrêtés."))
        return redirect(_page_url(assessment, "#rappels"))
    form = RemindersForm(request.POST)
    if not form.is_valid():
        return _render_page(request, assessment, reminders_form=form, status=400)
    found = followup.agree_to_reminders(
        assessment,
        email=form.cleaned_data["email"],
        site_url=request.build_absolute_uri("/"),
    )
    messages.success(
        request,
        _("Rappels activés : au plus un e-mail par semaine à %(email)s.")
        % {"email": found.reminder_email},
    )
    return redirect(_page_url(assessment, "#rappels"))


@csrf_exempt  # the signed token is the credential; mail clients POST it (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """Stop the reminders from the link of an e-mail, without signing in.

    GET asks for confirmation (link scanners open links); POST stops them.
    """
    found = followup.from_unsubscribe_token(token)
    if found is None:
        return render(request, "assessment/unsubscribe.html", {"invalid": True},
                      status=404)  # fmt: skip
    if request.method == "POST":
        followup.stop_reminders(found)
    context = {"followup": found, "stopped": found.reminders_stopped_at is not None}
    return render(request, "assessment/unsubscribe.html", context)
