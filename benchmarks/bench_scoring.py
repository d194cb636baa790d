"""Scoring and recommendations for one assessment against an inflated catalogue.

The real seeded catalogue is read once, then multiplied in memory to 5,000 use
cases and 2,000 providers with varied slugs, stone categories, sectors and
places, so that the pure `results.evaluate` works on a national-size catalogue.
"""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import replace
from datetime import date

from assessment import catalogue as snapshot
from assessment import matching, results
from assessment.answering import current_questionnaire
from assessment.questionnaire import spec_for
from catalog.models import Department

from .fixtures import ANSWERS, PROFILE_CODES

USE_CASES = 5_000
PROVIDERS = 2_000
RUNS = 200
TARGET_MS = 20


def inflate(catalogue: snapshot.Catalogue, rng: random.Random) -> snapshot.Catalogue:
    """The catalogue with copies of its use cases and providers, varied."""
    categories = [c.slug for c in catalogue.stone_categories]
    sectors = sorted({s for uc in catalogue.use_cases for s in uc.sectors})
    regions = dict(Department.objects.values_list("code", "region__code"))
    departments = sorted(regions)
    needs = sorted(catalogue.need_names)
    use_cases = [
        replace(
            rng.choice(catalogue.use_cases),
            slug=f"use-case-{i}",
            name=f"Cas d’usage {i}",
            stone_categories=frozenset(rng.sample(categories, rng.randint(1, 3))),
            sectors=frozenset(rng.sample(sectors, rng.randint(0, 2))),
            min_maturity=rng.randint(0, 4),
        )
        for i in range(USE_CASES)
    ]
    providers = []
    for i in range(PROVIDERS):
        department = rng.choice(departments)
        providers.append(
            replace(
                rng.choice(catalogue.providers),
                slug=f"provider-{i}",
                name=f"Prestataire {i}",
                department=department,
                region=regions[department],
                needs=frozenset(rng.sample(needs, rng.randint(1, 3))),
            )
        )
    return snapshot.Catalogue(
        catalogue.stone_categories, tuple(use_cases), catalogue.programmes,
        tuple(providers), need_names=catalogue.need_names,
        region_names=catalogue.region_names,
        department_names=catalogue.department_names,
    )  # fmt: skip


def run() -> list[dict]:
    catalogue = inflate(snapshot.read_catalogue(), random.Random(2026))
    region = Department.objects.get(code=PROFILE_CODES["department"]).region.code
    company = matching.Company(region=region, **PROFILE_CODES)
    start = date(2026, 11, 23)
    kwargs = {
        "spec": spec_for(current_questionnaire()),
        "answers": ANSWERS,
        "company": company,
        "catalogue": catalogue,
        "eligible": results.eligible_programmes(company, start),
        "hourly_cost": 35.0,
        "working_weeks": 45,
        "start": start,
    }
    result = results.evaluate(**kwargs)
    assert result.stone and result.recommendations.providers, "a degenerate result"
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        results.evaluate(**kwargs)
        timings.append((time.perf_counter() - started) * 1000)
    print(
        f"  scoring: {len(catalogue.use_cases)} use cases, "
        f"{len(catalogue.providers)} providers, {RUNS} runs"
    )
    return [
        {
            "name": "scoring + recommendations, median",
            "value": round(statistics.median(timings), 3),
            "unit": "ms",
            "target": TARGET_MS,
            "better": "lower",
        },
        {
            "name": "scoring + recommendations, p95",
            "value": round(statistics.quantiles(timings, n=20)[-1], 3),
            "unit": "ms",
            "target": None,
            "better": "lower",
        },
    ]
