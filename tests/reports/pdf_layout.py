"""What is wrong with a plan's pages, read from WeasyPrint's own layout.

`problems(document)` walks the boxes of every page of a laid-out
`weasyprint.Document` (as `reports.pdf.layout` returns it) and names, per page:
a box beyond the page's content area, text wider than the box that holds it,
a heading left as the last thing on a page, a footer « X / Y » that is not
this page's number over the real page count.
"""

from __future__ import annotations

import re

from weasyprint.formatting_structure import boxes

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
SLACK = 0.5  # CSS px: rounding of WeasyPrint's own arithmetic
PAGE_NUMBER = re.compile(r"(\d+)\s*/\s*(\d+)")


def problems(document) -> list[str]:
    """Every layout problem of the document, one readable line each."""
    found = []
    total = len(document.pages)
    for number, page in enumerate(document.pages, start=1):
        found += [f"page {number}: {p}" for p in page_problems(page, number, total)]
    return found


def page_problems(page, number: int, total: int) -> list[str]:
    page_box = page._page_box
    content = [c for c in page_box.children if not isinstance(c, boxes.MarginBox)]
    margins = [c for c in page_box.children if isinstance(c, boxes.MarginBox)]
    found = []
    for root in content:
        found += beyond_content_area(root, page_box)
        found += overflowing_text(root)
    found += last_box_is_heading(content)
    found += wrong_page_number(margins, number, total)
    return found


def walk(box, ancestors=()):
    """Every box under `box`, with the chain of boxes above it."""
    yield box, ancestors
    for child in getattr(box, "children", ()):
        yield from walk(child, (*ancestors, box))


def beyond_content_area(root, page_box) -> list[str]:
    left, top = page_box.content_box_x(), page_box.content_box_y()
    right, bottom = left + page_box.width, top + page_box.height
    found = []
    for box, ancestors in walk(root):
        if not box.width or isinstance(box, boxes.TableColumnBox | boxes.LineBox):
            continue
        x, y = box.border_box_x(), box.border_box_y()
        width, height = box.border_width(), box.border_height()
        if x < left - SLACK or x + width > right + SLACK or y + height > bottom + SLACK:
            found.append(
                f"{describe(box, ancestors)} is beyond the content area "
                f"({px(x)}–{px(x + width)} × …{px(y + height)} px in "
                f"{px(left)}–{px(right)} × …{px(bottom)} px)"
            )
            break  # its descendants would only repeat it
    return found


def overflowing_text(root) -> list[str]:
    found = []
    for box, ancestors in walk(root):
        if not isinstance(box, boxes.TextBox) or not box.text.strip():
            continue
        holder = next(
            a for a in reversed(ancestors) if isinstance(a, boxes.BlockContainerBox)
        )
        limit = holder.content_box_x() + holder.width
        if box.position_x + box.width > limit + SLACK:
            found.append(
                f"text «{box.text.strip()[:40]}» in {describe(holder, ())} runs "
                f"{px(box.position_x + box.width - limit)} px past its box"
            )
    return found


def last_box_is_heading(content) -> list[str]:
    """A heading whose line is the last of the page: its text is on the next one."""
    last = None
    for root in content:
        for box, ancestors in walk(root):
            if isinstance(box, boxes.LineBox):
                last = (box, ancestors)
    if last is None:
        return []
    box, ancestors = last
    heading = next((a for a in ancestors if a.element_tag in HEADINGS), None)
    if heading is None:
        return []
    return [f"the heading «{text_of(heading)[:60]}» ends the page"]


def wrong_page_number(margins, number: int, total: int) -> list[str]:
    found = []
    for margin in margins:
        match = PAGE_NUMBER.search(text_of(margin))
        if match and (int(match[1]), int(match[2])) != (number, total):
            found.append(f"the footer reads «{match[0]}», not «{number} / {total}»")
    return found


def text_of(box) -> str:
    return " ".join(
        b.text for b, _ in walk(box) if isinstance(b, boxes.TextBox)
    ).strip()


def describe(box, ancestors) -> str:
    tag = box.element_tag or type(box).__name__
    classes = ""
    element = getattr(box, "element", None)
    if element is not None and element.get("class"):
        classes = "." + ".".join(element.get("class").split())
    return f"<{tag}{classes}> «{text_of(box)[:40]}»"


def px(value: float) -> str:
    return f"{value:.0f}"
