"""Advisors' accounts: sign-in, lock-out, password reset, TOTP, API tokens, staff."""

import hashlib
import io
import re
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from advisors.access import is_verified
from advisors.auth_views import PENDING, PENDING_MAX_AGE
from advisors.authentication import AdvisorTokenAuthentication
from advisors.models import AccessLog, ApiToken, Case, Membership, Organisation
from catalog.models import Department, Region

pytestmark = pytest.mark.django_db

PASSWORD = "bonne-phrase-de-passe-42"


@pytest.fixture(autouse=True)
def _auth_settings(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    # Throttling of codes is axes' job here; django-otp's own delay is timed.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


@pytest.fixture
def organisation():
    return Organisation.objects.create(name="CCI Test", slug="cci-test")


@pytest.fixture
def advisor(organisation):
    user = get_user_model().objects.create_user(
        "claire", "claire@example.org", PASSWORD
    )
    Membership.objects.create(user=user, organisation=organisation)
    return user


@pytest.fixture
def device(advisor):
    return TOTPDevice.objects.create(user=advisor, name="TOTP", confirmed=True)


def code_for(device, steps_ahead=0):
    """The code the app shows now (or `steps_ahead` periods later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def sign_in(client, username="claire", password=PASSWORD, **extra):
    data = {"username": username, "password": password, **extra}
    return client.post(reverse("advisors:login"), data)


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


# Sign-in and sign-out


def test_sign_in_page_speaks_french_then_english(client):
    assert "Se connecter" in client.get(reverse("advisors:login")).text
    english = client.get(reverse("advisors:login"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Sign in" in english.text


def test_right_password_signs_in_and_opens_the_next_page(client, advisor):
    response = sign_in(client, next=reverse("advisors:account"))
    assert response.status_code == 302
    assert response.url == reverse("advisors:account")
    assert signed_in_user_id(client) == str(advisor.pk)
    assert client.get(reverse("advisors:account")).status_code == 200


def test_without_next_the_queue_opens(client, advisor):
    assert sign_in(client).url == reverse("advisors:queue")


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"]
)
def test_next_leaving_the_site_is_ignored(client, advisor, next_url):
    assert sign_in(client, next=next_url).url == reverse("advisors:queue")


def test_wrong_password_is_refused_without_session(client, advisor):
    response = sign_in(client, password="pas-le-bon")
    assert response.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in response.text
    assert signed_in_user_id(client) is None


def test_signing_out_ends_the_session(client, advisor):
    sign_in(client)
    assert client.get(reverse("advisors:logout")).status_code == 405
    response = client.post(reverse("advisors:logout"))
    assert response.url == resolve_url(settings.LOGOUT_REDIRECT_URL)
    assert signed_in_user_id(client) is None
    assert client.get(reverse("advisors:account")).status_code == 302


def test_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("advisors:account"))
    assert response.url.startswith(reverse("advisors:login") + "?next=")


def test_user_without_organisation_gets_404_on_the_account_page(client):
    stranger = get_user_model().objects.create_user("paul", password=PASSWORD)
    client.force_login(stranger)
    assert client.get(reverse("advisors:account")).status_code == 404


# Lock-out


def fail(client, times, **extra):
    return [sign_in(client, password="pas-le-bon", **extra) for _ in range(times)]


def test_too_many_failures_lock_out_with_a_french_429_page(client, advisor):
    *before, last = fail(client, 3)
    assert [r.status_code for r in before] == [200, 200]
    assert last.status_code == 429
    assert "Trop de tentatives de connexion" in last.text
    assert "15 minutes" in last.text
    assert last["Retry-After"] == str(15 * 60)


def test_a_locked_out_pair_cannot_sign_in_even_with_the_password(client, advisor):
    fail(client, 3)
    response = sign_in(client)
    assert response.status_code == 429
    assert signed_in_user_id(client) is None


def test_the_lock_holds_one_username_from_one_address(client, advisor):
    get_user_model().objects.create_user("marc", password=PASSWORD)
    fail(client, 3)
    assert sign_in(client, username="marc").status_code == 302
    elsewhere = Client(REMOTE_ADDR="192.0.2.7")
    assert sign_in(elsewhere).status_code == 302


def test_the_cool_off_ends_the_lock(client, advisor, settings):
    fail(client, 3)
    long_ago = settings.AXES_COOLOFF_TIME + timedelta(minutes=1)
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= long_ago
        attempt.save(update_fields=["attempt_time"])
    assert sign_in(client).status_code == 302


def test_a_success_forgets_earlier_failures(client, advisor):
    fail(client, 2)
    sign_in(client)
    client.post(reverse("advisors:logout"))
    assert [r.status_code for r in fail(client, 2)] == [200, 200]


# Password reset


def reset_link(mail) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", mail.body).group(1)


def test_password_reset_mails_a_french_link_that_sets_a_new_password(
    client, advisor, mailoutbox
):
    response = client.post(
        reverse("advisors:password_reset"), {"email": "claire@example.org"}
    )
    assert response.url == reverse("advisors:password_reset_done")
    [mail] = mailoutbox
    assert mail.to == ["claire@example.org"]
    assert mail.subject == "Choisir un nouveau mot de passe Caillou"
    assert "Bonjour" in mail.body and "«\u00a0claire\u00a0»" in mail.body
    form_url = client.get(reset_link(mail), follow=True).redirect_chain[-1][0]
    new = "un-tout-nouveau-secret-77"
    done = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert done.url == reverse("advisors:password_reset_complete")
    assert sign_in(client, password=new).status_code == 302


def test_a_new_password_lifts_the_lock_out(client, advisor, mailoutbox):
    fail(client, 3)
    client.post(reverse("advisors:password_reset"), {"email": "claire@example.org"})
    form_url = client.get(reset_link(mailoutbox[0]), follow=True).redirect_chain[-1][0]
    new = "un-tout-nouveau-secret-77"
    client.post(form_url, {"new_password1": new, "new_password2": new})
    assert sign_in(client, password=new).status_code == 302


def without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_password_reset_does_not_tell_whether_an_address_exists(
    client, advisor, mailoutbox
):
    url = reverse("advisors:password_reset")
    known = client.post(url, {"email": "claire@example.org"}, follow=True)
    unknown = client.post(url, {"email": "nobody@example.org"}, follow=True)
    assert len(mailoutbox) == 1
    assert known.redirect_chain == unknown.redirect_chain
    assert without_csrf(known.text) == without_csrf(unknown.text)


def test_a_used_or_forged_reset_link_is_refused_clearly(client, advisor):
    url = reverse(
        "advisors:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "x-y"}
    )
    response = client.get(url, follow=True)
    assert response.status_code == 200
    assert "Ce lien n’est plus valable" in response.text


def test_password_reset_refuses_a_malformed_address(client, mailoutbox):
    response = client.post(reverse("advisors:password_reset"), {"email": "pas@"})
    assert response.status_code == 200
    assert not mailoutbox


# TOTP second factor


def test_enabling_totp_shows_a_qr_code_and_needs_a_first_code(client, advisor):
    client.force_login(advisor)
    response = client.post(reverse("advisors:totp_start"))
    assert response.url == reverse("advisors:totp_setup")
    page = client.get(reverse("advisors:totp_setup"))
    assert "<svg" in page.text and "<script" not in page.text.split("<main")[1]
    assert "otpauth://totp/Caillou%3Aclaire?secret=" in page.text
    device = TOTPDevice.objects.get(user=advisor)
    assert not device.confirmed

    wrong = client.post(reverse("advisors:totp_setup"), {"code": "000000"})
    assert wrong.status_code == 200 and "pas le bon" in wrong.text
    ok = client.post(reverse("advisors:totp_setup"), {"code": code_for(device)})
    assert ok.url == reverse("advisors:account")
    device.refresh_from_db()
    assert device.confirmed
    # The session that confirmed the code stays open.
    assert "Activée" in client.get(reverse("advisors:account")).text


def test_with_totp_the_password_alone_does_not_sign_in(client, advisor, device):
    response = sign_in(client, next=reverse("advisors:account"))
    assert response.url.startswith(reverse("advisors:verify"))
    assert signed_in_user_id(client) is None
    assert client.get(reverse("advisors:account")).status_code == 302

    verified = client.post(response.url, {"code": code_for(device)})
    assert verified.url == reverse("advisors:account")
    assert signed_in_user_id(client) == str(advisor.pk)
    assert client.get(reverse("advisors:account")).status_code == 200


def test_a_code_works_once(client, advisor, device):
    code = code_for(device)
    client.post(sign_in(client).url, {"code": code})
    client.post(reverse("advisors:logout"))
    again = client.post(sign_in(client).url, {"code": code})
    assert again.status_code == 200
    assert signed_in_user_id(client) is None


def test_wrong_codes_lock_out_like_wrong_passwords(client, advisor, device):
    step = sign_in(client).url
    responses = [client.post(step, {"code": "123456"}) for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 429]
    assert client.post(step, {"code": code_for(device)}).status_code == 429
    assert signed_in_user_id(client) is None


def test_the_second_step_needs_the_password_first(client, advisor, device):
    response = client.get(reverse("advisors:verify"))
    assert response.url == reverse("advisors:login")


def test_the_code_must_follow_the_password_within_minutes(client, advisor, device):
    step = sign_in(client).url
    session = client.session
    session[PENDING]["at"] -= PENDING_MAX_AGE + 1
    session.save()
    response = client.post(step, {"code": code_for(device)})
    assert response.url.startswith(reverse("advisors:login"))
    assert signed_in_user_id(client) is None


def test_a_password_only_session_is_not_enough_once_totp_is_on(client, advisor, device):
    client.force_login(advisor)  # as the admin's sign-in page would
    response = client.get(reverse("advisors:account"))
    assert response.url.startswith(reverse("advisors:login"))


def signed_in_with_totp(client, device):
    client.post(sign_in(client).url, {"code": code_for(device)})


def test_disabling_totp_needs_a_current_code(client, advisor, device):
    signed_in_with_totp(client, device)
    url = reverse("advisors:totp_disable")
    wrong = client.post(url, {"code": "111111"})
    assert wrong.status_code == 200 and "pas le bon" in wrong.text
    assert TOTPDevice.objects.filter(user=advisor).exists()
    ok = client.post(url, {"code": code_for(device, steps_ahead=1)})
    assert ok.url == reverse("advisors:account")
    assert not TOTPDevice.objects.filter(user=advisor).exists()


@pytest.mark.parametrize(
    "code", ["", "abcdef", "12345", "1234567", "١٢٣٤٥٦", "x" * 5000]
)
def test_malformed_codes_get_a_message(client, advisor, device, code):
    response = client.post(sign_in(client).url, {"code": code})
    assert response.status_code == 200
    assert 'class="error"' in response.text


# API tokens on the account page


def test_a_token_is_shown_once_and_stored_hashed(client, advisor):
    client.force_login(advisor)
    response = client.post(reverse("advisors:token_create"), {"name": "CRM"})
    key = re.search(r'id="new-key"[^>]*value="([^"]+)"', response.text).group(1)
    token = ApiToken.objects.get(user=advisor)
    assert token.digest == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(ApiToken.objects.values().get())
    assert key not in client.get(reverse("advisors:account")).text


def test_revoking_a_token_ends_it(client, advisor):
    client.force_login(advisor)
    token, key = ApiToken.issue(advisor, "script")
    response = client.post(reverse("advisors:token_revoke", args=[token.pk]))
    assert response.url == reverse("advisors:account")
    assert not ApiToken.objects.exists()
    with pytest.raises(AuthenticationFailed):
        authenticate_header(f"Token {key}")


def test_nobody_revokes_another_members_token(client, advisor, organisation):
    other = get_user_model().objects.create_user("marc", password=PASSWORD)
    Membership.objects.create(user=other, organisation=organisation)
    token, _ = ApiToken.issue(other, "script")
    client.force_login(advisor)
    for pk in [token.pk, 2**70]:
        url = reverse("advisors:token_revoke", args=[pk])
        assert client.post(url).status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


@pytest.mark.parametrize("name", ["", "x" * 101])
def test_a_token_needs_a_sensible_name(client, advisor, name):
    client.force_login(advisor)
    response = client.post(reverse("advisors:token_create"), {"name": name})
    assert response.status_code == 200
    assert 'class="error"' in response.text
    assert not ApiToken.objects.exists()


# Token authentication


def authenticate_header(value):
    request = APIRequestFactory().get("/", HTTP_AUTHORIZATION=value)
    return AdvisorTokenAuthentication().authenticate(request)


def test_a_token_authenticates_its_user_and_records_the_use(advisor):
    token, key = ApiToken.issue(advisor, "CRM")
    user, auth = authenticate_header(f"Token {key}")
    assert (user, auth) == (advisor, token)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_token_counts_as_verified_for_a_member_with_totp(advisor, device):
    _, key = ApiToken.issue(advisor, "CRM")
    request = APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Token {key}")
    drf_request = Request(request, authenticators=[AdvisorTokenAuthentication()])
    assert drf_request.user == advisor
    assert is_verified(drf_request)


def test_another_scheme_is_left_to_other_authenticators(advisor):
    assert authenticate_header("Bearer abc") is None


def test_a_diagnostics_token_is_left_to_other_authenticators(advisor):
    assert authenticate_header("Token AbC-d_9" + "x" * 36) is None


@pytest.mark.parametrize(
    "header", ["Token", "Token a b", "Token caillou.inconnu", "Token caillou.é"]
)
def test_a_bad_token_is_refused(advisor, header):
    with pytest.raises(AuthenticationFailed):
        authenticate_header(header)


def test_an_inactive_members_token_is_refused(advisor):
    _, key = ApiToken.issue(advisor, "CRM")
    advisor.is_active = False
    advisor.save()
    with pytest.raises(AuthenticationFailed):
        authenticate_header(f"Token {key}")


# The token endpoint


def obtain(client, **data):
    return client.post(reverse("advisor_token"), data, content_type="application/json")


def test_credentials_give_a_token_that_works_and_can_be_revoked(client, advisor):
    response = obtain(client, username="claire", password=PASSWORD, name="CRM")
    assert response.status_code == 201
    key = response.json()["token"]
    assert ApiToken.objects.get().name == "CRM"
    header = {"HTTP_AUTHORIZATION": f"Token {key}"}
    assert client.delete(reverse("advisor_token"), **header).status_code == 204
    assert not ApiToken.objects.exists()
    assert client.delete(reverse("advisor_token"), **header).status_code == 401


def test_the_token_endpoint_refuses_wrong_credentials(client, advisor):
    response = obtain(client, username="claire", password="pas-le-bon")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"
    assert not ApiToken.objects.exists()


def test_the_token_endpoint_locks_out_with_json(client, advisor):
    for _ in range(2):
        obtain(client, username="claire", password="pas-le-bon")
    response = obtain(client, username="claire", password="pas-le-bon")
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
    assert response.json()["retry_after"] == 15 * 60
    assert response["Retry-After"] == str(15 * 60)
    assert obtain(client, username="claire", password=PASSWORD).status_code == 429


def test_the_token_endpoint_asks_for_the_totp_code(client, advisor, device):
    data = {"username": "claire", "password": PASSWORD}
    assert obtain(client, **data).json()["code"] == "otp_required"
    wrong = obtain(client, **data, otp_code="000000")
    assert wrong.status_code == 401 and wrong.json()["code"] == "otp_invalid"
    assert obtain(client, **data, otp_code=code_for(device)).status_code == 201


def test_the_token_endpoint_is_for_members_only(client):
    get_user_model().objects.create_user("paul", password=PASSWORD)
    response = obtain(client, username="paul", password=PASSWORD)
    assert response.status_code == 403
    assert response.json()["code"] == "not_a_member"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"username": "claire"},
        {"username": ["claire"], "password": PASSWORD},
        {"username": "claire", "password": PASSWORD, "name": "x" * 101},
        {"username": "c" * 151, "password": PASSWORD},
    ],
)
def test_the_token_endpoint_explains_bad_input(client, advisor, body):
    response = obtain(client, **body)
    assert response.status_code == 400
    assert response.json()["errors"]


def test_the_token_endpoint_refuses_what_is_not_json(client, advisor):
    url = reverse("advisor_token")
    garbled = client.post(url, "{nope", content_type="application/json")
    assert garbled.status_code == 400
    form = client.post(url, {"username": "claire", "password": PASSWORD})
    assert form.status_code == 415


def test_the_schema_documents_the_token_scheme(client):
    schema = client.get(reverse("schema"), {"format": "json"}).json()
    assert "advisorToken" in schema["components"]["securitySchemes"]
    operation = schema["paths"]["/api/v1/advisor/token/"]
    assert not operation["post"].get("security")
    assert {"advisorToken": []} in operation["delete"]["security"]


# Staff and commands


def test_staff_see_the_advisor_records_in_the_admin(client, advisor):
    staff = get_user_model().objects.create_superuser("admin", "a@example.org", "x")
    client.force_login(staff)
    for model in [Organisation, Membership, Case, AccessLog, ApiToken]:
        name = model._meta.model_name
        assert (
            client.get(reverse(f"admin:advisors_{name}_changelist")).status_code == 200
        )
    assert client.get(reverse("admin:advisors_accesslog_add")).status_code == 403
    page = client.get(reverse("admin:advisors_organisation_add"))
    assert "selectfilter" in page.text.lower()
    token, _ = ApiToken.issue(advisor, "CRM")
    page = client.get(reverse("admin:advisors_apitoken_change", args=[token.pk]))
    assert page.status_code == 200 and token.digest not in page.text


def test_create_advisor_adds_a_member_without_a_password(organisation):
    call_command(
        "create_advisor", "marc", "marc@example.org", "cci-test", "--role", "admin"
    )
    member = Membership.objects.get(user__username="marc")
    assert member.organisation == organisation and member.is_admin
    assert not member.user.has_usable_password()


def test_create_advisor_checks_the_password(organisation):
    with pytest.raises(CommandError, match="court|short"):
        call_command(
            "create_advisor", "marc", "m@example.org", "cci-test", "--password", "a1"
        )
    call_command(
        "create_advisor", "marc", "m@example.org", "cci-test", "--password", PASSWORD
    )
    assert get_user_model().objects.get(username="marc").check_password(PASSWORD)


@pytest.mark.parametrize(
    "args",
    [
        ["marc", "marc@example.org", "nowhere"],
        ["marc", "pas-une-adresse", "cci-test"],
        ["claire", "claire@example.org", "cci-test"],
    ],
)
def test_create_advisor_refuses_bad_input(advisor, args):
    with pytest.raises(CommandError):
        call_command("create_advisor", *args)


def test_demo_accounts_include_two_organisations_with_members(settings):
    settings.DEBUG = True
    occitanie = Region.objects.create(code="76", name="Occitanie")
    Department.objects.create(code="31", name="Haute-Garonne", region=occitanie)
    out = io.StringIO()
    call_command("ensure_demo_accounts", stdout=out)
    call_command("ensure_demo_accounts", stdout=out)  # twice: idempotent
    for slug in ["cci-occitanie", "cyber-occ"]:
        org = Organisation.objects.get(slug=slug)
        assert list(org.departments.values_list("code", flat=True)) == ["31"]
        roles = sorted(org.members.values_list("role", flat=True))
        assert roles == ["admin", "advisor"]
    user = get_user_model().objects.get(username="demo-cci-conseiller")
    assert user.check_password("caillou-demo-2026")
    assert "demo-cyberocc-admin / caillou-demo-2026" in out.getvalue()


def test_a_zero_cool_off_is_refused_at_start_up():
    from tests.test_settings import run_manage

    result = run_manage("check", env={"AXES_COOLOFF_MINUTES": "0"})
    assert result.returncode != 0
    assert "AXES_COOLOFF_MINUTES must be at least 1" in result.stderr
