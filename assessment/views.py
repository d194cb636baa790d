"""The diagnostic pages: profile, one step per section, resume link, result.

Every page works as plain HTML forms (POST, then redirect); htmx only spares
the reloads. The domain work happens in `answering` and `results`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config import cache_keys, throttling

from . import emails, forms, plausibility
from .access import get_assessment_for_request, remember
from .answering import (
    PROFILE_FIELDS,
    answers_after,
    clean_answers,
    current_questionnaire,
    max_people,
    save_answers,
    start_assessment,
    step_errors,
    stored_answers,
    submit,
)
from .catalogue import load_reader
from .models import DEFAULT_HOURLY_COST, DEFAULT_WORKING_WEEKS, Assessment, Question
from .models import Questionnaire as QuestionnaireModel
from .peers import cached_peer_benchmark
from .presentation import present
from .questionnaire import QuestionnaireSpec, SectionSpec, missing_required, spec_for
from .results import previous_scorecard, result_for
from .stone import CONFIRMED_QUESTION, DESCRIPTION_QUESTION

PROFILE_STEP = "profil"
READING_SEEN = "reading_seen"  # the step showed what was read of the owner's words
NEW_LINK_KEY = "assessment_new_link"  # the token to show once, until displayed


@dataclass(frozen=True)
class Step:
    code: str
    title: str
    number: int
    done: bool


def _questionnaire_or_404() -> QuestionnaireModel:
    try:
        return current_questionnaire()
    except QuestionnaireModel.DoesNotExist:
        raise Http404("no questionnaire loaded") from None


def _steps(spec: QuestionnaireSpec, answers: dict | None) -> list[Step]:
    """The profile, then one step per section; `answers` None: nothing saved yet."""
    steps = [Step(PROFILE_STEP, _("Profil de l’entreprise"), 1, answers is not None)]
    for number, section in enumerate(spec.sections, start=2):
        done = answers is not None and not missing_required(spec, answers, section.code)
        steps.append(Step(section.code, section.title, number, done))
    return steps


def _step_url(assessment: Assessment, code: str) -> str:
    if code == PROFILE_STEP:
        return reverse("assessment:profile", args=[assessment.pk])
    return reverse("assessment:step", args=[assessment.pk, code])


def _next_url(assessment: Assessment) -> str:
    """Where a returning owner picks up: the first step left incomplete."""
    if assessment.is_submitted():
        return reverse("assessment:result", args=[assessment.pk])
    spec = spec_for(assessment.questionnaire)
    answers = stored_answers(assessment)
    for section in spec.sections:
        if missing_required(spec, answers, section.code):
            return _step_url(assessment, section.code)
    return _step_url(assessment, spec.sections[-1].code)


# --- Starting: the profile and the private link -----------------------------------


def start(request):
    _questionnaire_or_404()
    form = forms.ProfileForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        return _start(request, form, previous=None)
    return _render_profile(request, form, assessment=None)


def retake(request, pk):
    """A new diagnostic from a finished one: same profile, answers pre-filled."""
    previous = get_assessment_for_request(request, pk)
    if not previous.is_submitted():
        return redirect(_next_url(previous))
    form = forms.ProfileForm(
        request.POST if request.method == "POST" else None,
        initial=previous.profile(),
    )
    if form.is_valid():
        return _start(request, form, previous=previous)
    return _render_profile(request, form, assessment=None, previous=previous)


def _start(request, form, *, previous: Assessment | None):
    wait = throttling.wait_for(request, "diagnostic_create")
    if wait is not None:  # the form comes back as typed, with the wait to observe
        form.add_error(None, throttling.wait_message(wait))
        response = _render_profile(request, form, assessment=None, previous=previous)
        return throttling.refused(response, wait)
    assessment, token = start_assessment(
        profile=form.profile(), previous=previous, language=get_language() or "fr"
    )
    remember(request, assessment)
    request.session[NEW_LINK_KEY] = [assessment.pk, token]
    return redirect("assessment:link", pk=assessment.pk)


def profile(request, pk):
    """The profile of a diagnostic under way (consent was given at the start)."""
    assessment = get_assessment_for_request(request, pk)
    if assessment.is_submitted():
        return redirect("assessment:result", pk=pk)
    form = forms.ProfileForm(
        request.POST if request.method == "POST" else None,
        instance=assessment,
        ask_consent=False,
    )
    if form.is_valid():
        form.save(commit=False)
        assessment.save(update_fields=[*PROFILE_FIELDS, "updated_at"])
        spec = spec_for(assessment.questionnaire)
        goto = request.POST.get("goto")
        known = {section.code for section in spec.sections} | {PROFILE_STEP}
        target = goto if goto in known else spec.sections[0].code
        return redirect(_step_url(assessment, target))
    return _render_profile(request, form, assessment=assessment)


def _render_profile(request, form, *, assessment, previous=None):
    spec = spec_for(assessment.questionnaire if assessment else _questionnaire_or_404())
    answers = stored_answers(assessment) if assessment else None
    steps = _steps(spec, answers)
    return render(
        request,
        "assessment/profile.html",
        {
            "form": form,
            "assessment": assessment,
            "previous": previous,
            "steps": steps,
            "current": steps[0],
            "total": len(steps),
        },
    )


def _resume_url(request, token: str) -> str:
    return request.build_absolute_uri(reverse("assessment:resume", args=[token]))


def _token_matches(assessment: Assessment, token: str) -> bool:
    return Assessment.objects.with_token(token).filter(pk=assessment.pk).exists()


def link(request, pk):
    """The private resume link, shown once right after it is made."""
    assessment = get_assessment_for_request(request, pk)
    new = request.session.get(NEW_LINK_KEY)
    token = None
    if new and new[0] == assessment.pk:
        token = new[1]
        del request.session[NEW_LINK_KEY]
    form = forms.EmailLinkForm(
        initial={"email": assessment.respondent_email, "token": token}
    )
    return _render_link(request, assessment, form, token)


def _render_link(request, assessment, form, token):
    context = {
        "assessment": assessment,
        "form": form,
        "resume_url": _resume_url(request, token) if token else None,
        "next_url": _next_url(assessment),
    }
    return render(request, "assessment/link.html", context)


@require_POST
def email_link(request, pk):
    assessment = get_assessment_for_request(request, pk)
    form = forms.EmailLinkForm(request.POST)
    token = request.POST.get("token", "")
    if not _token_matches(assessment, token):
        # A link replaced since: the page must not e-mail a dead link.
        messages.error(request, _("Ce lien a été remplacé : demandez-en un nouveau."))
        return redirect("assessment:link", pk=pk)
    if form.is_valid():
        wait = throttling.wait_for(request, "resume_email")
        if wait is not None:
            form.add_error(None, throttling.wait_message(wait))
            response = _render_link(request, assessment, form, token)
            return throttling.refused(response, wait)
        url = _resume_url(request, token)
        email = form.cleaned_data["email"]
        if emails.send_resume_link(assessment, url=url, to=email):
            messages.success(
                request, _("Le lien a été envoyé à %(email)s.") % {"email": email}
            )
            return redirect(_next_url(assessment))
        form.add_error(
            None,
            _(
                "L’e-mail n’a pas pu partir. Copiez le lien ci-dessus et réessayez plus tard."
            ),
        )
    return _render_link(request, assessment, form, token)


@require_POST
def new_link(request, pk):
    """Replace a lost link: the old one stops working."""
    assessment = get_assessment_for_request(request, pk)
    token = assessment.set_new_token()
    assessment.save(update_fields=["token_hash", "updated_at"])
    request.session[NEW_LINK_KEY] = [assessment.pk, token]
    return redirect("assessment:link", pk=pk)


def resume(request, token):
    assessment = Assessment.objects.with_token(token).first()
    if assessment is None:
        return render(request, "assessment/link_invalid.html", status=404)
    remember(request, assessment)
    return redirect(_next_url(assessment))


# --- The questionnaire steps ----------------------------------------------------


def _section_or_404(spec: QuestionnaireSpec, code: str) -> SectionSpec:
    section = spec.section(code)
    if section is None:
        raise Http404("no such step")
    return section


def step(request, pk, section):
    assessment = get_assessment_for_request(request, pk)
    if assessment.is_submitted():
        return redirect("assessment:result", pk=pk)
    spec = spec_for(assessment.questionnaire)
    current = _section_or_404(spec, section)
    if request.method == "POST":
        return _save_step(request, assessment, spec, current)
    return _render_step(
        request, assessment, spec, current, stored_answers(assessment), cacheable=True
    )


@require_POST
def step_fields(request, pk, section):
    """The questions of a step for the answers being typed (htmx; saves nothing)."""
    assessment = get_assessment_for_request(request, pk)
    spec = spec_for(assessment.questionnaire)
    current = _section_or_404(spec, section)
    stored = stored_answers(assessment)
    answers = {**stored, **forms.raw_answers(request.POST, current, stored)}
    context = {
        "fields": forms.question_fields(current, answers),
        "controlling": forms.controlling_codes(spec),
        "assessment": assessment,
        "section": current,
        **_reading_context(current, answers),
    }
    return render(request, "assessment/_questions.html", context)


@require_POST
def stone_reading(request, pk, section):
    """What is read of the owner's words as they type (htmx; saves nothing)."""
    assessment = get_assessment_for_request(request, pk)
    spec = spec_for(assessment.questionnaire)
    current = _section_or_404(spec, section)
    if CONFIRMED_QUESTION not in _codes(current):
        raise Http404("no reading on this step")
    answers = {
        DESCRIPTION_QUESTION: request.POST.get(DESCRIPTION_QUESTION, "")[:2000],
        CONFIRMED_QUESTION: request.POST.get(CONFIRMED_QUESTION, ""),
    }
    context = {"field": _confirm_field(current, answers), **_reading_context(
        current, answers)}  # fmt: skip
    return render(request, "assessment/_stone_reading.html", context)


