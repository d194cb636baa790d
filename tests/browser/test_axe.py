"""axe-core over every HTML page, in French and in English: no serious violation.

All pages are audited in one test so that the seeds and the diagnostics are made
once; the failure lists every problem, each with its page, rule and elements.
"""

from .conftest import axe_violations, needs_chromium, new_context
from .pages import VISITORS, Fixtures, visits

pytestmark = needs_chromium


def test_every_page_has_no_serious_accessibility_violation(
    chromium, live_server, seeds, media
):
    fixtures = Fixtures()
    planned = visits(fixtures)
    audited = {visit.route for visit in planned}
    assert {"home", "assessment:step", "assessment:result", "catalog:index"} <= audited
    problems = []
    for language in ("fr", "en"):
        problems += audit(planned, language, chromium, live_server, fixtures)
    assert not problems, f"{len(planned)} pages × 2 languages:\n" + "\n".join(problems)


def audit(planned, language, chromium, live_server, fixtures) -> list[str]:
    """Open every planned page in `language`; return what is wrong with them."""
    pages = {}  # one context and page per visitor, reused from one visit to the next
    problems = []
    for visit in planned:
        if visit.visitor not in pages:
            session = VISITORS[visit.visitor](fixtures)
            context = new_context(
                chromium, live_server, language=language, session=session
            )
            pages[visit.visitor] = context.new_page()
        page = pages[visit.visitor]
        response = page.goto(live_server.url + visit.url())
        if response.status != visit.status or "html" not in (
            response.headers.get("content-type", "")
        ):
            problems.append(f"{visit}: {response.status} {page.url}")
            continue
        if page.url != live_server.url + visit.url():
            # e.g. a page behind a login: give its provider the right visitor
            problems.append(f"{visit}: redirected to {page.url}")
            continue
        if visit.then:
            visit.then(page)
        if page.evaluate("document.documentElement.lang") != language:
            problems.append(f"{visit}: the page is not in {language} ({page.url})")
        problems += axe_violations(page)
    for page in pages.values():
        page.context.close()
    return problems


def test_the_audit_reports_a_violation_with_its_page_and_element(chromium, live_server):
    context = new_context(chromium, live_server, language="fr")
    page = context.new_page()
    page.goto(live_server.url + "/")
    assert axe_violations(page) == []
    page.evaluate(
        """() => document.querySelector("main").insertAdjacentHTML(
            "beforeend", '<img id="no-alt" src="/static/none.png"><input id="no-label">'
        )"""
    )
    problems = axe_violations(page)
    context.close()
    assert any(
        p.startswith(f"{live_server.url}/: image-alt (critical)") and "#no-alt" in p
        for p in problems
    ), problems
    assert any("label (critical)" in p and "#no-label" in p for p in problems)
