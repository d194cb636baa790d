"""Campaigns under the retention rules: a campaign's diagnostics go or lose
their identity like any other; the campaign keeps only its counts."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from advisors import campaigns
from advisors.models import CampaignEntry, Case, Organisation
from assessment.answering import submit
from privacy import retention

from .conftest import OWNER, start, traces_in_database
from .test_retention import age


@pytest.fixture
def campaign(seeds):
    organisation = Organisation.objects.create(name="CCI Occitanie", slug="cci-oc")
    user = get_user_model().objects.create_user("chloe")
    return campaigns.create(
        organisation, user, name="Atelier IA", starts_on=date.today(),
        ends_on=date.today(),
    )  # fmt: skip


def test_a_stale_unfinished_campaign_diagnostic_is_erased_with_its_link(
    campaign, settings, django_capture_on_commit_callbacks
):
    settings.PRIVACY_UNFINISHED_RETENTION_DAYS = 10
    draft, _token = start({**OWNER}, submitted=False)
    campaigns.enter(campaign, draft, share=True)
    age(draft, days=11)
    with django_capture_on_commit_callbacks(execute=True):
        done = retention.apply_retention(timezone.now())
    assert done["unfinished_deleted"] == 1
    assert not CampaignEntry.objects.exists()
    assert campaigns.room(campaign).started == 0


def test_an_anonymised_campaign_diagnostic_still_counts_but_names_nobody(
    campaign, settings, django_capture_on_commit_callbacks
):
    settings.PRIVACY_FINISHED_ANONYMISE_MONTHS = 12
    settings.PEER_BENCHMARK_MINIMUM = 1
    first, _token = start({**OWNER}, submitted=False)
    campaigns.enter(campaign, first, share=True)
    assert not submit(first)  # shared on submission, with the consent of the start
    assert Case.objects.filter(assessment=first).exists()
    age(first, days=366, submitted_days=366)
    with django_capture_on_commit_callbacks(execute=True):
        assert retention.anonymise_finished(timezone.now()) == 1
    figures = campaigns.room(campaign)
    assert (figures.started, figures.finished, figures.shared) == (1, 1, 1)
    assert traces_in_database() == set()
