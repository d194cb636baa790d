"""An organisation's statistics on the cases shared with it.

Every figure is aggregated by the database over the organisation's active
cases (withdrawn shares never count), in the same few queries whatever the
number of cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import CharField, Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Concat, TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assessment.models import Outcome
from assessment.scoring import LEVELS, dimension_label
from catalog.models import StoneCategory

from .models import Case, Organisation

TOP_STONES = 10
OUTCOME = "assessment__outcome__"
SCORES = ("overall", *Outcome.dimension_codes())


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


def cases_in(organisation: Organisation, period: Period) -> QuerySet:
    """The organisation's active cases shared within the period."""
    cases = Case.objects.of(organisation)
    # Bounds as instants of the local day, so that the shared_at index serves.
    if period.shared_after:
        cases = cases.filter(shared_at__gte=_start_of(period.shared_after))
    if period.shared_before:
        try:
            cases = cases.filter(
                shared_at__lt=_start_of(period.shared_before + timedelta(days=1))
            )
        except OverflowError:  # 9999-12-31: no upper bound
            pass
    return cases


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def organisation_statistics(
    organisation: Organisation, period: Period | None = None
) -> Statistics:
    """Every figure of the statistics page, in three queries."""
    period = period or Period()
    cases = cases_in(organisation, period)
    stones = list(StoneCategory.objects.only("slug", "name"))
    groups = _groups(cases, stones)
    scored = _sum(groups, "scored")
    return Statistics(
        period=period,
        total=_sum(groups, "cases"),
        overall=Average("overall", _("Score global"), _mean(groups, "overall", scored)),
        dimensions=[
            Average(code, dimension_label(code), _mean(groups, code, scored))
            for code in Outcome.dimension_codes()
        ],
        departments=_rows(groups, "department", lambda g: -g.count),
        sectors=_rows(groups, "sector", lambda g: -g.count),
        size_bands=_rows(groups, "size_band", lambda g: g.rank),
        levels=_levels(groups, scored),
        statuses=[
            Row(status, str(label), _sum(groups, f"status_{status}"))
            for status, label in Case.Status.choices
        ],
        stones=_stones(groups, stones),
        months=_months(cases),
    )


# What cases are grouped by; "rank" orders size bands, smallest companies first.
GROUPED_BY = {
    "department": F("assessment__department__code"),
    "department_label": Concat(
        "assessment__department__name", Value(" ("), "assessment__department__code",
        Value(")"), output_field=CharField(),
    ),
    "sector": F("assessment__sector__slug"),
    "sector_label": F("assessment__sector__name"),
    "size_band": F("assessment__size_band__code"),
    "size_band_label": F("assessment__size_band__name"),
    "size_band_rank": F("assessment__size_band__min_employees"),
}  # fmt: skip


def _groups(cases: QuerySet, stones: list[StoneCategory]) -> list[dict]:
    """Counts and score sums per department, sector and size band at once.

    One pass over the cases gives every count of the page but the months; the
    groups (at most departments × sectors × sizes) are added up in Python.
    """
    sums = {
        "cases": Count("pk"),
        "scored": Count(OUTCOME + "pk"),
        **{code: Sum(OUTCOME + code) for code in SCORES},
        **{
            f"level_{level.rank}": Count(
                "pk", filter=Q(**{OUTCOME + "level": level.rank})
            )
            for level in LEVELS
        },
        **{
            f"status_{status}": Count("pk", filter=Q(status=status))
            for status in Case.Status.values
        },
        **{
            f"stone_{n}": Count("pk", filter=Q(**{OUTCOME + "stone_category": s.slug}))
            for n, s in enumerate(stones)
        },
    }
    return list(cases.values(**GROUPED_BY).annotate(**sums).order_by())


def _sum(groups: list[dict], name: str) -> int:
    # A group of cases without any recorded outcome sums its scores to None.
    return sum(group[name] or 0 for group in groups)


def _mean(groups: list[dict], code: str, scored: int) -> float | None:
    return round(_sum(groups, code) / scored, 1) if scored else None


@dataclass
class _Tally:
    label: str
    rank: int = 0
    count: int = 0


def _rows(groups: list[dict], key: str, order) -> list[Row]:
    """Cases counted by `key` (department, sector or size band), sorted by `order`."""
    tallies: dict[str, _Tally] = {}
    for group in groups:
        tally = tallies.setdefault(
            group[key], _Tally(group[f"{key}_label"], group.get(f"{key}_rank") or 0)
        )
        tally.count += group["cases"]
    ordered = sorted(tallies.items(), key=lambda item: (order(item[1]), item[1].label))
    return [Row(code, tally.label, tally.count) for code, tally in ordered]


def _levels(groups: list[dict], scored: int) -> list[Row]:
    rows = [
        Row(level.code, str(level.name), _sum(groups, f"level_{level.rank}"))
        for level in LEVELS
    ]
    unscored = _sum(groups, "cases") - scored
    if unscored:  # shared before its outcome was recorded
        rows.append(Row("", _("Sans résultat enregistré"), unscored))
    return rows


def _stones(groups: list[dict], stones: list[StoneCategory]) -> list[Row]:
    """The most frequent stone categories of the catalogue."""
    rows = [
        Row(stone.slug, stone.name, _sum(groups, f"stone_{n}"))
        for n, stone in enumerate(stones)
    ]
    rows = sorted((r for r in rows if r.count), key=lambda r: (-r.count, r.key))
    return rows[:TOP_STONES]


def _months(cases: QuerySet) -> list[Month]:
    """Cases shared each month, in local time, months without any included."""
    groups = (
        cases.annotate(month=TruncMonth("shared_at"))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by("month")
    )
    counts = {timezone.localtime(g["month"]).date(): g["count"] for g in groups}
    if not counts:
        return []
    months, month, last = [], min(counts), max(counts)
    while month <= last:
        months.append(Month(month, counts.get(month, 0)))
        month = (month + timedelta(days=31)).replace(day=1)
    return months
