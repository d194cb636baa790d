"""Rolled-up counts of the cases shared with each organisation (`CaseTally`).

The statistics page adds these rows up instead of aggregating a million
cases. They are exact because every write that changes a count calls
`count_in`, `count_out` or `move_status` inside its own transaction, on a
case row it has locked: the counts commit or roll back with the write. The
rows are changed by `INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n`,
which the database applies atomically under concurrent writers; rows are
touched in one order (sorted) so that two writers never deadlock.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import connection, transaction
from django.db.models import CharField, Count, QuerySet, Sum, Value
from django.db.models.functions import Cast, Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from assessment.models import Outcome

from .models import Case, CaseTally

Facet = CaseTally.Facet
SCORES = ("overall", *Outcome.dimension_codes())
COLUMNS = ("cases", "scored", *SCORES)
# organisation id, whole month?, day (or the month's first), facet, key
Key = tuple[int, bool, date, str, str]
KEY_COLUMNS = ("organisation_id", "whole_month", "day", "facet", "key")


def facets_of(case: Case) -> dict[str, str]:
    """The key a case counts under, for each facet."""
    assessment = case.assessment
    outcome = getattr(assessment, "outcome", None)
    return {
        Facet.STATUS: case.status,
        Facet.DEPARTMENT: str(assessment.department_id),
        Facet.SECTOR: str(assessment.sector_id),
        Facet.SIZE_BAND: str(assessment.size_band_id),
        Facet.LEVEL: str(outcome.level) if outcome else "",
        Facet.STONE: outcome.stone_category if outcome else "",
    }


def _values(case: Case, sign: int) -> tuple[int, ...]:
    """What one case adds to a row (or takes away, with sign -1)."""
    outcome = getattr(case.assessment, "outcome", None)
    if outcome is None:
        return (sign, *([0] * (len(COLUMNS) - 1)))
    return (sign, sign, *(sign * getattr(outcome, code) for code in SCORES))


def _day(case: Case) -> date:
    return timezone.localdate(case.shared_at)


def count_in(cases: Iterable[Case]) -> None:
    """Count these newly shared (or reactivated) cases."""
    _apply(_deltas(cases, +1))


def count_out(cases: Iterable[Case]) -> None:
    """Stop counting these cases (withdrawn, or about to be deleted)."""
    _apply(_deltas(cases, -1))


def move_status(case: Case, before: str, after: str) -> None:
    """The case changed status: its day's and month's rows, one down, one up."""
    values = _values(case, +1)
    minus = tuple(-v for v in values)
    deltas = {}
    for span in _spans(case):
        deltas[(*span, Facet.STATUS, before)] = minus
        deltas[(*span, Facet.STATUS, after)] = values
    _apply(deltas)


def _spans(case: Case) -> tuple[tuple[int, bool, date], ...]:
    """The case's day row and month row, without their facet and key."""
    day = _day(case)
    org = case.organisation_id
    return (org, False, day), (org, True, day.replace(day=1))


def _deltas(cases: Iterable[Case], sign: int) -> dict[Key, tuple[int, ...]]:
    deltas: dict[Key, list[int]] = {}
    for case in cases:
        values = _values(case, sign)
        for span in _spans(case):
            for facet, key in facets_of(case).items():
                row = deltas.setdefault((*span, facet, key), [0] * len(COLUMNS))
                for i, value in enumerate(values):
                    row[i] += value
    return {key: tuple(row) for key, row in deltas.items()}


class TallyMissing(RuntimeError):
    """A case is taken away from a row that does not hold it: the tallies drifted."""


def _apply(deltas: dict[Key, tuple[int, ...]]) -> None:
    """Add the deltas to their rows, in one order (sorted) for every writer.

    Additions are upserts; subtractions are plain UPDATEs, as the database
    checks a new row's constraints (no count below zero) before the conflict.
    """
    with connection.cursor() as cursor:
        for key, values in sorted(deltas.items()):
            if min(values) >= 0:
                cursor.execute(UPSERT, (*key, *values))
            else:
                cursor.execute(UPDATE, (*values, *key))
                if cursor.rowcount != 1:
                    raise TallyMissing(key)


