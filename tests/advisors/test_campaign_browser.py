"""A small campaign end to end, in a real browser: an admin makes the campaign,
three owners come through its link, the shared cases reach the queue and the
live room counts them without a reload; closing the link stops a fourth; an
owner ticks an action done, gets a reminder, takes the diagnostic again and
sees what was done, and the room counts it."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
import segno
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from advisors.models import Campaign, CampaignEntry, Membership, Organisation
from assessment import followup
from assessment.answering import save_answers
from assessment.models import Assessment
from assessment.questionnaire import spec_for
from catalog.models import Department
from tests.assessment import personas
from tests.assessment.test_browser import CHROMIUM, browser, plain  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is missing"),
]
PASSWORD = "un-mot-de-passe-solide-2026"
# Who comes through the link: a company, its answers, whether it shares.
OWNERS = (
    ("Cabinet Durand", personas.ACCOUNTING_FIRM, True),
    ("Domaine des Garrigues", personas.VINEYARD, True),
    ("Quincaillerie Rouergate", personas.SHOP_WITHOUT_DIGITAL_TOOLS, False),
)


@pytest.fixture
def chamber(db, settings):
    call_command("load_seeds", verbosity=0)
    settings.PEER_BENCHMARK_MINIMUM = 2  # a room of three shows its levels
    occitanie = Organisation.objects.create(name="CCI Occitanie", slug="cci-occ")
    occitanie.departments.set(Department.objects.filter(region__code="76"))
    users = get_user_model().objects
    chloe = users.create_user("chloe", password=PASSWORD, first_name="Chloé")
    Membership.objects.create(
        user=chloe, organisation=occitanie, role=Membership.Role.ADMIN
    )
    return SimpleNamespace(organisation=occitanie, admin=chloe)


def sign_in(page, base_url, username):
    page.goto(base_url + "/conseil/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(base_url + "/conseil/")


def create_campaign(page, base_url) -> Campaign:
    page.goto(base_url + "/conseil/campagnes/")
    page.get_by_role("button", name="Nouvelle campagne").click()
    page.fill("#id_name", "Atelier IA de Toulouse")
    page.fill("#id_event", "IA Tour")
    page.fill("#id_place", "Toulouse")
    page.fill("#id_welcome", "Bienvenue ! Quinze minutes pour votre diagnostic.")
    page.get_by_role("button", name="Créer la campagne et son lien").click()
    page.wait_for_url("**/conseil/campagnes/*/")
    return Campaign.objects.get()


def come_through_the_link(browser, url, company, persona, share):  # noqa: F811
    """An owner scans the code: profile and consent on the first page, the
    answers saved (each step is tested elsewhere), submitted from the last step."""
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(url)
    assert "Bienvenue ! Quinze minutes" in plain(page.inner_text("main"))
    profile = persona["company"]
    page.fill("#id_company_name", company)
    page.select_option("#id_sector", profile.sector)
    page.select_option("#id_size_band", profile.size_band)
    page.select_option("#id_department", profile.department)
    page.fill("#id_respondent_name", "Claire Martin")
    page.fill("#id_respondent_email", "claire@example.fr")
    page.fill("#id_respondent_role", "Gérante")
    page.check("#id_consent")
    if share:
        page.check("#id_share")
    page.get_by_role("button", name="Commencer le diagnostic").click()
    page.wait_for_url("**/lien/")
    entry = CampaignEntry.objects.select_related("assessment").latest("pk")
    assessment = entry.assessment
    assert assessment.company_name == company
    assert not save_answers(assessment, persona["answers"])
    last = spec_for(assessment.questionnaire).sections[-1].code
    page.goto(url.split("/campagne/")[0] + f"/diagnostic/{assessment.pk}/etape/{last}/")
    page.get_by_role("button", name="Voir mon résultat").click()
    page.wait_for_url("**/resultat/")
    return page, assessment


def test_a_small_campaign_from_its_qr_code_to_the_live_room(
    browser,  # noqa: F811
    live_server,
    chamber,
):
    context = browser.new_context(locale="fr-FR", accept_downloads=True)
    admin = context.new_page()
    sign_in(admin, live_server.url, "chloe")
    campaign = create_campaign(admin, live_server.url)
    url = admin.locator("a.campaign-url").inner_text()
    assert url == f"{live_server.url}/campagne/{campaign.code}/"

    # The poster's QR code is the link's symbol.
    admin.get_by_role("link", name="Affiche à projeter ou imprimer").click()
    symbol = segno.make(url, error="m").svg_inline(scale=10, border=4)
    path = admin.locator(".poster-qr svg path").get_attribute("d")
    assert f'd="{path}"' in symbol
    admin.get_by_role("link", name="Retour à la campagne").click()
    admin.evaluate("window.notReloaded = true")
    assert "\n0 diagnostic" in plain(admin.inner_text("#room-figures"))

    owners = [come_through_the_link(browser, url, *owner) for owner in OWNERS]

    # The room updates itself (htmx polling), the page is not reloaded.
    admin.wait_for_function(
        "() => document.querySelector('#room-figures').innerText"
        ".includes('3 diagnostics terminés')",
        timeout=15_000,
    )
    room = plain(admin.inner_text("#room-figures"))
    assert admin.evaluate("window.notReloaded") is True
    assert "3 diagnostics commencés" in room
    assert "2 dossiers partagés avec CCI Occitanie" in room
    assert "Niveaux de maturité des dossiers partagés" in room

    # The shared cases are in the queue, with the consent given on the first page.
    admin.get_by_role("link", name="Dossiers", exact=True).click()
    queue = plain(admin.inner_text("main"))
    assert "Cabinet Durand" in queue and "Domaine des Garrigues" in queue
    assert "Quincaillerie Rouergate" not in queue

    # Closing the link: a fourth owner is told, nothing is created.
    admin.goto(f"{live_server.url}/conseil/campagnes/{campaign.pk}/")
    admin.get_by_role("button", name="Clore la campagne").click()
    admin.wait_for_selector(".message")
    late = browser.new_context(locale="fr-FR").new_page()
    late.goto(url)
    assert "Cette campagne est close" in plain(late.inner_text("main"))
    assert CampaignEntry.objects.count() == 3

    # The plan followed: the first owner ticks an action done, opts in to reminders.
    owner, durand = owners[0]
    first = followup.tracked(durand)[0]
    owner.get_by_role("button", name="Suivi de mon plan").click()
    item = owner.locator(f"#action-{first.key}")
    item.get_by_label("Faite", exact=True).check()
    item.get_by_role("button", name="Enregistrer").click()
    owner.locator(f"#action-{first.key} [role=status]").wait_for()
    owner.fill("#id_email", "claire@example.fr")
    owner.check("#id_agree")
    owner.get_by_role("button", name="Recevoir les rappels").click()
    owner.get_by_role("button", name="Arrêter les rappels").wait_for()

    # When the next actions fall due, one reminder e-mail goes to the outbox.
    assert followup.send_reminders(timezone.now() + timedelta(days=400)) == 1
    [reminder] = mail.outbox
    assert reminder.to == ["claire@example.fr"]
    assert "List-Unsubscribe" in reminder.extra_headers

    # The owner takes the diagnostic again: the result shows what was done.
    owner.goto(f"{live_server.url}/diagnostic/{durand.pk}/resultat/")
    owner.get_by_role("button", name="Refaire le diagnostic").first.click()
    owner.check("#id_consent")  # the profile comes back filled in
    owner.get_by_role("button", name="Commencer le diagnostic").click()
    owner.wait_for_url("**/lien/")
    again = Assessment.objects.get(previous=durand)
    last = spec_for(again.questionnaire).sections[-1].code
    owner.goto(f"{live_server.url}/diagnostic/{again.pk}/etape/{last}/")
    owner.get_by_role("button", name="Voir mon résultat").click()
    owner.wait_for_url("**/resultat/")
    done = plain(owner.locator(".previous-actions").inner_text())
    assert "Faite le" in done and plain(first.action.title) in done

    # The campaign's room counts the re-assessment and the action done.
    admin.goto(f"{live_server.url}/conseil/campagnes/{campaign.pk}/")
    room = plain(admin.inner_text("#room-figures"))
    assert "1 dirigeant a refait son diagnostic depuis la campagne." in room
    assert "1 action des plans marquée faite, par 1 dirigeant." in room
    context.close()
