"""The roadmap: phases of dated actions built from the scores, stone and picks.

Rules the plan never breaks (tests/assessment/test_advice_properties.py):
the first six months fit the declared budget, or name the programme that pays
the difference; a basic already in place is acknowledged, never proposed;
the pilot pilots the quick win and measures it.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import budget
from .matching import Recommendation, Recommendations, choose_quick_win
from .scoring import ScoreCard
from .stone import Stone


@dataclass(frozen=True)
class Link:
    slug: str
    name: str
    url: str


@dataclass(frozen=True)
class Action:
    title: str
    description: str
    owner: str
    starts_on: date
    ends_on: date
    duration: str
    indicator: str
    cost_band: str  # in words
    programmes: tuple[Link, ...] = ()
    providers: tuple[Link, ...] = ()
    cost_code: str = ""  # a budget.BANDS code
    budget_note: str = ""  # how the cost squares with the declared budget
    key: str = ""  # what it is: a basic's key, "quick-win", "pilot"…
    use_case: str = ""  # the use case it tries or pilots


@dataclass(frozen=True)
class CheckItem:
    label: str
    done: bool


@dataclass(frozen=True)
class Phase:
    code: str
    title: str
    starts_on: date
    ends_on: date
    actions: tuple[Action, ...]
    in_place: tuple[str, ...] = ()  # « Déjà en place : … »


@dataclass(frozen=True)
class Basic:
    """A security or governance basic: how the answers show it, what to do if not."""

    key: str
    label: str  # as the checklist says it
    question: str
    expected: str | int  # a choice code, or the lowest step of a 0–4 scale
    title: str
    description: str
    indicator: str
    cost: str
    # Services a provider may be paid for; none when the owner does it alone for free.
    services: tuple[str, ...] = ()
    owner: str = gettext_lazy("Dirigeant")


BASICS = (
    Basic("backups", gettext_lazy("Sauvegarde quotidienne, dont une copie hors ligne, et restauration testée"),
          "cyber.backups", "tested", gettext_lazy("Sauvegarder et tester la restauration"),
          gettext_lazy("Sauvegardez les données chaque jour, dont une copie hors ligne, et vérifiez une fois qu’une restauration fonctionne."),
          gettext_lazy("Une restauration réussie, datée"), "under_1k",
          ("cybersecurite", "infrastructure-cyber"), gettext_lazy("Dirigeant ou prestataire informatique")),
    Basic("mfa", gettext_lazy("Double authentification sur la messagerie et tous les outils en ligne"),
          "cyber.mfa", "all", gettext_lazy("Activer la double authentification"),
          gettext_lazy("Sur la messagerie, les outils en ligne et les comptes d’administration."),
          gettext_lazy("Part des comptes protégés (objectif : 100 %)"), "free"),
    Basic("updates", gettext_lazy("Mises à jour des ordinateurs, téléphones et logiciels sans tarder"),
          "cyber.updates", 3, gettext_lazy("Faire les mises à jour sans tarder"),
          gettext_lazy("Activez les mises à jour automatiques des ordinateurs, des téléphones et des logiciels."),
          gettext_lazy("Appareils à jour (objectif : tous)"), "free"),
    Basic("who-to-call", gettext_lazy("Savoir qui appeler en cas de cyberattaque"),
          "cyber.who-to-call", "yes", gettext_lazy("Noter qui appeler en cas de cyberattaque"),
          gettext_lazy("Affichez le contact à appeler et les premiers gestes : isoler l’appareil touché du réseau sans l’éteindre."),
          gettext_lazy("Contact affiché et connu de l’équipe"), "free"),
    Basic("sovereignty", gettext_lazy("Données hébergées par un acteur français ou européen de confiance"),
          "cyber.sovereignty", 3, gettext_lazy("Savoir où sont hébergées vos données"),
          gettext_lazy("Listez vos outils en ligne et l’hébergeur de chacun ; les données sensibles vont chez un acteur français ou européen de confiance."),
          gettext_lazy("Liste des outils et de leur hébergeur"), "under_1k",
          ("cloud-souverain", "messagerie-souveraine")),
    Basic("policy", gettext_lazy("Une règle d’usage de l’IA écrite : outils autorisés, données interdites"),
          "governance.policy", "written", gettext_lazy("Écrire une règle d’usage de l’IA"),
          gettext_lazy("Une page : outils autorisés, données à ne jamais confier à une IA, relecture humaine. C’est la réponse au « shadow IA »."),
          gettext_lazy("Règle diffusée à toute l’équipe"), "free"),
    Basic("referent", gettext_lazy("Un référent IA nommé, qui suit les usages de l’équipe"),
          "governance.referent", "yes", gettext_lazy("Nommer un référent IA"),
          gettext_lazy("Une personne qui suit les usages, recueille les besoins et fait le lien avec les partenaires."),
          gettext_lazy("Référent nommé"), "free"),
    Basic("review", gettext_lazy("Les contenus produits par l’IA relus par une personne"),
          "governance.review", 3, gettext_lazy("Faire relire ce que produit l’IA"),
          gettext_lazy("Toute réponse ou tout document produit par l’IA est relu par une personne avant de partir."),
          gettext_lazy("Contenus relus avant envoi"), "free"),
)  # fmt: skip


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _links(recs) -> tuple[Link, ...]:
    return tuple(Link(r.slug, r.name, r.url) for r in recs)


def _offering(providers, services, n: int = 3) -> tuple[Link, ...]:
    """The recommended providers chosen for one of these services."""
    wanted = set(services)
    return _links([p for p in providers if wanted & set(p.details["services"])][:n])


def in_place(basic: Basic, answers: dict) -> bool:
    value = answers.get(basic.question)
    if isinstance(basic.expected, int):  # a scale: at least that step
        return str(value).isdigit() and int(value) >= basic.expected
    return value == basic.expected


def cyber_checklist(answers: dict) -> list[CheckItem]:
    """The basics, ticked where the answers say they are in place.

    The same basics the secure-the-basics phase proposes when they are not.
    """
    return [CheckItem(str(b.label), in_place(b, answers)) for b in BASICS]


def build_roadmap(
    *, scorecard: ScoreCard, stone: Stone | None, recs: Recommendations,
    start: date, answers: dict | None = None,
) -> tuple[Phase, ...]:  # fmt: skip
    """Secure the basics where needed, then quick win, pilot, deployment."""
    answers = answers or {}
    done = tuple(str(b.label) for b in BASICS if in_place(b, answers))
    quick_win = choose_quick_win(
        recs.use_cases, rank=scorecard.level.rank, answers=answers, stone=stone
    )
    phases = []
    secure = _secure_phase(recs, answers, start) if recs.secure_first else None
    offset = 1 if secure else 0
    if secure:
        phases.append(secure)
    phases.append(_quick_win_phase(stone, recs, quick_win, add_months(start, offset)))
    funders = _funders(recs)
    lean = not funders and not budget.fits("1k_10k", answers)
    pilot_start = add_months(start, offset + 3)
    phases.append(_pilot_phase(stone, recs, quick_win, pilot_start, lean))
    phases.append(_deployment_phase(recs, add_months(start, offset + 6)))
    phases[0] = replace(phases[0], in_place=done)
    horizon = add_months(start, budget.HORIZON_MONTHS)
    return tuple(
        replace(p, actions=tuple(
            _fit_budget(a, answers, funders, within=a.starts_on < horizon)
            for a in p.actions
        ))
        for p in phases
    )  # fmt: skip


def _action(title, description, owner, start, months, indicator, cost, **extra):
    end = add_months(start, months)
    duration = _("%(n)d mois") % {"n": months}
    return Action(str(title), str(description), str(owner), start, end, duration,
                  str(indicator), budget.label(cost), cost_code=cost,
                  **extra)  # fmt: skip


def _funders(recs: Recommendations) -> tuple[Link, ...]:
    """Programmes the company can apply to for money: they may pay the difference."""
    return _links(
        r
        for r in recs.programmes
        if r.details.get("uptake") == "call" and "financement" in r.details["needs"]
    )


def _fit_budget(action: Action, answers: dict, funders, *, within: bool) -> Action:
    """The action within the declared budget, or saying who pays the difference."""
    allowed = budget.allowed_band(answers)
    if budget.fits(action.cost_code, answers):
        return action
    declared = budget.label(allowed)
    if funders:
        names = ", ".join(f.name for f in funders)
        note = _("Au-delà de votre budget (%(budget)s) : l’écart peut être financé "
                 "par %(names)s.") % {"budget": declared, "names": names}  # fmt: skip
        return replace(action, budget_note=note, programmes=funders)
    if not within:  # after six months: a decision the pilot's results will inform
        note = _("Au-delà de votre budget actuel (%(budget)s) : à décider au vu des "
                 "résultats du pilote.") % {"budget": declared}  # fmt: skip
        return replace(action, budget_note=note)
    note = _("Adapté à votre budget (%(budget)s) : versions gratuites ou d’essai, "
             "travail en interne.") % {"budget": declared}  # fmt: skip
    return replace(action, cost_code=allowed, cost_band=declared, budget_note=note)


def _secure_phase(recs: Recommendations, answers: dict, start: date) -> Phase:
    actions = [
        _basic_action(b, recs, start) for b in BASICS if not in_place(b, answers)
    ]
    if recs.contacts and answers.get("cyber.incident") in (
        "minor",
        "major",
        "suspected",
    ):
        actions.insert(0, _incident_action(recs, start))
    return Phase(
        "secure", _("Sécuriser les bases"), start, add_months(start, 1),
        tuple(actions),
    )  # fmt: skip


def _basic_action(basic: Basic, recs: Recommendations, start: date) -> Action:
    description = str(basic.description)
    programmes = ()
    if basic.key == "who-to-call" and recs.contacts:
        programmes = _links(recs.contacts)
        names = ", ".join(c.name for c in recs.contacts)
        description += " " + _("Sur votre territoire : %(names)s.") % {"names": names}
    return _action(
        basic.title, description, basic.owner, start, 1, basic.indicator,
        basic.cost, programmes=programmes,
        providers=_offering(recs.providers, basic.services), key=basic.key,
    )  # fmt: skip


def _incident_action(recs: Recommendations, start: date) -> Action:
    names = ", ".join(c.name for c in recs.contacts)
    return _action(
        _("Faire le point sur l’incident avec %(names)s") % {"names": names},
        _("Le centre de réponse aux incidents de votre territoire aide les "
          "entreprises victimes, ou qui soupçonnent une attaque."),
        _("Dirigeant"), start, 1, _("Incident analysé, mesures décidées"), "free",
        programmes=_links(recs.contacts), key="incident",
    )  # fmt: skip


def _stone_name(stone: Stone | None) -> str:
    return stone.name if stone else _("votre tâche la plus chronophage")


def serves_stone(use_case: Recommendation | None, stone: Stone | None) -> bool:
    return bool(
        use_case and stone and stone.slug in use_case.details["stone_categories"]
    )


def _quick_win_phase(stone, recs, quick_win, start: date) -> Phase:
    if quick_win:
        target = _target(quick_win, stone)
        title = (
            _("Tester « %(tool)s » sur « %(stone)s »")
            if target
            else _("Tester « %(tool)s »")
        )
        first = _action(
            title % {"tool": quick_win.name, "stone": target},
            _("Essayez sur une petite équipe et un cas réel, avec des données non sensibles."),
            _("Référent IA"), start, 3, _indicator(quick_win, stone),
            quick_win.details.get("cost_code") or "under_1k",
            key="quick-win", use_case=quick_win.slug,
        )  # fmt: skip
    else:
        first = _prerequisite_action(recs, start)
    training = _action(
        _("Former l’équipe concernée"),
        _("Les bases du prompt, la vérification des réponses et les règles d’usage."),
        _("Référent IA"), start, 2, _("Personnes formées"), "under_1k",
        programmes=_links(recs.training[:2]),
        providers=_offering(recs.providers, ("formation-ia",), 2), key="training",
    )  # fmt: skip
    # A team already trained (no training need) is not sent back to school.
    trained = "formation" not in {n.slug for n in recs.needs}
    actions = (first,) if trained else (first, training)
    return Phase("quick-win", _("0 à 3 mois : un premier gain rapide"), start,
                 add_months(start, 3), actions)  # fmt: skip


def _prerequisite_action(recs: Recommendations, start: date) -> Action:
    """No use case suits the level yet: what comes first, in the catalogue's words."""
    first = recs.use_cases[0] if recs.use_cases else None
    what = (first and first.details.get("prerequisites")) or _(
        "ranger vos documents et vos données, et vous former aux bases"
    )
    return _action(
        _("D’abord : %(what)s") % {"what": what},
        _("Aucun usage du catalogue n’est encore à votre portée : ce premier pas "
          "le rendra possible."),
        _("Dirigeant"), start, 3, _("Prérequis en place"), "free", key="first-step",
    )  # fmt: skip


