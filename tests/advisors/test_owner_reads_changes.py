"""The reason an advisor gives for hiding a recommendation reaches the owner
wherever the plan is: the result page, the share page, the list of plans, the
PDF, the JSON export and the API."""

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from advisors import cases
from reports import content
from reports.models import Report

from .test_workflow import owner_client, world  # noqa: F401  (the shared fixture)

REASON = "Déjà équipé d’un outil équivalent, inutile de payer deux fois."


@pytest.fixture
def adjusted(world):  # noqa: F811
    """Alice hides the first recommended use case with a reason, and asks a plan."""
    case = cases.share(world.a, world.occitanie)
    first = cases.result_for_case(case).recommendations.use_cases[0]
    cases.hide(case, world.advisor, "use_case", first.slug, REASON)
    cases.add_advice(case, world.advisor, "Appelez-nous en janvier.")
    report = cases.regenerate(case, world.advisor)
    world.case, world.hidden, world.report = case, first, report
    return world


def test_the_owner_reads_the_reason_on_the_result_and_share_pages(adjusted, client):
    owner_client(client, adjusted.a, adjusted.token_a)
    for url in (
        reverse("assessment:result", args=[adjusted.a.pk]),
        reverse("sharing:share", args=[adjusted.a.pk]),
    ):
        page = client.get(url).content.decode()
        assert REASON in page, url
        assert adjusted.hidden.name in page, url


def test_the_owner_s_list_of_plans_marks_the_advisor_s_version(adjusted, client):
    owner_client(client, adjusted.a, adjusted.token_a)
    page = client.get(reverse("reports:list", args=[adjusted.a.pk])).content.decode()
    assert "créée par votre conseiller" in page
    assert "Ajustée par votre conseiller" in page
    assert REASON in page and "Appelez-nous en janvier." in page


def test_the_plan_says_what_was_taken_out_and_why(adjusted):
    context = content.build_context(adjusted.report)
    hidden = context["hidden_changes"]
    assert [(c.slug, c.text) for c in hidden] == [(adjusted.hidden.slug, REASON)]
    from django.template.loader import render_to_string

    html = render_to_string("reports/roadmap.html", context)
    assert REASON in html and adjusted.hidden.name in html


def test_the_export_and_the_api_carry_the_reason(adjusted, client):
    owner_client(client, adjusted.a, adjusted.token_a)
    export = json.loads(
        client.get(reverse("privacy:download", args=[adjusted.a.pk])).content
    )
    diagnostic = export["diagnostics"][0]
    assert diagnostic["advisor_changes"][0]["items"][0]["text"] == REASON
    assert diagnostic["reports"][-1]["advisor_changes"]["items"][0]["text"] == REASON

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {adjusted.token_a}")
    report = api.get(reverse("reports_api:detail", args=[adjusted.report.pk])).json()
    assert report["changes"]["adjusted"] is True
    assert report["changes"]["items"][0] == {
        "action": "hidden",
        "kind": "use_case",
        "kind_label": "cas d’usage",
        "slug": adjusted.hidden.slug,
        "name": adjusted.hidden.name,
        "text": REASON,
    }
    shares = api.get(reverse("advisors_api:shares", args=[adjusted.a.pk])).json()
    assert shares["shares"][0]["changes"]["items"][0]["text"] == REASON


def test_a_withdrawn_share_s_changes_leave_the_result_page(adjusted, client):
    cases.withdraw(adjusted.case)
    owner_client(client, adjusted.a, adjusted.token_a)
    page = client.get(reverse("assessment:result", args=[adjusted.a.pk]))
    assert "advisor-changes-title" not in page.content.decode()
    assert Report.objects.filter(assessment=adjusted.a).exists()
