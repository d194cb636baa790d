"""Asking, claiming, rendering, retrying and recovering, without a worker."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from assessment.models import Answer
from reports import asking, rendering, tasks
from reports.models import Report, stale_after

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    """Messages handed to the broker: (report id, countdown)."""
    calls = []

    def apply_async(args, countdown=None, retry=True):
        calls.append((args[0], countdown))

    monkeypatch.setattr(tasks.render_report, "apply_async", apply_async)
    return calls


@pytest.fixture
def assessment(submitted):
    return submitted[0]


def test_asking_saves_the_row_then_sends_after_commit(
    assessment, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = asking.request_report(assessment)
    assert report.status == Report.Status.QUEUED
    assert report.version == 1
    assert sent == []
    callbacks[0]()
    assert sent == [(report.pk, None)]
    report.refresh_from_db()
    assert report.sent_at is not None


def test_asking_twice_while_queued_gives_the_same_version(
    assessment, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = asking.request_report(assessment)
        second = asking.request_report(assessment)
    assert first == second
    assert len(sent) == 1


def test_versions_count_up_once_the_previous_one_is_done(assessment, sent):
    first = asking.request_report(assessment)
    Report.objects.filter(pk=first.pk).update(status=Report.Status.READY)
    second = asking.request_report(assessment, language="en")
    assert (second.version, second.language) == (2, "en")


def test_a_draft_diagnostic_has_no_plan(make_draft):
    with pytest.raises(asking.NotSubmitted):
        asking.request_report(make_draft)


@pytest.fixture
def make_draft(submitted):
    assessment = submitted[0]
    assessment.status = assessment.Status.DRAFT
    return assessment


def test_broker_down_keeps_the_row_queued_and_unsent(assessment, monkeypatch):
    from kombu.exceptions import OperationalError

    def refuse(*args, **kwargs):
        raise OperationalError(
            "Error 111 connecting to 127.0.0.1:1. Connection refused."
        )

    monkeypatch.setattr(tasks.render_report, "apply_async", refuse)
    report = asking.request_report(assessment)  # no exception, no 500
    report.refresh_from_db()
    assert (report.status, report.sent_at) == (Report.Status.QUEUED, None)


def test_a_claim_is_taken_once(assessment, sent):
    report = asking.request_report(assessment)
    assert Report.objects.claim(report.pk).attempts == 1
    assert Report.objects.claim(report.pk) is None


def test_render_stores_one_file_and_marks_ready(assessment, sent):
    report = asking.request_report(assessment)
    tasks.render_report(report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.READY
    assert report.file.name == report.filename
    assert report.page_count >= 8 and report.size > 10_000
    assert len(report.checksum) == 64 and report.render_ms > 0
    assert default_storage.listdir(f"reports/{assessment.pk}")[1] == [
        report.filename.rsplit("/", 1)[1]
    ]


def test_a_second_run_on_a_ready_report_does_nothing(assessment, sent):
    report = asking.request_report(assessment)
    tasks.render_report(report.pk)
    report.refresh_from_db()
    tasks.render_report(report.pk)
    again = Report.objects.get(pk=report.pk)
    assert (again.attempts, again.finished_at) == (1, report.finished_at)
    assert sent == []  # and nothing sent again


def test_a_message_for_a_report_being_rendered_comes_back_when_stale(assessment, sent):
    report = asking.request_report(assessment)
    Report.objects.claim(report.pk)
    tasks.render_report(report.pk)  # e.g. redelivered after the worker died
    assert sent[-1][0] == report.pk
    assert 0 < sent[-1][1] <= stale_after().total_seconds() + 1


def test_a_stale_claim_can_be_taken_over(assessment, sent):
    report = asking.request_report(assessment)
    Report.objects.claim(report.pk)
    long_ago = timezone.now() - stale_after() - timedelta(seconds=1)
    Report.objects.filter(pk=report.pk).update(started_at=long_ago)
    tasks.render_report(report.pk)
    report.refresh_from_db()
    assert (report.status, report.attempts) == (Report.Status.READY, 2)


def test_an_old_claim_cannot_mark_ready(assessment, sent):
    report = asking.request_report(assessment)
    old = Report.objects.claim(report.pk)
    Report.objects.filter(pk=report.pk).update(attempts=5)  # taken over since
    rendering.render_report(old)
    assert Report.objects.get(pk=report.pk).status == Report.Status.RENDERING


def test_transient_errors_are_retried_then_fail_with_a_plain_sentence(
    assessment, sent, monkeypatch, caplog
):
    def broken_disk(report):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(rendering, "render_bytes", broken_disk)
    report = asking.request_report(assessment)
    tasks.render_report.apply((report.pk,))
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.attempts == tasks.render_report.max_retries + 1
    assert report.failure_reason == Report.Failure.UNAVAILABLE
    assert "No space left" not in report.failure_message
    assert "No space left on device" in caplog.text  # the exception is logged


def test_bad_data_fails_at_once_with_a_plain_sentence(assessment, sent, caplog):
    # A multiple-choice answer that is not a list: scoring raises every time.
    Answer.objects.filter(
        assessment=assessment, question__code="ambition.goals"
    ).update(value=5)
    report = asking.request_report(assessment)
    tasks.render_report.apply((report.pk,))
    report.refresh_from_db()
    assert (report.status, report.attempts) == (Report.Status.FAILED, 1)
    assert report.failure_reason == Report.Failure.ERROR
    assert "Réessayez" in report.failure_message
    assert "TypeError" not in report.failure_message
    assert "TypeError" in caplog.text


def test_a_failed_report_can_be_retried_once(assessment, sent):
    report = asking.request_report(assessment)
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.FAILED, failure_reason="x", attempts=4
    )
    assert asking.retry_report(report)
    assert (report.status, report.attempts, report.failure_reason) == (
        Report.Status.QUEUED, 0, "",
    )  # fmt: skip
    assert not asking.retry_report(report)


def test_reconciler_sends_unsent_and_takes_back_abandoned_reports(
    assessment, sent, monkeypatch
):
    unsent = asking.request_report(assessment)
    Report.objects.filter(pk=unsent.pk).update(sent_at=None)
    sent.clear()
    assert tasks.requeue_stuck() == 1
    assert sent == [(unsent.pk, None)]

    Report.objects.claim(unsent.pk)
    later = timezone.now() + stale_after() + timedelta(seconds=1)
    assert tasks.requeue_stuck(now=later) == 1
    assert Report.objects.get(pk=unsent.pk).status == Report.Status.QUEUED


def test_reconciler_fails_a_report_killed_at_every_try(assessment, sent):
    report = asking.request_report(assessment)
    Report.objects.claim(report.pk)
    Report.objects.filter(pk=report.pk).update(attempts=10)
    later = timezone.now() + stale_after() + timedelta(seconds=1)
    tasks.requeue_stuck(now=later)
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.failure_reason == Report.Failure.INTERRUPTED


def test_with_the_broker_down_the_owner_reads_that_the_plan_is_queued(
    submitted, monkeypatch, client, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:1.")

    monkeypatch.setattr(tasks.render_report, "apply_async", refuse)
    assessment, token = submitted
    client.get(reverse("assessment:resume", args=[token]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:request", args=[assessment.pk]), HTTP_HX_REQUEST="true"
        )
    page = response.content.decode()
    assert response.status_code == 200
    assert "En file d’attente" in page
    assert "momentanément indisponible" in page
