"""With a real Redis and real Celery workers: asked → ready, and nothing lost.

The renders here sleep first (CAILLOU_TEST_RENDER_DELAY, tests/worker.py) so that a test can
kill a worker in the middle of one; the visibility timeout and time limits
are short so that an abandoned render comes back within seconds.
"""

import contextlib
import os
import signal
import socket
import time
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction

from assessment.models import Answer
from config.celery import app
from reports import asking, tasks
from reports.models import Report
from tests.assessment import personas
from tests.conftest import running_worker

from .conftest import pdf_text
from .personas import PERSONAS, submitted_assessment

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker_env(monkeypatch, media):
    """Settings for the workers started by these tests (they copy os.environ)."""
    monkeypatch.setenv("MEDIA_ROOT", str(media))
    monkeypatch.setenv("CELERY_VISIBILITY_TIMEOUT", "12")
    monkeypatch.setenv("CELERY_UNACKED_RESTORE_INTERVAL", "1")
    monkeypatch.setenv("REPORTS_RENDER_TIME_LIMIT", "8")
    monkeypatch.setenv("REPORTS_RENDER_SOFT_TIME_LIMIT", "6")
    monkeypatch.setenv("REPORTS_MAX_RETRIES", "2")


@pytest.fixture
def slow_renders(worker_env, monkeypatch):
    monkeypatch.setenv("CAILLOU_TEST_RENDER_DELAY", "3")


@pytest.fixture
def world(db):
    call_command("load_seeds", verbosity=0)


def ask(name="Cabinet Durand Expertise", persona=personas.ACCOUNTING_FIRM):
    assessment, _token = submitted_assessment(persona, name)
    return asking.request_report(assessment)  # autocommit: sent at once


def wait_for(report: Report, statuses, timeout: float = 60) -> Report:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.status in statuses:
            return report
        time.sleep(0.2)
    raise AssertionError(f"report still {report.status} after {timeout} s")


def files_of(report: Report, media: Path) -> list[str]:
    """The files stored for its diagnostic, on disk or in the object store."""
    return default_storage.listdir(f"reports/{report.assessment_id}")[1]


def pool_children(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                children.append(int(stat.parent.name))
    return children


def test_asked_then_ready_with_the_plan_inside(world, worker_env, media):
    with running_worker(with_database=True):
        report = wait_for(ask(), [Report.Status.READY])
    assert report.page_count >= 8
    data = report.file.read()
    text = " ".join(pdf_text(data).split())
    for expected in [
        "Cabinet Durand Expertise",
        "Appels d’offres et dossiers administratifs",
        "Expérimentation",
    ]:
        assert expected in text
    assert len(files_of(report, media)) == 1


def test_a_pool_process_killed_mid_render_is_redone(world, slow_renders, media):
    with running_worker(with_database=True) as worker:
        report = wait_for(ask(), [Report.Status.RENDERING])
        time.sleep(0.5)
        for child in pool_children(worker.pid):
            os.kill(child, signal.SIGKILL)
        report = wait_for(report, [Report.Status.READY, Report.Status.FAILED])
    assert report.status == Report.Status.READY
    # Redone at least once; on a loaded machine the broker's redelivery and the
    # stale-report sweep may both pick it up, and still one file is kept.
    assert report.attempts >= 2
    assert len(files_of(report, media)) == 1


def test_a_whole_worker_killed_mid_render_is_redone_by_the_next(
    world, slow_renders, media
):
    with running_worker(with_database=True) as worker:
        report = wait_for(ask(), [Report.Status.RENDERING])
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    with running_worker(with_database=True):
        report = wait_for(report, [Report.Status.READY, Report.Status.FAILED])
    assert report.status == Report.Status.READY
    assert report.attempts == 2
    assert len(files_of(report, media)) == 1


@contextlib.contextmanager
def broker_at(url: str):
    """Point this process's Celery producer at another broker for a while."""
    saved = app.conf.broker_url, app.amqp._producer_pool, app._pool
    app.conf.broker_url, app.amqp._producer_pool, app._pool = url, None, None
    try:
        yield
    finally:
        app.conf.broker_url, app.amqp._producer_pool, app._pool = saved


def test_reports_asked_while_redis_is_down_are_sent_once_it_is_back(
    world, worker_env, media
):
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        dead = f"redis://127.0.0.1:{sock.getsockname()[1]}/0"
    with broker_at(dead):
        reports = [ask(name, persona) for name, persona in list(PERSONAS.items())[:3]]
    for report in reports:
        report.refresh_from_db()
        assert (report.status, report.sent_at) == (Report.Status.QUEUED, None)
    with running_worker(with_database=True):
        assert tasks.requeue_stuck() == 3
        for report in reports:
            assert wait_for(report, [Report.Status.READY]).file


def test_a_poison_render_ends_failed_with_a_plain_sentence_and_no_loop(
    world, worker_env
):
    with transaction.atomic():
        assessment, _token = submitted_assessment(
            personas.ACCOUNTING_FIRM, "Cabinet Durand Expertise"
        )
        Answer.objects.filter(
            assessment=assessment, question__code="ambition.goals"
        ).update(value=5)
    with running_worker(with_database=True):
        report = asking.request_report(assessment)
        report = wait_for(report, [Report.Status.FAILED])
        time.sleep(2)
        report.refresh_from_db()
    assert (report.status, report.attempts) == (Report.Status.FAILED, 1)
    assert report.failure_reason == Report.Failure.ERROR


def test_owners_plans_go_ahead_of_advisors_bulk_work(world, worker_env, monkeypatch):
    """The workers as `make run` and docker-compose start them: one for the
    owners' plans only, one for every queue. Renders take 1 s here."""
    monkeypatch.setenv("CAILLOU_TEST_RENDER_DELAY", "1")
    advised, _token = submitted_assessment(personas.VINEYARD, "Domaine des Garrigues")
    with (
        running_worker(with_database=True, queues="plans"),
        running_worker(with_database=True, queues="plans,versions,maintenance"),
    ):
        bulk = [
            asking.request_report(
                advised,
                requested_by=Report.Requester.ADVISOR,
                adjustments={"advice": [f"Conseil n° {n}"]},
            )
            for n in range(6)
        ]
        owner = wait_for(ask(), [Report.Status.READY])
        done = Report.objects.filter(pk__in=[r.pk for r in bulk], status="ready")
        assert done.count() <= 2, "the owner's plan waited for the advisors' versions"
        for report in bulk:
            wait_for(report, [Report.Status.READY])
    assert owner.finished_at < max(
        Report.objects.filter(pk__in=[r.pk for r in bulk]).values_list(
            "finished_at", flat=True
        )
    )
