"""The catalogue snapshot: the catalogue read once into plain, frozen data.

The pure matching, roadmap and presentation read it without touching the
database. It is kept in Django's cache under the catalogue's version
(config/cache_keys.py), which changes whenever a catalogue row does, so an
editor's change shows on the next page and the tests need no clearing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache

from catalog.models import (
    Department,
    Need,
    Programme,
    Provider,
    Region,
    Sector,
    Service,
    SizeBand,
    StoneCategory,
    UseCase,
)
from config import cache_keys

from .reading import CategoryText, Reader
from .stone import StoneCategoryFacts


@dataclass(frozen=True)
class UseCaseFacts:
    slug: str
    name: str
    summary: str
    stone_categories: frozenset[str]
    sectors: frozenset[str]
    min_maturity: int
    prerequisites: str
    effort: str
    cost_band: str
    cost_band_label: str
    time_saved: str
    url: str
    sources: frozenset[int] = frozenset()  # ids of the documents it cites
    services: frozenset[str] = frozenset()  # what a provider must do for it

    kind = "use_case"

    def details(self, needs=()) -> dict:
        return {
            "effort": self.effort,
            "cost_band": self.cost_band_label,
            "cost_code": self.cost_band,
            "time_saved": self.time_saved,
            "min_maturity": self.min_maturity,
            "prerequisites": self.prerequisites,
            "services": sorted(self.services),
            "stone_categories": sorted(self.stone_categories),
        }


@dataclass(frozen=True)
class ProgrammeFacts:
    slug: str
    name: str
    operator: str
    kind_code: str
    kind_label: str
    summary: str
    regions: frozenset[str]
    departments: frozenset[str]
    size_bands: frozenset[str]
    sectors: frozenset[str]
    needs: frozenset[str]
    cost_to_company: str
    amount_text: str
    ends_on: date | None
    url: str
    is_training: bool = False
    website: str = ""
    eligibility: str = ""
    sources: frozenset[int] = frozenset()
    uptake: str = "contact"
    reserved_for: str = ""
    open_to_companies: bool = True
    audience: str = ""

    @property
    def kind(self) -> str:
        """Training offers are recommended on their own, apart from programmes."""
        return "training" if self.is_training else "programme"

    def details(self, needs=()) -> dict:
        return {
            "operator": self.operator, "kind": self.kind_label,
            "cost": self.cost_to_company, "amount": self.amount_text,
            "needs": list(needs), "uptake": self.uptake,
        }  # fmt: skip


@dataclass(frozen=True)
class ProviderFacts:
    slug: str
    name: str
    town: str
    department: str
    region: str
    services: frozenset[str]
    needs: frozenset[str]
    is_french_or_eu: bool | None
    url: str
    website: str = ""
    sources: frozenset[int] = frozenset()

    kind = "provider"
    summary = ""

    def details(self, needs=()) -> dict:
        # For a provider, `needs` are the services of the plan it was chosen for.
        return {"town": self.town, "sovereign": self.is_french_or_eu,
                "services": list(needs), "region": self.region}  # fmt: skip


@dataclass(frozen=True)
class Catalogue:
    stone_categories: tuple[StoneCategoryFacts, ...]
    use_cases: tuple[UseCaseFacts, ...]
    programmes: tuple[ProgrammeFacts, ...]
    providers: tuple[ProviderFacts, ...]
    need_names: dict[str, str] = field(default_factory=dict)
    region_names: dict[str, str] = field(default_factory=dict)
    department_names: dict[str, str] = field(default_factory=dict)
    service_names: dict[str, str] = field(default_factory=dict)
    size_names: dict[str, str] = field(default_factory=dict)
    sector_names: dict[str, str] = field(default_factory=dict)
    use_cases_by_stone: dict[str, tuple[UseCaseFacts, ...]] = field(
        default_factory=dict, compare=False
    )
    by_kind: dict[tuple[str, str], object] = field(default_factory=dict, compare=False)
    # What the categories' lexicons and example phrases teach the reading of
    # the owner's words: derived once, cached with the snapshot.
    reader: Reader = field(default_factory=lambda: Reader([]), compare=False)

    def __post_init__(self):
        index: dict[str, list[UseCaseFacts]] = {}
        for use_case in self.use_cases:
            for slug in use_case.stone_categories:
                index.setdefault(slug, []).append(use_case)
        self.use_cases_by_stone.update({k: tuple(v) for k, v in index.items()})
        for item in (*self.use_cases, *self.programmes, *self.providers):
            self.by_kind[(item.kind, item.slug)] = item

    def find(self, kind: str, slug: str):
        """The item of this kind (use_case, programme, training, provider), or None."""
        return self.by_kind.get((kind, slug))


# --- Reading it ------------------------------------------------------------------


def load_catalogue() -> Catalogue:
    """The current snapshot, read from the database only when the catalogue changed."""
    key = cache_keys.catalogue(cache_keys.catalogue_version())
    catalogue = cache.get(key)
    if catalogue is None:
        catalogue = read_catalogue()
        cache.set(key, catalogue, cache_keys.TIMEOUT)
    return catalogue


def _slugs(related) -> frozenset[str]:
    return frozenset(obj.slug for obj in related.all())


def _sources(item) -> frozenset[int]:
    return frozenset(c.source_id for c in item.citations.all())


def read_catalogue() -> Catalogue:
    """The catalogue from the database, as plain data (a few queries)."""
    categories = list(StoneCategory.objects.all())
    return Catalogue(
        _stone_categories(categories), _use_cases(), _programmes(), _providers(),
        need_names={n.slug: n.name for n in Need.objects.all()},
        region_names={r.code: r.name for r in Region.objects.all()},
        department_names={d.code: d.name for d in Department.objects.all()},
        service_names={s.slug: s.name for s in Service.objects.all()},
        size_names={b.code: b.name for b in SizeBand.objects.all()},
        sector_names={s.slug: s.name for s in Sector.objects.all()},
        reader=_reader(categories),
    )  # fmt: skip


def _stone_categories(categories) -> tuple[StoneCategoryFacts, ...]:
    return tuple(
        StoneCategoryFacts(
            c.slug,
            c.name,
            float(c.automatable_share),
            tuple(c.keyword_list()),
            c.name_en,
        )
        for c in categories
    )


def _reader(categories) -> Reader:
    return Reader(
        [
            CategoryText(
                c.slug,
                c.name,
                tuple(c.keyword_list()),
                tuple(c.example_list()),
                c.description,
            )  # fmt: skip
            for c in categories
        ]
    )


def load_reader() -> Reader:
    """The reader of the owners' words for the current catalogue."""
    return load_catalogue().reader


