"""Ten owners read as a consultant would: stone, first actions, what is left out.

Each persona states what an experienced SME adviser expects of its plan; the
rules themselves are checked over random answers in test_advice_properties.py.
"""

from datetime import date

import pytest
from django.db import transaction

from assessment.results import eligible_programmes, evaluate

from . import personas

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 22)
ENVELOPES = ("plan-ia-occitanie-2024-2028", "strategie-nationale-ia-france-2030",
             "plan-ia-occitanie-formation")  # fmt: skip

# persona → (stone, first three action keys, programmes advised, programmes
# excluded with a word of the reason, providers advised, providers never shown)
EXPECTED = {
    "plumber-lille": (
        "devis-facturation", ["backups", "mfa", "updates"], ["ia-tour"],
        {"cyber-occ": "Occitanie", "horizon-europe": "consortium",
         "ekitia": "Occitanie", "plan-ia-occitanie-2024-2028": "Occitanie"},
        ["u-need"], ["akawan", "bea-solutions", "airbus-protect", "pradeo"],
    ),
    "accountant-montpellier": (
        "saisie-donnees", ["policy", "referent", "review"], ["ekitia"],
        {"cyber-occ": "incidents", "plan-ia-occitanie-formation": "Enveloppe",
         "horizon-europe": "consortium"},
        ["akawan", "bea-solutions"], ["airbus-protect", "orange-cyber", "pradeo"],
    ),
    "aerospace-attacked": (
        "gestion-documentaire", ["incident", "backups", "mfa"], ["cyber-occ"],
        {"plan-ia-occitanie-integration-filieres-cles": "Enveloppe",
         "lab-microsoft-toulouse": "start-up", "aniti": "l’IA est le métier"},
        ["netexplorer", "bluemind", "airbus-protect", "akawan"], ["pradeo"],
    ),
    "restaurant-nantes": (
        "planification-rendez-vous", ["backups", "mfa", "updates"], ["ia-tour"],
        {"cyber-occ": "Occitanie", "ekitia": "Occitanie"},
        [], ["akawan", "lundi-matin"],
    ),
    "ai-startup-toulouse": (
        "developpement-logiciel", ["quick-win", "pilot", "deployment"],
        ["accompagnement-start-up-de-rupture", "microsoft-for-startups-founders-hub"],
        {"horizon-europe": "consortium", "plan-ia-occitanie-rd-entreprises-ia": "Enveloppe"},
        ["lundi-matin", "septeo"], [],
    ),
    "software-paris": (
        "developpement-logiciel", ["quick-win", "pilot", "deployment"], ["horizon-europe"],
        {"microsoft-for-startups-founders-hub": "l’IA est le métier",
         "lab-microsoft-toulouse": "Haute-Garonne", "cyber-occ": "Occitanie"},
        [], ["lundi-matin", "septeo", "akawan"],
    ),
    "clinic-montpellier": (
        "comptes-rendus-reunion", ["backups", "mfa", "updates"], ["ekitia"],
        {"ia-montpellier-mediterranee": "besoins", "aniti-formations": "autres publics"},
        ["akawan", "airbus-protect"], ["pradeo"],
    ),
    "haulier-lyon": (
        "saisie-donnees", ["quick-win", "pilot", "deployment"], [],
        {"cyber-occ": "Occitanie", "horizon-europe": "consortium"},
        ["u-need"], ["akawan", "bea-solutions"],
    ),
    "wine-bordeaux": (
        "contenus-marketing", ["backups", "mfa", "updates"], ["ia-tour"],
        {"plan-ia-occitanie-integration-filieres-cles": "Occitanie"},
        [], ["lundi-matin", "akawan"],
    ),
    "shop-perpignan": (
        "gestion-documentaire", ["backups", "mfa", "updates"], ["ia-tour"],
        {"horizon-europe": "consortium", "cyber-occ": "incidents"},
        ["akawan"], [],
    ),
}  # fmt: skip


@pytest.fixture(scope="module")
def results(django_db_setup, django_db_blocker, _seed_loader):
    """Every persona's result, worked out once for the module."""
    from assessment.catalogue import read_catalogue
    from assessment.models import Questionnaire
    from assessment.questionnaire import spec_for

    with django_db_blocker.unblock(), transaction.atomic():
        _seed_loader.load("load_seeds", verbosity=0)
        spec, catalogue = spec_for(Questionnaire.objects.current()), read_catalogue()
        found = {}
        for name, persona in personas.ADVICE_PERSONAS.items():
            company = persona["company"]
            found[name] = evaluate(
                spec=spec, answers=persona["answers"], company=company,
                catalogue=catalogue, eligible=eligible_programmes(company, TODAY),
                hourly_cost=35, working_weeks=45, start=TODAY,
            )  # fmt: skip
        transaction.set_rollback(True)  # the results are plain data: no row kept
    return found


def actions(result):
    return [a for phase in result.roadmap for a in phase.actions]


@pytest.mark.parametrize("name", EXPECTED)
def test_each_persona_gets_the_plan_a_consultant_expects(results, name):
    stone, first, advised, excluded, providers, never = EXPECTED[name]
    result = results[name]
    recs = result.recommendations
    assert result.stone.slug == stone
    assert [a.key for a in actions(result)][:3] == first
    shown = [r.slug for r in (*recs.programmes, *recs.training)]
    assert set(advised) <= set(shown), shown
    why_not = {e.slug: e.reason for e in recs.excluded}
    for slug, word in excluded.items():
        assert word in why_not[slug], (slug, why_not.get(slug))
    chosen = [p.slug for p in recs.providers]
    assert set(providers) <= set(chosen), chosen
    assert not set(never) & set(chosen), chosen
    assert not set(ENVELOPES) & set(shown)


def test_an_owner_without_budget_gets_six_free_months(results):
    result = results["restaurant-nantes"]
    first_six = [a for a in actions(result) if a.key != "deployment"]
    assert {a.cost_code for a in first_six} == {"free"}
    pilot = next(a for a in actions(result) if a.key == "pilot")
    assert "en interne" in pilot.title and not pilot.providers


def test_what_is_in_place_is_acknowledged_and_not_proposed(results):
    result = results["accountant-montpellier"]
    keys = [a.key for a in actions(result)]
    assert not {"backups", "mfa", "updates", "who-to-call"} & set(keys)
    assert any("restauration testée" in label for label in result.roadmap[0].in_place)


def test_the_cloud_worry_brings_sovereign_hosting_forward(results):
    recs = results["aerospace-attacked"].recommendations
    netexplorer = next(p for p in recs.providers if p.slug == "netexplorer")
    assert "cloud" in " ".join(netexplorer.reasons)
    assert recs.providers[0].details["sovereign"]


def test_the_pilot_pilots_the_quick_win_and_measures_the_stone(results):
    for name in ("accountant-montpellier", "clinic-montpellier", "haulier-lyon"):
        steps = {a.key: a for a in actions(results[name])}
        assert steps["pilot"].use_case == steps["quick-win"].use_case
        assert results[name].stone.name in steps["pilot"].indicator


def test_an_owner_who_gave_no_hours_gets_no_price(results):
    stone = results["shop-perpignan"].stone
    assert stone.weekly_hours == 0 and stone.yearly_cost == 0
