"""HTML to PDF with WeasyPrint: tagged (PDF/UA-1), and nothing fetched from outside."""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Callable
from functools import cache
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from weasyprint import CSS, HTML, Document
from weasyprint import html as weasyprint_html
from weasyprint.css.counters import CounterStyle
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Relative URLs resolve against this origin, which no network serves.
BASE_URL = "https://caillou.invalid/"
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}
STYLESHEET = "reports/print.css"
# The radar chart's text in the plan: the print stylesheet's face (print.css).
RADAR_FONT = "Liberation Sans, sans-serif"


class StaticOnlyFetcher(URLFetcher):
    """Serve the project's static files and data: URLs; refuse everything else.

    No network, no file:// reads: a URL slipped into the HTML cannot make the
    worker call an internal service or copy a local file into the PDF.
    """

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = static_path(url)
        if path is None:
            raise ValueError(f"refused: {url[:80]}")
        with open(path, "rb") as f:
            body = f.read()
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


def static_path(url: str) -> str | None:
    """The file behind a project static URL, or None for anything else."""
    prefix = BASE_URL + settings.STATIC_URL.lstrip("/")
    parts = urlsplit(url)
    if not url.startswith(prefix) or parts.query or ".." in parts.path:
        return None
    try:
        found = finders.find(unquote(url[len(prefix) :]))
    except SuspiciousFileOperation:
        return None
    return found if isinstance(found, str) else None


_fonts: dict[str, FontConfiguration] = {}


def font_config() -> FontConfiguration:
    """One per process: building it again for every PDF costs time for nothing."""
    if "default" not in _fonts:
        _fonts["default"] = FontConfiguration()
    return _fonts["default"]


@cache
def stylesheet() -> CSS:
    """The plan's print stylesheet, parsed once per process, not once per PDF."""
    return CSS(string=print_css(), base_url=BASE_URL, font_config=font_config())


def print_css() -> str:
    return render_to_string(STYLESHEET)


def standalone_html(html: str) -> str:
    """The HTML with the print stylesheet inlined, as a browser needs it.

    It goes first in <head>, so that the page's own <style> still wins.
    """
    return html.replace("<head>", f"<head>\n<style>{print_css()}</style>", 1)


# WeasyPrint's user-agent stylesheet gives every element footnote and note
# pseudo-elements, and a ::marker: six extra styles computed per element of
# the plan. The plan has no footnotes or notes, and only <li> have markers.
_UNUSED_UA_RULES = re.compile(r"^::(footnote|note)-[a-z]+ \{[^}]*\}\n", re.MULTILINE)


@cache
def user_agent_stylesheet() -> CSS:
    """WeasyPrint's own stylesheet, without the rules the plan never uses."""
    stock = weasyprint_html.UA
    lean = _UNUSED_UA_RULES.sub("", stock).replace("\n::marker {", "\nli::marker {")
    if lean == stock:  # another WeasyPrint wrote it differently: keep its own
        return weasyprint_html.UA_STYLESHEET
    # Its @counter-style rules are WeasyPrint's own, already known: a throwaway
    # CounterStyle keeps them from being declared twice.
    return CSS(string=lean, counter_style=CounterStyle())


class PlanHTML(HTML):
    """HTML laid out with the lighter user-agent stylesheet (forms keep theirs)."""

    def _ua_stylesheets(self, forms=False):
        if forms:
            return super()._ua_stylesheets(forms)
        return [user_agent_stylesheet()]


def layout(html: str) -> Document:
    """Lay out and paginate HTML into WeasyPrint pages (not yet a PDF).

    The print stylesheet comes parsed (see `stylesheet`); the HTML may add
    rules of its own in a <style>, which win over it.
    """
    source = PlanHTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher())
    return source.render(
        font_config=font_config(), stylesheets=[stylesheet()], **PDF_OPTIONS
    )


_laid_out: dict[tuple, Document] = {}


def layout_once(key: tuple, html: Callable[[], str]) -> Document:
    """Pages that never change (per key) are laid out once per process."""
    if key not in _laid_out:
        _laid_out[key] = layout(html())
    return _laid_out[key]


def with_annex(plan: Document, annex: Document) -> Document:
    """The plan with the annex's pages in place of the empty ones it reserved.

    Metadata (title, language) are the plan's.
    """
    reserved = len(plan.pages) - len(annex.pages)
    return plan.copy(plan.pages[:reserved] + annex.pages)


def write(document: Document) -> bytes:
    return document.write_pdf(**PDF_OPTIONS)
