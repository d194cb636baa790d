"""The advisor's pages: the queue, a case and its work, the plans.

Every case is looked up through `access.case_for`, so a case of another
organisation answers 404 like one that does not exist. The work itself is
done by `cases`; the views read forms and redirect.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessment import explanations, followup
from assessment.presentation import present
from assessment.questionnaire import spec_for
from reports import asking
from reports.models import Report
from reports.views import pdf_response

from . import cases, forms, queue
from .access import advisor_required, case_for
from .models import AccessLog, Adjustment, Case


@advisor_required
def queue_page(request):
    organisation = request.membership.organisation
    found = queue.read(request.GET, organisation=organisation, user=request.user)
    form = found.filterset.form
    chosen = found.filterset.data
    # Each list read once, as a model's choices query each time they are read;
    # a comprehension, as list() would first ask for their length (a COUNT).
    choices = {
        name: [choice for choice in field.choices]
        for name, field in form.fields.items()
        if hasattr(field, "choices")
    }
    options = {name: _options(c, chosen.get(name, "")) for name, c in choices.items()}
    options["per_page"] = _options(
        [(str(n), str(n)) for n in queue.PER_PAGE_CHOICES],
        str(found.page.paginator.per_page),
    )
    stones = {str(slug): name for slug, name in choices["stone"] if slug}
    for case in found.page.object_list:
        outcome = getattr(case.assessment, "outcome", None)
        case.stone_name = stones.get(outcome.stone_category, "") if outcome else ""
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "organisation": organisation,
        "queue": found,
        "chosen": chosen,
        "page": found.page,
        "query": query.urlencode(),
        "options": options,
        "today": timezone.localdate(),  # « en retard »: a plan's action overdue
    }
    return render(request, "advisors/queue.html", context)


def _options(choices, selected: str):
    """A list's <option>s, joined here: a template loop costs far more."""
    return format_html_join(
        "",
        "<option value=\"{}\"{}>{}</option>",
        ((value, " selected" if str(value) == selected else "", label)
         for value, label in choices),
    )  # fmt: skip


def _case_context(request, case: Case, **forms_in_error) -> dict:
    assessment = case.assessment
    shown = present(cases.result_for_case(case), radar_id="case-radar")
    kinds = Adjustment.Kind
    organisation = case.organisation
    rows = list(case.adjustments.select_related("author"))
    for row in rows:
        item = shown.catalogue.find(row.item_kind, row.item_slug)
        row.item_name = item.name if item else row.item_slug
    progress = followup.tracked(assessment)
    return {
        **shown.context(),
        "case": case,
        "assessment": assessment,
        "answer_sections": explanations.answer_rows(
            spec_for(assessment.questionnaire), shown.result.answers
        ),
        "hidden": [a for a in rows if a.kind == kinds.HIDE],
        "added": [a for a in rows if a.kind == kinds.ADD],
        "advice": [a for a in rows if a.kind == kinds.ADVICE],
        "notes": case.notes.select_related("author"),
        "history": case.history.select_related("by"),
        "accesses": case.accesses.all()[:20],
        "reports": cases.reports_of(case),
        "next_statuses": [
            (code, Case.Status(code).label)
            for code in cases.NEXT_STATUSES.get(case.status, ())
        ],
        "note_form": forms_in_error.get("note_form") or forms.NoteForm(),
        "assign_form": forms_in_error.get("assign_form")
        or forms.AssignForm(
            organisation=organisation, initial={"assignee": case.assignee_id}
        ),
        "add_form": forms_in_error.get("add_form") or forms.AddItemForm(),
        "advice_form": forms_in_error.get("advice_form") or forms.AdviceForm(),
        "hide_error": forms_in_error.get("hide_error", ""),
        "progress": progress,
        "progress_counts": followup.counts(progress),
    }


@advisor_required
def case_page(request, pk):
    case = case_for(request.membership, pk)
    cases.record_access(case, request.user, AccessLog.Action.VIEW)
    return render(request, "advisors/case.html", _case_context(request, case))


# The part of the case page each action changes: htmx swaps it in place; without
# JavaScript the browser goes back to the whole page, at that part.
SECTIONS = {
    "#suivi": "advisors/_case_followup.html",
    "#plan": "advisors/_case_plan.html",
    "#plans": "advisors/_case_reports.html",
    "#notes": "advisors/_case_notes.html",
}


def _back(request, case, anchor):
    if request.htmx:
        return render(request, SECTIONS[anchor], _case_context(request, case))
    return redirect(reverse("advisors:case", args=[case.pk]) + anchor)


def _invalid(request, case, anchor, **forms_in_error):
    messages.error(request, _("Corrigez le formulaire signalé ci-dessous."))
    template = SECTIONS[anchor] if request.htmx else "advisors/case.html"
    context = _case_context(request, case, **forms_in_error)
    return render(request, template, context, status=400)


