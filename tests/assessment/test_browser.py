"""The owner's journey in a real browser: landing page → every step → result."""

import time
import unicodedata
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .personas import ACCOUNTING_FIRM

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]  # fmt: skip
ANSWERS = ACCOUNTING_FIRM["answers"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is missing"),
]


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls
    # made by the test itself are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def plain(text: str) -> str:
    """Page text with every kind of space made ordinary, for comparisons."""
    text = unicodedata.normalize("NFC", text)
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def fill_profile(page):
    page.fill("#id_company_name", "Cabinet Durand")
    page.fill("#id_siren", "732 829 320")
    page.select_option("#id_sector", "finance")
    page.select_option("#id_size_band", "small")
    page.select_option("#id_department", "31")
    page.fill("#id_respondent_name", "Claire Durand")
    page.fill("#id_respondent_email", "claire@example.fr")
    page.fill("#id_respondent_role", "Gérante")
    page.check("#id_consent")


def check_and_settle(page, selector: str) -> None:
    """Check a choice; when it controls other questions, let htmx bring them in
    before anything else is filled (the swap replaces the fields after it)."""
    page.check(selector)
    if page.locator(selector).get_attribute("hx-post") is None:
        return
    busy = "!!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    deadline = time.monotonic() + 15
    while page.evaluate(busy) and time.monotonic() < deadline:  # CDP: no eval in page
        page.wait_for_timeout(50)


def answer_visible_questions(page):
    """Answer every question the step shows, from the accounting firm persona."""
    for code in page.locator('input[name="shown"]').evaluate_all(
        "els => els.map(e => e.value)"
    ):
        value = ANSWERS.get(code)
        if value is None or value == "":
            continue
        if isinstance(value, list):
            for choice in value:
                check_and_settle(page, f'input[name="{code}"][value="{choice}"]')
        elif page.locator(f'input[type="radio"][name="{code}"]').count():
            check_and_settle(page, f'input[name="{code}"][value="{value}"]')
        else:
            page.fill(f'[name="{code}"]', str(value))


def confirm_the_reading(page):
    """What is read of the owner's words shows as they type with JavaScript, and
    once on submission without it; the owner answers « Oui »."""
    reading = "#stone-reading fieldset"
    if page.locator(reading).count() == 0:
        try:
            page.wait_for_selector(reading, timeout=3000)
        except PlaywrightTimeout:  # no JavaScript: the reading comes on submission
            page.get_by_role("button", name="Enregistrer et continuer").click()
            page.wait_for_selector(".notice")
    page.check("#q-stone-confirmed-yes")


def run_journey(page, base_url, *, screenshots: bool):
    page.goto(base_url + "/")
    page.get_by_role("button", name="Commencer le diagnostic").click()
    fill_profile(page)
    page.get_by_role("button", name="Commencer le diagnostic").click()

    page.wait_for_url("**/lien/")
    assert "/diagnostic/reprendre/" in page.input_value("#resume-url")
    page.get_by_role("button", name="Continuer le diagnostic").click()

    while "/etape/" in page.url:
        step_url = page.url
        answer_visible_questions(page)
        if "/etape/stone/" in step_url:
            # The hours questions appear once the time sinks are chosen: at once
            # with JavaScript, after one submission without it.
            if page.locator('[name="stone.appels-offres.hours"]').count() == 0:
                page.get_by_role("button", name="Enregistrer et continuer").click()
                page.wait_for_selector(".notice")
            page.wait_for_selector('[name="stone.appels-offres.hours"]')
            answer_visible_questions(page)
            confirm_the_reading(page)
            if screenshots:
                page.screenshot(path="/tmp/caillou-step-stone.png", full_page=True)
        page.locator(".step-actions button").first.click()
        page.wait_for_url(lambda url, old=step_url: url != old)
    page.wait_for_url("**/resultat/")
    return page


def test_owner_goes_from_the_landing_page_to_the_result(browser, live_server):
    call_command("load_seeds", verbosity=0)
    page = browser.new_page(locale="fr-FR", viewport={"width": 1280, "height": 900})
    run_journey(page, live_server.url, screenshots=True)

    text = plain(page.inner_text("main"))
    assert "Appels d’offres" in page.inner_text("#caillou")
    assert "56 700 €" in text  # 12 h × 3 people × 45 weeks × 35 €
    assert page.locator("svg.radar").count() == 1
    page.screenshot(path="/tmp/caillou-result.png", full_page=True)

    page.fill("#id_hourly_cost", "50")
    page.get_by_role("button", name="Recalculer").click()
    page.wait_for_function(
        "() => document.querySelector('#caillou').innerText.includes('81')"
    )
    assert "81 000 €" in plain(page.inner_text("#caillou"))


def test_the_journey_works_without_javascript(browser, live_server):
    call_command("load_seeds", verbosity=0)
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    run_journey(page, live_server.url, screenshots=False)
    assert "56 700 €" in plain(page.inner_text("#caillou"))
    context.close()


def test_the_stone_step_reads_the_owners_words_as_they_type(browser, live_server):
    call_command("load_seeds", verbosity=0)
    page = browser.new_page(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page.goto(live_server.url + "/diagnostic/")
    fill_profile(page)
    page.get_by_role("button", name="Commencer le diagnostic").click()
    page.wait_for_url("**/lien/")
    page.goto(page.url.replace("/lien/", "/etape/stone/"))

    page.locator('[name="stone.description"]').press_sequentially(
        "les apels d offre nous tuent", delay=20
    )
    legend = page.locator("#stone-reading legend")
    legend.wait_for()
    assert plain(legend.inner_text()) == (
        "Nous comprenons : Appels d’offres et dossiers administratifs — c’est bien ça ?"
    )
    assert "apels d offre" in page.inner_text("#stone-reading .reading-evidence")
    page.get_by_label("Oui").check()
    page.screenshot(path="/tmp/caillou-stone-reading-1280.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path="/tmp/caillou-stone-reading-390.png", full_page=True)

    # The owner rewrites: the reading follows, and another task can be chosen.
    page.fill('[name="stone.description"]', "Bonjour, rien de spécial")
    page.locator("#stone-reading .reading-none").wait_for()
    assert "Nous n’avons pas reconnu de tâche" in page.inner_text("#stone-reading")
    page.check('#stone-reading input[value="saisie-donnees"]')
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.locator(".error-summary").wait_for()  # other questions of the step left
    assert page.locator('#stone-reading input[value="saisie-donnees"]').is_checked()
