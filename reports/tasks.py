"""Celery tasks for PDF action plans: ids in, one domain call, retries."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.db import InterfaceError, OperationalError

from . import rendering

logger = logging.getLogger(__name__)

# Worth another try: storage hiccups, database restarts, a render too slow once.
TRANSIENT = (OSError, OperationalError, InterfaceError, SoftTimeLimitExceeded)
BACKOFF_MAX = 20  # seconds; stays below the broker's visibility timeout


@shared_task(
    bind=True,
    name="reports.render_report",
    # Acknowledged only once done, and put back if the worker dies meanwhile.
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    max_retries=settings.REPORTS_MAX_RETRIES,
    soft_time_limit=settings.REPORTS_RENDER_SOFT_TIME_LIMIT,
    time_limit=settings.REPORTS_RENDER_TIME_LIMIT,
)
def render_report(self, report_id: int) -> None:
    report = rendering.claim(report_id)
    if report is None:
        _come_back_if_abandoned(report_id)
        return
    try:
        rendering.render_report(report)
    except TRANSIENT as exc:
        if self.request.retries >= self.max_retries:
            rendering.mark_failed(report, rendering.failure_reason(exc))
            return
        rendering.release(report)
        countdown = get_exponential_backoff_interval(
            2, self.request.retries, BACKOFF_MAX, full_jitter=True
        )
        raise self.retry(exc=exc, countdown=countdown) from exc
    except Exception as exc:
        # Bad data renders badly every time: fail now, say why, no loop.
        logger.exception("report=%s failed", report_id)
        rendering.mark_failed(report, rendering.failure_reason(exc))


def _come_back_if_abandoned(report_id: int) -> None:
    """Another worker holds the claim: check again once it would be stale.

    This is how a render whose worker was killed gets done: the message comes
    back at once (or after the visibility timeout) while the claim looks fresh.
    """
    wait = rendering.busy_until(report_id)
    if wait is not None:
        rendering.enqueue(report_id, countdown=wait)


@shared_task(name="reports.requeue_stuck", ignore_result=True)
def requeue_stuck() -> int:
    return rendering.requeue_stuck()