def _codes(section: SectionSpec) -> set[str]:
    return {q.code for q in section.questions}


def _confirm_field(section: SectionSpec, answers: dict):
    question = next(q for q in section.questions if q.code == CONFIRMED_QUESTION)
    return forms.QuestionField(question, answers.get(CONFIRMED_QUESTION) or None)


def _reading_context(section: SectionSpec, answers: dict) -> dict:
    """The reading of the stone description, on the step that asks to confirm it."""
    if CONFIRMED_QUESTION not in _codes(section):
        return {}
    text = answers.get(DESCRIPTION_QUESTION) or ""
    reading = SimpleLazyObject(lambda: load_reader().read(text))
    return {"reads_stone": True, "reading": reading, "reading_text": text.strip()}


def _reading_unseen(request, section: SectionSpec, answers: dict) -> bool:
    """Without JavaScript, the owner sees what was read once before moving on."""
    return (
        CONFIRMED_QUESTION in _codes(section)
        and bool(answers.get(DESCRIPTION_QUESTION))
        and not answers.get(CONFIRMED_QUESTION)
        and READING_SEEN not in request.POST
    )


def _target(request, spec: QuestionnaireSpec, section: SectionSpec) -> str | None:
    """The step asked for by « Précédent » or the step list, if any."""
    codes = [PROFILE_STEP] + [s.code for s in spec.sections]
    goto = request.POST.get("goto")
    if goto in codes:
        return goto
    if "previous" in request.POST:
        return codes[codes.index(section.code) - 1]
    return None


