"""PDF action plans: asking for one, claiming it, rendering it, recovering.

The database row is the source of truth. `request_report` saves it and sends
the message after commit; the task claims the row before rendering, so a
message delivered twice renders once; `requeue_stuck` (Celery beat) sends
again what was never sent and takes back what a dead worker left behind.
"""

from __future__ import annotations

import hashlib
import logging
import time
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

from assessment.models import Assessment

from . import content, pdf
from .models import Report

logger = logging.getLogger(__name__)
TEMPLATE = "reports/roadmap.html"
ANNEX_TEMPLATE = "reports/annex.html"


class NotSubmitted(Exception):
    """Only a finished diagnostic has an action plan."""


# --- Asking ---------------------------------------------------------------------


def request_report(
    assessment: Assessment,
    *,
    requested_by: str = Report.Requester.OWNER,
    user=None,
    language: str | None = None,
    adjustments: dict | None = None,
) -> Report:
    """Save a new version of the plan and send it to a worker after commit.

    While a version is queued or rendering, asking again for the same plan
    returns that one: a double click does not make two PDFs. `adjustments`
    (an advisor's changes, as `Adjustments.to_json()`) make it another plan.
    """
    adjustments = adjustments or {}
    if not assessment.is_submitted():
        raise NotSubmitted
    with transaction.atomic():
        # Serialises concurrent requests for one diagnostic (version numbers).
        Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
        pending = assessment.reports.in_flight().order_by("-version").first()
        if pending and pending.adjustments == adjustments:
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


def enqueue(report_id: int, countdown: float | None = None) -> bool:
    """Hand the render to the broker; when it is down, leave it to `requeue_stuck`."""
    from .tasks import render_report

    try:
        # No publish retries: a request must not hang while Redis is away.
        render_report.apply_async((report_id,), countdown=countdown, retry=False)
    except (BrokerError, RedisError, OSError) as exc:
        logger.warning("report=%s not sent, broker unavailable: %s", report_id, exc)
        return False
    Report.objects.filter(pk=report_id).update(sent_at=timezone.now())
    return True


def retry_report(report: Report) -> bool:
    """Queue a failed report again; False when it had not failed."""
    queued = Report.objects.filter(pk=report.pk, status=Report.Status.FAILED).update(
        status=Report.Status.QUEUED, failure_reason="", attempts=0, sent_at=None
    )
    if queued:
        transaction.on_commit(partial(enqueue, report.pk))
    report.refresh_from_db()
    return bool(queued)


# --- Claiming and finishing --------------------------------------------------------


def stale_after() -> timedelta:
    """A render older than the hard time limit has no live worker behind it."""
    return timedelta(seconds=settings.REPORTS_RENDER_TIME_LIMIT + 2)


def _claimable(now) -> Q:
    stale = Q(status=Report.Status.RENDERING, started_at__lt=now - stale_after())
    return Q(status=Report.Status.QUEUED) | stale


def claim(report_id: int) -> Report | None:
    """Take the report for rendering, or None if another worker has it or it is done.

    The number of attempts after the claim is the claim's token: only the
    holder of the latest one may mark the report ready.
    """
    now = timezone.now()
    claimed = Report.objects.filter(_claimable(now), pk=report_id).update(
        status=Report.Status.RENDERING, started_at=now, attempts=F("attempts") + 1
    )
    return Report.objects.get(pk=report_id) if claimed else None


def busy_until(report_id: int) -> float | None:
    """Seconds until another worker's claim goes stale; None if there is none."""
    started = (
        Report.objects.filter(pk=report_id, status=Report.Status.RENDERING)
        .values_list("started_at", flat=True)
        .first()
    )
    if started is None:
        return None
    remaining = started + stale_after() - timezone.now()
    return max(remaining.total_seconds(), 0) + 1


def _held(report: Report):
    return Report.objects.filter(
        pk=report.pk, status=Report.Status.RENDERING, attempts=report.attempts
    )


def release(report: Report) -> None:
    """Give the claim back before an automatic retry."""
    _held(report).update(status=Report.Status.QUEUED)


def mark_failed(report: Report, reason: str) -> None:
    _held(report).update(
        status=Report.Status.FAILED,
        failure_reason=reason[:1000],
        finished_at=timezone.now(),
    )


def failure_reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


# --- Rendering --------------------------------------------------------------------


def render_report(report: Report) -> None:
    """Render a claimed report to PDF, store it and mark it ready."""
    started = time.monotonic()
    if settings.REPORTS_TEST_RENDER_DELAY:  # tests: a render slow enough to kill
        time.sleep(settings.REPORTS_TEST_RENDER_DELAY)
    with translation.override(report.language):
        data, pages = render_bytes(report)
    _store(report, data)
    _held(report).update(
        status=Report.Status.READY,
        file=report.filename,
        size=len(data),
        page_count=pages,
        checksum=hashlib.sha256(data).hexdigest(),
        finished_at=timezone.now(),
        render_ms=round((time.monotonic() - started) * 1000),
        failure_reason="",
    )


def render_bytes(report: Report) -> tuple[bytes, int]:
    """The PDF of a report and its page count, in the active language.

    The annex is the same for every company: its pages are laid out once per
    worker process and language, then reused (it has its own page numbers).
    """
    html = render_to_string(TEMPLATE, content.build_context(report))
    annex = pdf.layout_once(("annex", get_language()), annex_html)
    document = pdf.combine(pdf.layout(html), annex)
    return pdf.write(document), len(document.pages)


def annex_html() -> str:
    return render_to_string(ANNEX_TEMPLATE, content.annex_context())


def _store(report: Report, data: bytes) -> None:
    """Write under the report's stable name, replacing a half-finished attempt."""
    name = report.filename
    if default_storage.exists(name):
        default_storage.delete(name)
    saved = default_storage.save(name, ContentFile(data))
    if saved != name:  # another writer got there in between: keep one file
        default_storage.delete(saved)


# --- Recovering ---------------------------------------------------------------------


def requeue_stuck(now=None) -> int:
    """Send again reports never sent or abandoned by a dead worker; count them."""
    now = now or timezone.now()
    abandoned = Report.objects.filter(
        status=Report.Status.RENDERING, started_at__lt=now - stale_after()
    )
    abandoned.filter(attempts__gt=settings.REPORTS_MAX_RETRIES).update(
        status=Report.Status.FAILED,
        failure_reason=_("Le rendu a été interrompu à chaque tentative."),
        finished_at=now,
    )
    abandoned.update(status=Report.Status.QUEUED, sent_at=None)
    waited = now - timedelta(seconds=settings.REPORTS_REQUEUE_AFTER)
    unsent = Report.objects.filter(status=Report.Status.QUEUED).filter(
        Q(sent_at__isnull=True) | Q(sent_at__lt=waited)
    )
    ids = list(unsent.values_list("pk", flat=True))
    return sum(enqueue(pk) for pk in ids)
