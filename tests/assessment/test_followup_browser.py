"""In a real browser: the owner ticks an action done from the private link (htmx,
no reload), and the advisor of the organisation it is shared with sees it."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from advisors import cases
from advisors.models import Membership, Organisation
from assessment import followup
from catalog.models import Department
from tests.assessment import personas
from tests.assessment.test_browser import CHROMIUM, browser, plain  # noqa: F401
from tests.reports.personas import submitted_assessment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is missing"),
]
PASSWORD = "un-mot-de-passe-solide-2026"


def test_an_action_ticked_done_by_the_owner_shows_on_the_case(
    browser,  # noqa: F811
    live_server,
):
    call_command("load_seeds", verbosity=0)
    occitanie = Organisation.objects.create(name="CCI Occitanie", slug="cci-occ")
    occitanie.departments.set(Department.objects.filter(region__code="76"))
    alice = get_user_model().objects.create_user("alice", password=PASSWORD)
    Membership.objects.create(user=alice, organisation=occitanie)
    assessment, token = submitted_assessment(personas.ACCOUNTING_FIRM, "Cabinet Durand")
    case = cases.share(assessment, occitanie)
    first = followup.tracked(assessment)[0]

    owner = browser.new_context(locale="fr-FR").new_page()
    owner.goto(live_server.url + reverse("assessment:resume", args=[token]))
    owner.get_by_role("button", name="Suivi de mon plan").click()
    item = owner.locator(f"#action-{first.key}")
    item.get_by_label("Faite", exact=True).check()
    owner.evaluate("window.notReloaded = true")
    item.get_by_role("button", name="Enregistrer").click()
    owner.locator(f"#action-{first.key} [role=status]").wait_for()
    assert owner.evaluate("window.notReloaded === true")  # htmx swapped the action
    assert "Faite le" in plain(owner.locator(f"#action-{first.key}").inner_text())

    advisor = browser.new_context(locale="fr-FR").new_page()
    advisor.goto(live_server.url + "/conseil/")
    advisor.fill("#id_username", "alice")
    advisor.fill("#id_password", PASSWORD)
    advisor.get_by_role("button", name="Se connecter").click()
    advisor.goto(live_server.url + reverse("advisors:case", args=[case.pk]))
    row = advisor.locator("#avancement tr", has_text=first.action.title)
    assert "Faite le" in plain(row.inner_text())
