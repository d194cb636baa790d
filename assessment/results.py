"""The result of a diagnostic: scores, stone, recommendations and roadmap."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.utils import timezone, translation

from catalog.models import Department, Programme, Sector, SizeBand
from config import cache_keys

from . import matching, roadmap, scoring, stone
from .catalogue import Catalogue, load_catalogue, load_reader
from .models import Assessment, Outcome
from .questionnaire import QuestionnaireSpec, spec_for


@dataclass(frozen=True)
class Result:
    assessment_id: int
    scorecard: scoring.ScoreCard
    stone: stone.Stone | None
    recommendations: matching.Recommendations
    roadmap: tuple[roadmap.Phase, ...]
    # Keyed by question code: what the result was worked out from.
    answers: dict


def answers_of(assessment: Assessment) -> dict:
    return dict(assessment.answers.values_list("question__code", "value"))


def own_words(answers: dict) -> dict[str, str]:
    """What the owner wrote in their own words: their activity and their stone."""
    return {
        "activity": answers.get("company.activity", ""),
        "stone": answers.get(stone.DESCRIPTION_QUESTION, ""),
    }


def company_of(assessment: Assessment, answers: dict | None = None) -> matching.Company:
    department = assessment.department
    if answers is None:
        answers = answers_of(assessment)
    return matching.Company(
        sector=assessment.sector.slug,
        size_band=assessment.size_band.code,
        department=department.code,
        region=department.region.code,
        concerns=read_concerns(answers),
    )


def read_concerns(answers: dict) -> dict[str, str]:
    """The worries the owner's description of the stone reveals, with their words."""
    description = answers.get(stone.DESCRIPTION_QUESTION) or ""
    if not description:
        return {}
    return {c.slug: c.evidence for c in load_reader().read(description).concerns}


def eligible_programmes(company: matching.Company, day: date) -> frozenset[str]:
    """The programmes the company may take up that day, by the catalogue's rule."""
    eligible = Programme.objects.eligible(
        department=Department.objects.get(code=company.department),
        size_band=SizeBand.objects.get(code=company.size_band),
        sector=Sector.objects.get(slug=company.sector),
        day=day,
    )
    return frozenset(eligible.values_list("slug", flat=True))


def evaluate(
    *,
    spec: QuestionnaireSpec,
    answers: dict,
    company: matching.Company,
    catalogue: Catalogue,
    eligible: frozenset[str],
    hourly_cost: float,
    working_weeks: int,
    start: date,
    assessment_id: int = 0,
) -> Result:
    """The whole result from plain data: no database access."""
    scorecard = scoring.score(spec, answers)
    description = answers.get(stone.DESCRIPTION_QUESTION) or ""
    found = stone.find_stone(
        answers, list(catalogue.stone_categories),
        hourly_cost=hourly_cost, working_weeks=working_weeks,
        reading=catalogue.reader.read(description) if description else None,
    )  # fmt: skip
    recs = matching.recommend(
        catalogue=catalogue, company=company, scorecard=scorecard,
        stone=found, answers=answers, eligible_programmes=eligible, day=start,
    )  # fmt: skip
    phases = roadmap.build_roadmap(
        scorecard=scorecard, stone=found, recs=recs, start=start, answers=answers
    )
    return Result(assessment_id, scorecard, found, recs, phases, answers)


def result_for(assessment: Assessment) -> Result:
    """The result of a diagnostic, cached by its state.

    It only changes with the answers or the hourly cost (both move `updated_at`),
    the language of its texts, and the catalogue (its version is in the key).
    """
    state = cache_keys.result_state(
        assessment,
        language=translation.get_language(),
        version=cache_keys.catalogue_version(),
    )
    key = cache_keys.result(state)
    found = cache.get(key)
    if found is None:
        found = compute_result(assessment)
        cache.set(key, found, cache_keys.TIMEOUT)
    return found


def compute_result(assessment: Assessment) -> Result:
    # The day it was submitted: the same answers keep giving the same plan.
    start = (assessment.submitted_at or timezone.now()).date()
    answers = answers_of(assessment)
    company = company_of(assessment, answers)
    return evaluate(
        spec=spec_for(assessment.questionnaire),
        answers=answers,
        company=company,
        catalogue=load_catalogue(),
        eligible=eligible_programmes(company, start),
        hourly_cost=float(assessment.hourly_cost),
        working_weeks=assessment.working_weeks,
        start=start,
        assessment_id=assessment.id,
    )


def previous_scorecard(assessment: Assessment) -> scoring.ScoreCard | None:
    """The scores of the diagnostic this one follows, to show the progress."""
    previous = assessment.previous
    if previous is None or not previous.is_submitted():
        return None
    return scoring.score(spec_for(previous.questionnaire), answers_of(previous))


def outcome_values(scorecard: scoring.ScoreCard, found: stone.Stone | None) -> dict:
    """The columns of an `Outcome`: the one way a queue's score is written.

    The queue reads them, the case page scores the answers: both agree only
    because every writer (`record_outcome`, the case generator) comes here.
    """
    scores = scorecard.dimensions
    return {
        "overall": scorecard.overall,
        "level": scorecard.level.rank,
        **{code: scores.get(code, 0) for code in Outcome.dimension_codes()},
        "stone_category": found.slug if found else "",
    }


def record_outcome(assessment: Assessment, result: Result | None = None) -> Outcome:
    """Keep the scores and the stone of a submitted diagnostic for comparisons."""
    result = result or compute_result(assessment)
    outcome, _created = Outcome.objects.update_or_create(
        assessment=assessment,
        defaults={
            **outcome_values(result.scorecard, result.stone),
            "sector_id": assessment.sector_id,
            "size_band_id": assessment.size_band_id,
        },
    )
    return outcome
