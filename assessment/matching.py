"""Recommendations with reasons: use cases, programmes, providers and training.

`load_catalogue()` reads the catalogue once into plain data; `recommend()` is a
pure function of that data, the company, the scores and the stone. Every
recommendation carries the rules that chose it, in plain words.
"""

from __future__ import annotations

import heapq
import time
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from catalog.models import Programme, Provider, StoneCategory, UseCase

from .scoring import ScoreCard, dimension_label
from .stone import Stone, StoneCategoryFacts

WEAK = 50  # a dimension under this score is a weakness to work on
SECURE_FIRST_CYBER = 50
SECURE_FIRST_GOVERNANCE = 40
INCIDENT_ANSWERS = ("minor", "major", "suspected")


@dataclass(frozen=True)
class UseCaseFacts:
    slug: str
    name: str
    summary: str
    stone_categories: frozenset[str]
    sectors: frozenset[str]
    min_maturity: int
    prerequisites: str
    effort: str
    cost_band: str
    cost_band_label: str
    time_saved: str
    url: str


@dataclass(frozen=True)
class ProgrammeFacts:
    slug: str
    name: str
    operator: str
    kind: str
    kind_label: str
    summary: str
    regions: frozenset[str]
    departments: frozenset[str]
    size_bands: frozenset[str]
    sectors: frozenset[str]
    needs: frozenset[str]
    cost_to_company: str
    amount_text: str
    ends_on: date | None
    url: str


@dataclass(frozen=True)
class ProviderFacts:
    slug: str
    name: str
    town: str
    department: str
    region: str
    services: frozenset[str]
    needs: frozenset[str]
    is_french_or_eu: bool | None
    url: str


@dataclass(frozen=True)
class Catalogue:
    stone_categories: tuple[StoneCategoryFacts, ...]
    use_cases: tuple[UseCaseFacts, ...]
    programmes: tuple[ProgrammeFacts, ...]
    providers: tuple[ProviderFacts, ...]
    need_names: dict[str, str] = field(default_factory=dict)
    region_names: dict[str, str] = field(default_factory=dict)
    department_names: dict[str, str] = field(default_factory=dict)
    use_cases_by_stone: dict[str, tuple[UseCaseFacts, ...]] = field(
        default_factory=dict, compare=False
    )

    def __post_init__(self):
        index: dict[str, list[UseCaseFacts]] = {}
        for use_case in self.use_cases:
            for slug in use_case.stone_categories:
                index.setdefault(slug, []).append(use_case)
        self.use_cases_by_stone.update({k: tuple(v) for k, v in index.items()})


@dataclass(frozen=True)
class Company:
    sector: str
    size_band: str
    department: str
    region: str


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


# --- Loading the catalogue ------------------------------------------------------

_cache: dict = {}
CACHE_SECONDS = 60


def load_catalogue() -> Catalogue:
    """The catalogue as plain data, kept a minute so that editors' changes show soon."""
    cached = _cache.get("catalogue")
    if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    catalogue = read_catalogue()
    _cache["catalogue"] = (time.monotonic(), catalogue)
    return catalogue


def clear_cache() -> None:
    _cache.clear()


def _slugs(related) -> frozenset[str]:
    return frozenset(obj.slug for obj in related.all())


def read_catalogue() -> Catalogue:
    from catalog.models import Department, Need, Region

    stone_categories = tuple(
        StoneCategoryFacts(
            c.slug, c.name, float(c.automatable_share), tuple(c.keyword_list())
        )
        for c in StoneCategory.objects.all()
    )
    use_cases = tuple(
        UseCaseFacts(
            u.slug,
            u.name,
            u.summary,
            _slugs(u.stone_categories),
            _slugs(u.sectors),
            u.min_maturity,
            u.prerequisites,
            u.effort,
            u.cost_band,
            u.get_cost_band_display() if u.cost_band else "",
            u.time_saved,
            u.get_absolute_url(),
        )  # fmt: skip
        for u in UseCase.objects.prefetch_related("stone_categories", "sectors")
    )
    programmes = tuple(
        ProgrammeFacts(
            p.slug,
            p.name,
            p.operator,
            p.kind,
            p.get_kind_display(),
            p.summary,
            frozenset(r.code for r in p.regions.all()),
            frozenset(d.code for d in p.departments.all()),
            frozenset(s.code for s in p.size_bands.all()),
            _slugs(p.sectors),
            _slugs(p.needs),
            p.cost_to_company,
            p.amount_text,
            p.ends_on,
            p.get_absolute_url(),
        )  # fmt: skip
        for p in Programme.objects.filter(open_to_companies=True).prefetch_related(
            "regions", "departments", "size_bands", "sectors", "needs"
        )
    )
    providers = tuple(
        ProviderFacts(
            p.slug,
            p.name,
            p.town,
            p.department.code if p.department else "",
            _provider_region(p),
            _slugs(p.services),
            frozenset(n.slug for s in p.services.all() for n in s.needs.all()),
            p.is_french_or_eu,
            p.get_absolute_url(),
        )  # fmt: skip
        for p in Provider.objects.select_related(
            "department__region", "region"
        ).prefetch_related("services__needs")
    )
    return Catalogue(
        stone_categories, use_cases, programmes, providers,
        need_names={n.slug: n.name for n in Need.objects.all()},
        region_names={r.code: r.name for r in Region.objects.all()},
        department_names={d.code: d.name for d in Department.objects.all()},
    )  # fmt: skip