def _use_cases() -> tuple[UseCaseFacts, ...]:
    rows = UseCase.objects.prefetch_related(
        "stone_categories", "sectors", "citations", "services"
    )
    return tuple(
        UseCaseFacts(
            u.slug,
            u.name,
            u.summary,
            _slugs(u.stone_categories),
            _slugs(u.sectors),
            u.min_maturity,
            u.prerequisites,
            u.effort,
            u.cost_band,
            u.get_cost_band_display() if u.cost_band else "",
            u.time_saved,
            u.get_absolute_url(),
            _sources(u),
            _slugs(u.services),
        )  # fmt: skip
        for u in rows
    )


def _programmes() -> tuple[ProgrammeFacts, ...]:
    # Those closed to companies are read too, never matched: the advisor's
    # « pourquoi pas ? » names them with the rule that keeps them out.
    rows = Programme.objects.prefetch_related(
        "regions", "departments", "size_bands", "sectors", "needs", "citations"
    )
    return tuple(
        ProgrammeFacts(
            p.slug,
            p.name,
            p.operator,
            p.kind,
            p.get_kind_display(),
            p.summary,
            frozenset(r.code for r in p.regions.all()),
            frozenset(d.code for d in p.departments.all()),
            frozenset(s.code for s in p.size_bands.all()),
            _slugs(p.sectors),
            _slugs(p.needs),
            p.cost_to_company,
            p.amount_text,
            p.ends_on,
            p.get_absolute_url(),
            is_training=p.is_training,
            website=p.url,
            eligibility=p.eligibility,
            sources=_sources(p),
            uptake=p.uptake,
            reserved_for=p.reserved_for,
            open_to_companies=p.open_to_companies,
            audience=p.audience,
        )  # fmt: skip
        for p in rows
    )


def _providers() -> tuple[ProviderFacts, ...]:
    rows = Provider.objects.select_related(
        "department__region", "region"
    ).prefetch_related("services__needs", "citations")
    return tuple(
        ProviderFacts(
            p.slug,
            p.name,
            p.town,
            p.department.code if p.department else "",
            _provider_region(p),
            _slugs(p.services),
            frozenset(n.slug for s in p.services.all() for n in s.needs.all()),
            p.is_french_or_eu,
            p.get_absolute_url(),
            website=p.url,
            sources=_sources(p),
        )  # fmt: skip
        for p in rows
    )


def _provider_region(provider: Provider) -> str:
    if provider.department:
        return provider.department.region.code
    return provider.region.code if provider.region else ""