def _save_step(request, assessment, spec, section):
    stored = stored_answers(assessment)
    raw = forms.raw_answers(request.POST, section, stored)
    target = _target(request, spec, section)
    if target:  # going back keeps what is valid and drops the rest
        values, errors = clean_answers(spec, raw)
        errors |= plausibility.errors(
            answers_after(spec, stored, raw),
            max_people=max_people(assessment), checked=values,
        )  # fmt: skip
        save_answers(assessment, {c: v for c, v in raw.items() if c not in errors})
        return redirect(_step_url(assessment, target))
    errors = step_errors(
        spec, section.code, stored, raw, max_people=max_people(assessment)
    )
    if errors:  # nothing of the step is saved, what was typed is shown again
        answers = {**stored, **raw}
        return _render_step(request, assessment, spec, section, answers, errors)
    save_answers(assessment, raw)
    saved = answers_after(spec, stored, raw)
    if missing_required(spec, saved, section.code):
        # The answers revealed conditional questions: ask them on the same step.
        notice = _(
            "Vos réponses appellent d’autres questions, ci-dessous : complétez-les pour continuer."
        )
        return _render_step(request, assessment, spec, section, saved, notice=notice)
    if _reading_unseen(request, section, saved):
        notice = _(
            "Voici ce que nous comprenons de vos mots, ci-dessous : confirmez-le ou "
            "choisissez une autre tâche, puis continuez."
        )
        return _render_step(request, assessment, spec, section, saved, notice=notice)
    return _advance(request, assessment, spec, section)


