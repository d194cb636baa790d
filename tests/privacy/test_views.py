"""The owner's pages: the privacy notice, downloading their data, erasing it."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from assessment.models import Assessment

from .conftest import FREE_TEXT, OWNER, traces_in_database


def signed_in(token: str, **kwargs) -> Client:
    """A browser that opened the private link: its session holds the diagnostic."""
    client = Client(**kwargs)
    client.get(reverse("assessment:resume", args=[token]))
    return client


def test_the_result_page_offers_the_download_and_the_erasure(owner):
    first, token, *_ = owner
    page = signed_in(token).get(reverse("assessment:result", args=[first.pk]))

    html = page.content.decode()
    assert reverse("privacy:download", args=[first.pk]) in html
    assert reverse("privacy:erase", args=[first.pk]) in html


def test_the_owner_downloads_all_their_data_as_json(owner):
    first, token, retaken, _ = owner

    response = signed_in(token).get(reverse("privacy:download", args=[first.pk]))

    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    first_data, retaken_data = data["diagnostics"]
    assert (first_data["id"], retaken_data["id"]) == (first.pk, retaken.pk)
    assert first_data["company"]["name"] == OWNER["company_name"]
    assert first_data["company"]["siren"] == OWNER["siren"]
    assert first_data["respondent"]["email"] == OWNER["respondent_email"]
    for code, text in FREE_TEXT.items():
        assert first_data["answers"][code] == text
    assert first_data["answers"] == {
        a.question.code: a.value for a in first.answers.select_related("question")
    }
    assert first_data["scores"]["overall"] >= 0
    assert retaken_data["scores"] is None  # under way
    assert [r["version"] for r in first_data["reports"]] == [1]
    assert retaken_data["previous_id"] == first.pk


def test_a_stranger_can_neither_download_nor_erase(owner):
    first, *_ = owner
    stranger = Client()

    assert stranger.get(reverse("privacy:download", args=[first.pk])).status_code == 404
    assert stranger.get(reverse("privacy:erase", args=[first.pk])).status_code == 404
    assert stranger.post(reverse("privacy:erase", args=[first.pk])).status_code == 404
    assert Assessment.objects.filter(pk=first.pk).exists()


def test_erasing_asks_for_confirmation_first(owner):
    first, token, retaken, _ = owner

    page = signed_in(token).get(reverse("privacy:erase", args=[first.pk]))

    html = page.content.decode()
    assert "L’effacement est définitif\u00a0: rien ne pourra être récupéré." in html
    assert html.count(OWNER["company_name"]) >= 3  # title and both diagnostics
    assert "1 plan d’action PDF" in html
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
    assert Assessment.objects.count() == 2


def test_the_owner_erases_and_sees_a_confirmation_in_french(
    owner, django_capture_on_commit_callbacks
):
    first, token, retaken, retaken_token = owner
    client = signed_in(token, enforce_csrf_checks=True)
    client.get(reverse("privacy:erase", args=[first.pk]))
    csrf = client.cookies["csrftoken"].value

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("privacy:erase", args=[first.pk]),
            {"csrfmiddlewaretoken": csrf},
            follow=True,
        )

    assert response.redirect_chain[-1][0] == reverse("privacy:erased")
    html = response.content.decode()
    assert "Vos données ont été effacées" in html
    assert "2 diagnostics effacés" in html
    assert traces_in_database() == set()
    assert client.get(reverse("assessment:result", args=[first.pk])).status_code == 404
    resumed = Client().get(reverse("assessment:resume", args=[retaken_token]))
    assert resumed.status_code == 404


def test_erasing_without_the_csrf_token_is_refused(owner):
    first, token, *_ = owner
    client = signed_in(token, enforce_csrf_checks=True)

    response = client.post(reverse("privacy:erase", args=[first.pk]))

    assert response.status_code == 403
    assert Assessment.objects.count() == 2


def test_the_privacy_page_states_the_configured_retention_periods(client, settings):
    settings.PRIVACY_UNFINISHED_RETENTION_DAYS = 45
    settings.PRIVACY_FINISHED_ANONYMISE_MONTHS = 18
    settings.PRIVACY_ACCESS_LOG_RETENTION_DAYS = 200
    settings.PRIVACY_CONTACT_EMAIL = "dpo@caillou.example"

    html = client.get(reverse("privacy:policy")).content.decode()

    assert "effacé après 45\u00a0jours" in html or "effacé après 45 jours" in html
    assert "anonymisé 18 mois après la fin" in html
    assert "gardé 200 jours" in html
    assert "dpo@caillou.example" in html
    assert "consentement" in html and "CNIL" in html


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_page_links_to_the_privacy_page(client, db, language):
    with translation.override(language):
        html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=language).content
    assert reverse("privacy:policy").encode() in html


def test_the_privacy_page_reads_in_english(client, db):
    client.cookies["django_language"] = "en"

    html = client.get(reverse("privacy:policy")).content.decode()

    assert "Your personal data" in html
    assert "Who can see it" in html


def test_the_privacy_page_lists_the_diagnostics_of_this_browser(owner, bystander):
    first, token, retaken, _ = owner
    other, _ = bystander

    html = signed_in(token).get(reverse("privacy:policy")).content.decode()

    assert reverse("privacy:erase", args=[first.pk]) in html
    assert reverse("privacy:erase", args=[other.pk]) not in html
