"""The queue of an organisation's cases: filters, search, sort and pages.

Filters come from a query string (pages) or query parameters (API) and are
checked here; what is not understood is reported, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.paginator import EmptyPage, Paginator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Case

PER_PAGE = 25
PER_PAGE_CHOICES = (10, 25, 50, 100)
SORTS = {  # the value in the URL → the order
    "-shared_at": ("-shared_at", "-pk"),
    "shared_at": ("shared_at", "pk"),
    "company": ("assessment__company_name", "pk"),
    "-company": ("-assessment__company_name", "-pk"),
    "-overall": ("-assessment__outcome__overall", "-pk"),
    "overall": ("assessment__outcome__overall", "pk"),
    "-updated_at": ("-updated_at", "-pk"),
}
DEFAULT_SORT = "-shared_at"
SEARCH_MAX = 100


@dataclass
class Filters:
    status: str = ""
    department: str = ""  # department code
    sector: str = ""  # sector slug
    size: str = ""  # size band code
    level: int | None = None
    stone: str = ""  # stone category slug
    assignee: str = ""  # "me", "none" or a user id
    shared_after: date | None = None
    shared_before: date | None = None
    q: str = ""
    sort: str = DEFAULT_SORT
    page: int = 1
    per_page: int = PER_PAGE
    errors: dict[str, str] = field(default_factory=dict)


def parse(params) -> Filters:
    """Read filters from a QueryDict-like mapping; bad values go to `errors`."""
    f = Filters()
    errors = f.errors
    raw = {name: _text(params, name, errors) for name in RAW_FILTERS}
    f.status = raw["status"]
    if f.status and f.status not in Case.Status.values:
        errors["status"] = _("État inconnu.")
    for name in ("department", "sector", "size", "stone"):
        setattr(f, name, raw[name][:50])
    f.assignee = raw["assignee"]
    if f.assignee not in ("", "me", "none") and not _is_id(f.assignee):
        errors["assignee"] = _("Conseiller inconnu.")
        f.assignee = ""
    level = raw["level"]
    if level:
        if level.isdecimal() and int(level) <= 4:
            f.level = int(level)
        else:
            errors["level"] = _("Le niveau va de 0 à 4.")
    for name in ("shared_after", "shared_before"):
        if raw[name]:
            try:
                setattr(f, name, date.fromisoformat(raw[name]))
            except ValueError:
                errors[name] = _("Date attendue au format AAAA-MM-JJ.")
    f.q = raw["q"]
    if len(f.q) > SEARCH_MAX:
        errors["q"] = _("La recherche est limitée à %(n)s caractères.") % {
            "n": SEARCH_MAX
        }
    f.sort = params.get("sort", DEFAULT_SORT)
    if f.sort not in SORTS:
        errors["sort"] = _("Tri inconnu.")
        f.sort = DEFAULT_SORT
    f.page = _positive(params.get("page", "1"), errors, "page") or 1
    per_page = _positive(params.get("per_page", str(PER_PAGE)), errors, "per_page")
    if per_page and per_page not in PER_PAGE_CHOICES:
        errors["per_page"] = _("Taille de page possible : %(choices)s.") % {
            "choices": ", ".join(map(str, PER_PAGE_CHOICES))
        }
    elif per_page:
        f.per_page = per_page
    return f


RAW_FILTERS = (
    "status", "department", "sector", "size", "stone", "assignee", "level",
    "shared_after", "shared_before", "q",
)  # fmt: skip


def _text(params, name: str, errors: dict) -> str:
    """A filter as sent, stripped; a NUL byte (no database stores it) is refused."""
    value = params.get(name, "").strip()
    if "\x00" in value:
        errors[name] = _("Caractère non valide.")
        return ""
    return value


def _is_id(value: str) -> bool:
    """A user id the database can hold (isdecimal: int() reads every such digit)."""
    return value.isdecimal() and len(value) <= 18


def _positive(raw: str, errors: dict, name: str) -> int | None:
    raw = (raw or "").strip()
    if raw.isdecimal() and 0 < int(raw) < 10**6:
        return int(raw)
    errors[name] = _("Nombre entier positif attendu.")
    return None


def cases(organisation, filters: Filters, user) -> QuerySet:
    """The organisation's active cases matching the filters, sorted."""
    qs = Case.objects.of(organisation)
    f = filters
    if f.status:
        qs = qs.filter(status=f.status)
    if f.department:
        qs = qs.filter(assessment__department__code=f.department)
    if f.sector:
        qs = qs.filter(assessment__sector__slug=f.sector)
    if f.size:
        qs = qs.filter(assessment__size_band__code=f.size)
    if f.level is not None:
        qs = qs.filter(assessment__outcome__level=f.level)
    if f.stone:
        qs = qs.filter(assessment__outcome__stone_category=f.stone)
    if f.assignee == "me":
        qs = qs.filter(assignee=user)
    elif f.assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif f.assignee:
        qs = qs.filter(assignee_id=int(f.assignee))
    # Bounds on the column itself (not its date) so that the index serves them.
    if f.shared_after:
        qs = qs.filter(shared_at__gte=_day_start(f.shared_after))
    if f.shared_before:
        qs = qs.filter(shared_at__lt=_day_start(f.shared_before + timedelta(days=1)))
    if f.q:
        qs = qs.filter(assessment__company_name__icontains=f.q)
    return qs.order_by(*SORTS[f.sort])


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def page_of(qs: QuerySet, filters: Filters):
    """One page, its rows fetched with everything a row shows in one query."""
    rows = qs.select_related(
        "assessment__department", "assessment__sector", "assessment__size_band",
        "assessment__outcome", "assignee",
    )  # fmt: skip
    paginator = Paginator(rows, filters.per_page)
    try:
        return paginator.page(filters.page)
    except EmptyPage:
        return paginator.page(paginator.num_pages)
