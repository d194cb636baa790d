"""Celery tasks for PDF action plans: ids in, one domain call, retries.

The only module of the app that talks to Celery: `enqueue` hands a render to
the broker, the tasks claim, render and recover through the `Report` row.
"""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

from . import rendering
from .models import Report

logger = logging.getLogger(__name__)

# Worth another try: storage hiccups, database restarts, a render too slow once.
TRANSIENT = (OSError, OperationalError, InterfaceError, SoftTimeLimitExceeded)
BACKOFF_MAX = 20  # seconds; stays below the broker's visibility timeout


def enqueue(report_id: int, countdown: float | None = None) -> bool:
    """Hand the render to the broker; when it is down, leave it to `requeue_stuck`."""
    try:
        # No publish retries: a request must not hang while Redis is away.
        render_report.apply_async((report_id,), countdown=countdown, retry=False)
    except (BrokerError, RedisError, OSError) as exc:
        logger.warning("report=%s not sent, broker unavailable: %s", report_id, exc)
        return False
    Report.objects.filter(pk=report_id).update(sent_at=timezone.now())
    return True


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
    report = Report.objects.claim(report_id)
    if report is None:
        _come_back_if_abandoned(report_id)
        return
    try:
        rendering.render_report(report)
    except TRANSIENT as exc:
        if self.request.retries >= self.max_retries:
            logger.exception(
                "report=%s failed after %s tries", report_id, self.max_retries + 1
            )
            report.fail(Report.Failure.UNAVAILABLE)
            return
        report.release()
        countdown = get_exponential_backoff_interval(
            2, self.request.retries, BACKOFF_MAX, full_jitter=True
        )
        raise self.retry(exc=exc, countdown=countdown) from exc
    except Exception:
        # Bad data renders badly every time: fail now, say why, no loop.
        logger.exception("report=%s failed", report_id)
        report.fail(Report.Failure.ERROR)


def _come_back_if_abandoned(report_id: int) -> None:
    """Another worker holds the claim: check again once it would be stale.

    This is how a render whose worker was killed gets done: the message comes
    back at once (or after the visibility timeout) while the claim looks fresh.
    """
    wait = Report.objects.busy_until(report_id)
    if wait is not None:
        enqueue(report_id, countdown=wait)


@shared_task(name="reports.requeue_stuck", ignore_result=True)
def requeue_stuck(now=None) -> int:
    """Send again reports never sent or abandoned by a dead worker; count them.

    Run by Celery beat: a message Redis lost, or a render whose worker died,
    is picked up again within `REPORTS_REQUEUE_EVERY` seconds.
    """
    ids = Report.objects.to_send_again(now or timezone.now())
    return sum(enqueue(pk) for pk in ids)
