"""Which programmes a company can really take up, and why not the others.

Pure rules over the catalogue snapshot: each returns the reason, in words,
that keeps a programme out of the advice, or None when the programme fits.
The advisor's « pourquoi pas ? » shows these reasons; the matching applies them.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .catalogue import Catalogue, ProgrammeFacts

INCIDENT_ANSWERS = ("minor", "major", "suspected")
# Words of the owner's activity that say the company makes AI.
AI_WORDS = (
    "ia", "ai", "intelligence artificielle", "machine learning",
    "apprentissage automatique", "deep learning", "data science",
)  # fmt: skip
STARTUP_SIZES = ("micro", "small")
CONSORTIUM_SIZES = ("small", "medium", "intermediate", "large")


def in_area(p: ProgrammeFacts, company) -> bool:
    """Open to companies of this department (no area at all: open everywhere)."""
    if not p.regions and not p.departments:
        return True
    return company.department in p.departments or company.region in p.regions


def _words(text: str) -> str:
    """Lower-case, accent-free words between spaces: « l’IA » → " l ia "."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " " + " ".join(re.findall(r"[a-z0-9]+", text)) + " "


def makes_ai(activity: str) -> bool:
    padded = _words(activity or "")
    return any(_words(w) in padded for w in AI_WORDS)


def _names(codes, names: dict[str, str]) -> str:
    return ", ".join(sorted(names.get(code, code) for code in codes))


def catalogue_rule(p: ProgrammeFacts, company, cat: Catalogue, day: date) -> str | None:
    """The catalogue's own limits: public, period, area, size, sector.

    The same rule as `ProgrammeQuerySet.eligible`, said in words.
    """
    if not p.open_to_companies:
        return _("S’adresse à d’autres publics que les entreprises : %(who)s.") % {
            "who": (p.audience or p.eligibility).rstrip(".") or _("voir la fiche")
        }
    if p.ends_on and p.ends_on < day:
        return _("Terminé le %(day)s.") % {"day": date_format(p.ends_on)}
    if not in_area(p, company):
        area = _names(p.departments, cat.department_names) or _names(
            p.regions, cat.region_names
        )
        return _("Réservé aux entreprises de : %(area)s.") % {"area": area}
    if p.size_bands and company.size_band not in p.size_bands:
        return _("Réservé aux entreprises de taille : %(sizes)s.") % {
            "sizes": _names(p.size_bands, cat.size_names)
        }
    if p.sectors and company.sector not in p.sectors:
        return _("Réservé aux secteurs : %(sectors)s.") % {
            "sectors": _names(p.sectors, cat.sector_names)
        }
    return None


def uptake_rule(p: ProgrammeFacts, company, answers: dict) -> str | None:
    """How the company could take it up, and whether it is the kind it is for."""
    if p.uptake == "none":
        where = (
            _(" Porte d’entrée citée : %(who)s.") % {"who": p.operator}
            if p.operator
            else ""
        )
        return _(
            "Enveloppe budgétaire d’un plan public : ce n’est pas un dispositif "
            "auquel une entreprise candidate.%(where)s"
        ) % {"where": where}
    if p.reserved_for == "ai-firms" and not (
        company.sector == "numerique" and makes_ai(answers.get("company.activity", ""))
    ):
        return _("Réservé aux entreprises dont l’IA est le métier.")
    if p.reserved_for == "startups" and not (
        company.sector == "numerique" and company.size_band in STARTUP_SIZES
    ):
        return _("Réservé aux start-up du numérique.")
    if p.reserved_for == "consortia" and not (
        company.size_band in CONSORTIUM_SIZES
        and "offers" in (answers.get("ambition.goals") or [])
    ):
        return _(
            "Finance des projets de recherche menés en consortium : pour une "
            "entreprise d’au moins 10 salariés qui veut créer de nouvelles offres."
        )
    if (
        p.kind_code == "incident_response"
        and answers.get("cyber.incident") not in INCIDENT_ANSWERS
    ):
        return _(
            "Centre de réponse aux incidents : à appeler en cas d’attaque, que vous "
            "ne signalez pas. Son contact figure dans la liste de contrôle."
        )
    return None


def exclusion(
    p: ProgrammeFacts, company, answers: dict, cat: Catalogue, day: date
) -> str | None:
    """Why this programme is not advised to this company; None when it may be."""
    return catalogue_rule(p, company, cat, day) or uptake_rule(p, company, answers)


def incident_contacts(cat: Catalogue, company, day: date) -> list[ProgrammeFacts]:
    """Whom the company can call after an attack, within its territory."""
    return [
        p
        for p in cat.programmes
        if p.kind_code == "incident_response"
        and catalogue_rule(p, company, cat, day) is None
    ]
