"""An adjusted plan: an advisor hides recommendations, adds others, gives advice.

Adjustments are plain data, kept as JSON with a report version so that each
PDF says exactly what it said when it was rendered. The diagnostic does not
know who adjusts: it only applies them to a result.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import matching, roadmap
from .catalogue import Catalogue
from .results import Result

KINDS = ("use_case", "programme", "training", "provider")
GROUPS = {  # kind → the field of Recommendations that holds it
    "use_case": "use_cases",
    "programme": "programmes",
    "training": "training",
    "provider": "providers",
}


KIND_LABELS = {
    "use_case": gettext_lazy("cas d’usage"),
    "programme": gettext_lazy("programme ou financement"),
    "training": gettext_lazy("formation"),
    "provider": gettext_lazy("prestataire"),
}


@dataclass(frozen=True)
class Hidden:
    kind: str
    slug: str
    reason: str


@dataclass(frozen=True)
class Added:
    kind: str
    slug: str
    note: str


@dataclass(frozen=True)
class Adjustments:
    hidden: tuple[Hidden, ...] = ()
    added: tuple[Added, ...] = ()
    advice: tuple[str, ...] = ()

    def __bool__(self):
        return bool(self.hidden or self.added or self.advice)

    def to_json(self) -> dict:
        return {
            "hidden": [vars(h) for h in self.hidden],
            "added": [vars(a) for a in self.added],
            "advice": list(self.advice),
        }

    @classmethod
    def from_json(cls, data: dict | None) -> Adjustments:
        data = data or {}
        return cls(
            hidden=tuple(Hidden(**h) for h in data.get("hidden", ())),
            added=tuple(Added(**a) for a in data.get("added", ())),
            advice=tuple(data.get("advice", ())),
        )


@dataclass(frozen=True)
class Change:
    """One change to the plan as the owner reads it: what, and the advisor's words."""

    action: str  # "hidden" or "added"
    kind: str
    slug: str
    name: str
    text: str  # why it was hidden, or the note that came with it

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    def to_json(self) -> dict:
        return {**vars(self), "kind_label": self.kind_label}


def changes(adjustments: Adjustments, catalogue: Catalogue) -> tuple[Change, ...]:
    """The hidden and added items, named from the catalogue, with their reasons.

    An item since gone from the catalogue keeps its slug as its name.
    """

    def name(kind: str, slug: str) -> str:
        item = catalogue.find(kind, slug)
        return item.name if item else slug

    return (
        *(Change("hidden", h.kind, h.slug, name(h.kind, h.slug), h.reason)
          for h in adjustments.hidden),
        *(Change("added", a.kind, a.slug, name(a.kind, a.slug), a.note)
          for a in adjustments.added),
    )  # fmt: skip


def catalogue_item(
    catalogue: Catalogue, kind: str, slug: str
) -> matching.Recommendation | None:
    """A catalogue item as a recommendation, without reasons; None if unknown."""
    item = catalogue.find(kind, slug)
    return matching.Recommendation.of(item) if item else None


def adjust(result: Result, adjustments: Adjustments, catalogue: Catalogue) -> Result:
    """The result with the advisor's choices applied and the roadmap rebuilt."""
    if not (adjustments.hidden or adjustments.added):
        return result
    hidden = {(h.kind, h.slug) for h in adjustments.hidden}
    recs = result.recommendations
    groups = {
        kind: [r for r in getattr(recs, field) if (kind, r.slug) not in hidden]
        for kind, field in GROUPS.items()
    }
    for added in adjustments.added:
        shown = {r.slug for r in groups.get(added.kind, ())}
        item = catalogue_item(catalogue, added.kind, added.slug)
        if item is None or added.slug in shown:
            continue
        reason = _("Ajouté par votre conseiller.")
        if added.note:
            reason = _("Ajouté par votre conseiller : %(note)s") % {"note": added.note}
        groups[added.kind].append(replace(item, reasons=(reason,)))
    recs = replace(
        recs, **{field: tuple(groups[kind]) for kind, field in GROUPS.items()}
    )
    phases = result.roadmap
    if phases:  # the same dates: the roadmap starts when the diagnostic was sent
        phases = roadmap.build_roadmap(
            scorecard=result.scorecard, stone=result.stone, recs=recs,
            start=phases[0].starts_on, answers=result.answers,
        )  # fmt: skip
    return replace(result, recommendations=recs, roadmap=phases)
