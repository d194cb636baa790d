from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from catalog.formatting import money
from catalog.models import (
    Citation,
    Department,
    Need,
    Programme,
    Provider,
    Region,
    Sector,
    SizeBand,
    Source,
    StoneCategory,
    UseCase,
)


def slugs(queryset):
    return set(queryset.values_list("slug", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize("share", ["-0.1", "1.01"])
def test_automatable_share_outside_0_1_is_refused_by_the_database(share):
    with pytest.raises(IntegrityError), transaction.atomic():
        StoneCategory.objects.create(slug="x", name="X", automatable_share=share)


@pytest.mark.django_db
def test_programme_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.create(
            slug="p",
            name="P",
            kind=Programme.Kind.FUNDING,
            summary="s",
            starts_on=date(2025, 1, 1),
            ends_on=date(2024, 1, 1),
        )


@pytest.mark.django_db
def test_citation_needs_a_quote():
    source = Source.objects.create(file_name="doc.txt")
    sector = Sector.objects.create(slug="s", name="S")
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.create(content_object=sector, source=source, quote="")


def test_programmes_for_a_department_include_regional_and_national_ones(catalog):
    toulouse = slugs(Programme.objects.covering(Department.objects.get(code="31")))
    paris = slugs(Programme.objects.covering(Department.objects.get(code="75")))
    assert {"cyber-occ", "aniti", "ia-tour", "lab-microsoft-toulouse"} <= toulouse
    assert "adastra" not in toulouse
    assert "ia-tour" in paris
    assert not {"cyber-occ", "aniti", "lab-microsoft-toulouse"} & paris


def test_programmes_for_a_region_include_its_departments(catalog):
    occitanie = slugs(Programme.objects.for_region(Region.objects.get(code="76")))
    assert {"cyber-occ", "adastra", "aniti", "ia-tour"} <= occitanie


def test_programme_filters_chain_without_duplicates(catalog):
    micro = SizeBand.objects.get(code="micro")
    herault = Department.objects.get(code="34")
    training = Programme.objects.training().for_size(micro).covering(herault)
    assert "formation-ia-dirigeants-tbs-u-need" in slugs(training)
    assert training.count() == len(slugs(training))
    large = SizeBand.objects.get(code="large")
    assert "formation-ia-dirigeants-tbs-u-need" not in slugs(
        Programme.objects.for_size(large)
    )


def test_weak_cybersecurity_need_finds_cyber_occ(catalog):
    cyber = Need.objects.get(slug="cybersecurite")
    assert "cyber-occ" in slugs(Programme.objects.for_need(cyber))
    assert "cyber-occ" in slugs(Programme.objects.of_kind("incident_response"))
    assert {"pradeo", "airbus-protect", "orange-cyber"} <= slugs(
        Provider.objects.serving_need(cyber)
    )


def test_providers_by_place_and_sovereignty(catalog):
    herault = Department.objects.get(code="34")
    assert slugs(Provider.objects.in_department(herault)) == {"septeo", "lundi-matin"}
    assert "bea-solutions" in slugs(
        Provider.objects.in_region(Region.objects.get(code="76"))
    )
    assert "microsoft" not in slugs(Provider.objects.sovereign())
    assert "bluemind" in slugs(Provider.objects.sovereign())


def test_use_cases_without_sectors_serve_every_sector(catalog):
    health = Sector.objects.get(slug="sante")
    for_health = slugs(UseCase.objects.for_sector(health))
    assert {"aide-au-diagnostic-medical", "chatbots"} <= for_health
    assert "optimisation-predictive-logistique" not in for_health


def test_use_cases_by_stone_and_maturity(catalog):
    meetings = StoneCategory.objects.get(slug="comptes-rendus-reunion")
    found = slugs(UseCase.objects.for_stone(meetings).within_maturity(1))
    assert "comptes-rendus-reunion-automatises" in found
    assert "aide-au-diagnostic-medical" not in slugs(UseCase.objects.within_maturity(1))


def test_keyword_list_drops_blank_lines():
    category = StoneCategory(keywords="devis\n\n  facture  \n")
    assert category.keyword_list() == ["devis", "facture"]


def test_plan_envelopes_add_up_to_the_plan(catalog):
    plan = Programme.objects.get(slug="plan-ia-occitanie-2024-2028")
    envelopes = plan.envelopes.all()
    assert sum(e.amount_eur for e in envelopes) == plan.amount_eur == Decimal(60e6)
    filiere = Programme.objects.get(slug="plan-ia-occitanie-filiere-ia")
    assert sum(e.amount_eur for e in filiere.envelopes.all()) == filiere.amount_eur


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal("60000000"), "60\u00a0M€"),
        (Decimal("2500000000"), "2,5\u00a0Md€"),
        (Decimal("5000"), "5\u202f000\u00a0€"),
        (None, ""),
    ],
)
def test_amounts_are_written_the_french_way(amount, text):
    assert money(amount) == text


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal("60000000"), "€60M"),
        (Decimal("2500000000"), "€2.5bn"),
        (Decimal("56700"), "€56,700"),
    ],
)
def test_amounts_are_written_the_english_way_in_english(amount, text):
    with translation.override("en"):
        assert money(amount) == text
