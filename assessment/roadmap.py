"""The roadmap: phases of dated actions built from the scores, stone and picks."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .matching import Recommendation, Recommendations
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
    cost_band: str
    programmes: tuple[Link, ...] = ()
    providers: tuple[Link, ...] = ()


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


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _links(recs) -> tuple[Link, ...]:
    return tuple(Link(r.slug, r.name, r.url) for r in recs)


def _serving(recs: tuple[Recommendation, ...], need: str, n: int = 2):
    """The recommendations chosen (among other reasons) for `need`."""
    return _links([r for r in recs if need in r.details.get("needs", ())][:n])


def build_roadmap(
    *, scorecard: ScoreCard, stone: Stone | None, recs: Recommendations, start: date
) -> tuple[Phase, ...]:
    """Secure the basics where needed, then quick win, pilot, deployment."""
    phases = []
    offset = 0
    if recs.secure_first:
        phases.append(_secure_phase(recs, start))
        offset = 1
    phases.append(_quick_win_phase(stone, recs, add_months(start, offset)))
    phases.append(_pilot_phase(stone, recs, add_months(start, offset + 3)))
    phases.append(_deployment_phase(stone, recs, add_months(start, offset + 6)))
    return tuple(phases)


def _action(title, description, owner, start, months, indicator, cost_band, **links):
    end = add_months(start, months)
    duration = _("%(n)d mois") % {"n": months}
    return Action(title, description, owner, start, end, duration, indicator, cost_band,
                  **links)  # fmt: skip


def _secure_phase(recs: Recommendations, start: date) -> Phase:
    programmes = _serving(recs.programmes, "cybersecurite")
    providers = _serving(recs.providers, "cybersecurite")
    actions = (
        _action(
            _("Sauvegarder et tester la restauration"),
            _("Sauvegardez les données chaque jour, dont une copie hors ligne, et "
              "vérifiez une fois qu’une restauration fonctionne."),
            _("Dirigeant ou prestataire informatique"), start, 1,
            _("Une restauration réussie, datée"), _("Moins de 1 000 €"),
            programmes=programmes, providers=providers,
        ),
        _action(
            _("Activer la double authentification"),
            _("Sur la messagerie, les outils en ligne et les comptes d’administration."),
            _("Dirigeant"), start, 1,
            _("Part des comptes protégés (objectif : 100 %)"), _("Gratuit"),
        ),
        _action(
            _("Écrire une règle d’usage de l’IA"),
            _("Une page : outils autorisés, données à ne jamais confier à une IA, "
              "relecture humaine. C’est la réponse au « shadow IA »."),
            _("Dirigeant"), start, 1,
            _("Règle diffusée à toute l’équipe"), _("Gratuit"),
        ),
        _action(
            _("Nommer un référent IA"),
            _("Une personne qui suit les usages, recueille les besoins et fait le lien "
              "avec les partenaires."),
            _("Dirigeant"), start, 1, _("Référent nommé"), _("Gratuit"),
        ),
    )  # fmt: skip
    return Phase(
        "secure", _("Sécuriser les bases"), start, add_months(start, 1), actions
    )


# The security basics: what to check, the answer that shows it in place (a
# choice code, or the lowest step of a 0–4 scale), as the secure phase lists them.
BASICS = (
    (gettext_lazy("Sauvegarde quotidienne, dont une copie hors ligne, et restauration testée"), "cyber.backups", "tested"),
    (gettext_lazy("Double authentification sur la messagerie et tous les outils en ligne"), "cyber.mfa", "all"),
    (gettext_lazy("Mises à jour des ordinateurs, téléphones et logiciels sans tarder"), "cyber.updates", 3),
    (gettext_lazy("Savoir qui appeler en cas de cyberattaque (Cyber’Occ, 17Cyber)"), "cyber.who-to-call", "yes"),
    (gettext_lazy("Données hébergées par un acteur français ou européen de confiance"), "cyber.sovereignty", 3),
    (gettext_lazy("Une règle d’usage de l’IA écrite : outils autorisés, données interdites"), "governance.policy", "written"),
    (gettext_lazy("Un référent IA nommé, qui suit les usages de l’équipe"), "governance.referent", "yes"),
    (gettext_lazy("Les contenus produits par l’IA relus par une personne"), "governance.review", 3),
)  # fmt: skip


def cyber_checklist(answers: dict) -> list[CheckItem]:
    """The security basics, ticked where the answers say they are in place.

    The same basics the secure-the-basics phase puts first when they are weak.
    """
    return [
        CheckItem(str(label), _in_place(answers.get(code), expected))
        for label, code, expected in BASICS
    ]


def _in_place(value, expected) -> bool:
    if isinstance(expected, int):  # a scale: at least that step
        return str(value).isdigit() and int(value) >= expected
    return value == expected


def _stone_name(stone: Stone | None) -> str:
    return stone.name if stone else _("votre tâche la plus chronophage")


def _quick_win_phase(stone: Stone | None, recs: Recommendations, start: date) -> Phase:
    first = recs.use_cases[0] if recs.use_cases else None
    tool = first.name if first else _("un outil d’IA générative")
    actions = [
        _action(
            _("Tester « %(tool)s » sur « %(stone)s »") % {"tool": tool, "stone": _stone_name(stone)},
            _("Essayez sur une petite équipe et un cas réel, avec des données non sensibles."),
            _("Référent IA"), start, 3,
            _indicator(stone), first.details.get("cost_band", "") if first else "",
        ),
        _action(
            _("Former l’équipe concernée"),
            _("Les bases du prompt, la vérification des réponses et les règles d’usage."),
            _("Référent IA"), start, 2,
            _("Personnes formées"), _("Souvent gratuit ou financé"),
            programmes=_links(recs.training[:2]),
        ),
    ]  # fmt: skip
    return Phase("quick-win", _("0 à 3 mois : un premier gain rapide"), start,
                 add_months(start, 3), tuple(actions))  # fmt: skip


def _indicator(stone: Stone | None) -> str:
    if stone and stone.weekly_hours:
        target = f"{stone.removable_weekly_hours:.0f}"
        return _("Heures gagnées par semaine sur « %(stone)s » (objectif : %(n)s h)") % {
            "stone": stone.name, "n": target,
        }  # fmt: skip
    return _("Heures gagnées par semaine")


def _pilot_phase(stone: Stone | None, recs: Recommendations, start: date) -> Phase:
    second = recs.use_cases[1] if len(recs.use_cases) > 1 else None
    scope = second.name if second else _stone_name(stone)
    actions = (
        _action(
            _("Piloter un projet avec un prestataire : %(scope)s") % {"scope": scope},
            _("Un périmètre précis, un indicateur mesuré avant et après, une décision "
              "de poursuivre ou non au bout de trois mois."),
            _("Dirigeant et référent IA"), start, 3, _indicator(stone),
            _("De 1 000 € à 10 000 €"), providers=_links(recs.providers[:3]),
        ),
    )  # fmt: skip
    return Phase("pilot", _("3 à 6 mois : un pilote mesuré"), start,
                 add_months(start, 3), actions)  # fmt: skip


def _deployment_phase(stone: Stone | None, recs: Recommendations, start: date) -> Phase:
    actions = (
        _action(
            _("Déployer ce qui a marché et chercher un financement"),
            _("Étendre le pilote aux autres équipes, et monter le dossier d’aide avec "
              "les dispositifs auxquels vous êtes éligible."),
            _("Dirigeant"), start, 6, _("Gain annuel mesuré (en heures et en euros)"),
            _("Plus de 10 000 €"), programmes=_links(recs.programmes[:3]),
        ),
        _action(
            _("Refaire le diagnostic"),
            _("Pour mesurer les progrès de chaque dimension et choisir le prochain caillou."),
            _("Dirigeant"), add_months(start, 5), 1, _("Évolution du score global"),
            _("Gratuit"),
        ),
    )  # fmt: skip
    return Phase("deployment", _("6 à 12 mois : déployer et financer"), start,
                 add_months(start, 6), actions)  # fmt: skip
