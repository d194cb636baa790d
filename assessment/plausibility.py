"""Figures an owner gives about time sinks, checked against the company's size.

A stone priced from 4,000 people in a 10-to-49 company, or from more hours than
a week holds, would make every euro of the plan meaningless.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from catalog.formatting import number

# The legal maximum of a working week in France (Code du travail, L3121-20).
WEEK_HOURS = 48


def _measures(answers: dict) -> dict[str, tuple[float, float]]:
    """Hours per person and people, by stone category, as far as answered."""
    found: dict[str, list] = {}
    for code, value in answers.items():
        parts = code.split(".")
        if len(parts) == 3 and parts[0] == "stone" and parts[2] in ("hours", "people"):
            if isinstance(value, int | float):
                slot = 0 if parts[2] == "hours" else 1
                found.setdefault(parts[1], [0.0, 1.0])[slot] = float(value)
    return {slug: (h, p) for slug, (h, p) in found.items()}


def errors(answers: dict, *, max_people: int | None, checked=None) -> dict[str, str]:
    """Implausible figures, keyed by question code (only those in `checked`)."""
    checked = set(answers if checked is None else checked)
    found = {}
    measures = _measures(answers)
    for slug, (hours, people) in measures.items():
        if max_people is not None and people > max_people:
            found[f"stone.{slug}.people"] = _(
                "Votre entreprise compte au plus %(max)s salariés : indiquez au "
                "plus %(max)s personnes."
            ) % {"max": number(max_people)}
        if hours > WEEK_HOURS:
            found[f"stone.{slug}.hours"] = _(
                "Une semaine de travail compte au plus %(max)s heures par personne"
                " : indiquez le temps qu’y passe chaque personne concernée."
            ) % {"max": WEEK_HOURS}
    if max_people is not None and not found:  # one message per mistake
        total = sum(h * p for h, p in measures.values())
        if total > max_people * WEEK_HOURS and measures:
            worst = max(measures, key=lambda s: measures[s][0] * measures[s][1])
            found.setdefault(f"stone.{worst}.hours", _(
                "Ensemble, ces tâches dépassent le temps de travail de toute "
                "l’entreprise (%(max)s salariés au plus) : revoyez les heures ou "
                "le nombre de personnes."
            ) % {"max": number(max_people)})  # fmt: skip
    return {code: message for code, message in found.items() if code in checked}
