import io

import pytest
from django.core.management import call_command


@pytest.fixture
def catalog(db):
    """The real catalogue, loaded from seeds/catalog/."""
    call_command("load_catalog", stdout=io.StringIO())
