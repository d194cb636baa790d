"""Erasure on the owner's request: nothing of them remains, in any model or file."""

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from assessment.models import Assessment
from assessment.results import result_for
from privacy import erasure
from reports.models import Report

from .conftest import traces_in_database, traces_in_storage


def test_the_owner_is_found_before_erasure(owner, media):
    """The scan sees the owner's data where it is: it can catch a leftover."""
    first, *_ = owner

    assert {
        "assessment.Assessment.company_name",
        "assessment.Assessment.siren",
        "assessment.Assessment.respondent_name",
        "assessment.Assessment.respondent_email",
        "assessment.Answer.value",
    } <= traces_in_database()
    assert traces_in_storage(media) == {first.reports.get().file.name}


def test_erasure_leaves_nothing_of_the_owner_in_any_model_or_file(
    owner, bystander, media, django_capture_on_commit_callbacks
):
    first, _token, retaken, _retaken_token = owner
    folders = [f"reports/{first.pk}", f"reports/{retaken.pk}"]

    with django_capture_on_commit_callbacks(execute=True):
        erased = erasure.erase(erasure.linked(retaken))

    assert erased == erasure.Erased(diagnostics=2, reports=1, files=1)
    assert traces_in_database() == set()
    assert traces_in_storage(media, folders=folders) == set()


def test_erasure_leaves_other_companies_alone(
    owner, bystander, media, django_capture_on_commit_callbacks
):
    first, *_ = owner
    other, other_token = bystander

    with django_capture_on_commit_callbacks(execute=True):
        erasure.erase(erasure.linked(first))

    other.refresh_from_db()
    assert other.answers.count() > 0
    report = other.reports.get()
    assert default_storage.open(report.file.name).read().startswith(b"%PDF")
    assert Assessment.objects.with_token(other_token).get() == other


def test_linked_finds_the_whole_chain_of_re_assessments_from_any_of_them(owner):
    first, _token, retaken, _retaken_token = owner
    third = Assessment.objects.get(pk=retaken.pk)
    third.pk, third.previous = None, retaken
    third.token_hash = "x" * 64
    third.save()

    chain = [first, retaken, third]
    for start in chain:
        assert [a.pk for a in erasure.linked(start)] == [a.pk for a in chain]


def test_erasure_forgets_the_cached_result_and_pages(
    owner, django_capture_on_commit_callbacks
):
    first, token, *_ = owner
    client = Client()
    client.get(reverse("assessment:resume", args=[token]))
    assert client.get(reverse("assessment:result", args=[first.pk])).status_code == 200
    result_for(first)
    keys = erasure.cache_keys(first)
    cached = cache.get_many(keys)
    assert len(cached) >= 3  # the result and the page's cached parts

    with django_capture_on_commit_callbacks(execute=True):
        erasure.erase([first])

    assert cache.get_many(keys) == {}


def test_files_are_kept_when_the_erasure_is_rolled_back(owner, media):
    """Files go only once the rows are gone for good."""
    first, *_ = owner
    name = first.reports.get().file.name

    with pytest.raises(RuntimeError):
        from django.db import transaction

        with transaction.atomic():
            erasure.erase([first])
            raise RuntimeError("something later failed")

    assert Report.objects.filter(assessment=first).exists()
    assert default_storage.exists(name)
