"""Generated cases read like real ones: the same score everywhere, plans that render.

Generated diagnostics answer the whole questionnaire and their queue score is
worked out from those answers, so the case page, the queue and the plan agree.
"""

import random

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisors import cases
from advisors.management.commands.generate_cases import draw_answers, generate
from advisors.models import Case, Membership
from assessment import results
from assessment.catalogue import load_catalogue
from assessment.models import Questionnaire
from assessment.questionnaire import missing_required, spec_for
from reports import content, rendering
from reports.models import Report


def test_generated_cases_score_the_same_in_the_queue_and_on_their_page(seeded, client):
    generate(12, organisations=1, seed=11)
    for case in Case.objects.select_related("assessment__outcome"):
        computed = results.compute_result(case.assessment).scorecard
        assert computed.overall == case.assessment.outcome.overall
        assert computed.dimensions == case.assessment.outcome.dimensions()
    case = Case.objects.active().order_by("pk").first()
    client.force_login(
        Membership.objects.filter(organisation=case.organisation)[0].user
    )
    page = client.get(reverse("advisors:case", args=[case.pk])).content.decode()
    score = case.assessment.outcome.overall
    assert f'<span class="score">{score}</span>' in page


def test_generated_answers_are_complete_and_valid(seeded):
    spec = spec_for(Questionnaire.objects.current())
    for seed in range(20):
        answers = draw_answers(spec, random.Random(seed), seed / 19)
        assert missing_required(spec, answers) == []


def _one_case(seed: int) -> Case:
    generate(1, organisations=1, seed=seed)
    return Case.objects.order_by("-pk").first()


def _adjust_like_an_advisor(case: Case, rng: random.Random) -> None:
    """Hide one recommendation and add one catalogue item, as advisors do."""
    user = case.organisation.members.first().user
    recs = results.result_for(case.assessment).recommendations
    chosen = [*recs.use_cases, *recs.programmes, *recs.providers, *recs.training]
    if chosen:
        hidden = rng.choice(chosen)
        cases.hide(case, user, hidden.kind, hidden.slug, "Déjà en place.")
    catalogue = load_catalogue()
    item = rng.choice(catalogue.providers)
    cases.add_item(case, user, "provider", item.slug, "Proche de chez vous.")


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1), adjust=st.booleans())
def test_the_plan_of_any_generated_case_lays_out(seeded, seed, adjust):
    case = _one_case(seed)
    if adjust:
        _adjust_like_an_advisor(case, random.Random(seed))
    report = Report(
        assessment=case.assessment,
        version=1,
        adjustments=cases.adjustments_of(case).to_json(),
    )
    html = render_to_string(rendering.TEMPLATE, content.build_context(report))
    assert case.assessment.company_name in html


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_plans_of_generated_cases_render_to_pdf(seeded, seed, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = _one_case(seed)
    _adjust_like_an_advisor(case, random.Random(seed))
    report = cases.regenerate(case, case.organisation.members.first().user)
    report = Report.objects.claim(report.pk)
    rendering.render_report(report)
    report.refresh_from_db()
    assert report.status == Report.Status.READY
    assert report.file.read(4) == b"%PDF"


def test_a_failed_plan_reads_a_plain_sentence_and_a_retry(seeded, client):
    case = _one_case(5)
    # A row failed by an older version kept the raw exception.
    report = Report.objects.create(
        assessment=case.assessment,
        version=1,
        status=Report.Status.FAILED,
        failure_reason="KeyError: 'cyber.updates'",
    )
    client.force_login(case.organisation.members.first().user)
    page = client.get(reverse("advisors:case", args=[case.pk])).content.decode()
    assert "KeyError" not in page
    assert str(Report.Failure.ERROR.label) in page
    retry = reverse("advisors:retry_report", args=[case.pk, report.pk])
    assert f'action="{retry}"' in page
    assert client.post(retry).status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.QUEUED
