"""Fixtures for the personal data tests: one owner's diagnostics, a bystander's,
and a scan of every model and of the storage for what identifies the owner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

from assessment.answering import save_answers, start_assessment, submit
from catalog.models import Department, Sector, SizeBand
from reports import archive
from reports.models import Report
from tests.assessment import personas

# What identifies the owner: found nowhere in the seeds, so any hit is theirs.
OWNER = {
    "company_name": "Ébénisterie Zéphyrin Quillebœuf",
    "siren": "404833048",
    "respondent_name": "Anaïs Trécourt-Vilmain",
    "respondent_email": "anais.trecourt@quillebeuf.example",
    "respondent_role": "Cogérante",
}
FREE_TEXT = {
    "company.activity": "Meubles sur mesure en noyer de Quercy pour hôtels zéphyriens",
    "stone.description": "Chaque devis de meuble zéphyrien me prend deux soirées.",
}
NEEDLES = [*OWNER.values(), *FREE_TEXT.values()]
SCANNED_FIELDS = (
    models.CharField,
    models.TextField,
    models.JSONField,
    models.FileField,
)


@pytest.fixture
def seeds(seeded):
    """The seeds, copied in by the suite's `seeded`."""


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def start(profile: dict, *, previous=None, answers=None, submitted=True):
    persona = personas.ACCOUNTING_FIRM
    company = persona["company"]
    assessment, token = start_assessment(
        profile={
            "sector": Sector.objects.get(slug=company.sector),
            "size_band": SizeBand.objects.get(code=company.size_band),
            "department": Department.objects.get(code=company.department),
            "revenue_band": "500k-2m",
            **profile,
        },
        previous=previous,
    )
    errors = save_answers(assessment, answers or persona["answers"])
    assert not errors, errors
    if submitted:
        assert not submit(assessment)
    assessment.refresh_from_db()
    return assessment, token


def ready_report(assessment, text: str) -> Report:
    """A ready plan whose stored file names the company, as a real one does."""
    report = Report.objects.create(assessment=assessment, version=1)
    data = f"%PDF-1.7\n% Plan d’action de {text}\n".encode()
    default_storage.save(report.filename, ContentFile(data))
    report.status = Report.Status.READY
    report.file = report.filename
    report.size = len(data)
    report.page_count = 1
    report.finished_at = timezone.now()
    report.save()
    return report


@pytest.fixture
def owner(seeds):
    """The owner's first diagnostic (with a plan) and its re-assessment, under way.

    Returns (first, first_token, retaken, retaken_token).
    """
    answers = personas.ACCOUNTING_FIRM["answers"] | FREE_TEXT
    first, first_token = start(OWNER, answers=answers)
    ready_report(first, OWNER["company_name"])
    retaken, retaken_token = start(
        first.profile(), previous=first, answers=answers, submitted=False
    )
    return first, first_token, retaken, retaken_token


@pytest.fixture
def bystander(seeds):
    """Another company's finished diagnostic with its plan: must survive."""
    assessment, token = start(
        {
            "company_name": "Boulangerie Fournil d’Autan",
            "respondent_name": "Paul Estève",
            "respondent_email": "paul@fournil.example",
            "respondent_role": "Gérant",
        }
    )
    ready_report(assessment, assessment.company_name)
    return assessment, token


def _as_text(value) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def traces_in_database(needles=NEEDLES) -> set[str]:
    """`app.Model.field` of every text, JSON or file field holding a needle."""
    wanted = [n.casefold() for n in needles]
    found = set()
    for model in apps.get_models():
        fields = [
            f for f in model._meta.concrete_fields if isinstance(f, SCANNED_FIELDS)
        ]
        if not fields:
            continue
        names = [f.attname for f in fields]
        for row in model._base_manager.values_list(*names):
            for name, value in zip(names, row, strict=True):
                text = _as_text(value).casefold()
                if any(needle in text for needle in wanted):
                    found.add(f"{model._meta.label}.{name}")
    return found


def traces_in_storage(root: Path, needles=NEEDLES, folders=()) -> set[str]:
    """Stored files naming the owner, or left in one of their folders: under
    `root` on disk, and in the storage of the plans (the object store of
    `make test`)."""
    wanted = [n.encode() for n in needles]
    found = set()
    for name in archive.stored_names():  # in the object store, under `make test`
        with default_storage.open(name) as stored:
            data = stored.read()
        if any(name.startswith(f) for f in folders) or any(n in data for n in wanted):
            found.add(name)
    for path in root.rglob("*"):
        relative = path.relative_to(root).as_posix()
        if any(relative.startswith(folder) for folder in folders):
            found.add(relative)
        if path.is_file() and any(needle in path.read_bytes() for needle in wanted):
            found.add(relative)
    return found
