"""A case carries a copy of its diagnostic's facets, which the queue reads alone."""

import importlib

import pytest
from django.db import connection
from django.urls import reverse

from advisors import cases
from advisors.filters import CaseFilter
from advisors.management.commands.generate_cases import generate
from advisors.models import Case

from .test_workflow import world  # noqa: F401  (the shared fixture)

FACETS = ("company_name", "department_id", "sector_id", "size_band_id", "overall",
          "level", "stone")  # fmt: skip


def diagnostic_facets(case: Case) -> dict:
    """What the case's copy must hold, read from its diagnostic and outcome."""
    assessment = case.assessment
    outcome = assessment.outcome
    return {
        "company_name": assessment.company_name,
        "department_id": assessment.department_id,
        "sector_id": assessment.sector_id,
        "size_band_id": assessment.size_band_id,
        "overall": outcome.overall,
        "level": outcome.level,
        "stone": outcome.stone_category,
    }


def copied_facets(case: Case) -> dict:
    case = Case.objects.get(pk=case.pk)  # as stored
    return {name: getattr(case, name) for name in FACETS}


def test_a_shared_case_copies_its_diagnostics_facets(world):  # noqa: F811
    for assessment in (world.a, world.b):
        case = cases.share(assessment, world.occitanie)
        assert copied_facets(case) == diagnostic_facets(case)
        assert case.company_name and case.overall is not None


def test_anonymising_the_diagnostic_drops_the_name_its_cases_copied(
    world,  # noqa: F811
    client,
):
    from privacy import retention

    case = cases.share(world.a, world.occitanie)
    other = cases.share(world.a, world.other)
    kept = cases.share(world.b, world.occitanie)

    retention.anonymise(world.a)

    for anonymised in (case, other):
        assert copied_facets(anonymised) == diagnostic_facets(anonymised)
        assert copied_facets(anonymised)["company_name"] == retention.ANONYMISED_NAME
    assert copied_facets(kept)["company_name"] == "Domaine des Garrigues"
    client.force_login(world.advisor)
    page = client.get(reverse("advisors:queue"), {"q": "Durand"}).content.decode()
    assert "Cabinet Durand" not in page


def test_erasing_the_diagnostic_leaves_no_case_with_its_copied_name(
    world,  # noqa: F811
    client,
):
    from privacy import erasure

    cases.share(world.a, world.occitanie)
    cases.share(world.a, world.other)
    kept = cases.share(world.b, world.occitanie)

    erasure.erase(erasure.linked(world.a))

    assert not Case.objects.filter(company_name="Cabinet Durand").exists()
    assert list(Case.objects.values_list("pk", flat=True)) == [kept.pk]
    client.force_login(world.advisor)
    page = client.get(reverse("advisors:queue"), {"q": "Durand"}).content.decode()
    assert "Cabinet Durand" not in page


def test_the_migration_fills_the_facets_of_existing_cases(world):  # noqa: F811
    shared = [cases.share(a, world.occitanie) for a in (world.a, world.b)]
    Case.objects.update(
        company_name="", department=None, sector=None, size_band=None,
        overall=None, level=None, stone="",
    )  # fmt: skip
    migration = importlib.import_module("advisors.migrations.0007_case_facets")

    with connection.cursor() as cursor:
        cursor.execute(migration.BACKFILL)

    for case in shared:
        assert copied_facets(case) == diagnostic_facets(case)


def test_generated_cases_carry_their_diagnostics_facets(seeded):
    generate(12, organisations=2, seed=3, batch=5)
    generated = Case.objects.select_related("assessment__outcome")
    assert generated.count() == 12
    for case in generated:
        assert copied_facets(case) == diagnostic_facets(case)


@pytest.mark.parametrize(
    "params",
    [
        {"department": "31", "sort": "-overall"},
        {"sector": "finance", "size": "small"},
        {"level": "2", "stone": "appels-offres"},
        {"q": "Durand", "sort": "company"},
        {"sort": "overall"},
    ],
)
def test_the_queue_filters_and_sorts_without_reading_the_diagnostics(
    world,  # noqa: F811
    params,
):
    filterset = CaseFilter(params, organisation=world.occitanie, user=world.advisor)
    assert filterset.is_valid(), filterset.errors
    sql = str(filterset.qs.query)
    assert "assessment_assessment" not in sql
    assert "assessment_outcome" not in sql


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("-overall", lambda c: (-c.overall, -c.pk)),
        ("overall", lambda c: (c.overall, c.pk)),
        ("company", lambda c: (c.company_name, c.pk)),
        ("-company", lambda c: (c.company_name, c.pk)),  # reversed below
    ],
)
def test_pages_follow_the_order_without_gaps_or_repeats(
    org1, org2, advisor1, make_case, sort, key
):
    from advisors import queue

    names = ["Zinc", "Atelier", "Maison", "Garage"]
    made = [
        make_case(org1, company_name=f"{names[n % 4]} {n % 3}", overall=10 * (n % 5))
        for n in range(13)
    ]
    make_case(org2, overall=99)  # another organisation's, never listed
    make_case(org1, overall=99, withdrawn=True)  # taken back, never listed
    expected = sorted(made, key=key, reverse=sort == "-company")

    seen = []
    for number in (1, 2):
        found = queue.read(
            {"sort": sort, "per_page": "10", "page": str(number)},
            organisation=org1, user=advisor1,
        )  # fmt: skip
        assert found.errors == {}
        assert found.page.paginator.count == 13
        seen += found.page.object_list

    assert [c.pk for c in seen] == [c.pk for c in expected]
    assert all(c.assessment.outcome.overall == c.overall for c in seen)
