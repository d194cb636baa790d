"""Retention rules, applied by the nightly Celery beat task."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from assessment import scoring
from assessment.models import Assessment, Question
from assessment.questionnaire import spec_for
from assessment.results import answers_of
from privacy import retention, tasks

from .conftest import OWNER, start, traces_in_database, traces_in_storage


def age(assessment, *, days=0, submitted_days=None):
    """Move a diagnostic into the past (auto_now fields need an update())."""
    now = timezone.now()
    changes = {"updated_at": now - timedelta(days=days)}
    if submitted_days is not None:
        changes["submitted_at"] = now - timedelta(days=submitted_days)
    Assessment.objects.filter(pk=assessment.pk).update(**changes)
    assessment.refresh_from_db()


@pytest.fixture
def registries():
    """Registrations made by a test are undone after it."""
    saved = dict(retention._purges), dict(retention._anonymisers)
    yield
    retention._purges.clear()
    retention._purges.update(saved[0])
    retention._anonymisers.clear()
    retention._anonymisers.update(saved[1])


def test_unfinished_diagnostics_are_deleted_after_the_configured_days(
    seeds, settings, django_capture_on_commit_callbacks
):
    settings.PRIVACY_UNFINISHED_RETENTION_DAYS = 10
    old_draft, _ = start({**OWNER}, submitted=False)
    recent_draft, _ = start({**OWNER, "company_name": "Récent"}, submitted=False)
    old_finished, _ = start({**OWNER, "company_name": "Fini"})
    age(old_draft, days=11)
    age(recent_draft, days=9)
    age(old_finished, days=400, submitted_days=400)

    with django_capture_on_commit_callbacks(execute=True):
        deleted = retention.delete_unfinished(timezone.now())

    assert deleted == 1
    remaining = set(Assessment.objects.values_list("pk", flat=True))
    assert remaining == {recent_draft.pk, old_finished.pk}


def test_a_stale_re_assessment_goes_without_the_finished_diagnostic_it_follows(
    owner, django_capture_on_commit_callbacks
):
    first, _token, retaken, _ = owner
    age(retaken, days=settings.PRIVACY_UNFINISHED_RETENTION_DAYS + 1)

    with django_capture_on_commit_callbacks(execute=True):
        retention.delete_unfinished(timezone.now())

    assert list(Assessment.objects.values_list("pk", flat=True)) == [first.pk]


def test_finished_diagnostics_are_anonymised_after_the_configured_months(
    owner, media, settings, django_capture_on_commit_callbacks
):
    settings.PRIVACY_FINISHED_ANONYMISE_MONTHS = 12
    first, token, retaken, _ = owner
    retaken.delete()  # the draft is the other rule's business
    before = scoring.score(spec_for(first.questionnaire), answers_of(first))
    age(first, days=366, submitted_days=366)

    with django_capture_on_commit_callbacks(execute=True):
        assert retention.anonymise_finished(timezone.now()) == 1

    first.refresh_from_db()
    assert first.company_name == retention.ANONYMISED_NAME
    assert (first.siren, first.respondent_name, first.respondent_email) == ("", "", "")
    assert (first.sector.slug, first.department.code) == ("finance", "31")
    assert not first.reports.exists()
    free_text = first.answers.filter(question__kind__in=retention.FREE_TEXT)
    assert not free_text.exists()
    assert first.answers.filter(question__kind=Question.Kind.SINGLE).exists()
    after = scoring.score(spec_for(first.questionnaire), answers_of(first))
    assert after == before
    assert not Assessment.objects.with_token(token).exists()
    assert traces_in_database() == set()
    assert traces_in_storage(media, folders=[f"reports/{first.pk}"]) == set()


def test_recent_finished_diagnostics_and_anonymised_ones_are_left_alone(
    owner, settings, django_capture_on_commit_callbacks
):
    settings.PRIVACY_FINISHED_ANONYMISE_MONTHS = 12
    first, *_ = owner
    age(first, submitted_days=300)

    with django_capture_on_commit_callbacks(execute=True):
        assert retention.anonymise_finished(timezone.now()) == 0
        age(first, submitted_days=400)
        assert retention.anonymise_finished(timezone.now()) == 1
        assert retention.anonymise_finished(timezone.now()) == 0

    first.refresh_from_db()
    assert first.company_name == retention.ANONYMISED_NAME


def test_other_apps_purges_and_anonymisers_are_called(
    owner, registries, settings, django_capture_on_commit_callbacks
):
    first, *_ = owner
    age(first, submitted_days=31 * settings.PRIVACY_FINISHED_ANONYMISE_MONTHS)
    calls = []
    retention.register_purge("access_log_purged", lambda now: calls.append(now) or 7)
    retention.register_anonymiser("notes", calls.append)
    now = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        done = retention.apply_retention(now)

    assert done["access_log_purged"] == 7
    assert done["finished_anonymised"] == 1
    assert calls == [[first.pk], now]


def test_plan_folders_of_vanished_diagnostics_are_deleted(owner, bystander, media):
    first, *_ = owner
    other, _ = bystander
    orphan = "reports/999999/plan-action-v1.pdf"
    default_storage.save(orphan, ContentFile(b"%PDF-1.7 late render"))

    assert retention.purge_orphan_files() == 1

    assert not default_storage.exists(orphan)
    assert not (media / "reports" / "999999").exists()
    for kept in (first, other):
        assert default_storage.listdir(f"reports/{kept.pk}")[1]


def test_the_nightly_task_applies_the_rules(
    seeds, settings, django_capture_on_commit_callbacks
):
    draft, _ = start({**OWNER}, submitted=False)
    age(draft, days=settings.PRIVACY_UNFINISHED_RETENTION_DAYS + 1)

    with django_capture_on_commit_callbacks(execute=True):
        done = tasks.apply_retention()

    assert done["unfinished_deleted"] == 1
    assert not Assessment.objects.exists()


def test_beat_runs_the_task_every_night():
    from config.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["privacy-retention"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    assert entry["schedule"].hour == {3} and entry["schedule"].minute == {30}
