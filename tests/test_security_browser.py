"""Under the Content-Security-Policy, a real browser runs the site, the admin and
the API docs without a single violation."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from catalog.models import UseCase
from tests.assessment.test_browser import ARGS, CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is missing"),
]


@pytest.fixture
def page(monkeypatch):
    """A Chromium page that records CSP violations and script errors."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = chromium.new_page()
        page.problems = []
        page.on("console", lambda m: _console(page, m))
        page.on("pageerror", lambda error: page.problems.append(str(error)))
        page.on("response", lambda r: _response(page, r))
        yield page
        chromium.close()


def _console(page, message):
    # Failed loads are reported with their address by _response.
    if message.type == "error" and not message.text.startswith("Failed to load"):
        page.problems.append(message.text)


def _response(page, response):
    if response.status >= 400 and not response.url.endswith("/favicon.ico"):
        page.problems.append(f"{response.status} {response.url}")


@pytest.fixture
def seeds(db):
    call_command("load_seeds", verbosity=0)


def test_the_owner_pages_run_without_violations(page, live_server, seeds):
    page.goto(live_server.url + "/")
    page.goto(live_server.url + "/diagnostic/")
    assert page.evaluate("typeof htmx") == "object"  # the script ran
    assert page.locator("style").count() == 0  # htmx injected no inline style
    assert page.problems == []


def test_the_admin_runs_without_violations(page, live_server, seeds):
    User.objects.create_superuser("admin", "admin@example.fr", "right-password")
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "right-password")
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    use_case = UseCase.objects.first()
    page.goto(f"{live_server.url}/admin/catalog/usecase/{use_case.pk}/change/")
    assert page.locator("#id_name").input_value() == use_case.name
    assert page.problems == []


def test_the_api_docs_run_without_violations(page, live_server, seeds):
    page.goto(live_server.url + "/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Caillou API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector(".opblock-tag")  # the schema was fetched and drawn
    assert page.problems == []
