"""A result laid out for reading, once: the result page, the case page, the plan.

`present()` is the one function the three call. It arranges what the result
already holds (scores, stone, recommendations, roadmap, the owner's answers)
with the catalogue snapshot's details, and decides nothing: scoring, matching
and the roadmap did. The costly parts are worked out only when shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, partial

from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString

from catalog.models import next_step_text

from . import explanations, radar, roadmap, scoring
from .catalogue import Catalogue, load_catalogue
from .matching import Recommendation
from .results import Result, own_words

FIRST_ACTIONS = 3


@dataclass(frozen=True)
class ProgrammeRow:
    rec: Recommendation
    next_step: str
    website: str
    eligibility: str


@dataclass(frozen=True)
class ProviderRow:
    rec: Recommendation
    website: str


class Presentation:
    """Everything a reader sees of a result, under the names templates use."""

    # Worked out on first use: a page may take them from its cached fragments.
    LAZY = ("radar", "radar_labels", "dimensions", "checklist", "programme_rows",
            "training_rows", "provider_rows")  # fmt: skip

    def __init__(
        self,
        result: Result,
        *,
        catalogue: Catalogue,
        previous: scoring.ScoreCard | None = None,
        radar_id: str = "radar",
        radar_font: str = radar.FONT_FAMILY,
        radar_labels_apart: bool = False,
    ):
        self.result = result
        self.catalogue = catalogue
        self.previous = previous
        self.radar_id = radar_id
        self.radar_font = radar_font
        self.radar_labels_apart = radar_labels_apart
        self.scorecard = result.scorecard
        self.level = result.scorecard.level
        self.stone = result.stone
        self.recs = result.recommendations
        self.roadmap = result.roadmap
        self.own_words = own_words(result.answers)
        self.first_actions = [a for p in result.roadmap for a in p.actions][
            :FIRST_ACTIONS
        ]

    @property
    def overall_delta(self) -> int | None:
        return self.scorecard.overall - self.previous.overall if self.previous else None

    @cached_property
    def radar(self) -> SafeString:
        before = self.previous.dimensions if self.previous else None
        return radar.radar_svg(
            self.scorecard.dimensions,
            previous=before,
            id_prefix=self.radar_id,
            font_family=self.radar_font,
            with_labels=not self.radar_labels_apart,
        )

    @cached_property
    def radar_labels(self) -> list[radar.Label]:
        """The radar's labels, for a reader that draws them beside the SVG."""
        if not self.radar_labels_apart:
            return []
        return radar.labels(self.scorecard.dimensions)

    @cached_property
    def dimensions(self) -> list[explanations.DimensionRow]:
        return explanations.dimension_rows(self.scorecard, self.previous)

    @cached_property
    def checklist(self) -> list[roadmap.CheckItem]:
        return roadmap.cyber_checklist(self.result.answers)

    @cached_property
    def programme_rows(self) -> list[ProgrammeRow]:
        return [self._programme_row(rec) for rec in self.recs.programmes]

    @cached_property
    def training_rows(self) -> list[ProgrammeRow]:
        return [self._programme_row(rec) for rec in self.recs.training]

    @cached_property
    def provider_rows(self) -> list[ProviderRow]:
        return [
            ProviderRow(rec, getattr(self._facts(rec), "website", ""))
            for rec in self.recs.providers
        ]

    @cached_property
    def source_ids(self) -> set[int]:
        """The documents behind the recommended use cases, programmes and providers."""
        recs = self.recs
        chosen = (*recs.use_cases, *recs.programmes, *recs.training, *recs.providers,
                  *recs.contacts)  # fmt: skip
        return {pk for rec in chosen for pk in getattr(self._facts(rec), "sources", ())}

    def context(self) -> dict:
        """The template context of a result, shared by the three readers."""
        context = {
            "result": self.result,
            "scorecard": self.scorecard,
            "level": self.level,
            "levels": scoring.LEVELS,
            "stone": self.stone,
            "recs": self.recs,
            "roadmap": self.roadmap,
            "previous": self.previous,
            "overall_delta": self.overall_delta,
            "own_words": self.own_words,
            "first_actions": self.first_actions,
        }
        for name in self.LAZY:
            context[name] = SimpleLazyObject(partial(getattr, self, name))
        return context

    def _facts(self, rec: Recommendation):
        return self.catalogue.find(rec.kind, rec.slug)

    def _programme_row(self, rec: Recommendation) -> ProgrammeRow:
        facts = self._facts(rec)
        operator = rec.details.get("operator") or rec.name
        if facts is None:  # left the catalogue since: its operator still helps
            return ProgrammeRow(rec, next_step_text("", operator), "", "")
        step = next_step_text(facts.uptake, operator, kind=facts.kind_code)
        return ProgrammeRow(rec, step, facts.website, facts.eligibility)


def present(
    result: Result,
    *,
    previous: scoring.ScoreCard | None = None,
    radar_id: str = "radar",
    radar_font: str = radar.FONT_FAMILY,
    radar_labels_apart: bool = False,
) -> Presentation:
    """The result laid out for the result page, the case page and the plan."""
    return Presentation(
        result,
        catalogue=load_catalogue(),
        previous=previous,
        radar_id=radar_id,
        radar_font=radar_font,
        radar_labels_apart=radar_labels_apart,
    )
