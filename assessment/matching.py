"""Recommendations with reasons: use cases, programmes, providers and training.

`recommend()` is a pure function of the catalogue snapshot (catalogue.py), the
company, the scores and the stone. Every recommendation carries the rules
that chose it, in plain words.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .catalogue import Catalogue, ProgrammeFacts, ProviderFacts
from .scoring import WEAK, ScoreCard, dimension_label
from .stone import Stone

SECURE_FIRST_CYBER = WEAK
SECURE_FIRST_GOVERNANCE = 40
# Training helps short of a good skills score, and most of all far below it.
SKILLS_NEED = 60
UNTRAINED = 35
INCIDENT_ANSWERS = ("minor", "major", "suspected")


@dataclass(frozen=True)
class Company:
    sector: str
    size_band: str
    department: str
    region: str
    # The worries read in the owner's words (reading.CONCERNS): slug → their words.
    concerns: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Recommendation:
    kind: str  # use_case, programme, provider, training
    slug: str
    name: str
    summary: str
    url: str
    score: float
    reasons: tuple[str, ...]
    details: dict = field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, item, *, score: float = 0, reasons=(), needs=()) -> Recommendation:
        """The one way to recommend a catalogue item (facts of catalogue.py)."""
        return cls(
            item.kind, item.slug, item.name, item.summary, item.url,
            round(score, 2), tuple(reasons), item.details(needs),
        )  # fmt: skip


@dataclass(frozen=True)
class Need:
    slug: str
    name: str
    weight: float
    reason: str


@dataclass(frozen=True)
class Recommendations:
    needs: tuple[Need, ...]
    secure_first: bool
    secure_first_reasons: tuple[str, ...]
    use_cases: tuple[Recommendation, ...]
    programmes: tuple[Recommendation, ...]
    providers: tuple[Recommendation, ...]
    training: tuple[Recommendation, ...]


# --- Needs ----------------------------------------------------------------------


def needs_for(scorecard: ScoreCard, answers: dict, names: dict[str, str]) -> list[Need]:
    """What the company needs, each with its weight and the reason, strongest first."""
    dims = scorecard.dimensions
    found: dict[str, tuple[float, str]] = {}

    def add(slug: str, weight: float, reason: str) -> None:
        if weight > found.get(slug, (0, ""))[0]:
            found[slug] = (weight, reason)

    if answers.get("cyber.incident") in INCIDENT_ANSWERS:
        add("cybersecurite", 4, _("Vous avez signalé un incident de cybersécurité."))
    if dims["cyber"] < WEAK:
        add("cybersecurite", 3, _score_reason("cyber", dims))
    if dims["skills"] < SKILLS_NEED:
        add(
            "formation",
            2.5 if dims["skills"] < UNTRAINED else 2,
            _score_reason("skills", dims),
        )
    if dims["governance"] < WEAK:
        add("ethique", 1.5, _score_reason("governance", dims))
    if answers.get("data.personal") == "yes" or dims["cyber"] < WEAK:
        add("souverainete", 1, _("Vos données méritent un hébergement de confiance."))
    if answers.get("ambition.budget") in ("none", "under-1k") or answers.get(
        "ambition.funding"
    ) in ("no", "known"):
        add("financement", 1.5, _("Votre budget est limité : des aides existent."))
    if "offers" in (answers.get("ambition.goals") or []):
        add("innovation", 1, _("Vous voulez créer de nouvelles offres."))
    add("accompagnement", 1, _("Un premier projet se réussit mieux accompagné."))
    needs = [Need(slug, names.get(slug, slug), w, r) for slug, (w, r) in found.items()]
    return sorted(needs, key=lambda n: (-n.weight, n.slug))


def _score_reason(dimension: str, dims: dict[str, int]) -> str:
    return _("Votre score « %(dimension)s » est de %(score)d/100.") % {
        "dimension": dimension_label(dimension),
        "score": dims[dimension],
    }


def secure_first(scorecard: ScoreCard, answers: dict) -> list[str]:
    """Why the basics must be secured before deploying AI (empty: no need)."""
    dims = scorecard.dimensions
    reasons = []
    if dims["cyber"] < SECURE_FIRST_CYBER:
        reasons.append(_score_reason("cyber", dims))
    if answers.get("cyber.incident") in INCIDENT_ANSWERS:
        reasons.append(_("Vous avez signalé un incident de cybersécurité."))
    if dims["governance"] < SECURE_FIRST_GOVERNANCE:
        reasons.append(_score_reason("governance", dims))
    if answers.get("uses.unofficial") == "yes-unframed":
        reasons.append(_("Des salariés utilisent l’IA sans cadre (« shadow IA »)."))
    return reasons


def need_score(served: list[Need]) -> float:
    """The strongest need served counts fully, the others a quarter.

    So a programme aimed at the company's main need (Cyber'Occ after an attack)
    comes before a broad one that touches many minor needs.
    """
    if not served:
        return 0.0
    weights = sorted((n.weight for n in served), reverse=True)
    return weights[0] + 0.25 * sum(weights[1:])


# --- Use cases ------------------------------------------------------------------


def rank_use_cases(
    catalogue: Catalogue, company: Company, scorecard: ScoreCard, stone: Stone | None,
    limit: int = 5,
) -> list[Recommendation]:  # fmt: skip
    weights = {}
    if stone:
        for candidate in stone.candidates:
            weights.setdefault(candidate.slug, 1.0)
        weights[stone.slug] = 3.0
    pool = {
        uc.slug: uc
        for slug in weights
        for uc in catalogue.use_cases_by_stone.get(slug, ())
    }
    if not pool:  # no time sink named: what suits the sector and the level
        pool = {
            uc.slug: uc for uc in catalogue.use_cases if company.sector in uc.sectors
        }
    names = {c.slug: c.name for c in stone.candidates} if stone else {}
    scored = (
        (_use_case_score(uc, weights, company, scorecard.level.rank), uc)
        for uc in pool.values()
    )
    # Reasons are worded only for the few kept: the catalogue may hold thousands.
    best = heapq.nsmallest(
        limit, ((-total, uc.slug, uc) for total, uc in scored if total > 0)
    )
    return [
        Recommendation.of(
            uc, score=-neg, reasons=_use_case_reasons(uc, weights, names, scorecard)
        )
        for neg, _slug, uc in best
    ]


def _use_case_score(uc, weights, company, rank: int) -> float:
    """Stone categories served, sector, maturity and effort; 0 when excluded."""
    if uc.sectors and company.sector not in uc.sectors:
        return 0.0
    total = sum(weights[slug] for slug in uc.stone_categories if slug in weights)
    total += 1 if uc.sectors else 0
    total += 0.5 if uc.min_maturity <= rank else -1.5
    total += 0.5 if uc.effort == "low" else 0
    return total


def _use_case_reasons(uc, weights, names, scorecard) -> list[str]:
    reasons = []
    for slug in sorted(uc.stone_categories & weights.keys(), key=lambda s: -weights[s]):
        if weights[slug] >= 3:
            reasons.append(
                _("Répond à votre caillou : « %(name)s ».") % {"name": names[slug]}
            )
        else:
            reasons.append(_("Allège aussi « %(name)s ».") % {"name": names[slug]})
    if uc.sectors:
        reasons.append(_("Prévu pour votre secteur."))
    if uc.min_maturity <= scorecard.level.rank:
        reasons.append(
            _("Accessible à votre niveau (%(level)s).")
            % {"level": scorecard.level.name}
        )
    else:
        prerequisites = uc.prerequisites or _("un niveau de maturité plus élevé")
        reasons.append(_("Demande d’abord : %(what)s") % {"what": prerequisites})
    if uc.effort == "low":
        reasons.append(_("Effort de mise en place faible."))
    return reasons


# --- Programmes and training ------------------------------------------------------


def eligibility_reasons(p: ProgrammeFacts, company: Company, cat: Catalogue):
    """Why an eligible company is eligible, in words.

    Whether it is eligible is decided once, by the catalogue's rule
    (`ProgrammeQuerySet.eligible`): this only says which of its limits it meets.
    """
    reasons = []
    if company.department in p.departments:
        name = cat.department_names.get(company.department, company.department)
        reasons.append(
            _("Ouvert aux entreprises de votre département (%(n)s).") % {"n": name}
        )
    elif p.departments or p.regions:
        name = cat.region_names.get(company.region, company.region)
        reasons.append(
            _("Ouvert aux entreprises de votre région (%(n)s).") % {"n": name}
        )
    if p.size_bands:
        reasons.append(_("Ouvert aux entreprises de votre taille."))
    if p.sectors:
        reasons.append(_("Réservé à des secteurs dont le vôtre."))
    return reasons


def rank_programmes(
    catalogue: Catalogue, company: Company, needs: list[Need],
    eligible: frozenset[str], *, training: bool, limit: int,
) -> list[Recommendation]:  # fmt: skip
    by_need = {n.slug: n for n in needs}
    found = []
    for p in catalogue.programmes:
        if p.is_training != training or p.slug not in eligible:
            continue
        served = [by_need[slug] for slug in p.needs if slug in by_need]
        if not served:
            continue
        served.sort(key=lambda n: -n.weight)
        total = need_score(served) + (0.5 if p.regions or p.departments else 0)
        reasons = [
            _("Répond à votre besoin « %(need)s » : %(why)s")
            % {"need": n.name, "why": n.reason}
            for n in served
        ] + eligibility_reasons(p, company, catalogue)
        if training and company.size_band in p.size_bands:
            total += 1  # offers aimed at companies of this size come first
        found.append(
            Recommendation.of(
                p, score=total, reasons=reasons, needs=[n.slug for n in served]
            )
        )
    return sorted(found, key=lambda r: (-r.score, r.name))[:limit]


# --- Providers ----------------------------------------------------------------------


def rank_providers(
    catalogue: Catalogue, company: Company, needs: list[Need], limit: int = 5
) -> list[Recommendation]:
    by_need = {n.slug: n for n in needs}
    scored = []
    for p in catalogue.providers:
        served = [by_need[s] for s in p.needs if s in by_need]
        if served:
            scored.append(
                (-_provider_score(p, served, company), p.name, p.slug, p, served)
            )
    return [
        _provider_recommendation(p, served, -neg, company, catalogue)
        for neg, _name, _slug, p, served in heapq.nsmallest(limit, scored)
    ]


def _provider_score(p: ProviderFacts, served: list[Need], company: Company) -> float:
    total = need_score(served)
    if p.department and p.department == company.department:
        total += 2
    elif p.region and p.region == company.region:
        total += 1
    return total + (0.5 if p.is_french_or_eu else 0)


def _provider_recommendation(p, served, total, company, catalogue) -> Recommendation:
    served = sorted(served, key=lambda n: -n.weight)
    reasons = [_("Peut vous aider en « %(need)s ».") % {"need": n.name} for n in served]
    if p.department and p.department == company.department:
        reasons.append(_("Basé dans votre département (%(town)s).") % {"town": p.town})
    elif p.region and p.region == company.region:
        where = p.town or catalogue.region_names.get(p.region, "")
        reasons.append(_("Basé dans votre région (%(town)s).") % {"town": where})
    if p.is_french_or_eu:
        reasons.append(
            _("Acteur français ou européen, comme le conseillent les documents.")
        )
    return Recommendation.of(
        p, score=total, reasons=reasons, needs=[n.slug for n in served]
    )


def recommend(
    *, catalogue: Catalogue, company: Company, scorecard: ScoreCard,
    stone: Stone | None, answers: dict, eligible_programmes: frozenset[str],
) -> Recommendations:  # fmt: skip
    """Everything the result page and the plan recommend, each with its reasons.

    `eligible_programmes`: the slugs of the programmes the company may take up
    (`results.eligible_programmes`).
    """
    eligible = eligible_programmes
    needs = needs_for(scorecard, answers, catalogue.need_names)
    first = secure_first(scorecard, answers)
    return Recommendations(
        needs=tuple(needs),
        secure_first=bool(first),
        secure_first_reasons=tuple(first),
        use_cases=tuple(rank_use_cases(catalogue, company, scorecard, stone)),
        programmes=tuple(
            rank_programmes(
                catalogue, company, needs, eligible, training=False, limit=5
            )
        ),
        providers=tuple(rank_providers(catalogue, company, needs)),
        training=tuple(
            rank_programmes(catalogue, company, needs, eligible, training=True, limit=3)
        ),
    )
