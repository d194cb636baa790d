"""The rules of advice, checked on random complete answer sets.

Over any company (sector, size, department, worries) and any valid answers:
the plan fits the budget, never proposes what is in place, stays within the
territory, offers programmes only in the way they can be taken up, picks
providers for the service each action needs, and its phases hang together.
The same holds in what the plan's pages read (the presentation) and in the
API's result. tests/reports/test_advice_pdf.py reads a rendered plan.
"""

import json
from datetime import date

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment import budget, eligibility, plausibility, roadmap
from assessment.matching import SOVEREIGN_CONCERNS, Company
from assessment.presentation import Presentation
from assessment.questionnaire import is_visible
from assessment.results import evaluate
from assessment.serializers import ResultSerializer

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 22)
TEXTS = ("", "On perd un temps fou sur les devis.", "Depuis l’attaque, on a peur du cloud.",
         "Les mails des clients le soir", "rien de spécial")  # fmt: skip
CONCERNS = {"attack": "on s’est fait pirater", "cloud": "je n’ose rien mettre en ligne",
            "data-leak": "peur des fuites", "budget": "pas un sou",
            "shadow-ai": "ChatGPT en douce"}  # fmt: skip


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, _seed_loader):
    """The real questionnaire and catalogue, and the catalogue's eligibility rule
    split by department, size and sector (the query's conditions are a conjunction).
    """
    from assessment.catalogue import read_catalogue
    from assessment.models import Questionnaire
    from assessment.questionnaire import spec_for
    from catalog.models import Department, Programme, Sector, SizeBand

    with django_db_blocker.unblock(), transaction.atomic():
        _seed_loader.load("load_seeds", verbosity=0)
        base = Programme.objects.open_to_companies().open_on(TODAY)

        def slugs(queryset):
            return frozenset(queryset.values_list("slug", flat=True))

        departments = {d.code: d.region.code for d in Department.objects.all()}
        found = {
            "spec": spec_for(Questionnaire.objects.current()),
            "catalogue": read_catalogue(),
            "departments": departments,
            "by_department": {
                d.code: slugs(base.covering(d)) for d in Department.objects.all()
            },
            "by_size": {
                b.code: slugs(base.for_size(b)) for b in SizeBand.objects.all()
            },
            "max_people": {b.code: b.max_employees for b in SizeBand.objects.all()},
            "by_sector": {
                s.slug: slugs(base.for_sector(s)) for s in Sector.objects.all()
            },
        }
        transaction.set_rollback(True)  # the plain data above outlives the rows
    return found


def near(provider, company) -> bool:
    """The documents place a provider in a region, or nowhere (national)."""
    return provider.region in ("", company.region)


def eligible(world, company):
    return (
        world["by_department"][company.department]
        & world["by_size"][company.size_band]
        & world["by_sector"][company.sector]
    )


@st.composite
def owners(draw, world):
    """A company and a complete, valid and plausible set of answers."""
    department = draw(st.sampled_from(sorted(world["departments"])))
    size = draw(st.sampled_from(sorted(world["by_size"])))
    worries = draw(st.sets(st.sampled_from(sorted(CONCERNS))))
    company = Company(
        sector=draw(st.sampled_from(sorted(world["by_sector"]))), size_band=size,
        department=department, region=world["departments"][department],
        concerns={slug: CONCERNS[slug] for slug in worries},
    )  # fmt: skip
    most = min(world["max_people"][size] or 5000, 5000)
    answers = {}
    for question in (q for s in world["spec"].sections for q in s.questions):
        if is_visible(question, answers):
            answers[question.code] = draw(_answer(question, most))
    if plausibility.errors(answers, max_people=most):
        answers = {
            code: 1 if code.endswith(".people") else value
            for code, value in answers.items()
        }
    return company, answers


def _answer(question, most):
    codes = [c.code for c in question.choices]
    exclusive = [c.code for c in question.choices if c.exclusive]
    if question.kind in ("single", "scale"):
        return st.sampled_from(codes)
    if question.kind == "multiple":
        others = [c for c in codes if c not in exclusive]
        return st.one_of(
            st.sampled_from([[c] for c in exclusive] or [[others[0]]]),
            st.lists(st.sampled_from(others), min_size=1, unique=True),
        )
    if question.kind == "number" and question.measure == "people":
        return st.integers(1, most)
    if question.kind == "number":
        return st.integers(0, plausibility.WEEK_HOURS)
    return st.sampled_from(TEXTS)


