"""Recommendations with reasons: use cases, programmes, providers and training.

`recommend()` is a pure function of the catalogue snapshot (catalogue.py), the
company, the scores and the stone. Every recommendation carries the rules
that chose it, in plain words.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from . import budget, eligibility
from .catalogue import Catalogue, ProgrammeFacts, ProviderFacts
from .scoring import WEAK, ScoreCard, dimension_label
from .stone import Stone

SECURE_FIRST_CYBER = WEAK
SECURE_FIRST_GOVERNANCE = 40
# Training helps short of a good skills score, and most of all far below it.
SKILLS_NEED = 60
UNTRAINED = 35
INCIDENT_ANSWERS = eligibility.INCIDENT_ANSWERS
PROGRAMMES_SHOWN = 5
TRAINING_SHOWN = 3
PROVIDERS_SHOWN = 6
# Worries that bring French or European hosting and publishers forward.
SOVEREIGN_CONCERNS = ("cloud", "data-leak", "attack")


@dataclass(frozen=True)
class Company:
    sector: str
    size_band: str
    department: str
    region: str
    # The owner's worries read from their words (concern slug → their words):
    # "attack", "cloud", "data-leak", "budget", "shadow-ai".
    concerns: dict = field(default_factory=dict, compare=False)


def concerns_of(company: Company, answers: dict) -> dict[str, str]:
    """The owner's worries: read from their words, and what the answers say."""
    found = {}
    if answers.get("cyber.incident") in INCIDENT_ANSWERS:
        found["attack"] = _("un incident de cybersécurité")
    if answers.get("uses.unofficial") == "yes-unframed":
        found["shadow-ai"] = _("des usages de l’IA sans cadre")
    if answers.get("ambition.budget") in budget.TIGHT:
        found["budget"] = _("un budget limité")
    return {**found, **(company.concerns or {})}


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
class Exclusion:
    """A catalogue programme not advised, with the rule that kept it out."""

    slug: str
    name: str
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
    # Whom to call after an attack, within the company's territory.
    contacts: tuple[Recommendation, ...] = ()
    excluded: tuple[Exclusion, ...] = ()
    concerns: dict = field(default_factory=dict, compare=False)


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
    if answers.get("ambition.budget") in budget.TIGHT:
        add("financement", 1.5, _("Votre budget est limité : des aides existent."))
    elif answers.get("ambition.funding") in ("no", "known"):
        add("financement", 1, _("Vous n’avez pas encore bénéficié d’aides : "
                                "certaines complètent un budget."))  # fmt: skip
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


def choose_quick_win(
    use_cases, *, rank: int, answers: dict, stone: Stone | None = None
) -> Recommendation | None:
    """The use case to try first: within the level and the budget, the stone's first.

    A cost the catalogue does not give counts as a free trial: the documents
    say AI « peut être testé gratuitement ou pour pas très cher ».
    """
    fitting = [
        uc
        for uc in use_cases
        if uc.details.get("min_maturity", 0) <= rank
        and budget.fits(uc.details.get("cost_code") or "free", answers)
    ]
    on_stone = [
        uc for uc in fitting if stone and stone.slug in uc.details["stone_categories"]
    ]
    return (on_stone or fitting or [None])[0]


def eligibility_reasons(p: ProgrammeFacts, company: Company, cat: Catalogue):
    """Why an eligible company is eligible, in words (the limits it meets)."""
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
    if p.reserved_for == "ai-firms":
        reasons.append(_("Votre métier est l’IA, comme l’exige ce dispositif."))
    elif p.reserved_for == "startups":
        reasons.append(_("Réservé aux start-up du numérique, comme la vôtre."))
    elif p.reserved_for == "consortia":
        reasons.append(_("Vous voulez créer de nouvelles offres : un projet de "
                         "recherche en consortium est à votre portée."))  # fmt: skip
    return reasons


def programme_exclusions(
    catalogue: Catalogue, company: Company, answers: dict,
    eligible: frozenset[str], day: date,
) -> dict[str, str]:  # fmt: skip
    """Every catalogue programme the company cannot take up, with the reason."""
    excluded = {}
    for p in catalogue.programmes:
        reason = eligibility.exclusion(p, company, answers, catalogue, day)
        if reason is None and p.slug not in eligible:
            reason = _("Hors des conditions d’accès du catalogue.")
        if reason:
            excluded[p.slug] = reason
    return excluded


