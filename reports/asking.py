"""Asking for a PDF action plan, and asking again after a failure.

The database row is the source of truth: it is saved first and its message
sent after commit (`tasks.enqueue`), so a rolled-back request sends nothing.
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.db import transaction

from assessment.models import Assessment

from . import fingerprint
from .models import Report
from .tasks import enqueue


class NotSubmitted(Exception):
    """Only a finished diagnostic has an action plan."""


def request_report(
    assessment: Assessment,
    *,
    requested_by: str = Report.Requester.OWNER,
    user=None,
    language: str | None = None,
    adjustments: dict | None = None,
) -> Report:
    """The version of the plan made of these things, made once.

    A version with the same fingerprint (reports/fingerprint.py), asked by
    the same side, is returned as it is: ready, or on its way (a failed one is
    queued again; a lost file is found, and made again, when it is handed:
    `remake_lost`). The owner's side is the page, the API and the submission;
    an advisor's is that advisor alone: another advisor's version is theirs,
    never handed over. Anything else saves a new version, sent to a worker
    after commit. `adjustments` (an advisor's changes, as
    `Adjustments.to_json()`) are part of the plan.
    """
    adjustments = adjustments or {}
    if not assessment.is_submitted():
        raise NotSubmitted
    language = language or assessment.language or settings.LANGUAGE_CODE
    parts = fingerprint.made_of(assessment, language=language, adjustments=adjustments)
    key = fingerprint.fingerprint(parts)
    with transaction.atomic():
        # Serialises concurrent requests for one diagnostic (version numbers).
        Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
        same = _reusable(assessment, requested_by, user).filter(fingerprint=key)
        same = same.order_by("-version").first()
        if same is not None:
            if same.status == Report.Status.FAILED:
                retry_report(same)
            return same
        report = Report.objects.create(
            assessment=assessment,
            version=_next_version(assessment),
            language=language,
            requested_by=requested_by,
            requested_by_user=user,
            adjustments=adjustments,
            made_of=parts,
            fingerprint=key,
        )
        transaction.on_commit(partial(enqueue, report.pk))
    return report


def _reusable(assessment: Assessment, requested_by: str, user):
    """The versions this requester may be handed: the owner's (page, API,
    submission) for the owner; an advisor's own for that advisor."""
    if requested_by == Report.Requester.ADVISOR:
        return assessment.reports.filter(
            requested_by=Report.Requester.ADVISOR, requested_by_user=user
        )
    return assessment.reports.exclude(requested_by=Report.Requester.ADVISOR)


def prepare_owner_plan(assessment: Assessment) -> Report:
    """On submission: the owner's standard plan, in their language, made at once."""
    return request_report(assessment, language=assessment.language)


def remake_lost(report: Report) -> None:
    """Its file is gone from storage: render the same version again."""
    if report.lost():
        transaction.on_commit(partial(enqueue, report.pk))


def _next_version(assessment: Assessment) -> int:
    last = assessment.reports.order_by("-version").values_list("version", flat=True)
    return (last.first() or 0) + 1


def retry_report(report: Report) -> bool:
    """Queue a failed report again; False when it had not failed."""
    queued = report.requeue()
    if queued:
        transaction.on_commit(partial(enqueue, report.pk))
    return queued
