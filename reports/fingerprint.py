"""What a plan is made of, and the fingerprint that identifies it.

Two requests for a plan made of the same things (answers and profile, the
employees' pulse shown, the advisor's adjustments, the language, the catalogue
and the templates) get the same fingerprint, hence the same version: the PDF
is made once. Each part is kept on the version as a digest, so the versions
list can say which part changed from one version to the next.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from decimal import Decimal
from functools import cache
from pathlib import Path

import weasyprint
from django.conf import settings
from django.core.cache import cache as django_cache
from django.template.loader import get_template
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from assessment import followup
from assessment.answering import stored_answers
from assessment.catalogue import load_catalogue
from assessment.models import PROFILE_FIELDS, Assessment
from config import cache_keys

# The parts, in the order the versions list names them; the apps above this one
# add theirs (settings.REPORT_PARTS) after the answers.
PARTS = {
    "answers": _("réponses"),
    **{key: label for key, (label, _path) in settings.REPORT_PARTS.items()},
    "adjustments": _("ajustements du conseiller"),
    "language": _("langue"),
    "catalogue": _("catalogue"),
    "template": _("mise en page"),
}
TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates" / "reports"


def made_of(assessment: Assessment, *, language: str, adjustments: dict) -> dict:
    """The digest of each part of the plan (the language as it is)."""
    return {
        "answers": digest(diagnostic_content(assessment)),
        **{
            key: digest(import_string(path)(assessment))
            for key, (_label, path) in settings.REPORT_PARTS.items()
        },
        "adjustments": digest(adjustments),
        "language": language,
        "catalogue": catalogue_digest(),
        "template": template_digest(),
    }


def fingerprint(parts: dict) -> str:
    return digest(parts)


def changed_parts(parts: dict, before: dict) -> list[str]:
    """The names of the parts that differ from an earlier version's."""
    if not parts or not before:
        return []
    return [
        str(label) for key, label in PARTS.items() if parts.get(key) != before.get(key)
    ]


def digest(value) -> str:
    """SHA-256 of the value as canonical JSON (sets sorted, keys sorted)."""
    data = json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_plain
    )
    return hashlib.sha256(data.encode()).hexdigest()


def _plain(value):
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    if dataclasses.is_dataclass(value):
        return {
            f.name: getattr(value, f.name)
            for f in dataclasses.fields(value)
            if f.compare
        }
    return str(value)  # dates, decimals, model rows (by their str)


# --- The parts ------------------------------------------------------------------------


def diagnostic_content(assessment: Assessment) -> dict:
    """What the company said: answers, profile, costs, and the diagnostic it follows
    (with what was done of its plan, when anything was: the plan shows it)."""
    fields = [assessment._meta.get_field(name) for name in PROFILE_FIELDS]
    content = {
        "answers": stored_answers(assessment),
        "profile": {f.name: getattr(assessment, f.attname) for f in fields},
        "questionnaire": assessment.questionnaire_id,
        # As stored: a new row's Decimal("45") is read back as Decimal("45.00").
        "costs": [f"{Decimal(assessment.hourly_cost):.2f}", assessment.working_weeks],
        # The plan's dates count from the day it was submitted.
        "submitted": str(
            assessment.submitted_at.date() if assessment.submitted_at else ""
        ),
        "previous": assessment.previous_id,
    }
    progress = followup.progress_part(assessment)
    if progress:  # absent otherwise: the plans made before keep their fingerprint
        content["previous_progress"] = progress
    return content


def catalogue_digest() -> str:
    """The catalogue's content, digested once per catalogue version."""
    key = cache_keys.catalogue_digest(cache_keys.catalogue_version())
    found = django_cache.get(key)
    if found is None:
        found = digest(load_catalogue())
        django_cache.set(key, found, cache_keys.TIMEOUT)
    return found


@cache
def template_digest() -> str:
    """The plan's templates and stylesheet, the other apps' sections of it, and
    the renderer's version."""
    files = sorted(p for p in TEMPLATES_DIR.rglob("*") if p.is_file())
    sections = [
        Path(get_template(name).origin.name)
        for name in settings.REPORT_FINDINGS_SECTIONS
    ]
    sha = hashlib.sha256(weasyprint.__version__.encode())
    for path in files:
        sha.update(path.relative_to(TEMPLATES_DIR).as_posix().encode())
        sha.update(path.read_bytes())
    for name, path in zip(settings.REPORT_FINDINGS_SECTIONS, sections, strict=True):
        sha.update(name.encode())
        sha.update(path.read_bytes())
    return sha.hexdigest()
