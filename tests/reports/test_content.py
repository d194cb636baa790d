import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from weasyprint import html as weasyprint_html

from reports import content, pdf, rendering
from reports.models import Report

from .conftest import pdf_info, pdf_objects, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(submitted):
    assessment, _token = submitted
    return Report.objects.create(assessment=assessment, version=1, language="fr")


def test_context_holds_what_the_result_holds(report):
    context = content.build_context(report)
    assert context["assessment"] == report.assessment
    assert context["stone"].slug == "appels-offres"
    assert context["stone"].yearly_cost == 12 * 3 * 45 * 35
    assert context["level"] == context["result"].scorecard.level
    assert len(context["first_actions"]) == 3
    assert [row.code for row in context["dimensions"]][0] == "strategy"
    assert context["recs"].use_cases[0].slug == "completude-dossier-appel-offres"
    assert "akawan" in [row.rec.slug for row in context["provider_rows"]]
    assert all(row.next_step for row in context["programme_rows"])


def test_context_radar_is_the_diagnostic_radar(report):
    radar = content.build_context(report)["radar"]
    assert radar.startswith("<svg") and 'role="img"' in radar


def test_checklist_ticks_what_is_in_place(report):
    checklist = content.build_context(report)["checklist"]
    done = [item.done for item in checklist]
    assert done[0] and done[1]  # backups tested, MFA everywhere
    assert not all(done)


def test_sources_are_the_documents_of_the_recommendations(report):
    sources = content.build_context(report)["sources"]
    assert sources
    assert all(source.file_name for source in sources)


def test_pdf_holds_company_stone_level_programmes_and_providers(report):
    with translation.override("fr"):
        data, pages = rendering.render_bytes(report)
        context = content.build_context(report)
    assert data[:4] == b"%PDF"
    assert pages >= 8
    text = " ".join(pdf_text(data).split())
    assert "Cabinet Durand Expertise" in text
    assert "Appels d’offres et dossiers administratifs" in text
    assert str(context["level"].name) in text
    assert "56\u202f700\u00a0€" in pdf_text(data) or "56 700 €" in text
    assert "3 personnes" in text and "personne(s)" not in text
    assert re.search(r"→ (janvier|février|mars|avril|mai|juin) 20\d\d", text)
    assert not re.search(r"\b(Jan|Fév|Mar|Déc) 20\d\d", text)
    # Sources by title, publisher and date, not by file name.
    assert ".txt" not in text
    assert "Région Occitanie, juillet 2024" in text
    for row in context["programme_rows"][:2] + context["provider_rows"][:2]:
        assert row.rec.name[:25] in text


def test_pdf_is_tagged_titled_and_in_the_report_language(report):
    data, _pages = rendering.render_bytes(report)
    info = pdf_info(data)
    assert "Tagged:          yes" in info
    assert "Plan d’action IA — Cabinet Durand Expertise" in info
    assert "Author:          Caillou" in info
    assert b"/Lang (fr)" in pdf_objects(data)
    assert b"/StructTreeRoot" in pdf_objects(data)


def test_english_plan_is_in_english(report):
    report.language = "en"
    with translation.override("en"):
        data, _pages = rendering.render_bytes(report)
    text = " ".join(pdf_text(data).split())
    assert "roadmap" in text.lower()
    assert "Feuille de route" not in text
    assert "€56,700" in text and "56 700" not in text
    assert "Your stone: “Tenders and administrative files”" in text
    assert "3 people" in text
    assert re.search(r"→ (January|February|March|April|May|June) 20\d\d", text)


def test_french_typography_uses_no_break_spaces():
    """Before : ; ! ? and inside « », the plan's own sentences use U+00A0."""
    plain_space = re.compile(r"\w [:;!?»](?!=)|« \w")
    sources = [*Path(settings.BASE_DIR, "templates", "reports").glob("*.html")]
    sources += [Path(content.__file__), Path(rendering.__file__)]
    for path in sources:
        found = plain_space.findall(path.read_text())
        assert not found, f"{path.name}: {found}"


def test_every_page_but_the_cover_has_its_header_and_numbered_footer(report):
    with translation.override("fr"):
        data, pages = rendering.render_bytes(report)
    texts = [" ".join(page.split()) for page in pdf_text(data).split("\f")[:pages]]
    plan = [text for text in texts[1:] if "Annexe" not in text.split()[-2:]]
    assert len(plan) >= 6
    for number, text in enumerate(plan, start=2):
        assert text.startswith("Cabinet Durand Expertise")
        assert f"plan d’action, version 1 · {number} / {pages}" in text
    assert texts[-1].endswith(f"Annexe {pages - len(plan) - 1}")


def test_chromium_gets_the_stylesheet_before_the_pages_own_rules():
    page = "<html><head><style>h1 { color: red }</style></head><body></body></html>"
    html = pdf.standalone_html(page)
    assert html.index(pdf.print_css()) < html.index("h1 { color: red }")


def test_the_lighter_user_agent_stylesheet_still_applies():
    """If WeasyPrint rewrites its stylesheet, the trim falls back to the stock
    one silently; this says the plan lost its faster cascade."""
    assert pdf.user_agent_stylesheet() is not weasyprint_html.UA_STYLESHEET


def test_numbered_and_bulleted_lists_keep_their_markers(report):
    with translation.override("fr"):
        data, _pages = rendering.render_bytes(report)
    text = pdf_text(data)
    assert re.search(r"^\s*1\.\s+\S", text, re.MULTILINE)  # the first actions
    assert "•" in text  # the stone's reasons


def test_the_radar_is_drawn_in_the_plans_own_face(report):
    """The web's system-ui made WeasyPrint embed DejaVu Sans Bold for the radar's
    scores alone: one face more to subset and write in every plan."""
    with translation.override("fr"):
        data, _pages = rendering.render_bytes(report)
    faces = set(re.findall(rb"/BaseFont /[A-Z]{6}\+([\w-]+)", pdf_objects(data)))
    assert b"Liberation-Sans-Bold" in faces
    assert b"DejaVu-Sans-Bold" not in faces, faces


def test_the_pages_reserved_for_the_annex_lay_out_no_margin_boxes(report):
    """They are replaced by the annex's own pages: their header and footer
    would be laid out for nothing."""
    from weasyprint.formatting_structure.boxes import MarginBox

    with translation.override("fr"):
        annex = pdf.layout_once(("annex", "fr"), rendering.annex_html)
        plan = pdf.layout(rendering.plan_html(report, annex_pages=len(annex.pages)))
    reserved = len(annex.pages)
    margin_boxes = [
        [box for box in page._page_box.children if isinstance(box, MarginBox)]
        for page in plan.pages
    ]
    assert all(margin_boxes[1:-reserved])  # the plan's pages keep theirs
    assert not any(margin_boxes[-reserved:]), margin_boxes[-reserved:]


def test_the_radars_labels_are_html_beside_its_shapes(report):
    """WeasyPrint lays out SVG text one letter at a time: the plan's radar keeps
    its shapes in SVG and puts its labels, scores in bold, in HTML over it."""
    from assessment.radar import labels
    from assessment.scoring import dimension_label

    with translation.override("fr"):
        context = content.build_context(report)
        html = rendering.plan_html(report, annex_pages=0)
    assert "<tspan" not in str(context["radar"])
    scores = context["result"].scorecard.dimensions
    placed = labels(scores)
    assert len(placed) == 6 and all(0 <= label.top_percent < 100 for label in placed)
    assert html.count('<p class="radar-label') == 6
    for code, score in scores.items():
        assert f"<strong>{score}/100</strong>" in html
        assert dimension_label(code).split()[0] in html
