"""The seed fixtures copy back what `load_seeds` wrote: it must be what it writes."""

import io

from django.db import connection

from assessment.questionnaire import load_seed_file
from catalog.loading import load_catalog
from catalog.models import Citation, Sector
from tests.conftest import SeedLoader, quote, table_models

CITATION_FIELDS = ("content_type", "object_id", "source", "quote")


def contents() -> dict:
    """Every table's rows; citations without their ids (loading replaces them)."""
    tables = {
        model: sorted(map(repr, model.objects.order_by().values_list()))
        for model in table_models().values()
        if model is not Citation
    }
    tables[Citation] = sorted(map(repr, Citation.objects.values_list(*CITATION_FIELDS)))
    return tables


def test_copied_seeds_are_what_load_seeds_writes(db):
    loader = SeedLoader()
    empty = [m for m in table_models().values() if not m.objects.exists()]
    loader.load("load_seeds", verbosity=0)
    snapshot = loader.snapshots["load_seeds"]
    assert not snapshot.fits()  # the tables hold the seeds already
    loaded = contents()
    citations = Citation.objects.count()
    with connection.cursor() as cursor:  # back to the tables before loading
        for model in empty:
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")
    assert snapshot.fits()

    loader.load("load_seeds", verbosity=0)

    assert contents() == loaded
    assert citations > 100
    # Loading the seeds again over the copy finds everything up to date.
    assert all(count.created == 0 for count in load_catalog().values())
    assert load_seed_file()[1] is False
    assert contents() == loaded


def test_seeds_loaded_over_other_records_are_not_copied(db):
    Sector.objects.create(slug="forge", name="Forge")
    loader = SeedLoader()
    loader.load("load_catalog", stdout=io.StringIO())
    # A table was not empty: what the command wrote is not the whole catalogue.
    assert Sector.objects.filter(slug="finance").exists()
    assert "load_catalog" not in loader.snapshots
