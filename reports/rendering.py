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
    """The PDF of a report and its page count, in the active language.

    The annex is the same for every company: its pages are laid out once per
    worker process and language, then reused (it has its own page numbers).
    """
    html = render_to_string(TEMPLATE, content.build_context(report))
    annex = pdf.layout_once(("annex", get_language()), annex_html)
    document = pdf.combine(pdf.layout(html), annex)
    return pdf.write(document), len(document.pages)


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
