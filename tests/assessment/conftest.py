"""Fixtures shared by the diagnostic tests: the real seeds, a profile, assessments."""

import pytest

from assessment import catalogue
from assessment.answering import save_answers, start_assessment, submit
from assessment.questionnaire import spec_for
from catalog.models import Department, Sector, SizeBand


@pytest.fixture
def questionnaire(seeded):
    """The questionnaire and catalogue from seeds/, as a fresh install has them."""
    from assessment.models import Questionnaire

    return Questionnaire.objects.current()


@pytest.fixture
def real_spec(questionnaire):
    return spec_for(questionnaire)


@pytest.fixture
def real_catalogue(questionnaire):
    return catalogue.read_catalogue()


@pytest.fixture
def profile(questionnaire):
    """A valid company profile, as `start_assessment` takes it."""
    return {
        "company_name": "Cabinet Durand",
        "siren": "732829320",
        "sector": Sector.objects.get(slug="finance"),
        "size_band": SizeBand.objects.get(code="small"),
        "department": Department.objects.get(code="31"),
        "revenue_band": "500k-2m",
        "respondent_name": "Claire Durand",
        "respondent_email": "claire@example.fr",
        "respondent_role": "Gérante",
    }


@pytest.fixture
def make_assessment(profile):
    """Build a diagnostic: `make_assessment(answers=..., submitted=True)`.

    Returns (assessment, token). Answers are saved through the domain code, so
    invalid ones fail the test loudly.
    """

    def make(*, answers=None, submitted=False, previous=None, **overrides):
        assessment, token = start_assessment(
            profile={**profile, **overrides}, previous=previous
        )
        if answers:
            errors = save_answers(assessment, answers)
            assert not errors, errors
        if submitted:
            errors = submit(assessment)
            assert not errors, errors
            assessment.refresh_from_db()
        return assessment, token

    return make
