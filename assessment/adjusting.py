"""An adjusted plan: an advisor hides recommendations, adds others, gives advice.

Adjustments are plain data, kept as JSON with a report version so that each
PDF says exactly what it said when it was rendered. The diagnostic does not
know who adjusts: it only applies them to a result.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.utils.translation import gettext as _

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
