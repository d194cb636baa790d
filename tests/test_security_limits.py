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
    assert response.status_code == 400
    assert response.json() == {
        "detail": "La requête est trop volumineuse\u00a0: 1\u202f000 octets au plus.",
        "errors": {},
    }
    assert not Assessment.objects.exists()


# About 2 KB each: a RecursionError (500) in the JSON parser before the guard.
DEEP_BODIES = {
    "arrays": "[" * 990 + "]" * 990,
    "objects": '{"a":' * 990 + "1" + "}" * 990,
    "unclosed": "[" * 2000,
}
# Anonymous JSON endpoints: no credentials needed to reach the parser.
ANONYMOUS_POSTS = ["/api/v1/assessments/", "/api/v1/advisor/token/"]


@pytest.mark.parametrize("url", ANONYMOUS_POSTS)
@pytest.mark.parametrize("shape", DEEP_BODIES)
def test_a_deeply_nested_body_is_a_400_in_the_api_shape(client, seeds, url, shape):
    response = client.post(url, DEEP_BODIES[shape], "application/json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Les données sont trop imbriquées\u00a0: 32 niveaux au plus.",
        "errors": {},
    }


def test_the_body_refusals_speak_english_too(client, seeds, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    deep = client.post("/api/v1/assessments/", "[" * 40, "application/json", **english)
    assert deep.json()["detail"] == "The data is nested too deeply: 32 levels at most."
    large = client.post(
        "/api/v1/assessments/", "[" + "1," * 600 + "1]", "application/json", **english
    )
    assert large.json()["detail"] == "The request is too large: 1,000 bytes at most."


def test_brackets_inside_strings_do_not_count_as_nesting(client, seeds):
    quoted = '[[[[\\"{{{{' * 20  # brackets, an escaped quote, more brackets
    body = PROFILE | {"consent": True, "company_name": quoted[:200]}
    response = client.post("/api/v1/assessments/", body, "application/json")
    assert response.status_code == 201, response.json()
    assert Assessment.objects.get().company_name == quoted[:200]


def test_the_depth_limit_counts_structure_only():
    from config.api import too_deep

    assert not too_deep(b"[" * 32 + b"]" * 32, 32)
    assert too_deep(b"[" * 33 + b"]" * 33, 32)
    assert too_deep(b'{"a": [' + b"{" * 40, 32)  # unclosed counts too
    assert not too_deep(b'["' + b"[" * 100 + b'"]', 32)
    assert not too_deep(b'["\\"' + b"{" * 100 + b'"]', 32)  # \\ then \"
    assert too_deep(b'["\\\\"' + b"[" * 40, 32)  # \\\\ ends the string


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


# --- Advisors' sign-in and password reset, per address -------------------------


@pytest.fixture
def configured_rates(settings):
    """The limits as configured (config/settings.py), not lowered nor lifted."""
    import config.settings as configured

    settings.THROTTLE_RATES = configured.THROTTLE_RATES


def test_advisor_sign_in_is_limited_per_address_whatever_the_username(
    client, db, configured_rates
):
    """30 usernames, one guess each (axes locks one username at a time)."""
    statuses = [
        client.post(
            "/conseil/connexion/", {"username": f"user{n}", "password": "guess"}
        ).status_code
        for n in range(30)
    ]
    assert statuses == [200] * 10 + [429] * 20
    refused = client.post("/conseil/connexion/", {"username": "x", "password": "y"})
    assert "Trop de demandes en peu de temps\u00a0: réessayez dans" in (
        refused.content.decode()
    )
    assert int(refused["Retry-After"]) > 0
    elsewhere = client.post(
        "/conseil/connexion/",
        {"username": "x", "password": "y"},
        REMOTE_ADDR="10.9.8.7",
    )
    assert elsewhere.status_code == 200


def test_the_token_api_shares_the_sign_in_limit_and_answers_json(client, db, rates):
    for n in range(2):
        page = client.post(
            "/conseil/connexion/", {"username": f"u{n}", "password": "p"}
        )
        assert page.status_code == 200
    response = client.post(
        "/api/v1/advisor/token/", {"username": "u", "password": "p"}, "application/json"
    )
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "throttled" and body["retry_after"] > 0
    assert body["detail"].startswith("Trop de demandes en peu de temps")


@pytest.fixture
def advisor_email(db):
    User.objects.create_user("claire", "claire@example.org", "bonne-phrase-42")
    return "claire@example.org"


def test_password_reset_mails_one_address_a_few_times_only(
    client, advisor_email, configured_rates
):
    """11 requests for one address, each from another client address."""
    statuses = [
        client.post(
            "/conseil/mot-de-passe/",
            {"email": advisor_email},
            REMOTE_ADDR=f"10.0.0.{n}",
        ).status_code
        for n in range(11)
    ]
    assert statuses == [302] * 3 + [429] * 8
    assert len(mail.outbox) == 3
    refused = client.post("/conseil/mot-de-passe/", {"email": "CLAIRE@example.org"})
    assert refused.status_code == 429
    content = refused.content.decode()
    assert "Trop de demandes en peu de temps\u00a0: réessayez dans" in content
    assert 'name="email"' in content  # the form stays, with what was typed


def test_password_reset_is_limited_per_client_address(client, db, configured_rates):
    statuses = [
        client.post(
            "/conseil/mot-de-passe/", {"email": f"someone{n}@example.org"}
        ).status_code
        for n in range(6)
    ]
    assert statuses == [302] * 5 + [429]
