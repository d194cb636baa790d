import json
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from catalog.loading import CITED_MODELS, SEED_FILES, default_seed_dir, load_catalog
from catalog.models import (
    Citation,
    Department,
    Programme,
    Provider,
    Region,
    Source,
    StoneCategory,
)

SEED_DIR = default_seed_dir()
DOCUMENTS_DIR = Path(
    getattr(
        settings,
        "SEED_DOCUMENTS_DIR",
        Path(settings.BASE_DIR).parent / "shared" / "seed-documents",
    )
)


def normalise(text: str) -> str:
    """Compare quotes modulo apostrophe style, quote marks and spacing."""
    for curly, plain in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"')):
        text = text.replace(curly, plain)
    text = text.replace("«", '"').replace("»", '"')
    text = re.sub(r'\s*"\s*', '"', text)
    return re.sub(r"\s+", " ", text).strip()


def seed_citations():
    for file_name, _model in SEED_FILES:
        path = SEED_DIR / file_name
        for record in json.loads(path.read_text(encoding="utf-8")):
            for citation in record.get("citations", []):
                yield file_name, record.get("slug"), citation


def test_every_quote_is_found_in_its_document():
    documents = {
        path.name: normalise(path.read_text(encoding="utf-8"))
        for path in DOCUMENTS_DIR.glob("*.txt")
    }
    missing = [
        f"{file_name} {slug}: {citation['quote']!r}"
        for file_name, slug, citation in seed_citations()
        if normalise(citation["quote"]) not in documents[citation["source"]]
    ]
    assert len(list(seed_citations())) > 100
    assert missing == []


def test_every_source_document_is_cited():
    cited = {citation["source"] for _file, _slug, citation in seed_citations()}
    assert cited == {path.name for path in DOCUMENTS_DIR.glob("*.txt")}


def test_loading_twice_creates_no_duplicates(db):
    first = load_catalog()
    counts = {model: model.objects.count() for _file, model in SEED_FILES}
    citations = Citation.objects.count()
    second = load_catalog()
    assert {model: model.objects.count() for _f, model in SEED_FILES} == counts
    assert Citation.objects.count() == citations
    assert all(count.created == 0 for count in second.values())
    assert sum(c.created for c in first.values()) == sum(counts.values())


def test_every_cited_record_has_a_citation(catalog):
    for model in CITED_MODELS:
        assert model.objects.exists()
        assert not model.objects.filter(citations=None).exists(), model


def test_reference_data_covers_france(catalog):
    assert Region.objects.count() == 18
    assert Department.objects.count() == 101
    assert Department.objects.get(code="2A").region.name == "Corse"
    assert Department.objects.get(code="976").region.name == "Mayotte"
    assert Department.objects.filter(region__code="76").count() == 13
    assert Source.objects.count() == 5


def test_stone_categories_have_keywords_and_a_share(catalog):
    for category in StoneCategory.objects.all():
        assert category.keyword_list()
        assert 0 < category.automatable_share <= 1


def test_seed_record_update_is_applied_on_reload(catalog):
    Programme.objects.filter(slug="cyber-occ").update(summary="changed")
    Provider.objects.get(slug="septeo").citations.all().delete()
    load_catalog()
    assert Programme.objects.get(slug="cyber-occ").summary != "changed"
    assert Provider.objects.get(slug="septeo").citations.count() == 2


@pytest.fixture
def seed_copy(tmp_path):
    directory = tmp_path / "seeds"
    shutil.copytree(SEED_DIR, directory)
    return directory


def edit_seed(directory, file_name, edit):
    path = directory / file_name
    records = json.loads(path.read_text(encoding="utf-8"))
    edit(records)
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")


def test_bad_seed_is_rejected_naming_file_and_record_and_nothing_changes(
    catalog, seed_copy
):
    def break_programme(records):
        records[0]["summary"] = "Nouveau résumé"
        records[3]["kind"] = "lottery"

    edit_seed(seed_copy, "programmes.json", break_programme)
    slug = json.loads((seed_copy / "programmes.json").read_text())[3]["slug"]
    before = Programme.objects.get(slug="cyber-occ").summary
    with pytest.raises(CommandError) as error:
        call_command("load_catalog", directory=seed_copy)
    assert "programmes.json, record 4" in str(error.value)
    assert slug in str(error.value)
    assert "kind" in str(error.value)
    assert Programme.objects.get(slug="cyber-occ").summary == before


def test_load_into_empty_database_leaves_it_empty_on_error(db, seed_copy):
    edit_seed(
        seed_copy,
        "providers.json",
        lambda records: records[1].update(department="99"),
    )
    with pytest.raises(CommandError, match=r"providers.json, record 2.*'99'"):
        call_command("load_catalog", directory=seed_copy)
    assert not Region.objects.exists()


@pytest.mark.parametrize(
    ("file_name", "edit", "message"),
    [
        (
            "use_cases.json",
            lambda records: records[0].update(citations=[]),
            "at least one citation",
        ),
        (
            "key_figures.json",
            lambda records: records[0]["citations"][0].update(source="nope.txt"),
            "nope.txt",
        ),
        (
            "solutions.json",
            lambda records: records[0].update(colour="blue"),
            "unknown field(s): colour",
        ),
        (
            "stone_categories.json",
            lambda records: records[0].update(automatable_share="1.5"),
            "automatable_share",
        ),
        (
            "programmes.json",
            lambda records: records[0].update(
                starts_on="2025-01-01", ends_on="2024-01-01"
            ),
            "ends_on",
        ),
    ],
)
def test_bad_records_are_reported(db, seed_copy, file_name, edit, message):
    edit_seed(seed_copy, file_name, edit)
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("load_catalog", directory=seed_copy)


def test_invalid_json_is_reported_with_its_file(db, seed_copy):
    (seed_copy / "sectors.json").write_text("[{", encoding="utf-8")
    with pytest.raises(CommandError, match="sectors.json: invalid JSON"):
        call_command("load_catalog", directory=seed_copy)
