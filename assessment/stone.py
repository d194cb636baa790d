"""Finding the stone in the shoe: the time sink AI could remove first.

Pure functions: the answers and the catalogue's stone categories (with their
keyword lexicons) come in; the ranked stone comes out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from catalog.formatting import number

# The hours owners report weigh more than the words they use.
TIME_WEIGHT = 0.75
TEXT_WEIGHT = 0.25
DESCRIPTION_QUESTION = "stone.description"
SINKS_QUESTION = "stone.sinks"


@dataclass(frozen=True)
class StoneCategoryFacts:
    slug: str
    name: str
    automatable_share: float
    keywords: tuple[str, ...]
    name_en: str = ""

    @property
    def local_name(self) -> str:
        """The name in the active language; French when it has no English one."""
        english = (get_language() or "fr").startswith("en")
        return self.name_en if english and self.name_en else self.name


@dataclass(frozen=True)
class Candidate:
    slug: str
    name: str
    selected: bool
    hours_per_person: float
    people: float
    automatable_share: float
    matched_keywords: tuple[str, ...]
    score: float = 0.0

    @property
    def weekly_hours(self) -> float:
        return self.hours_per_person * self.people

    @property
    def removable_weekly_hours(self) -> float:
        return self.weekly_hours * self.automatable_share


@dataclass(frozen=True)
class Stone:
    slug: str
    name: str
    weekly_hours: float
    people: float
    automatable_share: float
    hourly_cost: float
    working_weeks: int
    reasons: tuple[str, ...]
    candidates: tuple[Candidate, ...]

    @property
    def yearly_hours(self) -> float:
        return self.weekly_hours * self.working_weeks

    @property
    def yearly_cost(self) -> int:
        """What the time sink costs a year: hours × working weeks × hourly cost."""
        return round(self.yearly_hours * self.hourly_cost)

    @property
    def removable_yearly_cost(self) -> int:
        return round(self.yearly_cost * self.automatable_share)

    @property
    def removable_weekly_hours(self) -> float:
        return self.weekly_hours * self.automatable_share


# --- Reading French free text --------------------------------------------------


def normalise(text: str) -> list[str]:
    """Lower-case, accent-free, singular tokens: « Appels d’offres » → appel d offre."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return [_singular(token) for token in re.findall(r"[a-z0-9]+", text)]


def _singular(token: str) -> str:
    if len(token) > 3 and token.endswith(("s", "x")) and not token.endswith("ss"):
        return token[:-1]
    return token


def matched_keywords(text: str, keywords: tuple[str, ...]) -> tuple[str, ...]:
    """The keywords (single words or phrases) found in the text."""
    padded = " " + " ".join(normalise(text)) + " "
    found: dict[str, str] = {}  # one entry per normalised phrase
    for keyword in keywords:
        phrase = " ".join(normalise(keyword))
        if phrase and phrase not in found and f" {phrase} " in padded:
            found[phrase] = keyword
    return tuple(found.values())


# --- Ranking -------------------------------------------------------------------


def _number(value) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def candidates(answers: dict, categories: list[StoneCategoryFacts]) -> list[Candidate]:
    selected = set(answers.get(SINKS_QUESTION) or [])
    description = answers.get(DESCRIPTION_QUESTION) or ""
    result = []
    for category in categories:
        hours = _number(answers.get(f"stone.{category.slug}.hours"))
        people = _number(answers.get(f"stone.{category.slug}.people")) or (
            1.0 if hours else 0.0
        )
        matches = (
            matched_keywords(description, category.keywords) if description else ()
        )
        if category.slug in selected or matches:
            result.append(
                Candidate(
                    category.slug,
                    category.local_name,
                    category.slug in selected,
                    hours,
                    people,
                    category.automatable_share,
                    matches,
                )  # fmt: skip
            )
    return result


def rank(found: list[Candidate]) -> list[Candidate]:
    """Blend removable hours (75 %) with the weight of the owner's own words (25 %)."""
    top_hours = max((c.removable_weekly_hours for c in found), default=0.0)
    top_words = max((len(c.matched_keywords) for c in found), default=0)
    scored = []
    for c in found:
        time_part = c.removable_weekly_hours / top_hours if top_hours else 0.0
        text_part = len(c.matched_keywords) / top_words if top_words else 0.0
        selected_part = 0.01 if c.selected else 0.0  # breaks ties towards a choice made
        total = TIME_WEIGHT * time_part + TEXT_WEIGHT * text_part + selected_part
        scored.append(replace(c, score=round(total, 4)))
    return sorted(scored, key=lambda c: (-c.score, c.slug))


def find_stone(
    answers: dict,
    categories: list[StoneCategoryFacts],
    *,
    hourly_cost: float,
    working_weeks: int,
) -> Stone | None:
    """The stone in the shoe, or None when the owner named no time sink at all."""
    ranked = rank(candidates(answers, categories))
    if not ranked:
        return None
    top = ranked[0]
    return Stone(
        slug=top.slug,
        name=top.name,
        weekly_hours=top.weekly_hours,
        people=top.people,
        automatable_share=top.automatable_share,
        hourly_cost=hourly_cost,
        working_weeks=working_weeks,
        reasons=tuple(_reasons(top, ranked)),
        candidates=tuple(ranked),
    )


def _reasons(top: Candidate, ranked: list[Candidate]) -> list[str]:
    reasons = []
    if top.weekly_hours:
        reasons.append(
            ngettext(
                "Vous y passez %(hours)s h par semaine à %(people)s personne, "
                "soit %(total)s h.",
                "Vous y passez %(hours)s h par semaine à %(people)s personnes, "
                "soit %(total)s h.",
                round(top.people),
            )
            % {
                "hours": number(top.hours_per_person),
                "people": number(top.people),
                "total": number(top.weekly_hours),
            }
        )
        reasons.append(
            _("D’après le catalogue, l’IA peut en alléger environ %(share)d %%.")
            % {"share": round(top.automatable_share * 100)}
        )
    elif top.selected:
        reasons.append(_("Vous l’avez choisie parmi vos tâches les plus longues."))
    if top.matched_keywords:
        words = ", ".join(
            _("« %(word)s »") % {"word": w} for w in top.matched_keywords[:4]
        )
        reasons.append(_("Vos propres mots en parlent : %(words)s.") % {"words": words})
    if len(ranked) > 1:
        reasons.append(
            _("Elle passe devant « %(other)s », qui pèse moins dans vos réponses.")
            % {"other": ranked[1].name}
        )
    return reasons
