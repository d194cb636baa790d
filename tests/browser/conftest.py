"""One Chromium for the whole package, with axe-core loaded in every page."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]  # fmt: skip
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
# WCAG 2.1 levels A and AA: the level the RGAA asks for.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}


# For the tests that drive the browser.
needs_chromium = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is missing"),
]


@pytest.fixture(scope="package")
def chromium():
    # Playwright's sync API runs an event loop in this thread; the ORM calls made
    # by the tests themselves stay synchronous.
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=ARGS
            )
            yield browser
            browser.close()
    finally:
        if before is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture
def seeds(transactional_db):
    call_command("load_seeds", verbosity=0)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def new_context(
    chromium, live_server, *, language: str, session: str | None = None,
    bypass_csp: bool = False,
):  # fmt: skip
    """A browser context speaking `language`, with axe-core in each page it opens.

    `bypass_csp`: for tests whose waits Playwright evaluates as strings, which
    the site's policy (no eval) refuses; tests/test_security_browser.py checks
    the pages under the policy.
    """
    context = chromium.new_context(
        locale="fr-FR" if language == "fr" else "en-GB",
        viewport={"width": 1280, "height": 900},
        bypass_csp=bypass_csp,
    )
    host = live_server.url.split("//")[1].split(":")[0]
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language}]
    if session:
        cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session})
    context.add_cookies([{**c, "domain": host, "path": "/"} for c in cookies])
    context.add_init_script(script=AXE)
    return context


def axe_violations(page) -> list[str]:
    """The serious and critical WCAG 2.1 A/AA violations of the page, readable."""
    results = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {
                runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
            });
            return r.violations;
        }""",
        WCAG_TAGS,
    )
    return [
        f"{page.url}: {v['id']} ({v['impact']}) {v['help']} — "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"])
        for v in results
        if v["impact"] in BLOCKING
    ]
