"""An advisor in a real browser: sign in → queue → case → adjust → new PDF → download.

A real Celery worker renders the plan; the downloaded PDF is read with pdftotext.
The advisor of another organisation, in the same browser run, reaches none of it.
"""

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from advisors import cases
from advisors.models import Membership, Organisation
from catalog.models import Department
from tests.assessment import personas
from tests.assessment.test_browser import CHROMIUM, browser, plain  # noqa: F401
from tests.conftest import running_worker
from tests.reports.conftest import pdf_text
from tests.reports.personas import submitted_assessment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is missing"),
]
PASSWORD = "un-mot-de-passe-solide-2026"


@pytest.fixture
def offices(db, monkeypatch, tmp_path, settings):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    monkeypatch.setenv("MEDIA_ROOT", str(media))  # the worker writes there too
    call_command("load_seeds", verbosity=0)
    users = get_user_model().objects
    toulouse = Organisation.objects.create(name="CCI Occitanie", slug="cci-occ")
    toulouse.departments.set(Department.objects.filter(region__code="76"))
    rennes = Organisation.objects.create(name="CCI Bretagne", slug="cci-bzh")
    alice = users.create_user("alice", password=PASSWORD, first_name="Alice")
    yann = users.create_user("yann", password=PASSWORD, first_name="Yann")
    Membership.objects.create(user=alice, organisation=toulouse)
    Membership.objects.create(user=yann, organisation=rennes)
    durand, _token = submitted_assessment(personas.ACCOUNTING_FIRM, "Cabinet Durand")
    garrigues, _token = submitted_assessment(personas.VINEYARD, "Domaine des Garrigues")
    return SimpleNamespace(
        durand=cases.share(durand, toulouse),
        garrigues=cases.share(garrigues, rennes),
    )


def sign_in(page, base_url, username):
    page.goto(base_url + "/conseil/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_an_advisor_adjusts_a_plan_and_downloads_the_new_version(
    browser,  # noqa: F811
    live_server,
    offices,
):
    hidden = cases.result_for_case(offices.durand).recommendations.use_cases[0]
    context = browser.new_context(locale="fr-FR", accept_downloads=True)
    page = context.new_page()
    sign_in(page, live_server.url, "alice")
    assert "Cabinet Durand" in page.content()
    assert "Domaine des Garrigues" not in page.content()

    page.get_by_role("link", name="Cabinet Durand").click()
    assert "Ce que dit le dirigeant" in plain(page.content())
    page.locator(".rec-group summary", has_text="Cas d’usage").click()  # folded
    article = page.locator(".adjustable", has_text=hidden.name).first
    article.locator("summary", has_text="Retirer du plan").click()
    article.locator('input[name="reason"]').fill("Déjà en place chez eux")
    page.evaluate("window.notReloaded = true")
    article.get_by_role("button", name="Retirer", exact=True).click()
    # htmx swaps the plan section in place, with the action's message.
    page.locator("#plan [role=status]", has_text="Recommandation retirée").wait_for()
    assert page.evaluate("window.notReloaded === true")

    page.fill("#advice_text", "Commencez par la facturation électronique.")
    page.get_by_role("button", name="Ajouter le conseil").click()
    page.locator("#plan [role=status]", has_text="Conseil ajouté").wait_for()
    page.screenshot(path="/tmp/caillou-advisor-case.png", full_page=True)

    with running_worker(with_database=True):
        page.get_by_role(
            "button", name="Créer une nouvelle version du PDF avec ces ajustements"
        ).click()
        link = page.get_by_role("link", name="Télécharger le PDF")
        link.wait_for(timeout=90_000)  # htmx polls the status until it is ready
    with page.expect_download() as download_info:
        link.click()
    text = plain(pdf_text(open(download_info.value.path(), "rb").read()))
    assert "Cabinet Durand" in text
    assert "Commencez par la facturation électronique." in text
    assert "Les conseils de votre conseiller" in text
    # Out of the recommendations: named once, where the owner reads why.
    assert "Retirés du plan par votre conseiller" in text
    assert "Déjà en place chez eux" in text
    assert " ".join(text.split()).count(" ".join(plain(hidden.name).split())) == 1
    page.screenshot(path="/tmp/caillou-advisor-plan.png", full_page=True)

    # The other organisation's advisor, in their own browser session.
    other = browser.new_context(locale="fr-FR").new_page()
    sign_in(other, live_server.url, "yann")
    assert "Domaine des Garrigues" in other.content()
    assert "Cabinet Durand" not in other.content()
    response = other.goto(f"{live_server.url}/conseil/dossiers/{offices.durand.pk}/")
    assert response.status == 404
    response = other.goto(
        f"{live_server.url}/api/v1/advisor/cases/{offices.durand.pk}/"
    )
    assert response.status == 404
