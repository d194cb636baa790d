"""How long personal data is kept, and the nightly task's work.

Unfinished diagnostics are erased after PRIVACY_UNFINISHED_RETENTION_DAYS;
finished ones are anonymised after PRIVACY_FINISHED_ANONYMISE_MONTHS: their
scores and answers stay for statistics, what names the company goes. Other
apps keep their own records (the advisors' access log) and register a purge
function here, from their `AppConfig.ready`, which the task calls too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from assessment.models import Assessment, FollowUp, Question, new_token

from . import erasure

logger = logging.getLogger(__name__)

# Stands for the company name once a diagnostic is anonymised; an empty e-mail
# marks it (a diagnostic cannot be started without one).
ANONYMISED_NAME = "[anonymisé]"
IDENTIFYING_BLANKS = ("siren", "respondent_name", "respondent_email", "respondent_role")
FREE_TEXT = (Question.Kind.SHORT_TEXT, Question.Kind.LONG_TEXT)

Purge = Callable[[datetime], int]
Anonymiser = Callable[[list[int]], object]
_purges: dict[str, Purge] = {}
_anonymisers: dict[str, Anonymiser] = {}


def register_purge(name: str, purge: Purge) -> None:
    """Have the nightly task call `purge(now)`; it returns how many rows went.

    For instance the advisors' access log, kept
    `settings.PRIVACY_ACCESS_LOG_RETENTION_DAYS` days (see `older_than_days`).
    Registering the same name again replaces the function.
    """
    _purges[name] = purge


def register_anonymiser(name: str, anonymise: Anonymiser) -> None:
    """Have `anonymise(assessment_ids)` called when those diagnostics are
    anonymised, for the free text other apps keep about them (advisors' notes)."""
    _anonymisers[name] = anonymise


def older_than_days(days: int, now: datetime) -> datetime:
    return now - timedelta(days=days)


def months_ago(months: int, now: datetime) -> datetime:
    # A month counted as 30 days: a retention period, not a calendar date.
    return now - timedelta(days=30 * months)


# --- Unfinished diagnostics -----------------------------------------------------------


def unfinished_expired(now: datetime):
    cutoff = older_than_days(settings.PRIVACY_UNFINISHED_RETENTION_DAYS, now)
    return Assessment.objects.filter(
        status=Assessment.Status.DRAFT, updated_at__lt=cutoff
    )


def delete_unfinished(now: datetime) -> int:
    """Erase the drafts left untouched too long; a finished one they follow stays."""
    expired = list(unfinished_expired(now))
    return erasure.erase(expired).diagnostics if expired else 0


# --- Finished diagnostics ---------------------------------------------------------------


def finished_expired(now: datetime):
    cutoff = months_ago(settings.PRIVACY_FINISHED_ANONYMISE_MONTHS, now)
    return (
        Assessment.objects.submitted()
        .filter(submitted_at__lt=cutoff)
        .exclude(respondent_email="")
    )


def anonymise_finished(now: datetime) -> int:
    expired = list(finished_expired(now))
    for assessment in expired:
        anonymise(assessment)
    return len(expired)


def anonymise(assessment: Assessment) -> None:
    """Keep the scores, the answers and the company's kind; drop who it is.

    The private link stops working, free-text answers and the PDF plans (they
    print the company's name) are deleted, and so is the reminders' address.
    """
    stale_keys = erasure.cache_keys(assessment)
    files = erasure.stored_files([assessment.pk])
    with transaction.atomic():
        assessment.company_name = ANONYMISED_NAME
        for name in IDENTIFYING_BLANKS:
            setattr(assessment, name, "")
        # Nobody knows this token: the old link opens nothing any more.
        assessment.token_hash = new_token()[1]
        assessment.save(
            update_fields=[
                "company_name",
                *IDENTIFYING_BLANKS,
                "token_hash",
                "updated_at",
            ]
        )
        assessment.answers.filter(question__kind__in=FREE_TEXT).delete()
        assessment.reports.all().delete()
        # The reminders' address goes, and with it the reminders; the ticks stay.
        FollowUp.objects.filter(assessment=assessment).update(
            reminder_email="", site_url="", reminders_stopped_at=timezone.now()
        )
        for anonymise_more in _anonymisers.values():
            anonymise_more([assessment.pk])
        transaction.on_commit(
            lambda: erasure.forget(files, stale_keys, folders=[assessment.pk])
        )


# --- The nightly task -----------------------------------------------------------------


def purge_orphan_files() -> int:
    """Delete plan folders whose diagnostic is gone.

    A render that finished after its diagnostic was erased writes a file no
    row points to; this catches it the next night.
    """
    try:
        # Not guarded by exists(): an object store has no folder to find.
        folders, _files = default_storage.listdir(erasure.REPORTS_DIR)
    except FileNotFoundError:
        return 0
    ids = {int(name) for name in folders if name.isdigit()}
    alive = set(Assessment.objects.filter(pk__in=ids).values_list("pk", flat=True))
    gone = sorted(ids - alive)
    for pk in gone:
        erasure.delete_folder(pk)
    return len(gone)


def apply_retention(now: datetime | None = None) -> dict[str, int]:
    """Everything the retention rules ask for today; how many of each."""
    now = now or timezone.now()
    done = {
        "unfinished_deleted": delete_unfinished(now),
        "finished_anonymised": anonymise_finished(now),
        "orphan_folders_deleted": purge_orphan_files(),
    }
    for name, purge in _purges.items():
        done[name] = purge(now)
    logger.info("retention %s", " ".join(f"{k}={v}" for k, v in done.items()))
    return done
