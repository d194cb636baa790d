"""The rolled-up counts behind the statistics stay equal to a recount of the cases."""

import random
import threading
from datetime import date

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from advisors import cases, tallies
from advisors.models import Case, CaseTally
from advisors.stats import Period, organisation_statistics
from privacy import erasure

from .conftest import local


def test_every_workflow_step_keeps_the_tallies_exact(org1, org2, make_case, advisor1):
    a = make_case(org1, stone="devis-factures", overall=30)
    b = make_case(org1, department="34", sector="industrie", overall=70)
    c = make_case(org2, shared_at=local(2026, 1, 31, 23, 30))
    assert tallies.differences(org1) == {} and tallies.differences(org2) == {}

    cases.change_status(a, Case.Status.IN_REVIEW, advisor1)
    cases.change_status(a, Case.Status.PLAN_SENT, advisor1)
    cases.withdraw(b)
    cases.withdraw(b)  # twice: counted out once
    cases.change_status(b, Case.Status.IN_REVIEW, advisor1)  # withdrawn: not counted
    erasure.erase([c.assessment])

    assert tallies.differences(org1) == {} and tallies.differences(org2) == {}
    found = organisation_statistics(org1)
    assert found.total == 1 and found.overall.value == 30.0
    assert {r.key: r.count for r in found.statuses}["plan_sent"] == 1
    assert organisation_statistics(org2).total == 0


def test_a_status_change_is_checked_against_the_row_as_committed(
    org1, make_case, advisor1
):
    case = make_case(org1)
    stale = Case.objects.get(pk=case.pk)
    cases.change_status(case, Case.Status.CLOSED, advisor1)

    # The stale copy still says "new": moving it again must not count twice.
    with pytest.raises(cases.WorkflowError):
        cases.change_status(stale, Case.Status.PLAN_SENT, advisor1)
    cases.change_status(stale, Case.Status.IN_REVIEW, advisor1)

    assert tallies.differences(org1) == {}
    assert stale.status == Case.Status.IN_REVIEW


def test_cases_deleted_in_the_admin_stop_counting(org1, make_case, admin_user):
    kept = [make_case(org1), make_case(org1)]
    gone = make_case(org1, sector="industrie")
    withdrawn = make_case(org1, withdrawn=True)
    request = RequestFactory().post("/")
    request.user = admin_user

    site._registry[Case].delete_queryset(
        request, Case.objects.filter(pk__in=[gone.pk, withdrawn.pk])
    )
    site._registry[Case].delete_model(request, kept[0])

    assert tallies.differences(org1) == {}
    assert organisation_statistics(org1).total == 1


def test_rebuild_recounts_what_the_writes_counted(org1, org2, make_case):
    for n in range(6):
        make_case((org1, org2)[n % 2], overall=10 * n, shared_at=local(2026, n + 1, 1))
    before = set(CaseTally.objects.filter(cases__gt=0).values_list(
        *tallies.KEY_COLUMNS, *tallies.COLUMNS
    ))  # fmt: skip

    assert tallies.rebuild() == len(before)
    assert set(CaseTally.objects.values_list(
        *tallies.KEY_COLUMNS, *tallies.COLUMNS
    )) == before  # fmt: skip


def test_a_write_that_forgot_its_tally_fails_loudly(org1, make_case):
    case = make_case(org1)
    CaseTally.objects.filter(organisation=org1).delete()

    with pytest.raises(tallies.TallyMissing):
        cases.withdraw(case)
    assert Case.objects.get(pk=case.pk).withdrawn_at is None  # rolled back


# --- Concurrent writers, on PostgreSQL -------------------------------------------

WRITERS = 8


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_the_counts_exact(
    org1, make_case, advisor1, catalogue_rows
):
    """Eight writers race on the same cases, each from a stale copy of them.

    They move statuses, withdraw, erase and share on the same day's rows; at
    the end the tallies must equal a recount, and the page's figures the cases.
    """
    shared = [make_case(org1, overall=5 * n, stone="devis-factures") for n in range(12)]
    fresh = [make_case(org1, withdrawn=True).assessment for _ in range(WRITERS)]
    start, failures = threading.Barrier(WRITERS), []

    def write(seed: int) -> None:
        rng = random.Random(seed)
        copies = list(Case.objects.filter(pk__in=[c.pk for c in shared]))
        try:
            start.wait()
            for _step in range(25):
                case = rng.choice(copies)
                action = rng.random()
                try:
                    if action < 0.7:
                        target = rng.choice(Case.Status.values)
                        cases.change_status(case, target, advisor1)
                    elif action < 0.8:
                        cases.withdraw(case)
                    elif action < 0.9:
                        cases.share(fresh[seed], org1)
                    elif seed == 0:
                        erasure.erase([case.assessment])
                except cases.WorkflowError:
                    pass  # a move another writer made impossible
                except ObjectDoesNotExist:
                    pass  # erased by another writer
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert tallies.differences(org1) == {}
    found = organisation_statistics(org1)
    active = Case.objects.of(org1)
    assert found.total == active.count()
    assert {r.key: r.count for r in found.statuses} == {
        s: active.filter(status=s).count() for s in Case.Status.values
    }


def test_any_period_adds_whole_months_and_ragged_days_exactly(org1, make_case):
    shared = [local(2025, 12, 31, 23, 30), local(2026, 1, 1, 0, 30), local(2026, 1, 15),
              local(2026, 1, 31, 22), local(2026, 2, 1, 1), local(2026, 2, 28, 12),
              local(2026, 3, 1, 9), local(2026, 3, 31, 23, 59)]  # fmt: skip
    for moment in shared:
        make_case(org1, shared_at=moment)
    days = [timezone.localdate(moment) for moment in shared]
    bounds = [None, date(2025, 12, 31), date(2026, 1, 1), date(2026, 1, 15),
              date(2026, 1, 31), date(2026, 2, 1), date(2026, 2, 28),
              date(2026, 3, 2), date(2026, 3, 31), date(9999, 12, 31)]  # fmt: skip
    for after in bounds:
        for before in bounds:
            if after and before and after > before:
                continue
            expected = sum(
                (after is None or after <= d) and (before is None or d <= before)
                for d in days
            )
            found = organisation_statistics(org1, Period(after, before))
            assert (after, before, found.total) == (after, before, expected)
            assert sum(m.count for m in found.months) == expected
