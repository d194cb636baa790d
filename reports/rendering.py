"""Rendering a claimed PDF action plan: lay it out, store it, mark it ready.

Rendering only renders and stores: asking lives in `asking`, claiming and
recovering in the `Report` model, the messages in `tasks`.
"""

from __future__ import annotations

import hashlib
import time

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import get_language

from . import content, pdf
from .models import Report

TEMPLATE = "reports/roadmap.html"
ANNEX_TEMPLATE = "reports/annex.html"


def render_report(report: Report) -> None:
    """Render a claimed report to PDF, store it and mark it ready."""
    started = time.monotonic()
    with translation.override(report.language):
        data, pages = render_bytes(report)
    _store(report, data)
    report.finish(
        data=data,
        checksum=hashlib.sha256(data).hexdigest(),
        pages=pages,
        render_ms=round((time.monotonic() - started) * 1000),
    )


def render_bytes(report: Report) -> tuple[bytes, int]:
    """The PDF of a report and its page count, in the active language."""
    document = layout_report(report)
    return pdf.write(document), len(document.pages)


def layout_report(report: Report) -> pdf.Document:
    """The plan's pages, the annex's last.

    The annex is the same for every company: its pages are laid out once per
    worker process and language, then reused. The plan reserves as many empty
    pages at its end, which the annex's replace, so that its footers (X / Y)
    count them.
    """
    annex = pdf.layout_once(("annex", get_language()), annex_html)
    html = plan_html(report, annex_pages=len(annex.pages))
    return pdf.with_annex(pdf.layout(html), annex)


def plan_html(report: Report, *, annex_pages: int) -> str:
    context = content.build_context(report)
    return render_to_string(TEMPLATE, {**context, "annex_pages": range(annex_pages)})


def annex_html() -> str:
    return render_to_string(ANNEX_TEMPLATE, content.annex_context())


def _store(report: Report, data: bytes) -> None:
    """Write under the report's stable name, replacing a half-finished attempt."""
    name = report.filename
    if default_storage.exists(name):
        default_storage.delete(name)
    saved = default_storage.save(name, ContentFile(data))
    if saved != name:  # another writer got there in between: keep one file
        default_storage.delete(saved)
