"""Finding the stone in the shoe: the time sink AI could remove first.

Pure functions: the answers, the catalogue's stone categories and the reading
of the owner's words (reading.py) come in; the ranked stone comes out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from catalog.formatting import number, quoted

from .reading import Reading

# The hours owners report weigh more than the words they use...
TIME_WEIGHT = 0.75
TEXT_WEIGHT = 0.25
# ...but a stone the owner confirmed from their own words stays the stone
# unless another task frees at least twice its hours, and two hours a week more.
OUTWEIGH_RATIO = 2.0
OUTWEIGH_MIN_HOURS = 2.0
DESCRIPTION_QUESTION = "stone.description"
SINKS_QUESTION = "stone.sinks"
CONFIRMED_QUESTION = "stone.confirmed"


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
    evidence: tuple[str, ...]  # the owner's words that name it
    text_confidence: float = 0.0  # how surely the owner's words name it, 0 to 1
    confirmed: bool = False  # the owner confirmed it was what they meant
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
    # The stone the owner named, when their hours clearly point elsewhere.
    named_slug: str = ""
    named_name: str = ""

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


# --- Ranking -------------------------------------------------------------------


def _number(value) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def candidates(
    answers: dict, categories: list[StoneCategoryFacts], reading: Reading | None = None
) -> list[Candidate]:
    selected = set(answers.get(SINKS_QUESTION) or [])
    confirmed = answers.get(CONFIRMED_QUESTION) or ""
    read = {c.slug: c for c in reading.categories} if reading else {}
    result = []
    for category in categories:
        hours = _number(answers.get(f"stone.{category.slug}.hours"))
        people = _number(answers.get(f"stone.{category.slug}.people")) or (
            1.0 if hours else 0.0
        )
        words = read.get(category.slug)
        if category.slug in selected or words or category.slug == confirmed:
            result.append(
                Candidate(
                    category.slug,
                    category.local_name,
                    category.slug in selected,
                    hours,
                    people,
                    category.automatable_share,
                    words.evidence if words else (),
                    words.confidence if words else 0.0,
                    category.slug == confirmed,
                )  # fmt: skip
            )
    return result


def rank(found: list[Candidate]) -> list[Candidate]:
    """Blend removable hours (75 %) with the weight of the owner's own words (25 %)."""
    top_hours = max((c.removable_weekly_hours for c in found), default=0.0)
    top_words = max((_words(c) for c in found), default=0.0)
    scored = []
    for c in found:
        time_part = c.removable_weekly_hours / top_hours if top_hours else 0.0
        text_part = _words(c) / top_words if top_words else 0.0
        selected_part = 0.01 if c.selected else 0.0  # breaks ties towards a choice made
        total = TIME_WEIGHT * time_part + TEXT_WEIGHT * text_part + selected_part
        scored.append(replace(c, score=round(total, 4)))
    return sorted(scored, key=lambda c: (-c.score, c.slug))


def _words(candidate: Candidate) -> float:
    """A confirmed category is what the owner's words mean, whatever the reading."""
    return 1.0 if candidate.confirmed else candidate.text_confidence


def outweighs(other: Candidate, named: Candidate) -> bool:
    """Whether another task's hours clearly outweigh the stone the owner named."""
    hours, named_hours = other.removable_weekly_hours, named.removable_weekly_hours
    return hours >= OUTWEIGH_RATIO * named_hours and hours - named_hours >= (
        OUTWEIGH_MIN_HOURS
    )


def choose(ranked: list[Candidate]) -> tuple[Candidate, Candidate | None]:
    """The stone, and the one the owner named when their hours point elsewhere."""
    named = next((c for c in ranked if c.confirmed), None)
    if named is None:
        return ranked[0], None
    rival = max(
        (c for c in ranked if not c.confirmed),
        key=lambda c: c.removable_weekly_hours,
        default=None,
    )
    if rival is not None and outweighs(rival, named):
        return rival, named
    return named, None


def find_stone(
    answers: dict,
    categories: list[StoneCategoryFacts],
    *,
    hourly_cost: float,
    working_weeks: int,
    reading: Reading | None = None,
) -> Stone | None:
    """The stone in the shoe, or None when the owner named no time sink at all."""
    ranked = rank(candidates(answers, categories, reading))
    if not ranked:
        return None
    top, named = choose(ranked)
    ranked = [top] + [c for c in ranked if c is not top]
    return Stone(
        slug=top.slug,
        name=top.name,
        weekly_hours=top.weekly_hours,
        people=top.people,
        automatable_share=top.automatable_share,
        hourly_cost=hourly_cost,
        working_weeks=working_weeks,
        reasons=tuple(_reasons(top, ranked, named)),
        candidates=tuple(ranked),
        named_slug=named.slug if named else "",
        named_name=named.name if named else "",
    )


def _reasons(top: Candidate, ranked: list[Candidate], named: Candidate | None):
    reasons = []
    if named is not None:
        reasons.append(
            _("Vous citez « %(named)s » ; vos heures pointent « %(stone)s ».")
            % {"named": named.name, "stone": top.name}
        )
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
    if top.confirmed:
        reasons.append(_("Vous l’avez confirmée d’après vos propres mots."))
    if top.evidence:
        words = ", ".join(quoted(w) for w in top.evidence[:4])
        reasons.append(_("Vos propres mots en parlent : %(words)s.") % {"words": words})
    if len(ranked) > 1 and named is None and top.score >= ranked[1].score:
        reasons.append(
            _("Elle passe devant %(other)s, qui pèse moins dans vos réponses.")
            % {"other": quoted(ranked[1].name)}
        )
    return reasons
