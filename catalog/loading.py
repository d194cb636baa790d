"""Load the catalogue from the JSON files in seeds/catalog/.

Each file holds a list of records keyed by a natural key (a slug, a code or a
file name). Loading is idempotent: a record is created or updated in place,
its many-to-many links are set, and its citations are replaced. The whole load
runs in one transaction, so a bad record leaves the database as it was.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction

from .models import (
    Citation,
    Department,
    KeyFigure,
    Need,
    Programme,
    Provider,
    Region,
    RegionalExample,
    Sector,
    Service,
    SizeBand,
    Solution,
    Source,
    StoneCategory,
    UseCase,
)

# The field that names a record of each model in the seed files.
NATURAL_KEYS = {
    Region: "code",
    Department: "code",
    SizeBand: "code",
    Source: "file_name",
}

CITED_MODELS = {Provider, Solution, Programme, UseCase, RegionalExample, KeyFigure}

# In dependency order: a file only refers to records of the files above it.
SEED_FILES = [
    ("regions.json", Region),
    ("departments.json", Department),
    ("sectors.json", Sector),
    ("size_bands.json", SizeBand),
    ("needs.json", Need),
    ("services.json", Service),
    ("stone_categories.json", StoneCategory),
    ("sources.json", Source),
    ("providers.json", Provider),
    ("solutions.json", Solution),
    ("programmes.json", Programme),
    ("use_cases.json", UseCase),
    ("regional_examples.json", RegionalExample),
    ("key_figures.json", KeyFigure),
]


class CatalogLoadError(Exception):
    """A seed file is missing, malformed or refers to something unknown."""


@dataclass
class LoadCount:
    created: int = 0
    updated: int = 0


def default_seed_dir() -> Path:
    return Path(settings.BASE_DIR) / "seeds" / "catalog"


def natural_key(model) -> str:
    return NATURAL_KEYS.get(model, "slug")


class Known:
    """The records of each model by natural key: read once, kept up to date.

    A key that is not a string (a number for a code…) is looked up in the
    database, which converts it as it did before.
    """

    def __init__(self) -> None:
        self.records: dict = {}

    def get(self, model, value):
        key = natural_key(model)
        if not isinstance(value, str):
            return model.objects.filter(**{key: value}).first()
        if model not in self.records:
            self.records[model] = {getattr(r, key): r for r in model.objects.all()}
        return self.records[model].get(value)

    def add(self, instance) -> None:
        model = type(instance)
        if model in self.records:
            self.records[model][getattr(instance, natural_key(model))] = instance


def load_catalog(directory: Path | None = None) -> dict[str, LoadCount]:
    """Load every seed file found in `directory`; return counts per file."""
    directory = Path(directory or default_seed_dir())
    if not directory.is_dir():
        raise CatalogLoadError(f"{directory}: no such seed directory")
    counts = {}
    known = Known()
    # All files or none: a bad record late in one file must not leave the
    # catalogue half updated, with recommendations pointing at stale rows.
    with transaction.atomic():
        for file_name, model in SEED_FILES:
            path = directory / file_name
            if path.exists():
                counts[file_name] = load_file(path, model, known)
    return counts


def load_file(path: Path, model, known: Known) -> LoadCount:
    count = LoadCount()
    for index, record in enumerate(read_records(path), start=1):
        try:
            created = load_record(model, record, known)
        except (ValidationError, CatalogLoadError) as error:
            label = describe(model, record)
            raise CatalogLoadError(
                f"{path.name}, record {index}{label}: {message(error)}"
            ) from error
        if created:
            count.created += 1
        else:
            count.updated += 1
    return count


def read_records(path: Path) -> list[dict]:
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise CatalogLoadError(f"{path.name}: invalid JSON ({error})") from error
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise CatalogLoadError(f"{path.name}: expected a list of objects")
    return records


def describe(model, record: dict) -> str:
    key = natural_key(model)
    return f" ({key}={record[key]!r})" if key in record else ""


def message(error: Exception) -> str:
    if isinstance(error, ValidationError) and hasattr(error, "message_dict"):
        return "; ".join(
            f"{field}: {' '.join(str(m) for m in messages)}"
            for field, messages in error.message_dict.items()
        )
    if isinstance(error, ValidationError):
        return " ".join(str(m) for m in error.messages)
    return str(error)


def load_record(model, record: dict, known: Known) -> bool:
    """Create or update one record with its links; return True if created."""
    record = dict(record)  # the caller's record stays whole for its error message
    citations = record.pop("citations", None)
    check_keys(model, record, cited=citations is not None)
    m2m_values = {
        field.name: record.pop(field.name)
        for field in model._meta.many_to_many
        if field.name in record
    }
    key = natural_key(model)
    if not record.get(key):
        raise CatalogLoadError(f"missing {key}")
    instance = known.get(model, record[key])
    created = instance is None
    instance = instance or model()
    set_fields(instance, record, known)
    # The model's own validation, as the admin runs it: the seed files are
    # edited by hand, and a bad value is better refused here than shown.
    instance.full_clean()
    instance.save()
    known.add(instance)
    for name, values in m2m_values.items():
        set_many(instance, name, values, known)
    # Every claim shown to a company names the document it comes from.
    if model in CITED_MODELS:
        replace_citations(instance, citations or [], known)
    return created


def check_keys(model, record: dict, *, cited: bool) -> None:
    allowed = {f.name for f in editable_fields(model)}
    allowed |= {f.name for f in model._meta.many_to_many}
    unknown = sorted(set(record) - allowed)
    if unknown:
        raise CatalogLoadError(f"unknown field(s): {', '.join(unknown)}")
    if cited and model not in CITED_MODELS:
        raise CatalogLoadError(f"{model._meta.verbose_name} records are not cited")


def editable_fields(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.editable and not f.primary_key]


def set_fields(instance, record: dict, known: Known) -> None:
    # A field left out of the record goes back to its default, so deleting a
    # value from a seed file deletes it from the database too.
    for field in editable_fields(type(instance)):
        value = record.get(field.name, field.get_default())
        if field.is_relation:
            setattr(instance, field.name, resolve(field.related_model, value, known))
        else:
            if value is None and field.empty_strings_allowed and not field.null:
                value = ""
            setattr(instance, field.attname, value)


def resolve(model, value, known: Known):
    if value is None or value == "":
        return None
    found = known.get(model, value)
    if found is None:
        key = natural_key(model)
        raise CatalogLoadError(f"unknown {model._meta.verbose_name} {key}={value!r}")
    return found


def set_many(instance, name: str, values, known: Known) -> None:
    if not isinstance(values, list):
        raise CatalogLoadError(f"{name}: expected a list")
    field = instance._meta.get_field(name)
    related = [resolve(field.related_model, v, known) for v in values]
    getattr(instance, name).set(related)


def replace_citations(instance, citations, known: Known) -> None:
    if not isinstance(citations, list) or not citations:
        raise CatalogLoadError("at least one citation is required")
    # Replaced, not merged: a quote removed from the seed file must go too.
    instance.citations.all().delete()
    for citation in citations:
        if not isinstance(citation, dict) or set(citation) != {"source", "quote"}:
            raise CatalogLoadError("a citation needs exactly a source and a quote")
        new = Citation(
            content_object=instance,
            source=resolve(Source, citation["source"], known),
            quote=(citation["quote"] or "").strip(),
        )
        new.full_clean()
        new.save()