def violations(world, company, answers, result) -> list[str]:
    """Every rule of advice the result breaks, in words (empty: none)."""
    cat, recs = world["catalogue"], result.recommendations
    found = []
    actions = [a for phase in result.roadmap for a in phase.actions]
    keys = [a.key for a in actions]
    horizon = roadmap.add_months(TODAY, budget.HORIZON_MONTHS)
    # Budget: the first six months fit, or name who pays the difference.
    for a in actions:
        if a.starts_on < horizon and not budget.fits(a.cost_code, answers):
            if not (a.programmes and a.budget_note):
                found.append(f"over budget: {a.title}")
        if a.cost_band != budget.label(a.cost_code):
            found.append(f"cost in words differs: {a.title}")
    words = " ".join(n.reason for n in recs.needs) + " ".join(
        r for rec in (*recs.programmes, *recs.training) for r in rec.reasons
    )
    if "budget est limité" in words and answers["ambition.budget"] not in budget.TIGHT:
        found.append("says the budget is tight")
    # In place: acknowledged, never proposed; the checklist agrees.
    checklist = roadmap.cyber_checklist(answers)
    for basic, item in zip(roadmap.BASICS, checklist, strict=True):
        done = roadmap.in_place(basic, answers)
        if item.done != done:
            found.append(f"checklist disagrees: {basic.key}")
        if done and basic.key in keys:
            found.append(f"proposed though in place: {basic.key}")
        if done and str(basic.label) not in result.roadmap[0].in_place:
            found.append(f"not acknowledged: {basic.key}")
        if not done and recs.secure_first and basic.key not in keys:
            found.append(f"missing from the secure phase: {basic.key}")
    # Territory, uptake and company-kind fit.
    for rec in (*recs.programmes, *recs.training, *recs.contacts):
        facts = cat.find(rec.kind, rec.slug)
        if not eligibility.in_area(facts, company):
            found.append(f"outside the territory: {rec.slug}")
        if rec not in recs.contacts and eligibility.exclusion(
            facts, company, answers, cat, TODAY
        ):
            found.append(f"excluded yet advised: {rec.slug}")
        if facts.uptake == "none" and rec not in recs.contacts:
            found.append(f"an envelope offered: {rec.slug}")
    for p in cat.programmes:  # the pure rule says what the catalogue query decides
        pure = eligibility.catalogue_rule(p, company, cat, TODAY) is None
        if pure != (p.slug in eligible(world, company)):
            found.append(f"rules disagree on {p.slug}")
    shown = {r.slug for r in (*recs.programmes, *recs.training)}
    excluded = {e.slug for e in recs.excluded if e.reason}
    if shown | excluded != {p.slug for p in cat.programmes} or shown & excluded:
        found.append("a programme is neither advised nor explained")
    # Providers: in the area, chosen for a service the plan needs.
    named = {r.slug for r in (*recs.programmes, *recs.training, *recs.contacts)}
    for rec in recs.providers:
        facts = cat.find("provider", rec.slug)
        if not near(facts, company):
            found.append(f"provider outside the territory: {rec.slug}")
        if (
            not rec.details["services"]
            or not set(rec.details["services"]) <= facts.services
        ):
            found.append(f"provider chosen for no service: {rec.slug}")
    for a in actions:
        if not {link.slug for link in a.programmes} <= named:
            found.append(f"action names a programme not advised: {a.title}")
        if not {link.slug for link in a.providers} <= {r.slug for r in recs.providers}:
            found.append(f"action names a provider not advised: {a.title}")
        done_alone = a.cost_code == "free" and not a.budget_note  # not cut to fit
        if a.providers and done_alone and a.owner == "Dirigeant":
            found.append(f"a provider to pay for what the owner does free: {a.title}")
    worried = [c for c in SOVEREIGN_CONCERNS if c in recs.concerns]
    sovereign_near = [
        p for p in cat.providers
        if "cloud-souverain" in p.services and near(p, company)
    ]  # fmt: skip
    if (
        worried
        and sovereign_near
        and not any("cloud-souverain" in r.details["services"] for r in recs.providers)
    ):
        found.append("a cloud, leak or attack worry without sovereign hosting")
    # Phases: the pilot pilots the quick win, within the company's level.
    steps = {a.key: a for a in actions}
    if "quick-win" in steps:
        quick = steps["quick-win"]
        if steps["pilot"].use_case != quick.use_case:
            found.append("the pilot pilots another use case")
        if steps["pilot"].indicator != quick.indicator:
            found.append("the pilot measures something else")
        use_case = cat.find("use_case", quick.use_case)
        if use_case.min_maturity > result.scorecard.level.rank:
            found.append("the quick win needs a higher level")
    elif "first-step" not in steps:
        found.append("no quick win and no first step")
    return found


def read_aloud(world, result) -> str:
    """What the plan's pages read of the result: its presentation and API answer."""
    shown = Presentation(result, catalogue=world["catalogue"])
    rows = [*shown.programme_rows, *shown.training_rows]
    api = ResultSerializer(result, context={"peer_benchmark": None}).data
    api = {**api, "recommendations": {
        k: v for k, v in api["recommendations"].items() if k != "excluded"
    }}  # fmt: skip
    return " ".join(
        [row.next_step for row in rows]
        + [item.label for item in shown.checklist]
        + [json.dumps(api, ensure_ascii=False, default=str)]
    )


@settings(
    max_examples=150, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip
@given(data=st.data())
def test_no_plan_contradicts_the_answers(world, data):
    company, answers = data.draw(owners(world))
    result = evaluate(
        spec=world["spec"], answers=answers, company=company,
        catalogue=world["catalogue"], eligible=eligible(world, company),
        hourly_cost=35, working_weeks=45, start=TODAY,
    )  # fmt: skip
    assert violations(world, company, answers, result) == []
    text = read_aloud(world, result)
    assert "17Cyber" not in text
    cat = world["catalogue"]
    for (
        p
    ) in cat.programmes:  # out of the territory: named nowhere but « pourquoi pas ? »
        if not eligibility.in_area(p, company):
            assert p.name not in text, p.slug
        if p.uptake == "none":
            assert p.name not in text, p.slug
    for p in cat.providers:
        if not near(p, company):
            assert p.name not in text, p.slug
    if result.stone and not result.stone.weekly_hours:
        assert result.stone.yearly_cost == 0