def _advance(request, assessment, spec, section):
    codes = [s.code for s in spec.sections]
    index = codes.index(section.code)
    if index + 1 < len(codes):
        return redirect(_step_url(assessment, codes[index + 1]))
    missing = submit(assessment)
    if missing:
        first = spec.by_code[next(iter(missing))].section
        title = spec.section(first).title
        messages.error(
            request,
            _("Il reste des questions sans réponse dans l’étape « %(step)s ».")
            % {"step": title},
        )
        return redirect(_step_url(assessment, first))
    return redirect("assessment:result", pk=assessment.pk)


def _render_step(
    request, assessment, spec, section, answers, errors=None, notice="", cacheable=False
):
    """The step page; `cacheable` when it shows the saved answers, unchanged."""
    steps = _steps(spec, answers if cacheable else stored_answers(assessment))
    current = next(s for s in steps if s.code == section.code)
    cacheable = cacheable and not notice
    if cacheable:
        # Lazy: worked out only when the template's cached questions are stale.
        fields = SimpleLazyObject(lambda: forms.question_fields(section, answers))
        shown_errors = []
    else:
        fields = forms.question_fields(section, answers, errors)
        shown_errors = [f for f in fields if f.error]
    context = {
        "assessment": assessment,
        "section": section,
        "fields": fields,
        "errors": shown_errors,
        "notice": notice,
        "controlling": forms.controlling_codes(spec),
        "steps": steps,
        "current": current,
        "total": len(steps),
        "is_last": current.number == len(steps),
        "cache_key": cache_keys.diagnostic_state(
            assessment, section.code, language=get_language()
        )
        if cacheable
        else "",
        **_reading_context(section, answers),
    }
    return render(request, "assessment/step.html", context)


# --- The result ---------------------------------------------------------------


def result(request, pk):
    assessment = get_assessment_for_request(request, pk)
    if not assessment.is_submitted():
        return redirect(_next_url(assessment))
    form = forms.HourlyCostForm(initial={"hourly_cost": _plain(assessment.hourly_cost)})
    return _render_result(request, assessment, form)


@require_POST
def hourly_cost(request, pk):
    assessment = get_assessment_for_request(request, pk)
    form = forms.HourlyCostForm(request.POST)
    if not assessment.is_submitted():
        return redirect(_next_url(assessment))
    if form.is_valid():
        assessment.hourly_cost = form.cleaned_data["hourly_cost"]
        assessment.save(update_fields=["hourly_cost", "updated_at"])
        return redirect(reverse("assessment:result", args=[pk]) + "#caillou")
    return _render_result(request, assessment, form)


def _plain(amount: Decimal) -> Decimal:
    """35 rather than 35.00 in the form."""
    return amount.quantize(Decimal(1)) if amount == amount.to_integral() else amount


def _render_result(request, assessment, form):
    shown = present(result_for(assessment), previous=previous_scorecard(assessment))
    state = cache_keys.result_state(
        assessment, language=get_language(), version=cache_keys.catalogue_version()
    )
    context = {
        **shown.context(),
        "assessment": assessment,
        "cost_form": form,
        "default_hourly_cost": DEFAULT_HOURLY_COST,
        "default_working_weeks": DEFAULT_WORKING_WEEKS,
        "result_actions": settings.ASSESSMENT_RESULT_ACTIONS,
        "benchmark": cached_peer_benchmark(assessment),
        "state_key": state,
    }
    return render(request, "assessment/result.html", context)


# --- The printable questionnaire -------------------------------------------------


def preview(request):
    """Every question of the current questionnaire, to read or print beforehand."""
    spec = spec_for(_questionnaire_or_404())
    sections = [
        (
            section,
            [
                {
                    "question": q,
                    "kind": Question.Kind(q.kind).label,
                    "hint": forms.question_hint(q),
                    "condition": forms.condition_text(spec, q),
                }
                for q in section.questions
            ],
        )
        for section in spec.sections
    ]
    profile_fields = [field.label for field in forms.ProfileForm()]
    context = {"spec": spec, "sections": sections, "profile_fields": profile_fields}
    return render(request, "assessment/preview.html", context)