@advisor_required
@require_POST
def add_note(request, pk):
    case = case_for(request.membership, pk)
    form = forms.NoteForm(request.POST)
    if not form.is_valid():
        return _invalid(request, case, "#notes", note_form=form)
    try:
        cases.add_note(case, request.user, form.cleaned_data["text"])
    except cases.WorkflowError as error:
        form.add_error("text", str(error))
        return _invalid(request, case, "#notes", note_form=form)
    messages.success(request, _("Note ajoutée."))
    return _back(request, case, "#notes")


@advisor_required
@require_POST
def change_status(request, pk):
    case = case_for(request.membership, pk)
    form = forms.StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("État inconnu."))
        return _back(request, case, "#suivi")
    try:
        cases.change_status(case, form.cleaned_data["status"], request.user)
    except cases.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Dossier passé à « %(status)s ».") % {
                "status": case.get_status_display()
            },
        )  # fmt: skip
    return _back(request, case, "#suivi")


@advisor_required
@require_POST
def assign(request, pk):
    case = case_for(request.membership, pk)
    form = forms.AssignForm(request.POST, organisation=case.organisation)
    if not form.is_valid():
        return _invalid(request, case, "#suivi", assign_form=form)
    cases.assign(case, form.cleaned_data["assignee"])
    messages.success(request, _("Attribution enregistrée."))
    return _back(request, case, "#suivi")


@advisor_required
@require_POST
def hide(request, pk):
    case = case_for(request.membership, pk)
    form = forms.HideForm(request.POST)
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        return _invalid(request, case, "#plan", hide_error=first)
    data = form.cleaned_data
    cases.hide(case, request.user, data["item_kind"], data["item_slug"], data["reason"])
    messages.success(request, _("Recommandation retirée du plan."))
    return _back(request, case, "#plan")


@advisor_required
@require_POST
def add_item(request, pk):
    case = case_for(request.membership, pk)
    form = forms.AddItemForm(request.POST)
    if not form.is_valid():
        return _invalid(request, case, "#plan", add_form=form)
    kind, slug = form.cleaned_data["item"]
    try:
        cases.add_item(case, request.user, kind, slug, form.cleaned_data["note"])
    except cases.WorkflowError as error:
        form.add_error("item", str(error))
        return _invalid(request, case, "#plan", add_form=form)
    messages.success(request, _("Élément ajouté au plan."))
    return _back(request, case, "#plan")


@advisor_required
@require_POST
def add_advice(request, pk):
    case = case_for(request.membership, pk)
    form = forms.AdviceForm(request.POST)
    if not form.is_valid():
        return _invalid(request, case, "#plan", advice_form=form)
    cases.add_advice(case, request.user, form.cleaned_data["text"])
    messages.success(request, _("Conseil ajouté au plan."))
    return _back(request, case, "#plan")


@advisor_required
@require_POST
def remove_adjustment(request, pk, adjustment_id):
    case = case_for(request.membership, pk)
    if not cases.remove_adjustment(case, adjustment_id):
        raise Http404
    messages.success(request, _("Ajustement annulé."))
    return _back(request, case, "#plan")


@advisor_required
@require_POST
def regenerate(request, pk):
    case = case_for(request.membership, pk)
    report = cases.regenerate(case, request.user)
    if report.status == Report.Status.READY:
        # Made of the same answers, adjustments, catalogue and layout: no new PDF.
        message = _("La version %(version)s du plan est déjà à jour : rien n’a changé.")
    else:
        message = _(
            "La version %(version)s du plan est demandée : elle sera prête dans un instant."
        )
    messages.success(request, message % {"version": report.version})
    return _back(request, case, "#plans")


def _report_of(case: Case, report_pk: int) -> Report:
    report = cases.reports_of(case).filter(pk=report_pk).first()
    if report is None:
        raise Http404
    return report


@advisor_required
def report_status(request, pk, report_pk):
    case = case_for(request.membership, pk)
    report = _report_of(case, report_pk)
    return render(request, "advisors/_report.html", {"case": case, "report": report})


@advisor_required
@require_POST
def retry_report(request, pk, report_pk):
    case = case_for(request.membership, pk)
    report = _report_of(case, report_pk)
    if asking.retry_report(report):
        messages.info(request, _("Le plan est de nouveau en file d’attente."))
    if request.htmx:
        return render(
            request, "advisors/_report.html", {"case": case, "report": report}
        )
    return _back(request, case, "#plans")


@advisor_required
def download(request, pk, report_pk):
    case = case_for(request.membership, pk)
    response = pdf_response(
        _report_of(case, report_pk), by=f"advisor {request.user.pk}"
    )
    cases.record_access(case, request.user, AccessLog.Action.DOWNLOAD)
    return response
