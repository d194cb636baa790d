"""Fixtures for the action plan tests: seeds, a submitted diagnostic, private media."""

import shutil
import subprocess

import pytest

from tests.assessment import personas

from .personas import submitted_assessment


@pytest.fixture
def seeds(seeded):
    """Everything under seeds/, as `manage.py load_seeds` leaves it."""


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """PDFs go to a folder of this test's own (a worker started here uses it too)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def submitted(seeds):
    """A submitted diagnostic of the accounting firm: (assessment, token)."""
    return submitted_assessment(personas.ACCOUNTING_FIRM, "Cabinet Durand Expertise")


def pdf_text(data: bytes) -> str:
    """The text of a PDF, as poppler's pdftotext reads it."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is missing: run scripts/sysdeps.sh test")
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode()


def pdf_info(data: bytes) -> str:
    result = subprocess.run(
        ["pdfinfo", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode()


def pdf_objects(data: bytes) -> bytes:
    """The PDF with every compressed stream inflated, to search its objects."""
    import re
    import zlib

    parts = [data]
    for match in re.finditer(rb"stream\r?\n", data):
        try:
            parts.append(zlib.decompressobj().decompress(data[match.end() :]))
        except zlib.error:
            continue
    return b"\n".join(parts)
