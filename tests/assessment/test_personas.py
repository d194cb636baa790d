from datetime import date

import pytest

from assessment.results import eligible_programmes, evaluate

from . import personas

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 22)


@pytest.fixture
def result_for(real_spec, real_catalogue):
    def run(persona, hourly_cost=35):
        company = persona["company"]
        return evaluate(
            spec=real_spec, answers=persona["answers"], company=company,
            catalogue=real_catalogue, eligible=eligible_programmes(company, TODAY),
            hourly_cost=hourly_cost, working_weeks=45, start=TODAY,
        )  # fmt: skip

    return run


def slugs(recommendations):
    return [r.slug for r in recommendations]


def test_accounting_firm_drowning_in_tenders(result_for):
    result = result_for(personas.ACCOUNTING_FIRM)
    assert result.stone.slug == "appels-offres"
    assert result.stone.yearly_cost == 12 * 3 * 45 * 35
    assert (
        slugs(result.recommendations.use_cases)[0] == "completude-dossier-appel-offres"
    )
    assert (
        "akawan" in slugs(result.recommendations.providers)[:2]
    )  # Toulouse, like them
    assert not result.recommendations.secure_first


def test_vineyard_spends_its_evenings_on_customer_mail(result_for):
    result = result_for(personas.VINEYARD)
    assert result.stone.slug == "emails-questions-clients"
    top = slugs(result.recommendations.use_cases)[:3]
    assert "reponses-questions-clients" in top
    assert "brouillons-reponses-mails-et-rendez-vous" in top
    excluded = {e.slug: e.reason for e in result.recommendations.excluded}
    # The Region's envelope for key sectors (agriculture) is context, not a call.
    assert (
        "Enveloppe budgétaire"
        in excluded["plan-ia-occitanie-integration-filieres-cles"]
    )


def test_manufacturer_after_a_cyber_incident_secures_the_basics_first(result_for):
    result = result_for(personas.MANUFACTURER_AFTER_INCIDENT)
    recs = result.recommendations
    assert recs.secure_first
    assert slugs(recs.programmes)[0] == "cyber-occ"
    assert recs.needs[0].slug == "cybersecurite"
    assert result.roadmap[0].code == "secure"
    assert "cyber-occ" in [
        link.slug for a in result.roadmap[0].actions for link in a.programmes
    ]
    assert result.stone.slug == "saisie-donnees"  # 30 h a week of re-keying orders


def test_shop_without_digital_tools_starts_with_discovery_and_training(result_for):
    result = result_for(personas.SHOP_WITHOUT_DIGITAL_TOOLS)
    assert result.scorecard.level.code == "discovery"
    assert result.stone.slug == "devis-facturation"
    assert result.recommendations.secure_first
    assert result.recommendations.training, "a shop starting from zero needs training"
    assert "formation" in [n.slug for n in result.recommendations.needs][:2]


def test_software_company_using_ai_unofficially_gets_a_usage_policy(result_for):
    result = result_for(personas.SOFTWARE_COMPANY_WITH_SHADOW_AI)
    recs = result.recommendations
    assert result.stone.slug == "developpement-logiciel"
    assert slugs(recs.use_cases)[0] == "generation-de-code"
    assert result.scorecard.dimensions["uses"] >= 60
    assert recs.secure_first
    assert any("shadow IA" in reason for reason in recs.secure_first_reasons)
    policy = [a for a in result.roadmap[0].actions if "règle d’usage" in a.title]
    assert policy, "the plan must start with an AI usage policy"


@pytest.mark.parametrize(
    "persona",
    [
        personas.ACCOUNTING_FIRM, personas.VINEYARD, personas.MANUFACTURER_AFTER_INCIDENT,
        personas.SHOP_WITHOUT_DIGITAL_TOOLS, personas.SOFTWARE_COMPANY_WITH_SHADOW_AI,
    ],
)  # fmt: skip
def test_every_recommendation_says_why(result_for, persona):
    recs = result_for(persona).recommendations
    for group in (recs.use_cases, recs.programmes, recs.providers, recs.training):
        for recommendation in group:
            assert recommendation.reasons, recommendation.slug


def test_roadmap_actions_are_dated_in_order(result_for):
    for phase in result_for(personas.ACCOUNTING_FIRM).roadmap:
        assert phase.starts_on >= TODAY
        for action in phase.actions:
            assert action.starts_on < action.ends_on
            assert action.owner and action.indicator and action.duration


def test_a_higher_hourly_cost_raises_the_stone_cost(result_for):
    cheap = result_for(personas.VINEYARD, hourly_cost=20).stone
    dear = result_for(personas.VINEYARD, hourly_cost=60).stone
    assert dear.yearly_cost == 3 * cheap.yearly_cost
