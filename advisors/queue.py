"""The queue of an organisation's cases: filters and sorts, search, pages.

The filters and sorts are `filters.CaseFilter`; this module reads the query
string for it, checks the paging, and fetches one page. What is not
understood is reported, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import EmptyPage, Page, Paginator
from django.utils.translation import gettext as _

from .filters import CaseFilter

PER_PAGE = 25
PER_PAGE_CHOICES = (10, 25, 50, 100)
# Always in view on the page: the search box, and the order and paging, which
# do not narrow the list. The page folds the other filters unless one is used.
NOT_FOLDED = {"q", "sort", "page", "per_page"}


@dataclass(frozen=True)
class Queue:
    filterset: CaseFilter
    page: Page
    errors: dict[str, str]  # one message per query parameter

    @property
    def active(self) -> int:
        """How many of the folded filters narrow the list."""
        data = self.filterset.form.cleaned_data if self.filterset.is_bound else {}
        return sum(
            1 for name, value in data.items() if value and name not in NOT_FOLDED
        )


def read(params, *, organisation, user) -> Queue:
    """The page of cases a query string asks for, with what it got wrong."""
    data, errors = _readable(params)
    filterset = CaseFilter(data, organisation=organisation, user=user)
    number = _positive(data.get("page", "1"), errors, "page") or 1
    per_page = _per_page(data.get("per_page", str(PER_PAGE)), errors)
    if not filterset.is_valid():
        errors.update((name, " ".join(e)) for name, e in filterset.errors.items())
    # Invalid filters are left out, not guessed: the list shows the rest.
    return Queue(filterset, page_of(filterset.qs, number, per_page), errors)


def _readable(params) -> tuple[dict, dict]:
    """The values as sent, stripped; a NUL byte (no database stores it) is refused."""
    data, errors = {}, {}
    for name in [*CaseFilter.base_filters, "page", "per_page"]:
        value = params.get(name, "").strip()
        if "\x00" in value:
            errors[name] = _("Caractère non valide.")
        elif value:
            data[name] = value
    return data, errors


def _positive(raw: str, errors: dict, name: str) -> int | None:
    if raw.isdecimal() and 0 < int(raw) < 10**6:
        return int(raw)
    errors[name] = _("Nombre entier positif attendu.")
    return None


def _per_page(raw: str, errors: dict) -> int:
    per_page = _positive(raw, errors, "per_page")
    if per_page in PER_PAGE_CHOICES:
        return per_page
    if per_page:
        errors["per_page"] = _("Taille de page possible : %(choices)s.") % {
            "choices": ", ".join(map(str, PER_PAGE_CHOICES))
        }
    return PER_PAGE


def page_of(qs, number: int, per_page: int) -> Page:
    """One page, in two queries: its cases' ids, which the case table's
    indexes give without visiting the table (nor joining a row the page does
    not show), then those cases with everything a row shows."""
    paginator = Paginator(qs.values_list("pk", flat=True), per_page)
    try:
        page = paginator.page(number)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    ids = list(page.object_list)
    rows = qs.model.objects.select_related(
        "assessment__department", "assessment__sector", "assessment__size_band",
        "assessment__outcome", "assignee",
    ).in_bulk(ids)  # fmt: skip
    # A case withdrawn between the two queries is left out, not shown.
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page
