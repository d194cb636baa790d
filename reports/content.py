"""What the action plan says: its template context, from the diagnostic's modules.

Nothing here scores, recommends or lays out the result: `present` does, for
the result page and the case page alike. This module adds what only the
printed plan has: the advisor's adjustments, the sources, the annex; the pulse adds its
own section through settings.REPORT_FINDINGS_SECTIONS.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language

from assessment import explanations, results, scoring
from assessment.adjusting import Adjustments, adjust, changes
from assessment.catalogue import load_catalogue
from assessment.presentation import present
from catalog.models import Source

from . import pdf
from .models import Report


def build_context(report: Report) -> dict:
    """Everything the plan shows, in the active language."""
    assessment = report.assessment
    adjustments = Adjustments.from_json(report.adjustments)
    catalogue = load_catalogue()
    result = adjust(results.result_for(assessment), adjustments, catalogue)
    shown = present(
        result,
        previous=results.previous_scorecard(assessment),
        radar_id="plan-radar",
        # The plan's own face: the web's system-ui would embed DejaVu Sans too.
        radar_font=pdf.RADAR_FONT,
        # Its labels in HTML over the chart: WeasyPrint lays out SVG text one
        # letter at a time (7 % of a plan's time), HTML text a line at a time.
        radar_labels_apart=True,
    )
    return {
        **shown.context(),
        "report": report,
        "assessment": assessment,
        "generated_on": timezone.localdate(),
        "sources": cited_sources(shown.source_ids),
        "advice": adjustments.advice,
        "hidden_changes": [
            c for c in changes(adjustments, catalogue) if c.action == "hidden"
        ],
        # Sections of the apps above this one (the pulse), named in settings.
        "findings_sections": settings.REPORT_FINDINGS_SECTIONS,
    }


def annex_context() -> dict:
    """The annex: the same for every company, in the active language."""
    return {
        "language": get_language(),
        "levels": scoring.LEVELS,
        "dimensions": [
            {"label": scoring.dimension_label(code), "measures": measures}
            for code, measures in explanations.MEASURES.items()
        ],
    }


def cited_sources(ids) -> list[Source]:
    """The documents behind the plan's recommendations, by file name."""
    return list(Source.objects.filter(pk__in=ids).order_by("file_name"))
