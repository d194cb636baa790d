"""The case page works in parts: actions swap their section (htmx) or go back to
it (no JavaScript); reloads do not flood the owner's access log; long parts fold."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from advisors import cases
from advisors.models import AccessLog, Case
from reports.models import Report

from .test_workflow import world  # noqa: F401  (the shared fixture)

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def case(world):  # noqa: F811
    return cases.share(world.a, world.occitanie)


@pytest.fixture
def advisor(client, world, case):  # noqa: F811
    client.force_login(world.advisor)
    return client


def test_reloads_log_one_consultation_per_advisor_and_hour(world, case, advisor):  # noqa: F811
    page = reverse("advisors:case", args=[case.pk])
    for _reload in range(10):
        assert advisor.get(page).status_code == 200
    assert case.accesses.filter(action=AccessLog.Action.VIEW).count() == 1
    case.accesses.update(at=timezone.now() - timedelta(minutes=61))
    advisor.get(page)
    assert case.accesses.count() == 2
    advisor.force_login(world.colleague)
    advisor.get(page)
    assert case.accesses.count() == 3  # another advisor: a line of their own


ACTIONS = [
    ("advisors:add_note", {"text": "Rappeler jeudi."}, "notes", "Rappeler jeudi."),
    ("advisors:change_status", {"status": "in_review"}, "suivi", "in_review"),
    ("advisors:add_advice", {"text": "Commencez petit."}, "plan", "Commencez petit."),
    ("advisors:regenerate", {}, "plans", "Version 1"),
]


@pytest.mark.parametrize(("name", "data", "section", "shows"), ACTIONS)
def test_an_action_swaps_its_section_with_htmx(
    case, advisor, name, data, section, shows, django_capture_on_commit_callbacks
):
    response = advisor.post(reverse(name, args=[case.pk]), data, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<section id="{section}"')
    assert "<html" not in html and shows in html
    assert 'role="status"' in html  # the action's message, in the swapped part


@pytest.mark.parametrize(("name", "data", "section", "shows"), ACTIONS)
def test_without_javascript_an_action_goes_back_to_its_section(
    case, advisor, name, data, section, shows
):
    response = advisor.post(reverse(name, args=[case.pk]), data)
    assert response.status_code == 302
    assert response.url == reverse("advisors:case", args=[case.pk]) + f"#{section}"


def test_hiding_and_assigning_swap_their_sections(world, case, advisor):  # noqa: F811
    rec = cases.result_for_case(case).recommendations.use_cases[0]
    hide = reverse("advisors:hide", args=[case.pk])
    data = {"item_kind": "use_case", "item_slug": rec.slug, "reason": "Déjà fait."}
    html = advisor.post(hide, data, **HTMX).content.decode()
    assert html.lstrip().startswith('<section id="plan"') and "Déjà fait." in html
    assign = reverse("advisors:assign", args=[case.pk])
    html = advisor.post(assign, {"assignee": world.colleague.pk}, **HTMX)
    assert html.content.decode().lstrip().startswith('<section id="suivi"')
    assert Case.objects.get(pk=case.pk).assignee == world.colleague


def test_an_invalid_form_comes_back_in_its_section_with_its_error(case, advisor):
    response = advisor.post(
        reverse("advisors:add_note", args=[case.pk]), {"text": "  "}, **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert html.lstrip().startswith('<section id="notes"') and "<html" not in html
    assert 'aria-invalid="true"' in html or "error" in html


def test_long_parts_of_the_case_page_fold(case, advisor):
    for n in range(6):
        cases.add_note(case, case.organisation.members.first().user, f"Note {n}")
    html = advisor.get(reverse("advisors:case", args=[case.pk])).content.decode()
    assert html.count('<details class="rec-group">') == 4
    assert "3 notes plus anciennes" in html
    assert Report.objects.count() == 0
