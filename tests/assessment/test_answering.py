import pytest

from assessment.answering import (
    AssessmentClosed,
    save_answers,
    start_assessment,
    submit,
)
from assessment.models import Answer, Assessment, hash_token

from . import personas

pytestmark = pytest.mark.django_db


def test_the_token_is_returned_once_and_stored_hashed(profile):
    assessment, token = start_assessment(profile=profile)
    assert len(token) >= 40
    assert assessment.token_hash == hash_token(token) != token
    assert Assessment.objects.with_token(token).get() == assessment
    assert assessment.consent_at and assessment.consent_version


def test_a_bad_answer_saves_nothing_and_keeps_what_was_saved(profile):
    assessment, _ = start_assessment(profile=profile)
    assert save_answers(assessment, {"cyber.mfa": "all"}) == {}
    errors = save_answers(assessment, {"cyber.mfa": "some", "cyber.backups": "weekly"})
    assert set(errors) == {"cyber.backups"}
    assert Answer.objects.get(assessment=assessment).value == "all"


def test_unknown_question_codes_are_errors(profile):
    assessment, _ = start_assessment(profile=profile)
    assert "nope" in save_answers(assessment, {"nope": "x"})


def test_an_empty_value_clears_an_answer(profile):
    assessment, _ = start_assessment(profile=profile)
    save_answers(assessment, {"company.activity": "Conseil"})
    save_answers(assessment, {"company.activity": ""})
    assert not assessment.answers.exists()


def test_submit_lists_what_is_missing_then_closes(profile):
    assessment, _ = start_assessment(profile=profile)
    missing = submit(assessment)
    assert "stone.sinks" in missing and "cyber.mfa" in missing
    assert save_answers(assessment, personas.ACCOUNTING_FIRM["answers"]) == {}
    assert submit(assessment) == {}
    assessment.refresh_from_db()
    assert assessment.is_submitted() and assessment.submitted_at
    with pytest.raises(AssessmentClosed):
        save_answers(assessment, {"cyber.mfa": "none"})


def test_a_reassessment_starts_from_the_previous_answers(profile):
    first, _ = start_assessment(profile=profile)
    save_answers(first, personas.VINEYARD["answers"])
    second, token = start_assessment(profile=profile, previous=first)
    assert second.previous == first and token
    copied = dict(second.answers.values_list("question__code", "value"))
    assert copied == dict(first.answers.values_list("question__code", "value"))
