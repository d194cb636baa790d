import pytest


@pytest.fixture
def catalog(seeded_catalogue):
    """The real catalogue, loaded from seeds/catalog/."""
