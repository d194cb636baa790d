"""A national network's shared cases, loaded by COPY (PostgreSQL), for the benchmarks.

`load(count)` writes `count` submitted diagnostics, their outcomes and their
shares with a few organisations straight into the tables through psycopg's
COPY, then recounts the statistics' tallies (advisors.tallies.rebuild) as the
workflow would have kept them. A million cases take a minute or two where
`bulk_create` takes a quarter of an hour. Deterministic for a given seed.
Only the columns the queue and the statistics read carry varied values.
"""

from __future__ import annotations

import contextlib
import hashlib
import random
import time
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from advisors import tallies
from advisors.models import (
    SHARE_CONSENT_VERSION,
    Case,
    CaseTally,
    Membership,
    Organisation,
)
from assessment.models import CONSENT_VERSION, Assessment, Outcome, Questionnaire
from assessment.scoring import level_for
from catalog.models import Department, Sector, SizeBand, StoneCategory

PREFIXES = (
    "Atelier", "Boulangerie", "Cabinet", "Domaine", "Garage", "Imprimerie",
    "Menuiserie", "Pharmacie", "Agence", "Transports", "Laboratoire", "Maison",
)  # fmt: skip
NAMES = (
    "Durand", "Martin", "Garrigues", "du Lauragais", "des Cévennes", "Rouergat",
    "Catalan", "du Minervois", "Pyrénées", "de la Garonne", "Vidal", "Fabre",
)  # fmt: skip
STATUSES = (Case.Status.NEW, Case.Status.IN_REVIEW, Case.Status.PLAN_SENT,
            Case.Status.FOLLOW_UP, Case.Status.CLOSED)  # fmt: skip
STATUS_WEIGHTS = (30, 25, 20, 15, 10)
DIMENSIONS = Outcome.dimension_codes()
ORGANISATIONS = (
    ("CCI Occitanie", "76"), ("CCI Nouvelle-Aquitaine", "75"),
    ("CCI Auvergne-Rhône-Alpes", "84"), ("CCI Grand Est", "44"),
    ("CCI Bretagne", "53"),
)  # fmt: skip
DAYS = 730  # shares spread over the last two years


def load(count: int, *, seed: int = 2026, batch: int = 50_000, progress=None) -> float:
    """COPY `count` shared cases into the database; the seconds it took."""
    if connection.vendor != "postgresql":
        raise RuntimeError("COPY needs PostgreSQL: run through `make bench`")
    started = time.monotonic()
    rng = random.Random(seed)
    pools = _pools()
    orgs = _organisations(rng, pools["departments"])
    first, first_case = _next_id(Assessment), _next_id(Case)
    done = 0
    with _indexes_rebuilt_after(Assessment, Outcome, Case):
        while done < count:
            n = min(batch, count - done)
            with transaction.atomic():
                _copy_batch(rng, pools, orgs, (first + done, first_case + done), n)
            done += n
            if progress:
                progress(done, count, time.monotonic() - started)
    _reset_sequences()
    tallies.rebuild(Organisation.objects.filter(pk__in=list(orgs)))
    with connection.cursor() as cursor:
        # As autovacuum would leave them: statistics for the planner, and the
        # visibility map that lets counts read the indexes only.
        for model in (Assessment, Outcome, Case, CaseTally):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    return time.monotonic() - started


def _pools() -> dict:
    pools = {
        "questionnaire": Questionnaire.objects.current().pk,
        "sectors": list(Sector.objects.values_list("pk", flat=True)),
        "sizes": list(SizeBand.objects.order_by("min_employees")),
        "departments": list(Department.objects.select_related("region")),
        "stones": list(StoneCategory.objects.values_list("slug", flat=True)),
    }
    if not all(pools.values()):
        raise RuntimeError("load the seeds first: manage.py load_seeds")
    return pools


def _organisations(rng, departments) -> dict[int, list[int]]:
    """The organisations (5) and their advisors' ids (4 each)."""
    users = get_user_model().objects
    members = {}
    for i, (name, region) in enumerate(ORGANISATIONS, start=1):
        org, _created = Organisation.objects.get_or_create(
            slug=f"bench-{i}", defaults={"name": name, "kind": "chamber"}
        )
        org.departments.set([d for d in departments if d.region.code == region])
        members[org.pk] = []
        for j in range(1, 5):
            user, _created = users.get_or_create(
                username=f"bench-{i}-{j}",
                defaults={"first_name": f"Conseiller {j}", "last_name": name},
            )
            role = Membership.Role.ADMIN if j == 1 else Membership.Role.ADVISOR
            Membership.objects.get_or_create(
                user=user, defaults={"organisation": org, "role": role}
            )
            members[org.pk].append(user.pk)
    return members