def _statements() -> tuple[str, str]:
    q = connection.ops.quote_name
    table = q(CaseTally._meta.db_table)
    keys = KEY_COLUMNS
    values = ", ".join(["%s"] * (len(keys) + len(COLUMNS)))
    upsert = (
        f"INSERT INTO {table} ({', '.join(q(c) for c in (*keys, *COLUMNS))}) "
        f"VALUES ({values}) ON CONFLICT ({', '.join(q(k) for k in keys)}) DO UPDATE "
        "SET "
        + ", ".join(f"{q(c)} = {table}.{q(c)} + excluded.{q(c)}" for c in COLUMNS)
    )
    update = (
        f"UPDATE {table} SET " + ", ".join(f"{q(c)} = {q(c)} + %s" for c in COLUMNS)
        + " WHERE " + " AND ".join(f"{q(k)} = %s" for k in keys)
    )  # fmt: skip
    return upsert, update


# Both backends quote names with double quotes and accept these two statements.
UPSERT, UPDATE = _statements()


# --- Recounting from the cases ------------------------------------------------------

OUTCOME = "assessment__outcome__"
KEY_OF = {
    Facet.STATUS: "status",
    Facet.DEPARTMENT: "assessment__department_id",
    Facet.SECTOR: "assessment__sector_id",
    Facet.SIZE_BAND: "assessment__size_band_id",
    Facet.LEVEL: OUTCOME + "level",
    Facet.STONE: OUTCOME + "stone_category",
}


def recount(cases: QuerySet, facet: str, whole_month: bool) -> QuerySet:
    """The tally rows of one facet, computed from the cases (organisation, day,
    key, then the COLUMNS)."""
    key = Coalesce(Cast(KEY_OF[facet], CharField()), Value(""))
    day = TruncDate("shared_at")  # in the current time zone
    if whole_month:
        day = TruncMonth(day)
    return (
        cases.annotate(tally_day=day, tally_key=key)
        .values("organisation", "tally_day", "tally_key")
        .annotate(
            tally_cases=Count("pk"),
            tally_scored=Count(OUTCOME + "pk"),
            **{f"tally_{s}": Coalesce(Sum(OUTCOME + s), 0) for s in SCORES},
        )
        .order_by()
    )


def rebuild(organisations: QuerySet | None = None) -> int:
    """Recount the tallies from the cases, in the database; the rows written.

    For a bulk load (the benchmark's generator) or after a repair; writers of
    these organisations wait until it commits.
    """
    cases = Case.objects.active()
    tallies = CaseTally.objects.all()
    if organisations is not None:
        cases = cases.filter(organisation__in=organisations)
        tallies = tallies.filter(organisation__in=organisations)
    q = connection.ops.quote_name
    columns = ", ".join(
        q(c)
        for c in ("organisation_id", "day", "key", *COLUMNS, "facet", "whole_month")
    )
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        tallies.delete()
        for facet in Facet.values:
            for whole_month in (False, True):
                counted = recount(cases, facet, whole_month)
                sql, params = counted.query.sql_with_params()
                cursor.execute(
                    f"INSERT INTO {q(CaseTally._meta.db_table)} ({columns}) "
                    f"SELECT counted.*, %s, %s FROM ({sql}) counted",
                    (facet, whole_month, *params),
                )
                written += cursor.rowcount
    return written


def differences(organisation) -> dict[Key, tuple]:
    """Rows where the tallies and a recount disagree (empty when exact)."""
    stored = {
        tuple(getattr(row, c) for c in KEY_COLUMNS): tuple(
            getattr(row, c) for c in COLUMNS
        )
        for row in CaseTally.objects.filter(organisation=organisation)
        if row.cases or row.scored
    }
    counted = {}
    cases = Case.objects.active().filter(organisation=organisation)
    for facet in Facet.values:
        for whole_month in (False, True):
            for row in recount(cases, facet, whole_month):
                key = (
                    row["organisation"], whole_month, row["tally_day"], facet,
                    row["tally_key"],
                )  # fmt: skip
                counted[key] = tuple(row[f"tally_{c}"] for c in COLUMNS)
    return {
        key: (stored.get(key), counted.get(key))
        for key in stored.keys() | counted.keys()
        if stored.get(key) != counted.get(key)
    }
