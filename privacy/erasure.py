"""Erasing a company's diagnostics on its owner's request.

Deleting the diagnostic deletes, through `on_delete=CASCADE`, everything other
apps attach to it (answers, plans, shares, notes, access log), so this module
needs to know none of them. What the database does not hold is removed after
the commit: the PDF files and the cached pages.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q

from assessment.models import Assessment, Section
from config import cache_keys as keys
from reports.models import Report

# Where reports/models.py `Report.filename` puts a diagnostic's plans.
REPORTS_DIR = "reports"


@dataclass(frozen=True)
class Erased:
    diagnostics: int
    reports: int
    files: int


def linked(assessment: Assessment) -> list[Assessment]:
    """The diagnostic and those it was retaken from or into, oldest first.

    A re-assessment copies the company profile, so erasing one of them alone
    would leave the owner's data in the others.
    """
    found = {assessment.pk: assessment}
    frontier = [assessment]
    while frontier:
        before = [a.previous_id for a in frontier if a.previous_id]
        after = [a.pk for a in frontier]
        around = Assessment.objects.filter(Q(pk__in=before) | Q(previous__in=after))
        frontier = [a for a in around if a.pk not in found]
        found.update((a.pk, a) for a in frontier)
    return sorted(found.values(), key=lambda a: (a.created_at, a.pk))


# What apps above the diagnostics do in the erasing transaction, before the
# cascade (the advisors' rolled-up counts of shared cases), by name.
_before_erasing: dict[str, Callable[[list[int]], object]] = {}


def register_before_erasing(name: str, act: Callable[[list[int]], object]) -> None:
    """`act(assessment_ids)` runs in the erasure's transaction, before the delete."""
    _before_erasing[name] = act


def erase(assessments: list[Assessment]) -> Erased:
    """Delete these diagnostics, all that hangs on them, their files and caches."""
    ids = [a.pk for a in assessments]
    keys = [key for a in assessments for key in cache_keys(a)]
    files = stored_files(ids)
    with transaction.atomic():
        reports = Report.objects.filter(assessment_id__in=ids).count()
        for before_erasing in _before_erasing.values():
            before_erasing(ids)
        Assessment.objects.filter(pk__in=ids).delete()
        transaction.on_commit(lambda: forget(files, keys, folders=ids))
    return Erased(diagnostics=len(ids), reports=reports, files=len(files))


def stored_files(ids: list[int]) -> list[str]:
    """The names in storage of these diagnostics' PDF plans."""
    names = Report.objects.filter(assessment_id__in=ids).exclude(file="")
    return list(names.values_list("file", flat=True))


def forget(files: list[str], keys: list[str], *, folders: list[int] = ()) -> None:
    """Remove files and cache entries once the rows are gone for good."""
    for name in files:
        default_storage.delete(name)
    for pk in folders:
        delete_folder(pk)
    cache.delete_many(keys)


def delete_folder(assessment_id: int) -> None:
    """Delete a diagnostic's plan folder, with files no row points to."""
    folder = f"{REPORTS_DIR}/{assessment_id}"
    try:
        # Not guarded by exists(): an object store has no folder to find.
        _dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        default_storage.delete(f"{folder}/{name}")
    # Storages without folders (object stores) have nothing left to remove.
    with contextlib.suppress(NotImplementedError, OSError):
        os.rmdir(default_storage.path(folder))


def cache_keys(assessment: Assessment) -> list[str]:
    """The cache entries that may hold this diagnostic's pages or result."""
    sections = Section.objects.filter(questionnaire_id=assessment.questionnaire_id)
    return keys.diagnostic_keys(
        assessment,
        [code for code, _name in settings.LANGUAGES],
        list(sections.values_list("code", flat=True)),
    )