def rank_programmes(
    catalogue: Catalogue, company: Company, needs: list[Need],
    excluded: dict[str, str], *, training: bool,
) -> list[tuple[float, Recommendation]]:  # fmt: skip
    """The programmes (or training offers) the company can take up, best first."""
    by_need = {n.slug: n for n in needs}
    found = []
    for p in catalogue.programmes:
        if p.is_training != training or p.slug in excluded:
            continue
        served = sorted(
            (by_need[slug] for slug in p.needs if slug in by_need),
            key=lambda n: -n.weight,
        )
        if not served:
            continue
        total = need_score(served) + (0.5 if p.regions or p.departments else 0)
        reasons = [
            _("Répond à votre besoin « %(need)s » : %(why)s")
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
    return sorted(found, key=lambda r: (-r.score, r.name))


def _kept(ranked: list[Recommendation], limit: int, excluded: dict[str, str]):
    """The first `limit`; the others are excluded as less pressing."""
    for rec in ranked[limit:]:
        excluded[rec.slug] = _(
            "Répond à vos besoins, mais moins que les %(n)d dispositifs retenus."
        ) % {"n": limit}
    return tuple(ranked[:limit])


def _unserved(catalogue: Catalogue, excluded: dict[str, str], kept) -> None:
    for p in catalogue.programmes:
        if p.slug not in excluded and p.slug not in kept:
            excluded[p.slug] = _("Ne répond à aucun des besoins repérés.")


# --- Providers ----------------------------------------------------------------------


@dataclass(frozen=True)
class Wanted:
    """A service the plan needs from a provider, and for what."""

    weight: float
    reason: str


def wanted_services(
    catalogue: Catalogue, needs: list[Need], quick_win: Recommendation | None,
    use_cases, concerns: dict[str, str],
) -> dict[str, Wanted]:  # fmt: skip
    """The services the plan's actions need, each with its weight and reason."""
    found: dict[str, Wanted] = {}

    def add(slugs, weight, reason):
        for slug in slugs:
            if weight > found.get(slug, Wanted(0, "")).weight:
                found[slug] = Wanted(weight, reason)

    for uc in use_cases[1:]:
        add(uc.details.get("services", ()), 1,
            _("Pour « %(uc)s », un autre usage conseillé.") % {"uc": uc.name})  # fmt: skip
    if quick_win:
        add(quick_win.details.get("services", ()), 3,
            _("Pour le pilote « %(uc)s ».") % {"uc": quick_win.name})  # fmt: skip
    weights = {n.slug: n for n in needs}
    if "cybersecurite" in weights:
        add(("cybersecurite", "infrastructure-cyber"), weights["cybersecurite"].weight,
            weights["cybersecurite"].reason)  # fmt: skip
    sovereign = [concerns[c] for c in SOVEREIGN_CONCERNS if c in concerns]
    if sovereign:  # as pressing as the attack itself
        why = _("Mis en avant pour ce qui vous inquiète : « %(words)s ».")
        add(
            ("cloud-souverain", "messagerie-souveraine"),
            4,
            why % {"words": sovereign[0]},
        )
    elif "souverainete" in weights:
        add(("cloud-souverain", "messagerie-souveraine"), 1,
            weights["souverainete"].reason)  # fmt: skip
    if "formation" in weights:
        add(("formation-ia",), 1, weights["formation"].reason)
    return found


def provider_in_area(p: ProviderFacts, company: Company) -> bool:
    """A provider the documents place in a region serves that region only."""
    return not p.region or p.region == company.region


def rank_providers(
    catalogue: Catalogue, company: Company, wanted: dict[str, Wanted],
    concerns: dict[str, str], *, per_service: int = 2, limit: int = PROVIDERS_SHOWN,
) -> list[Recommendation]:  # fmt: skip
    """Providers for each service the plan needs, most needed first.

    Among those offering a service: the nearest first, then French or European
    ones (first of all when the owner worries about an attack, the cloud or a
    leak). Never a provider the documents place in another region.
    """
    sovereign_first = any(c in concerns for c in SOVEREIGN_CONCERNS)
    near = [p for p in catalogue.providers if provider_in_area(p, company)]
    chosen: dict[str, ProviderFacts] = {}
    for service in sorted(wanted, key=lambda s: (-wanted[s].weight, s)):
        offering = sorted(
            (p for p in near if service in p.services),
            key=lambda p: (-_place_score(p, company, sovereign_first), p.name),
        )
        for p in offering[:per_service]:
            if len(chosen) < limit:
                chosen.setdefault(p.slug, p)
    recs = []
    for p in chosen.values():
        served = sorted(
            (s for s in p.services if s in wanted), key=lambda s: -wanted[s].weight
        )
        total = wanted[served[0]].weight + _place_score(p, company, sovereign_first)
        recs.append(
            _provider_recommendation(
                p, served, total, company, catalogue, wanted, sovereign_first
            )
        )
    return recs


def _place_score(p: ProviderFacts, company: Company, sovereign_first: bool) -> float:
    total = 0.0
    if p.department and p.department == company.department:
        total += 1
    elif p.region and p.region == company.region:
        total += 0.5
    if p.is_french_or_eu:
        total += 2 if sovereign_first else 0.25
    return total


def _provider_recommendation(
    p, served, total, company, catalogue, wanted, sovereign_first
) -> Recommendation:
    reasons = [
        _("Propose « %(service)s » : %(why)s")
        % {"service": catalogue.service_names.get(s, s), "why": wanted[s].reason}
        for s in served
    ]
    if p.department and p.department == company.department:
        reasons.append(_("Basé dans votre département (%(town)s).") % {"town": p.town})
    elif p.region and p.region == company.region:
        where = p.town or catalogue.region_names.get(p.region, "")
        reasons.append(_("Basé dans votre région (%(town)s).") % {"town": where})
    if p.is_french_or_eu and sovereign_first:
        reasons.append(
            _("Acteur français ou européen, mis en avant pour les inquiétudes "
              "que vous avez exprimées.")
        )  # fmt: skip
    elif p.is_french_or_eu:
        reasons.append(
            _("Acteur français ou européen, comme le conseillent les documents.")
        )
    return Recommendation.of(p, score=total, reasons=reasons, needs=served)


def incident_contacts(catalogue: Catalogue, company: Company, day: date):
    """Whom to call after an attack, in the company's territory, as recommendations."""
    return tuple(
        Recommendation.of(
            p, reasons=[_("Centre de réponse aux incidents de votre territoire.")]
        )
        for p in eligibility.incident_contacts(catalogue, company, day)
    )


def recommend(
    *, catalogue: Catalogue, company: Company, scorecard: ScoreCard,
    stone: Stone | None, answers: dict, eligible_programmes: frozenset[str],
    day: date | None = None,
) -> Recommendations:  # fmt: skip
    """Everything the result page and the plan recommend, each with its reasons.

    `eligible_programmes`: the slugs of the programmes the company may take up
    (`results.eligible_programmes`); `day`: the day the plan starts.
    """
    day = day or date.today()
    concerns = concerns_of(company, answers)
    needs = needs_for(scorecard, answers, catalogue.need_names)
    first = secure_first(scorecard, answers)
    excluded = programme_exclusions(
        catalogue, company, answers, eligible_programmes, day
    )
    programmes = _kept(
        rank_programmes(catalogue, company, needs, excluded, training=False),
        PROGRAMMES_SHOWN, excluded,
    )  # fmt: skip
    training = _kept(
        rank_programmes(catalogue, company, needs, excluded, training=True),
        TRAINING_SHOWN, excluded,
    )  # fmt: skip
    _unserved(catalogue, excluded, {r.slug for r in (*programmes, *training)})
    use_cases = rank_use_cases(catalogue, company, scorecard, stone)
    quick_win = choose_quick_win(
        use_cases, rank=scorecard.level.rank, answers=answers, stone=stone
    )
    wanted = wanted_services(catalogue, needs, quick_win, use_cases, concerns)
    names = {p.slug: p.name for p in catalogue.programmes}
    return Recommendations(
        needs=tuple(needs),
        secure_first=bool(first),
        secure_first_reasons=tuple(first),
        use_cases=tuple(use_cases),
        programmes=programmes,
        providers=tuple(rank_providers(catalogue, company, wanted, concerns)),
        training=training,
        contacts=incident_contacts(catalogue, company, day),
        excluded=tuple(
            Exclusion(slug, names[slug], reason)
            for slug, reason in sorted(excluded.items(), key=lambda i: names[i[0]])
        ),
        concerns=concerns,
    )
