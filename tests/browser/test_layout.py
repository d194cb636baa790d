"""Every HTML page at 390, 1280 and 1920 px, in French and in English: laid out.

The pages are those of the accessibility audit (pages.py), each opened once per
language and measured at the three widths by resizing the window. A page fails
when it is wider than the window, absurdly tall, or squeezes a text element
into a column a few letters wide (the result page once drew its « Et
maintenant ? » block one letter per line). With SCREENSHOTS=<folder> in the
environment, a full-page PNG of every page × width × language goes there
(`make screenshots`).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .conftest import needs_chromium, new_context
from .pages import VISITORS, Fixtures, visits

pytestmark = needs_chromium

WIDTHS = (390, 1280, 1920)
NARROWEST_TEXT = 48  # px: narrower than this and taller than 3 lines is squeezed
# px: the longest pages (the printable questionnaire, the result page) are
# under half of this; the result page grew to 21,000 px when squeezed.
TALLEST_PAGE = {390: 36_000, 1280: 16_000, 1920: 16_000}

# What is wrong with the page at the window's current width, as readable lines.
MEASURE = """({narrowest, tallest}) => {
    const width = document.documentElement.clientWidth;
    const describe = (el) => {
        const id = el.id ? "#" + el.id : "";
        const cls = [...el.classList].map((c) => "." + c).join("");
        const text = (el.innerText || el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 40);
        const box = el.getBoundingClientRect();
        return `<${el.tagName.toLowerCase()}${id}${cls}> ` +
            `${Math.round(box.width)}×${Math.round(box.height)} px «${text}»`;
    };
    // Inside a scrolling box (a wide table's wrapper), sticking out is fine.
    const scrolled = (el) => {
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
            if (getComputedStyle(p).overflowX !== "visible") return true;
        }
        return false;
    };
    const shown = (el) => el.checkVisibility({visibilityProperty: true})
        && !el.closest("svg");
    const problems = [];
    const all = [...document.body.querySelectorAll("*")].filter(shown);
    if (document.documentElement.scrollWidth > width + 1) {
        // The elements whose box or content goes past the window, innermost
        // first: they, not their ancestors, are what to fix.
        const out = all.filter((el) => {
            const box = el.getBoundingClientRect();
            const right = box.left + Math.max(box.width, el.scrollWidth);
            return box.width > 0 && right > width + 1 && !scrolled(el);
        });
        const outer = new Set(out.map((el) => el.parentElement));
        const innermost = out.filter((el) => !outer.has(el));
        problems.push(
            `the page is ${document.documentElement.scrollWidth} px wide in a ` +
            `${width} px window: ` + innermost.slice(0, 3).map(describe).join(", ")
        );
    }
    const height = document.documentElement.scrollHeight;
    if (height > tallest) {
        problems.push(`the page is ${height} px tall (more than ${tallest})`);
    }
    // A chart's label drawn past its edge is cut off (the radar's labels).
    for (const text of document.querySelectorAll("svg text")) {
        const box = text.getBoundingClientRect();
        const frame = text.ownerSVGElement.getBoundingClientRect();
        if (box.width && (box.left < frame.left - 1 || box.right > frame.right + 1)) {
            problems.push("text cut by its chart's edge: " + describe(text));
        }
    }
    for (const el of all) {
        const ownText = [...el.childNodes].some(
            (n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim()
        );
        if (!ownText) continue;
        const box = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.2;
        if (box.width < narrowest && box.height > 3 * line) {
            problems.push("squeezed text: " + describe(el));
        }
    }
    return problems;
}"""


def test_every_page_fits_every_width_in_both_languages(
    chromium, live_server, seeds, media
):
    fixtures = Fixtures()
    planned = visits(fixtures)
    assert {"home", "assessment:step", "assessment:result"} <= {
        visit.route for visit in planned
    }
    problems = []
    for language in ("fr", "en"):
        problems += measure(planned, language, chromium, live_server, fixtures)
    assert not problems, (
        f"{len(planned)} pages × {len(WIDTHS)} widths × 2 languages:\n"
        + "\n".join(problems)
    )


def measure(planned, language, chromium, live_server, fixtures) -> list[str]:
    """Open each page once in `language`, measure it at each width."""
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
        page.set_viewport_size({"width": 1280, "height": 900})
        response = page.goto(live_server.url + visit.url())
        if response.status != visit.status:
            problems.append(f"{visit} [{language}]: {response.status} {page.url}")
            continue
        if visit.then:
            visit.then(page)
        problems += measure_widths(page, f"{visit} [{language}]")
        screenshot(page, f"{language}-{visit}")
    for page in pages.values():
        page.context.close()
    return problems


def measure_widths(page, name: str) -> list[str]:
    """The problems of the open page at each width, each naming page and width."""
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        found = page.evaluate(
            MEASURE, {"narrowest": NARROWEST_TEXT, "tallest": TALLEST_PAGE[width]}
        )
        problems += [f"{name} at {width} px: {problem}" for problem in found]
    return problems


def screenshot(page, name: str) -> None:
    """Full-page PNGs at each width into $SCREENSHOTS, when it is set."""
    folder = os.environ.get("SCREENSHOTS")
    if not folder:
        return
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    Path(folder, "pages").mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(
            path=Path(folder, "pages", f"{slug}-{width}.png"), full_page=True
        )


def test_the_measure_names_the_page_the_width_and_the_element(chromium, live_server):
    context = new_context(chromium, live_server, language="fr")
    page = context.new_page()
    page.goto(live_server.url + "/")
    assert measure_widths(page, "home") == []
    # Styles set from script: the site's policy refuses style attributes.
    page.evaluate(
        """() => {
            document.querySelector("main").insertAdjacentHTML("beforeend",
                '<div class="grid"><p id="narrow">Un texte long qui passe à la ' +
                'ligne à chaque mot</p><p id="wide">' + "x".repeat(400) + "</p></div>");
            document.querySelector("main").insertAdjacentHTML("beforeend",
                '<svg id="chart" viewBox="0 0 100 50" width="100" height="50">' +
                '<text x="-40" y="20">Cybersecurity</text></svg>');
            document.querySelector("#narrow").style.width = "30px";
            document.querySelector("#wide").style.whiteSpace = "nowrap";
        }"""
    )
    problems = measure_widths(page, "home")
    context.close()
    assert any(
        p.startswith("home at 390 px: the page is") and "<p#wide>" in p
        for p in problems
    ), problems
    assert any(
        p.startswith("home at 1920 px: squeezed text: <p#narrow>") for p in problems
    ), problems
    assert any(
        p.startswith("home at 1280 px: text cut by its chart's edge: <text>")
        and "«Cybersecurity»" in p
        for p in problems
    ), problems
