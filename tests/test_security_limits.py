"""Rate limits answer 429 with the wait said; over-long text is refused clearly."""

import socket

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command

from assessment.answering import start_assessment
from assessment.models import Assessment
from catalog.models import Department, Sector, SizeBand

pytestmark = pytest.mark.django_db

PROFILE = {
    "company_name": "Cabinet Durand",
    "sector": "finance",
    "size_band": "small",
    "department": "31",
    "respondent_name": "Claire Durand",
    "respondent_email": "claire@example.fr",
    "respondent_role": "Gérante",
}


@pytest.fixture
def seeds(db, settings):
    call_command("load_seeds", verbosity=0)


@pytest.fixture
def rates(settings):
    """Small limits, so that a test reaches them."""
    settings.THROTTLE_RATES = {
        **settings.THROTTLE_RATES,
        "diagnostic_create": "2/hour",
        "resume_email": "1/hour",
        "sign_in": "2/minute",
        "anon": "5/minute",
    }


def test_starting_too_many_diagnostics_keeps_the_form_and_says_when(
    client, seeds, rates
):
    form = PROFILE | {"consent": "on"}
    for _ in range(2):
        assert client.post("/diagnostic/", form).status_code == 302
    response = client.post("/diagnostic/", form)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    content = response.content.decode()
    assert (
        "Trop de demandes en peu de temps\u00a0: réessayez dans 60 minutes" in content
    )
    assert 'value="Cabinet Durand"' in content  # what was typed is still there
    assert Assessment.objects.count() == 2


def test_the_web_form_and_the_api_share_the_creation_limit(client, seeds, rates):
    client.post("/diagnostic/", PROFILE | {"consent": "on"})
    api = PROFILE | {"consent": True}
    assert (
        client.post("/api/v1/assessments/", api, "application/json").status_code == 201
    )
    response = client.post(
        "/api/v1/assessments/", api, "application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "throttled"
    assert body["retry_after"] == int(response["Retry-After"]) > 0
    assert body["detail"].startswith("Too many requests in a short time")
    assert Assessment.objects.count() == 2


def test_resume_links_are_not_mailed_without_limit(client, seeds, rates):
    profile = {
        "company_name": "Cabinet Durand",
        "sector": Sector.objects.get(slug="finance"),
        "size_band": SizeBand.objects.get(code="small"),
        "department": Department.objects.get(code="31"),
        "respondent_name": "Claire Durand",
        "respondent_email": "claire@example.fr",
        "respondent_role": "Gérante",
    }
    assessment, token = start_assessment(profile=profile)
    client.get(f"/diagnostic/reprendre/{token}/")
    url = f"/diagnostic/{assessment.pk}/lien/envoyer/"
    data = {"email": "claire@example.fr", "token": token}
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)
    assert response.status_code == 429
    assert "réessayez dans" in response.content.decode()
    assert len(mail.outbox) == 1


def test_the_api_answers_429_past_its_general_rate(client, seeds, rates):
    statuses = [client.get("/api/v1/sectors/").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]


def test_admin_sign_in_attempts_are_limited(client, db, rates):
    User.objects.create_superuser("admin", "admin@example.fr", "right-password")
    wrong = {"username": "admin", "password": "wrong"}
    assert client.post("/admin/login/", wrong).status_code == 200
    assert client.post("/admin/login/", wrong).status_code == 200
    right = {"username": "admin", "password": "right-password"}
    response = client.post("/admin/login/", right)
    assert response.status_code == 429
    assert "réessayez dans" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_malformed_rate_is_refused_at_start_up():
    from .test_settings import run_manage

    result = run_manage("check", env={"THROTTLE_SIGN_IN": "ten per minute"})
    assert result.returncode != 0
    assert "the sign_in rate must read like 20/hour" in result.stderr


# --- Sizes -------------------------------------------------------------------------


def test_an_over_long_company_name_is_refused_on_the_form(client, seeds):
    form = PROFILE | {"consent": "on", "company_name": "x" * 201}
    response = client.post("/diagnostic/", form)
    assert response.status_code == 200
    assert "200 caractères" in response.content.decode()
    assert not Assessment.objects.exists()


def test_an_over_long_company_name_is_refused_by_the_api(client, seeds):
    data = PROFILE | {"consent": True, "respondent_role": "x" * 151}
    response = client.post("/api/v1/assessments/", data, "application/json")
    assert response.status_code == 400
    assert "respondent_role" in response.json()["errors"]


def test_an_over_long_text_answer_is_refused_and_nothing_is_saved(client, seeds):
    created = client.post(
        "/api/v1/assessments/", PROFILE | {"consent": True}, "application/json"
    ).json()
    headers = {"HTTP_AUTHORIZATION": f"Token {created['token']}"}
    url = created["links"]["answers"]
    answers = {"stone.description": "x" * 2001}
    response = client.patch(url, answers, "application/json", **headers)
    assert response.status_code == 400
    assert "2000" in response.json()["errors"]["stone.description"]
    assert client.get(url, **headers).json() == {}


def test_an_over_long_catalogue_search_is_an_error_not_a_500(client, seeds):
    page = client.get("/catalogue/programmes/", {"q": "x" * 201})
    assert page.status_code == 200
    assert "200 caractères" in page.content.decode()
    api = client.get("/api/v1/programmes/", {"q": "x" * 201})
    assert api.status_code == 400
    assert "q" in api.json()["errors"]  # every API's 400: {"detail", "errors"}


def test_an_oversized_request_body_is_refused(client, seeds, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = PROFILE | {"consent": True, "company_name": "x" * 2000}
    response = client.post("/api/v1/assessments/", body, "application/json")
    assert response.status_code in (400, 413)
    assert not Assessment.objects.exists()


def test_rate_limits_let_requests_through_when_the_cache_is_down(settings, rf, rates):
    from config import throttling

    with socket.socket() as closed:  # a loopback port where nothing listens
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        }
    }
    request = rf.post("/diagnostic/")
    assert [throttling.wait_for(request, "sign_in") for _ in range(3)] == [None] * 3
