"""Asking for a PDF action plan, and asking again after a failure.

The database row is the source of truth: it is saved first and its message
sent after commit (`tasks.enqueue`), so a rolled-back request sends nothing.
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.db import transaction

from assessment.models import Assessment

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
    """Save a new version of the plan and send it to a worker after commit.

    While a version is queued or rendering, the same person asking again for
    the same plan gets that one: a double click does not make two PDFs.
    `adjustments` (an advisor's changes, as `Adjustments.to_json()`) make it
    another plan; another advisor's version is theirs, never handed over.
    """
    adjustments = adjustments or {}
    if not assessment.is_submitted():
        raise NotSubmitted
    with transaction.atomic():
        # Serialises concurrent requests for one diagnostic (version numbers).
        Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
        pending = assessment.reports.in_flight().order_by("-version").first()
        if (
            pending
            and pending.adjustments == adjustments
            and pending.requested_by_user_id == getattr(user, "pk", None)
        ):
            return pending
        report = Report.objects.create(
            assessment=assessment,
            version=_next_version(assessment),
            language=language or assessment.language or settings.LANGUAGE_CODE,
            requested_by=requested_by,
            requested_by_user=user,
            adjustments=adjustments,
        )
        transaction.on_commit(partial(enqueue, report.pk))
    return report


def _next_version(assessment: Assessment) -> int:
    last = assessment.reports.order_by("-version").values_list("version", flat=True)
    return (last.first() or 0) + 1


def retry_report(report: Report) -> bool:
    """Queue a failed report again; False when it had not failed."""
    queued = report.requeue()
    if queued:
        transaction.on_commit(partial(enqueue, report.pk))
    return queued
