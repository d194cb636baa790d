"""The declared budget and the cost of actions, on one scale.

Cost bands are the catalogue's (UseCase.CostBand); budget answers are the
questionnaire's (`ambition.budget`). An action fits the budget when its band
is not above the band the budget allows.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

QUESTION = "ambition.budget"
# Cost bands, cheapest first.
BANDS = ("free", "under_1k", "1k_10k", "over_10k")
LABELS = {
    "free": _("Gratuit"),
    "under_1k": _("Moins de 1 000 €"),
    "1k_10k": _("De 1 000 € à 10 000 €"),
    "over_10k": _("Plus de 10 000 €"),
}
# The highest cost band each budget answer allows.
ALLOWED = {"none": "free", "under-1k": "under_1k", "1k-10k": "1k_10k",
           "over-10k": "over_10k"}  # fmt: skip
TIGHT = ("none", "under-1k")
# How many months of the plan must fit the declared budget.
HORIZON_MONTHS = 6


def rank(band: str) -> int:
    return BANDS.index(band) if band in BANDS else 0


def allowed_band(answers: dict) -> str:
    """The highest cost band the owner's answer allows (no answer: free only)."""
    return ALLOWED.get(answers.get(QUESTION), "free")


def fits(band: str, answers: dict) -> bool:
    return rank(band) <= rank(allowed_band(answers))


def label(band: str) -> str:
    return str(LABELS.get(band, ""))
