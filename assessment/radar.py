"""The radar chart of the six dimensions, as standalone SVG markup.

A pure function of the scores: the result page and the PDF report both embed
it. The chart carries a <title> and a <desc> listing every score, and pages
show the same figures in a table next to it.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .scoring import DIMENSIONS, dimension_label

WIDTH, HEIGHT = 660, 500  # viewBox: wide enough for the side labels
CENTRE_X, CENTRE_Y = WIDTH / 2, HEIGHT / 2
RADIUS = 150
RINGS = (20, 40, 60, 80, 100)  # the five level steps
LABEL_GAP = 26
LINE_HEIGHT = 17
# From the top of a label's line box to its baseline, at font-size 14 in
# Liberation Sans (ascent 0.905 em, descent 0.212 em): the half-leading
# (17 - 1.117 × 14) / 2, then the ascent.
LINE_BASELINE = 13.35
# The web page's font; the printed plan passes its own (one face fewer to embed).
FONT_FAMILY = "system-ui, sans-serif"
COLOURS = {
    "grid": "#c5ccd6",
    "axis": "#8a94a3",
    "text": "#1d2733",
    "score": "#0f6e8c",
    "previous": "#b3541e",
}


def _point(index: int, value: float, count: int) -> tuple[float, float]:
    """Axis `index` starts at the top and turns clockwise; value 100 is the rim."""
    angle = -math.pi / 2 + 2 * math.pi * index / count
    distance = RADIUS * value / 100
    return (
        round(CENTRE_X + distance * math.cos(angle), 1),
        round(CENTRE_Y + distance * math.sin(angle), 1),
    )


def _points(values: list[float]) -> str:
    count = len(values)
    return " ".join(
        f"{x},{y}" for x, y in (_point(i, v, count) for i, v in enumerate(values))
    )


def _label_lines(label: str) -> list[str]:
    """Long labels break between words, in any language, to fit beside the chart:
    « Cybersecurity and sovereignty » ran past the left edge on one line."""
    return textwrap.wrap(label, 16) if len(label) > 18 else [label]


@dataclass(frozen=True)
class Label:
    """A dimension's label beside the chart: its lines, the score last (bold).

    `x` and `top` (the first line's baseline) are in viewBox units; `anchor`
    is SVG's text-anchor. The percentages place it in HTML over a box of the
    chart's size, for readers that draw the labels outside the SVG.
    """

    lines: tuple[str, ...]
    anchor: str  # "start", "middle" or "end"
    x: float
    top: float

    @property
    def left_percent(self) -> float:
        return round(100 * self.x / WIDTH, 2)

    @property
    def right_percent(self) -> float:
        return round(100 * (WIDTH - self.x) / WIDTH, 2)

    @property
    def top_percent(self) -> float:
        """The top of the first line box (LINE_HEIGHT high) in Liberation Sans."""
        return round(100 * (self.top - LINE_BASELINE) / HEIGHT, 2)


def labels(scores: dict[str, int]) -> list[Label]:
    """Where each dimension's label goes, clockwise from the top."""
    count = len(DIMENSIONS)
    return [
        _place(i, count, dimension_label(code), scores[code])
        for i, code in enumerate(DIMENSIONS)
    ]


def _place(index: int, count: int, label: str, score: int) -> Label:
    x, y = _point(index, 100 + LABEL_GAP * 100 / RADIUS, count)
    anchor = "middle" if abs(x - CENTRE_X) < 5 else ("start" if x > CENTRE_X else "end")
    lines = (*_label_lines(label), f"{score}/100")
    top = y - (len(lines) - 1) * LINE_HEIGHT / 2
    if y < CENTRE_Y - RADIUS:  # the top label grows upwards, not into the chart
        top = y - (len(lines) - 1) * LINE_HEIGHT
    elif y > CENTRE_Y + RADIUS:  # and the bottom one downwards
        top = y
    return Label(lines, anchor, x, top)


def _label(label: Label) -> SafeString:
    lines = label.lines
    tspans = format_html_join(
        "",
        '<tspan x="{}" y="{}"{}>{}</tspan>',
        (
            (
                label.x,
                round(label.top + n * LINE_HEIGHT, 1),
                mark_safe(_weight(n, lines)),
                line,
            )
            for n, line in enumerate(lines)
        ),
    )
    return format_html(
        '<text text-anchor="{}" font-size="14" fill="{}">{}</text>',
        label.anchor,
        COLOURS["text"],
        tspans,
    )


def _weight(n: int, lines: list[str]) -> str:
    return ' font-weight="bold"' if n == len(lines) - 1 else ""


def _grid(count: int) -> SafeString:
    rings = format_html_join(
        "",
        '<polygon points="{}" fill="none" stroke="{}" stroke-width="1"/>',
        ((_points([ring] * count), COLOURS["grid"]) for ring in RINGS),
    )
    axes = format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>',
        (
            (CENTRE_X, CENTRE_Y, *_point(i, 100, count), COLOURS["axis"])
            for i in range(count)
        ),
    )
    ticks = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="11" fill="{}">{}</text>',
        (
            (CENTRE_X + 4, CENTRE_Y - RADIUS * r / 100 + 12, COLOURS["axis"], r)
            for r in RINGS
        ),
    )
    return rings + axes + ticks