@contextlib.contextmanager
def _indexes_rebuilt_after(*models):
    """Drop the tables' plain indexes for the load and build them after, as
    PostgreSQL's « Populating a Database » advises: one sort instead of a
    million insertions (the trigram index on company names above all).
    Indexes behind constraints (primary keys, unique) stay."""
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            [tables],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _name, definition in indexes:
                cursor.execute(definition)


def _next_id(model) -> int:
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def _copy_batch(rng, pools, orgs, firsts: tuple[int, int], n: int) -> None:
    now = timezone.now()
    dept_weights = [6 if d.region.code == "76" else 1 for d in pools["departments"]]
    departments = rng.choices([d.pk for d in pools["departments"]], dept_weights, k=n)
    sizes = rng.choices(pools["sizes"], [40, 35, 18, 5, 2][: len(pools["sizes"])], k=n)
    statuses = rng.choices(STATUSES, STATUS_WEIGHTS, k=n)
    org_ids = list(orgs)
    assessments, outcomes, shares = [], [], []
    for i in range(n):
        pk = firsts[0] + i
        submitted = now - timedelta(minutes=rng.randrange(60 * 24 * DAYS))
        sector, size = rng.choice(pools["sectors"]), sizes[i]
        assessment = _assessment(
            rng, pk, pools, submitted, sector, size.pk, departments[i]
        )
        outcome = _outcome(rng, pk, pools, submitted, sector, size)
        share = _share(
            rng, (firsts[1] + i, pk), orgs, org_ids, statuses[i], submitted, now
        )
        assessments.append(assessment)
        outcomes.append(outcome)
        # No follow-up on generated cases: actions_due_on stays empty.
        shares.append((*share, *_facets(assessment, outcome), None))
    _copy(Assessment, assessments)
    _copy(Outcome, outcomes)
    _copy(Case, shares)


def _assessment(rng, pk, pools, submitted, sector, size, department) -> tuple:
    return (
        pk, pools["questionnaire"], hashlib.sha256(b"bench-%d" % pk).hexdigest(),
        Assessment.Status.SUBMITTED, None, "fr", submitted, submitted, submitted,
        f"{rng.choice(PREFIXES)} {rng.choice(NAMES)} {pk}", "", sector, size,
        department, "", "Claire Durand", f"contact{pk}@example.fr", "Gérante",
        submitted, CONSENT_VERSION, Decimal(35), 45,
    )  # fmt: skip


def _outcome(rng, pk, pools, submitted, sector, size) -> tuple:
    bias = 8 if size.min_employees > 50 else 0
    scores = [max(0, min(100, round(rng.gauss(48 + bias, 18)))) for _ in DIMENSIONS]
    overall = round(sum(scores) / len(scores))
    stone = rng.choice(pools["stones"]) if rng.random() < 0.9 else ""
    return (pk, overall, level_for(overall).rank, *scores, stone, sector, size.pk,
            submitted)  # fmt: skip


def _facets(assessment: tuple, outcome: tuple) -> tuple:
    """The case's copy of its diagnostic's facets, as Case.copy_facets makes it:
    company name, department, sector, size band, overall, level, stone."""
    return (assessment[9], assessment[13], assessment[11], assessment[12],
            outcome[1], outcome[2], outcome[-4])  # fmt: skip


def _share(rng, ids, orgs, org_ids, status, submitted, now) -> tuple:
    org = rng.choice(org_ids)
    assignee = None
    if status != Case.Status.NEW and rng.random() < 0.8:
        assignee = rng.choice(orgs[org])
    shared = min(submitted + timedelta(hours=rng.randrange(1, 72)), now)
    withdrawn = now if rng.random() < 0.02 else None
    return (*ids, org, status, assignee, "(généré)", SHARE_CONSENT_VERSION, shared,
            withdrawn, shared)  # fmt: skip


def _copy(model, rows: list[tuple]) -> None:
    columns = [f.column for f in model._meta.concrete_fields]
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _reset_sequences() -> None:
    from django.core.management.color import no_style

    sql = connection.ops.sequence_reset_sql(no_style(), [Assessment, Case])
    with connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)