def _provider_region(provider: Provider) -> str:
    if provider.department:
        return provider.department.region.code
    return provider.region.code if provider.region else ""


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
    if dims["skills"] < 60:
        add(
            "formation",
            2.5 if dims["skills"] < 35 else 2,
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
        Recommendation(
            "use_case",
            uc.slug,
            uc.name,
            uc.summary,
            uc.url,
            round(-neg, 2),
            tuple(_use_case_reasons(uc, weights, names, scorecard)),
            {
                "effort": uc.effort,
                "cost_band": uc.cost_band_label,
                "time_saved": uc.time_saved,
            },
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


def eligibility_reasons(
    p: ProgrammeFacts, company: Company, cat: Catalogue, today: date
):
    """The reasons a company is eligible, or None when it is not."""
    if p.ends_on and p.ends_on < today:
        return None
    reasons = []
    if p.departments or p.regions:
        if company.department in p.departments:
            name = cat.department_names.get(company.department, company.department)
            reasons.append(
                _("Ouvert aux entreprises de votre département (%(n)s).") % {"n": name}
            )
        elif company.region in p.regions:
            name = cat.region_names.get(company.region, company.region)
            reasons.append(
                _("Ouvert aux entreprises de votre région (%(n)s).") % {"n": name}
            )
        else:
            return None
    if p.size_bands:
        if company.size_band not in p.size_bands:
            return None
        reasons.append(_("Ouvert aux entreprises de votre taille."))
    if p.sectors:
        if company.sector not in p.sectors:
            return None
        reasons.append(_("Réservé à des secteurs dont le vôtre."))
    return reasons


def rank_programmes(
    catalogue: Catalogue, company: Company, needs: list[Need], today: date, *,
    training: bool, limit: int,
) -> list[Recommendation]:  # fmt: skip
    by_need = {n.slug: n for n in needs}
    found = []
    for p in catalogue.programmes:
        if (p.kind == "training") != training:
            continue
        served = [by_need[slug] for slug in p.needs if slug in by_need]
        if not served:
            continue
        eligible = eligibility_reasons(p, company, catalogue, today)
        if eligible is None:
            continue
        served.sort(key=lambda n: -n.weight)
        total = need_score(served) + (0.5 if p.regions or p.departments else 0)
        reasons = [
            _("Répond à votre besoin « %(need)s » : %(why)s")
            % {"need": n.name, "why": n.reason}
            for n in served
        ] + eligible
        if training and company.size_band in p.size_bands:
            total += 1  # offers aimed at companies of this size come first
        details = {
            "operator": p.operator, "kind": p.kind_label, "cost": p.cost_to_company,
            "amount": p.amount_text, "needs": [n.slug for n in served],
        }  # fmt: skip
        found.append(
            Recommendation(
                "training" if training else "programme",
                p.slug,
                p.name,
                p.summary,
                p.url,
                round(total, 2),
                tuple(reasons),
                details,
            )  # fmt: skip
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
    details = {"town": p.town, "sovereign": p.is_french_or_eu,
               "needs": [n.slug for n in served]}  # fmt: skip
    return Recommendation(
        "provider", p.slug, p.name, "", p.url, round(total, 2), tuple(reasons), details
    )


def recommend(
    *, catalogue: Catalogue, company: Company, scorecard: ScoreCard,
    stone: Stone | None, answers: dict, today: date,
) -> Recommendations:  # fmt: skip
    """Everything the result page and the plan recommend, each with its reasons."""
    needs = needs_for(scorecard, answers, catalogue.need_names)
    first = secure_first(scorecard, answers)
    return Recommendations(
        needs=tuple(needs),
        secure_first=bool(first),
        secure_first_reasons=tuple(first),
        use_cases=tuple(rank_use_cases(catalogue, company, scorecard, stone)),
        programmes=tuple(
            rank_programmes(catalogue, company, needs, today, training=False, limit=5)
        ),
        providers=tuple(rank_providers(catalogue, company, needs)),
        training=tuple(
            rank_programmes(catalogue, company, needs, today, training=True, limit=3)
        ),
    )
