"""Bar charts of the statistics, as standalone SVG markup.

Pure functions of plain figures, drawn in the style of `assessment.radar`.
Labels come from the catalogue and from users: they only ever reach the
markup through `format_html`, which escapes them. Each chart carries a
<title> and a <desc> listing every figure, and pages show the same figures in
a table under it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

WIDTH = 640
ROW_HEIGHT = 30
BAR_HEIGHT = 18
LABEL_WIDTH = 230  # the label column of horizontal bars
VALUE_GAP = 6
LABEL_MAX = 32  # characters; the table under the chart has the full label
COLUMN_HEIGHT = 200  # the plotting height of the monthly columns
MARGIN = 10
COLOURS = {"bar": "#0f6e8c", "text": "#1d2733", "axis": "#8a94a3"}


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as written next to the bar, e.g. "12" or "52,3"
    short: str = ""  # under a column, when the label is too long (03/2026)


def describe(bars: list[Bar]) -> str:
    """The chart in words, for screen readers and text-only readers."""
    if not bars:
        return _("Aucune donnée.")
    parts = [f"{bar.label}\u00a0: {bar.text}" for bar in bars]
    return "\u00a0; ".join(parts) + "."


def _short(label: str, limit: int = LABEL_MAX) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _svg(*, id_prefix: str, title: str, bars: list[Bar], height: float, body):
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        'width="100%" role="img" aria-labelledby="{id}-title {id}-desc" '
        'class="chart" font-family="system-ui, sans-serif">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        "{body}</svg>",
        width=WIDTH,
        height=round(height),
        id=id_prefix,
        title=title,
        desc=describe(bars),
        body=body,
    )


def bar_chart(
    bars: list[Bar], *, title: str, id_prefix: str, maximum: float | None = None
) -> SafeString:
    """Horizontal bars, one per row, scaled to `maximum` (the largest by default)."""
    top = maximum or max((bar.value for bar in bars), default=0) or 1
    room = WIDTH - LABEL_WIDTH - 2 * MARGIN - 60  # leaves room for the value
    rows = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="end" font-size="13" fill="{}">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
        '<text x="{}" y="{}" font-size="13" font-weight="bold" fill="{}">{}</text>',
        (
            _bar_row(n, bar, round(room * min(bar.value, top) / top, 1))
            for n, bar in enumerate(bars)
        ),
    )
    axis = format_html(
        '<line x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" stroke="{colour}"/>',
        x=LABEL_WIDTH,
        top=MARGIN,
        bottom=MARGIN + len(bars) * ROW_HEIGHT,
        colour=COLOURS["axis"],
    )
    height = 2 * MARGIN + max(len(bars), 1) * ROW_HEIGHT
    return _svg(
        id_prefix=id_prefix, title=title, bars=bars, height=height, body=axis + rows
    )


def _bar_row(n: int, bar: Bar, length: float) -> tuple:
    middle = MARGIN + n * ROW_HEIGHT + ROW_HEIGHT / 2
    return (
        LABEL_WIDTH - VALUE_GAP, middle + 4, COLOURS["text"], _short(bar.label),
        LABEL_WIDTH, middle - BAR_HEIGHT / 2, length, BAR_HEIGHT, COLOURS["bar"],
        LABEL_WIDTH + length + VALUE_GAP, middle + 4, COLOURS["text"], bar.text,
    )  # fmt: skip


def column_chart(bars: list[Bar], *, title: str, id_prefix: str) -> SafeString:
    """Vertical columns in order (months); every label shown when they fit."""
    count = max(len(bars), 1)
    top = max((bar.value for bar in bars), default=0) or 1
    step = (WIDTH - 2 * MARGIN) / count
    baseline = MARGIN + 20 + COLUMN_HEIGHT  # 20: room for the value above
    every = max(1, round(count * 70 / (WIDTH - 2 * MARGIN)))  # ~70 px per label
    columns = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
        '<text x="{}" y="{}" text-anchor="middle" font-size="12" fill="{}">{}</text>',
        (_column(n, bar, step, top, baseline) for n, bar in enumerate(bars)),
    )
    labels = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" font-size="12" fill="{}">{}</text>',
        (
            (round(MARGIN + (n + 0.5) * step, 1), baseline + 18, COLOURS["text"],
             bar.short or _short(bar.label, 12))
            for n, bar in enumerate(bars)
            if n % every == 0
        ),
    )  # fmt: skip
    axis = format_html(
        '<line x1="{left}" y1="{y}" x2="{right}" y2="{y}" stroke="{colour}"/>',
        left=MARGIN,
        right=WIDTH - MARGIN,
        y=baseline,
        colour=COLOURS["axis"],
    )
    return _svg(
        id_prefix=id_prefix,
        title=title,
        bars=bars,
        height=baseline + 30,
        body=axis + columns + labels,
    )


def _column(n: int, bar: Bar, step: float, top: float, baseline: float) -> tuple:
    height = round(COLUMN_HEIGHT * bar.value / top, 1)
    width = round(step * 0.7, 1)
    centre = round(MARGIN + (n + 0.5) * step, 1)
    # Values are written above the columns only when they have room.
    text = bar.text if step >= 18 else ""
    return (
        round(centre - width / 2, 1), round(baseline - height, 1), width, height,
        COLOURS["bar"], centre, round(baseline - height - 5, 1), COLOURS["text"], text,
    )  # fmt: skip
