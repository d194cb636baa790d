"""Fixtures of the advisor side: two organisations, their members, shared cases.

Cases are built directly (a submitted diagnostic, its recorded outcome, the
share and its tallies) without answering the questionnaire, so that a test can make dozens
quickly. Organisation 1 covers Haute-Garonne, organisation 2 Hérault.
"""

from datetime import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from advisors import tallies
from advisors.models import SHARE_CONSENT_VERSION, Case, Membership, Organisation
from assessment.answering import start_assessment
from assessment.models import Outcome, Questionnaire
from assessment.scoring import level_for
from catalog.models import Department, Region, Sector, SizeBand, StoneCategory

PASSWORD = "un mot de passe assez long"


@pytest.fixture
def catalogue_rows(db):
    """The few catalogue rows cases point at, by code: departments, sectors…"""
    Questionnaire.objects.get_or_create(
        version=1, defaults={"title": "Diagnostic", "fingerprint": "test"}
    )
    region, _ = Region.objects.get_or_create(code="76", defaults={"name": "Occitanie"})
    departments = {
        code: Department.objects.get_or_create(
            code=code, defaults={"name": name, "region": region}
        )[0]
        for code, name in (("31", "Haute-Garonne"), ("34", "Hérault"))
    }
    sectors = {
        slug: Sector.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in (("commerce", "Commerce"), ("industrie", "Industrie"))
    }
    size_bands = {
        code: SizeBand.objects.get_or_create(code=code, defaults=defaults)[0]
        for code, defaults in (
            ("micro", {"name": "1 à 9 salariés", "min_employees": 1,
                       "max_employees": 9}),
            ("small", {"name": "10 à 49 salariés", "min_employees": 10,
                       "max_employees": 49}),
        )
    }  # fmt: skip
    stones = {
        slug: StoneCategory.objects.get_or_create(
            slug=slug, defaults={"name": name, "automatable_share": Decimal("0.5")}
        )[0]
        for slug, name in (
            ("devis-factures", "Devis et factures"),
            ("mails-clients", "E-mails <clients> & questions"),
        )
    }
    return {
        "departments": departments,
        "sectors": sectors,
        "size_bands": size_bands,
        "stones": stones,
    }


def make_organisation(name: str, slug: str, *departments) -> Organisation:
    organisation = Organisation.objects.create(
        name=name, slug=slug, kind=Organisation.Kind.CHAMBER
    )
    organisation.departments.set(departments)
    return organisation


@pytest.fixture
def org1(catalogue_rows):
    return make_organisation(
        "CCI Toulouse", "cci-toulouse", catalogue_rows["departments"]["31"]
    )


@pytest.fixture
def org2(catalogue_rows):
    return make_organisation(
        "CCI Hérault", "cci-herault", catalogue_rows["departments"]["34"]
    )


def make_member(organisation, username: str, role=Membership.Role.ADVISOR):
    """A user of the organisation; sign in with `client.force_login(user)`."""
    user = get_user_model().objects.create_user(
        username, f"{username}@example.fr", PASSWORD
    )
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def advisor1(org1):
    return make_member(org1, "alice")


@pytest.fixture
def advisor2(org2):
    return make_member(org2, "bruno")


@pytest.fixture
def org_admin1(org1):
    return make_member(org1, "chloe", Membership.Role.ADMIN)


@pytest.fixture
def non_member(db):
    """Signed in, but a member of no organisation."""
    return get_user_model().objects.create_user("dora", "dora@example.fr", PASSWORD)


@pytest.fixture
def make_case(catalogue_rows):
    """Share a submitted diagnostic: `make_case(org1, overall=62, stone=...)`.

    Dimensions default to the overall score; `shared_at` is a datetime (local
    time when naive); `withdrawn=True` makes a share the owner took back.
    """
    rows = catalogue_rows

    def make(
        organisation, *, company_name="Boulangerie Martin", department="31",
        sector="commerce", size_band="micro", status=Case.Status.NEW,
        overall=50, dimensions=None, stone="", shared_at=None, withdrawn=False,
    ) -> Case:  # fmt: skip
        assessment, _token = start_assessment(
            profile={
                "company_name": company_name,
                "sector": rows["sectors"][sector],
                "size_band": rows["size_bands"][size_band],
                "department": rows["departments"][department],
                "respondent_name": "Jeanne Martin",
                "respondent_email": "jeanne@example.fr",
                "respondent_role": "Gérante",
            }
        )
        assessment.mark_submitted()
        scores = {code: overall for code in Outcome.dimension_codes()}
        Outcome.objects.create(
            assessment=assessment, overall=overall, level=level_for(overall).rank,
            stone_category=stone, sector=assessment.sector,
            size_band=assessment.size_band, **{**scores, **(dimensions or {})},
        )  # fmt: skip
        case = Case.objects.create(
            assessment=assessment, organisation=organisation, status=status,
            consent_text="J’accepte.", consent_version=SHARE_CONSENT_VERSION,
        )  # fmt: skip
        changes = {}
        if shared_at is not None:
            if timezone.is_naive(shared_at):
                shared_at = timezone.make_aware(shared_at)
            changes["shared_at"] = shared_at
        if withdrawn:
            changes["withdrawn_at"] = timezone.now()
        if changes:  # shared_at is set on creation: change it afterwards
            Case.objects.filter(pk=case.pk).update(**changes)
            case.refresh_from_db()
        if not withdrawn:  # as cases.share counts it, on the day it was shared
            tallies.count_in(
                Case.objects.select_related("assessment__outcome").filter(pk=case.pk)
            )
        return case

    return make


def local(*args) -> datetime:
    """An aware datetime in the project's time zone."""
    return timezone.make_aware(datetime(*args))