def _target(use_case: Recommendation, stone: Stone | None) -> str:
    """The time sink the quick win addresses: the stone, or the one it eases."""
    if serves_stone(use_case, stone) or not stone:
        return _stone_name(stone)
    eased = [
        c.name
        for c in stone.candidates
        if c.slug in use_case.details["stone_categories"]
    ]
    return eased[0] if eased else ""


def _indicator(use_case: Recommendation | None, stone: Stone | None) -> str:
    """What the quick win and the pilot measure: the hours on what they address."""
    if serves_stone(use_case, stone) and stone.weekly_hours:
        target = f"{stone.removable_weekly_hours:.0f}"
        return _("Heures gagnées par semaine sur « %(stone)s » (objectif : %(n)s h)") % {
            "stone": stone.name, "n": target,
        }  # fmt: skip
    if use_case:
        return _("Heures gagnées par semaine avec « %(uc)s »") % {"uc": use_case.name}
    return _("Heures gagnées par semaine")


def _pilot_phase(stone, recs, quick_win, start: date, lean: bool) -> Phase:
    """Pilot the quick win; in house when the budget cannot pay a provider."""
    if quick_win:
        services = quick_win.details.get("services", ())
        title = _("Piloter « %(uc)s » avec un prestataire")
        description = _("Le même usage que le premier essai, sur un périmètre "
                        "précis : un indicateur mesuré avant et après, une décision "
                        "de poursuivre ou non au bout de trois mois.")  # fmt: skip
    else:
        services = ()
        title = _("Piloter un premier usage, une fois le prérequis en place")
        description = _("Choisissez l’usage avec le référent IA une fois le premier "
                        "pas franchi ; mesurez le temps gagné avant et après.")  # fmt: skip
    cost, providers = "1k_10k", _offering(recs.providers, services)
    if lean and quick_win:
        title = _("Piloter « %(uc)s » en interne")
        description = _("Le même usage que le premier essai, avec des versions "
                        "gratuites ou d’essai, sur un périmètre précis : un "
                        "indicateur mesuré avant et après, une décision au bout de "
                        "trois mois.")  # fmt: skip
    note = ""
    if lean:
        cost, providers = "under_1k", ()
        note = _("Un prestataire coûte en général de 1 000 à 10 000 € : "
                 "au-delà de votre budget, le pilote se fait en interne.")  # fmt: skip
    action = _action(
        title % {"uc": quick_win.name} if quick_win else title, description,
        _("Dirigeant et référent IA"), start, 3, _indicator(quick_win, stone), cost,
        providers=providers, key="pilot", use_case=quick_win.slug if quick_win else "",
        budget_note=note,
    )  # fmt: skip
    return Phase("pilot", _("3 à 6 mois : un pilote mesuré"), start,
                 add_months(start, 3), (action,))  # fmt: skip


def _deployment_phase(recs: Recommendations, start: date) -> Phase:
    actions = (
        _action(
            _("Déployer ce qui a marché"),
            _("Étendre le pilote aux autres équipes si le gain mesuré le justifie."),
            _("Dirigeant"), start, 6, _("Gain annuel mesuré (en heures et en euros)"),
            "over_10k", key="deployment",
        ),
        _action(
            _("Refaire le diagnostic"),
            _("Pour mesurer les progrès de chaque dimension et choisir le prochain caillou."),
            _("Dirigeant"), add_months(start, 5), 1, _("Évolution du score global"),
            "free", key="rediagnose",
        ),
    )  # fmt: skip
    return Phase("deployment", _("6 à 12 mois : déployer et financer"), start,
                 add_months(start, 6), actions)  # fmt: skip