def _shape(values: list[float], colour: str, *, dashed: bool) -> SafeString:
    dash = ' stroke-dasharray="6 4"' if dashed else ""
    fill_opacity = "0" if dashed else "0.22"
    dots = ""
    if not dashed:
        dots = format_html_join(
            "",
            '<circle cx="{}" cy="{}" r="4" fill="{}"/>',
            ((*_point(i, v, len(values)), colour) for i, v in enumerate(values)),
        )
    return format_html(
        '<polygon points="{}" fill="{}" fill-opacity="{}" stroke="{}" '
        'stroke-width="2.5"{}/>{}',
        _points(values),
        colour,
        fill_opacity,
        colour,
        mark_safe(dash),
        dots,
    )


def describe(scores: dict[str, int], previous: dict[str, int] | None = None) -> str:
    """The chart in words, for screen readers and text-only readers."""
    parts = [
        _("%(dimension)s : %(score)d sur 100")
        % {"dimension": dimension_label(code), "score": scores[code]}
        for code in DIMENSIONS
    ]
    text = "\u00a0; ".join(parts) + "."
    if previous:
        text += " " + _("La ligne en pointillés montre le diagnostic précédent.")
    return text


def radar_svg(
    scores: dict[str, int],
    *,
    previous: dict[str, int] | None = None,
    id_prefix: str = "radar",
    title: str | None = None,
    font_family: str = FONT_FAMILY,
    with_labels: bool = True,
) -> SafeString:
    """SVG markup of the radar chart; `previous` scores are drawn dashed.

    Without labels, the reader places `labels(scores)` itself: WeasyPrint lays
    out SVG text one letter at a time, HTML text one line at a time.
    """
    count = len(DIMENSIONS)
    values = [scores[code] for code in DIMENSIONS]
    title = title or _("Radar de maturité en six dimensions")
    layers = [_grid(count)]
    if previous:
        layers.append(
            _shape([previous[c] for c in DIMENSIONS], COLOURS["previous"], dashed=True)
        )
    layers.append(_shape(values, COLOURS["score"], dashed=False))
    shown = labels(scores) if with_labels else []
    label_markup = format_html_join("", "{}", ((_label(label),) for label in shown))
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        'role="img" aria-labelledby="{id}-title {id}-desc" class="radar" '
        'font-family="{font_family}">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        "{layers}{labels}</svg>",
        width=WIDTH,
        height=HEIGHT,
        id=id_prefix,
        font_family=font_family,
        title=title,
        desc=describe(scores, previous),
        layers=mark_safe("".join(layers)),
        labels=label_markup,
    )
