"""Creating diagnostics, recording answers and submitting: shared by web and API."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from . import followup, plausibility, results
from .models import (
    CONSENT_VERSION,
    PROFILE_FIELDS,
    Answer,
    Assessment,
    Question,
    Questionnaire,
)
from .questionnaire import (
    AnswerError,
    QuestionnaireSpec,
    clean_answer,
    missing_required,
    spec_for,
)


class AssessmentClosed(Exception):
    """A submitted diagnostic keeps its answers: start a new one to change them."""


def current_questionnaire() -> Questionnaire:
    questionnaire = Questionnaire.objects.current()
    if questionnaire is None:
        raise Questionnaire.DoesNotExist("no questionnaire loaded: run load_seeds")
    return questionnaire


@transaction.atomic
def start_assessment(
    *, profile: dict, previous: Assessment | None = None, language: str = "fr"
) -> tuple[Assessment, str]:
    """Create a diagnostic with consent given now; return it and its private token.

    A re-assessment copies the previous answers whose questions still exist.
    """
    assessment = Assessment(
        questionnaire=current_questionnaire(),
        previous=previous,
        language=language,
        consent_at=timezone.now(),
        consent_version=CONSENT_VERSION,
        **{name: profile[name] for name in PROFILE_FIELDS if name in profile},
    )
    token = assessment.set_new_token()
    assessment.save()
    if previous is not None:
        _copy_answers(previous, assessment)
    return assessment, token


def _copy_answers(source: Assessment, target: Assessment) -> None:
    questions = {
        q.code: q for q in Question.objects.filter(questionnaire=target.questionnaire)
    }
    Answer.objects.bulk_create(
        Answer(assessment=target, question=questions[code], value=value)
        for code, value in source.answers.values_list("question__code", "value")
        if code in questions
    )


def max_people(assessment: Assessment) -> int | None:
    """The most people the company can put on a task: its size band's ceiling."""
    band = assessment.size_band
    return band.max_employees if band else None


def stored_answers(assessment: Assessment) -> dict:
    return dict(assessment.answers.values_list("question__code", "value"))


def clean_answers(spec: QuestionnaireSpec, raw: dict) -> tuple[dict, dict[str, str]]:
    """Validate raw answers keyed by question code; return (clean values, errors)."""
    values, errors = {}, {}
    for code, value in raw.items():
        question = spec.by_code.get(code)
        if question is None:
            errors[code] = _("Question inconnue : « %(code)s ».") % {"code": code}
            continue
        try:
            values[code] = clean_answer(question, value)
        except AnswerError as exc:
            errors[code] = str(exc)
    return values, errors


@transaction.atomic
def save_answers(assessment: Assessment, raw: dict) -> dict[str, str]:
    """Store the answers if all are valid, else store nothing and return the errors.

    A None or empty value clears an answer. Answers to questions that a condition
    now hides are kept, so that going back restores them, but are not scored.
    """
    if assessment.is_submitted():
        raise AssessmentClosed
    spec = spec_for(assessment.questionnaire)
    values, errors = clean_answers(spec, raw)
    if not errors:
        after = {**stored_answers(assessment), **values}
        errors = plausibility.errors(
            after, max_people=max_people(assessment), checked=values
        )
    if errors:
        return errors
    ids = dict(
        Question.objects.filter(
            questionnaire=assessment.questionnaire, code__in=values
        ).values_list("code", "id")
    )
    existing = {
        answer.question_id: answer
        for answer in Answer.objects.filter(
            assessment=assessment, question_id__in=[ids[code] for code in values]
        )
    }
    cleared, changed, created = [], [], []
    for code, value in values.items():
        answer = existing.get(ids[code])
        if value is None:
            cleared.extend([answer.pk] if answer else [])
        elif answer is None:
            created.append(
                Answer(assessment=assessment, question_id=ids[code], value=value)
            )
        elif answer.value != value:
            answer.value = value
            changed.append(answer)
    if cleared:
        Answer.objects.filter(pk__in=cleared).delete()
    Answer.objects.bulk_create(created)
    Answer.objects.bulk_update(changed, ["value"])
    Assessment.objects.filter(pk=assessment.pk).update(updated_at=timezone.now())
    return {}


def answers_after(spec: QuestionnaireSpec, stored: dict, raw: dict) -> dict:
    """The answers as they stand once the valid ones of `raw` are saved."""
    values, _errors = clean_answers(spec, raw)
    return {code: v for code, v in {**stored, **values}.items() if v is not None}


def step_errors(
    spec: QuestionnaireSpec, section: str, stored: dict, raw: dict,
    max_people: int | None = None,
):  # fmt: skip
    """Invalid or implausible answers, and required questions sent back empty."""
    values, errors = clean_answers(spec, raw)
    after = answers_after(spec, stored, raw)
    implausible = plausibility.errors(after, max_people=max_people, checked=values)
    errors = {**implausible, **errors}
    for code in missing_required(spec, answers_after(spec, stored, raw), section):
        if code in raw and code not in errors:
            errors[code] = _("Cette question est obligatoire.")
    return errors


def missing_in(assessment: Assessment, section: str | None = None) -> dict[str, str]:
    """Required questions still unanswered (in one section, or in all)."""
    spec = spec_for(assessment.questionnaire)
    codes = missing_required(spec, stored_answers(assessment), section)
    return {code: _("Cette question est obligatoire.") for code in codes}


def submit(assessment: Assessment) -> dict[str, str]:
    """Close the diagnostic if every visible required question is answered."""
    if assessment.is_submitted():
        return {}
    missing = missing_in(assessment)
    if not missing:
        with transaction.atomic():
            assessment.mark_submitted()
            result = results.compute_result(assessment)
            results.record_outcome(assessment, result=result)
            followup.refresh(assessment, result.roadmap)
            for hook in settings.ASSESSMENT_ON_SUBMIT:
                import_string(hook)(assessment)
    return missing
