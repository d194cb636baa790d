"""An organisation's statistics on the cases shared with it.

Every figure adds up the rolled-up counts of the organisation's active cases
(withdrawn shares never count) kept by advisors/tallies.py: a few rows per
day of the period, in the same few queries whatever the number of cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assessment.models import Outcome
from assessment.scoring import LEVELS, dimension_label
from catalog.models import Department, Sector, SizeBand, StoneCategory

from . import tallies
from .models import Case, CaseTally, Organisation

TOP_STONES = 10
Facet = CaseTally.Facet


@dataclass(frozen=True)
class Period:
    """Cases shared between two dates, both included; None leaves a side open."""

    shared_after: date | None = None
    shared_before: date | None = None


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class Average:
    key: str
    label: str
    value: float | None  # None when no case has scores yet


@dataclass(frozen=True)
class Month:
    month: date  # its first day
    count: int

    @property
    def key(self) -> str:
        return self.month.strftime("%Y-%m")

    @property
    def label(self) -> str:
        return date_format(self.month, "F Y")


@dataclass(frozen=True)
class Statistics:
    period: Period
    total: int
    overall: Average
    dimensions: list[Average]
    departments: list[Row]
    sectors: list[Row]
    size_bands: list[Row]
    levels: list[Row]
    statuses: list[Row]
    stones: list[Row]
    months: list[Month] = field(default_factory=list)


def parse_period(params) -> tuple[Period, dict[str, str]]:
    """Read `shared_after` and `shared_before` (YYYY-MM-DD); bad ones go to errors."""
    errors: dict[str, str] = {}
    dates: dict[str, date | None] = {}
    for name in ("shared_after", "shared_before"):
        raw = (params.get(name) or "").strip()
        dates[name] = None
        if raw:
            try:
                dates[name] = date.fromisoformat(raw)
            except ValueError:
                errors[name] = _("Date attendue au format AAAA-MM-JJ (ex. 2026-03-31).")
    period = Period(**dates)
    after, before = period.shared_after, period.shared_before
    if after and before and after > before:
        errors["shared_before"] = _("La date de fin précède la date de début.")
        period = Period(shared_after=after)
    return period, errors


def tallies_in(organisation: Organisation, period: Period) -> QuerySet:
    """The organisation's tally rows that add up to the period: the month rows
    of the months it covers whole, the day rows of its other days."""
    after, before = period.shared_after, period.shared_before
    first_whole = after
    if after is not None and after.day != 1:
        first_whole = _next_month(after) or date.max  # date.max: none whole
    end_whole = None  # the first day after the last whole month; None: no end
    if before is not None:
        following = _next_month(before)
        last_day = following is None or following - timedelta(days=1) == before
        end_whole = following if last_day else before.replace(day=1)
    nothing = Q(pk__in=[])
    if first_whole is None and end_whole is None:
        months, days = Q(whole_month=True), nothing
    elif first_whole is not None and end_whole is not None and first_whole >= end_whole:
        months = nothing  # no whole month in the period
        days = _between(Q(whole_month=False), after, before, inclusive=True)
    else:
        whole = _between(Q(), first_whole, end_whole)
        months = Q(whole_month=True) & whole
        days = _between(Q(whole_month=False), after, before, inclusive=True) & ~whole
    return CaseTally.objects.filter(Q(organisation=organisation) & (months | days))


def _between(q: Q, start: date | None, end: date | None, inclusive=False) -> Q:
    if start is not None:
        q &= Q(day__gte=start)
    if end is not None:
        q &= Q(day__lte=end) if inclusive else Q(day__lt=end)
    return q


def _next_month(day: date) -> date | None:
    """The first day of the next month; None after the last month there is."""
    if (day.year, day.month) == (date.max.year, date.max.month):
        return None
    return (day.replace(day=1) + timedelta(days=31)).replace(day=1)


def organisation_statistics(
    organisation: Organisation, period: Period | None = None
) -> Statistics:
    """Every figure of the statistics page, from the rolled-up counts."""
    period = period or Period()
    rows = tallies_in(organisation, period)
    facets = _facets(rows)
    statuses = facets.get(Facet.STATUS, {})
    total, scored = _sum(statuses, "cases"), _sum(statuses, "scored")
    return Statistics(
        period=period,
        total=total,
        overall=Average(
            "overall", _("Score global"), _mean(statuses, "overall", scored)
        ),
        dimensions=[
            Average(code, dimension_label(code), _mean(statuses, code, scored))
            for code in Outcome.dimension_codes()
        ],
        departments=_departments(facets.get(Facet.DEPARTMENT, {})),
        sectors=_sectors(facets.get(Facet.SECTOR, {})),
        size_bands=_size_bands(facets.get(Facet.SIZE_BAND, {})),
        levels=_levels(facets.get(Facet.LEVEL, {})),
        statuses=[
            Row(status, str(label), statuses.get(status, {}).get("cases", 0))
            for status, label in Case.Status.choices
        ],
        stones=_stones(facets.get(Facet.STONE, {})),
        months=_months(_month_counts(rows)),
    )


def _facets(rows: QuerySet) -> dict[str, dict[str, dict]]:
    """The sums by facet then key: {facet: {key: {"cases": …}}}, added up by
    the database (a row per key, not per key and month: converting rows is
    what costs here).

    Keys left with no case (every case of theirs withdrawn) are left out.
    """
    sums = rows.values("facet", "key").annotate(
        **{name: Sum(name) for name in tallies.COLUMNS}
    )
    facets: dict[str, dict[str, dict]] = {}
    for row in sums.order_by():
        if row["cases"]:
            facets.setdefault(row["facet"], {})[row["key"]] = row
    return facets


def _month_counts(rows: QuerySet) -> dict[date, int]:
    """Cases shared each month, from the status rows (one per case)."""
    groups = (
        rows.filter(facet=Facet.STATUS)
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(count=Sum("cases"))
        .order_by()
    )
    return {g["month"]: g["count"] for g in groups if g["count"]}


def _sum(keys: dict[str, dict], name: str) -> int:
    return sum(row[name] for row in keys.values())


def _mean(keys: dict[str, dict], code: str, scored: int) -> float | None:
    # PostgreSQL sums bigints as numeric (Decimal): the average is a float.
    return round(float(_sum(keys, code)) / scored, 1) if scored else None


def _labelled(keys: dict[str, dict], model) -> list[tuple]:
    """(object, count) for each key, an id of `model`; unknown ids are left out."""
    found = model.objects.in_bulk([int(key) for key in keys if key.isdecimal()])
    return [(found[int(k)], row["cases"]) for k, row in keys.items() if int(k) in found]


def _departments(keys: dict[str, dict]) -> list[Row]:
    rows = [
        Row(d.code, f"{d.name} ({d.code})", n) for d, n in _labelled(keys, Department)
    ]
    return sorted(rows, key=lambda r: (-r.count, r.label))


def _sectors(keys: dict[str, dict]) -> list[Row]:
    rows = [Row(s.slug, s.name, n) for s, n in _labelled(keys, Sector)]
    return sorted(rows, key=lambda r: (-r.count, r.label))


def _size_bands(keys: dict[str, dict]) -> list[Row]:
    """Smallest companies first."""
    bands = sorted(
        _labelled(keys, SizeBand), key=lambda b: (b[0].min_employees, b[0].name)
    )
    return [Row(band.code, band.name, n) for band, n in bands]


def _levels(keys: dict[str, dict]) -> list[Row]:
    rows = [
        Row(level.code, str(level.name), keys.get(str(level.rank), {}).get("cases", 0))
        for level in LEVELS
    ]
    unscored = keys.get("", {}).get("cases", 0)
    if unscored:  # shared before its outcome was recorded
        rows.append(Row("", _("Sans résultat enregistré"), unscored))
    return rows


def _stones(keys: dict[str, dict]) -> list[Row]:
    """The most frequent stone categories of the catalogue."""
    names = dict(
        StoneCategory.objects.filter(slug__in=keys).values_list("slug", "name")
    )
    rows = [
        Row(slug, names[slug], row["cases"])
        for slug, row in keys.items()
        if slug in names
    ]
    rows.sort(key=lambda r: (-r.count, r.key))
    return rows[:TOP_STONES]


def _months(counts: dict[date, int]) -> list[Month]:
    """Cases shared each month (local time), months without any included."""
    if not counts:
        return []
    months, month, last = [], min(counts), max(counts)
    while month <= last:
        months.append(Month(month, counts.get(month, 0)))
        month = (month + timedelta(days=31)).replace(day=1)
    return months
