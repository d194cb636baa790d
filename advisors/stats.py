"""An organisation's statistics on the cases shared with it.

Every figure is aggregated by the database over the organisation's active
cases (withdrawn shares never count), in the same few queries whatever the
number of cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Avg, Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assessment.models import Outcome
from assessment.scoring import LEVELS, dimension_label
from catalog.models import StoneCategory

from .models import Case, Organisation

TOP_STONES = 10
OUTCOME = "assessment__outcome__"


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
    """Every figure of the statistics page, in seven queries."""
    period = period or Period()
    cases = cases_in(organisation, period)
    totals = _totals(cases)
    return Statistics(
        period=period,
        total=totals["total"],
        overall=Average("overall", _("Score global"), totals["overall"]),
        dimensions=[
            Average(code, dimension_label(code), totals[code])
            for code in Outcome.dimension_codes()
        ],
        departments=_by_department(cases),
        sectors=_counts(cases, "assessment__sector__slug", "assessment__sector__name"),
        size_bands=_by_size_band(cases),
        levels=_levels(totals),
        statuses=_statuses(totals),
        stones=_stones(cases),
        months=_months(cases),
    )


def _totals(cases: QuerySet) -> dict:
    """Count, averages, and counts by level and by status in one query."""
    aggregates = {
        "total": Count("pk"),
        "overall": Avg(OUTCOME + "overall"),
        **{code: Avg(OUTCOME + code) for code in Outcome.dimension_codes()},
        **{
            f"level_{level.rank}": Count(
                "pk", filter=Q(**{OUTCOME + "level": level.rank})
            )
            for level in LEVELS
        },
        "level_none": Count("pk", filter=Q(assessment__outcome__isnull=True)),
        **{
            f"status_{status}": Count("pk", filter=Q(status=status))
            for status in Case.Status.values
        },
    }
    totals = cases.aggregate(**aggregates)
    for name in ("overall", *Outcome.dimension_codes()):
        if totals[name] is not None:
            totals[name] = round(float(totals[name]), 1)
    return totals


def _levels(totals: dict) -> list[Row]:
    rows = [
        Row(level.code, str(level.name), totals[f"level_{level.rank}"])
        for level in LEVELS
    ]
    if totals["level_none"]:  # shared before its outcome was recorded
        rows.append(Row("", _("Sans résultat enregistré"), totals["level_none"]))
    return rows


def _statuses(totals: dict) -> list[Row]:
    return [
        Row(status, str(label), totals[f"status_{status}"])
        for status, label in Case.Status.choices
    ]


def _counts(cases: QuerySet, key: str, label: str, *order: str) -> list[Row]:
    """Cases counted by `key`, the largest groups first."""
    groups = (
        cases.values(group_key=F(key), group_label=F(label))
        .annotate(count=Count("pk"))
        .order_by(*(order or ("-count", "group_label")))
    )
    return [Row(g["group_key"], g["group_label"], g["count"]) for g in groups]


def _by_department(cases: QuerySet) -> list[Row]:
    rows = _counts(
        cases, "assessment__department__code", "assessment__department__name"
    )
    return [Row(r.key, f"{r.label} ({r.key})", r.count) for r in rows]


def _by_size_band(cases: QuerySet) -> list[Row]:
    """Sizes keep their natural order, smallest companies first."""
    return _counts(
        cases,
        "assessment__size_band__code",
        "assessment__size_band__name",
        "assessment__size_band__min_employees",
    )


def _stones(cases: QuerySet) -> list[Row]:
    """The most frequent stone categories, named as the catalogue names them."""
    groups = list(
        cases.filter(**{OUTCOME + "stone_category__gt": ""})
        .values(slug=F(OUTCOME + "stone_category"))
        .annotate(count=Count("pk"))
        .order_by("-count", "slug")[:TOP_STONES]
    )
    names = dict(
        StoneCategory.objects.filter(slug__in=[g["slug"] for g in groups]).values_list(
            "slug", "name"
        )
    )
    return [Row(g["slug"], names.get(g["slug"], g["slug"]), g["count"]) for g in groups]


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
