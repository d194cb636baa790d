"""The personas' plans, in French and English, read from WeasyPrint's layout.

No box beyond a page's content area, no text wider than its box, no heading
left at the bottom of a page, and « X / Y » footers whose Y is the real page
count. With SCREENSHOTS=<folder> in the environment, every page of the
accounting firm's French and English plans goes there as a PNG
(`make screenshots`).
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

from reports import pdf, rendering
from reports.models import Report

from . import pdf_layout
from .personas import PERSONAS, submitted_assessment

SHOWN = "Cabinet Durand Expertise"  # the plan `make screenshots` shows


@pytest.mark.django_db
def test_the_personas_plans_are_laid_out_within_their_pages(seeds):
    problems = []
    for name, persona in PERSONAS.items():
        assessment, _token = submitted_assessment(persona, name)
        for language in ("fr", "en"):
            report = Report(assessment=assessment, version=1, language=language)
            with translation.override(language):
                document = rendering.layout_report(report)
            found = pdf_layout.problems(document)
            problems += [f"{name} [{language}] {problem}" for problem in found]
            if name == SHOWN:
                screenshots(document, language)
    assert not problems, "\n".join(problems)


def screenshots(document, language: str) -> None:
    """Every page as a PNG into $SCREENSHOTS/plans, when it is set."""
    folder = os.environ.get("SCREENSHOTS")
    if not folder or not shutil.which("pdftoppm"):
        return
    Path(folder, "plans").mkdir(parents=True, exist_ok=True)
    prefix = Path(folder, "plans", f"plan-{language}")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-", str(prefix)],
        input=pdf.write(document),
        check=True,
    )


# --- The checks themselves, on pages made to fail them ----------------------------

PAGE = "@page { size: A5; margin: 15mm; @bottom-right { content: %s } }"


def laid_out(body: str, *, footer: str = "none") -> list[str]:
    html = (
        f"<html><head><style>{PAGE % footer}</style></head><body>{body}</body></html>"
    )
    return pdf_layout.problems(pdf.layout(html))


def test_a_box_wider_than_the_page_is_named():
    found = laid_out('<table style="width: 160mm"><tr><td>Action</td></tr></table>')
    assert any(
        p.startswith("page 1: <table> «Action» is beyond the content area")
        for p in found
    ), found


def test_text_wider_than_its_box_is_named():
    found = laid_out('<p style="width: 20mm">Expérimentation_sans_coupure</p>')
    assert any(
        "text «Expérimentation_sans_coupure» in <p>" in p and "past its box" in p
        for p in found
    ), found


def test_a_heading_at_the_bottom_of_a_page_is_named():
    # WeasyPrint's own stylesheet keeps a heading with what follows: undo it.
    filler = '<div style="height: 168mm"></div>'
    heading = '<h2 style="break-after: auto">6. Programmes</h2>'
    found = laid_out(f"{filler}{heading}<p>Texte</p>")
    assert found == ["page 1: the heading «6. Programmes» ends the page"], found


def test_a_footer_with_the_wrong_page_count_is_named():
    two_pages = '<p>Un</p><p style="break-before: page">Deux</p>'
    assert laid_out(two_pages, footer='counter(page) " / " counter(pages)') == []
    found = laid_out(two_pages, footer='counter(page) " / 10"')
    assert found == [
        "page 1: the footer reads «1 / 10», not «1 / 2»",
        "page 2: the footer reads «2 / 10», not «2 / 2»",
    ]
