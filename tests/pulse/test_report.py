"""The employee pulse in the action plan: the gap shows from the threshold only."""

import pytest

from pulse import survey as pulse
from reports import rendering
from reports.models import Report
from tests.pulse.test_pulse import FIVE
from tests.reports.conftest import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(submitted):
    assessment, _token = submitted
    return Report.objects.create(assessment=assessment, version=1, language="fr")


def answered(report, count: int) -> None:
    invitation, _token = pulse.invite(report.assessment)
    for answers in FIVE[:count]:
        assert not pulse.answer(invitation, answers)


def text_of(report) -> str:
    data, _pages = rendering.render_bytes(report)
    return " ".join(pdf_text(data).replace("\u00a0", " ").split())


def test_plan_shows_no_pulse_below_the_threshold(report):
    answered(report, 4)
    assert pulse.report_section(report.assessment) is None
    assert "Le pouls de vos salariés" not in text_of(report)


def test_plan_shows_the_gap_from_five_answers(report):
    answered(report, 5)
    summary = pulse.report_section(report.assessment)
    assert summary.aggregate.responses == 5 and summary.differences == 5

    text = text_of(report)
    assert "Le pouls de vos salariés" in text
    assert "5 salariés ont répondu" in text
    assert "Usage non officiel" in text
    # pdftotext -layout interleaves the table's columns: short phrases only.
    assert "leur responsable le sache : 2 sur 5." in text
    assert "Formés par l’entreprise : 1 sur 5" in text
