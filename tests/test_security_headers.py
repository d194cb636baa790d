"""Every route answers with the security headers and safe cookies.

The walk covers the whole URL configuration, so routes added later are checked
too: a route whose URL arguments cannot be filled from the objects below fails
the test and names itself, rather than being skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as AxesAccessLog
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from django.utils.regex_helper import normalize
from django_otp.plugins.otp_totp.models import TOTPDevice

from advisors import campaigns, cases
from advisors.models import ApiToken, Membership, Organisation
from assessment import followup
from assessment.access import SESSION_KEY
from assessment.answering import start_assessment
from assessment.questionnaire import spec_for
from catalog.models import Programme, Provider, UseCase
from pulse import survey as pulse
from reports.models import Report
from tests.assessment import personas
from tests.reports.personas import submitted_assessment

pytestmark = pytest.mark.django_db

PRODUCTION = {
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "LANGUAGE_COOKIE_SECURE": True,
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
}
# Routes whose job is to refuse a bare request. Any other route answers GET
# with 2xx or 3xx, or (POST-only) an empty POST with anything but 404 or 5xx.
EXPECTED_STATUS = {
    "config.views.not_found": {404},  # unknown addresses under the API
    "django.contrib.admin.sites.catch_all_view": {404},
    "admin:autocomplete": {403},  # needs the field being completed
    "admin:reports_report_add": {403},  # plans are made by the worker
    # Shares come from owners, logs from use, tokens from the account page.
    "admin:advisors_case_add": {403},
    "admin:advisors_accesslog_add": {403},
    "admin:advisors_accesslog_delete": {403},
    "admin:advisors_apitoken_add": {403},
    "admin:advisors_campaign_add": {403},  # made with its link by an organisation
    # The walk closes the campaign (an empty POST) before it reaches its link.
    "campaigns:start": {200, 410},
    "admin:axes_accessattempt_add": {403},
    "admin:axes_accesslog_add": {403},
    "admin:axes_accessfailurelog_add": {403},
    "healthz": {200, 503},  # 503 without Redis (plain pytest)
    # Development only: serves the MEDIA_ROOT of start-up, not this test's.
    "django.views.static.serve": {404},
}


@dataclass(frozen=True)
class Route:
    regex: str  # the full regular expression, from the root
    pattern: URLPattern
    namespace: str
    converters: dict

    @property
    def key(self) -> str:
        """namespace:name, or the view's dotted path for an unnamed route."""
        if self.pattern.name:
            return f"{self.namespace}:{self.pattern.name}".lstrip(":")
        view = self.pattern.callback
        view = getattr(view, "view_class", view)  # DRF's api_view keeps the name
        return f"{view.__module__}.{view.__name__}"


def walk(resolver: URLResolver, prefix="", namespace="", converters=None):
    converters = converters or {}
    for entry in resolver.url_patterns:
        regex = prefix + entry.pattern.regex.pattern.removeprefix("^")
        found = {**converters, **entry.pattern.converters}
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            yield from walk(entry, regex, inner, found)
        else:
            yield Route(regex, entry, namespace, found)


ROUTES = list(walk(get_resolver()))


@pytest.fixture
def objects(settings, tmp_path, seeded):
    """One of everything a URL can name: diagnostics, a report, catalogue rows."""
    settings.MEDIA_ROOT = tmp_path
    submitted, token = submitted_assessment(personas.ACCOUNTING_FIRM, "Cabinet Durand")
    draft, _token = start_assessment(profile=submitted.profile())
    report = Report.objects.create(
        assessment=submitted, version=1, status=Report.Status.READY, page_count=2
    )
    report.file.save("plan.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    admin = User.objects.create_superuser("admin", "admin@example.fr", "pw")
    Group.objects.create(name="Conseillers")
    # The staff member also advises for an organisation the diagnostic is shared with.
    organisation = Organisation.objects.create(name="CCI Occitanie", slug="cci")
    Membership.objects.create(
        user=admin, organisation=organisation, role=Membership.Role.ADMIN
    )
    cases.record_access(cases.share(submitted, organisation), admin)
    ApiToken.issue(admin, "CRM")
    # What sign-in throttling and the second factor keep, for their admin pages.
    attempt = {"username": "x", "ip_address": "127.0.0.1", "user_agent": "t",
               "http_accept": "*/*", "path_info": "/conseil/connexion/"}  # fmt: skip
    AccessAttempt.objects.create(**attempt, get_data="", post_data="",
                                 failures_since_start=1)  # fmt: skip
    AxesAccessLog.objects.create(**attempt)
    AccessFailureLog.objects.create(**attempt)
    TOTPDevice.objects.create(user=admin, name="TOTP", confirmed=False)
    campaign = campaigns.create(
        organisation, admin, name="Atelier", starts_on=date.today(),
        ends_on=date.today(),
    )  # fmt: skip
    return {
        "campaign": campaign,
        "organisation": organisation,
        "submitted": submitted,
        "token": token,
        "draft": draft,
        "report": report,
        "admin": admin,
        "section": spec_for(draft.questionnaire).sections[0].code,
        "use_case": UseCase.objects.first(),
    }


def route_kwargs(objects) -> dict[str, dict]:
    """URL arguments by route, then by namespace: what each `pk` means there."""
    submitted, draft, report = objects["submitted"], objects["draft"], objects["report"]
    use_case = objects["use_case"]
    steps = {"pk": draft.pk, "section": objects["section"]}

    # Empty POSTs withdraw shares, take advice back and renew links as the walk
    # goes: these values are made again for each route that asks for them.
    def case():
        return cases.share(submitted, objects["organisation"]).pk

    def advice():
        return cases.add_advice(cases.share(submitted, objects["organisation"]),
                                objects["admin"], "Un conseil").pk  # fmt: skip

    def device():
        return TOTPDevice.objects.get_or_create(
            user=objects["admin"], name="TOTP", defaults={"confirmed": False}
        )[0].pk

    def pulse_token():
        return pulse.invite(submitted)[1]

    def action():  # a key of the submitted diagnostic's plan
        return followup.tracked(submitted)[0].key

    advising = {"pk": case, "report_pk": report.pk, "adjustment_id": advice}
    campaign = {"pk": objects["campaign"].pk}
    campaign_routes = {
        f"{namespace}:{name}": campaign
        for namespace, names in (
            ("advisors", ("campaign", "campaign_figures", "campaign_csv",
                          "campaign_poster", "campaign_qr", "campaign_close")),
            ("advisors_api", ("campaign", "campaign_close")),
        )
        for name in names
    }  # fmt: skip
    return {
        **campaign_routes,
        "campaigns": {"code": objects["campaign"].code},
        "sharing": {"pk": submitted.pk, "case_pk": case},
        "advisors": advising,
        "advisors_api": advising,
        "advisors:member_role": {"pk": objects["admin"].membership.pk},
        "advisors:member_remove": {"pk": objects["admin"].membership.pk},
        "advisors_api:shares": {"pk": submitted.pk},
        "advisors_api:share": {"pk": submitted.pk, "case_pk": case},
        "admin:otp_totp_totpdevice_config": {"pk": device},
        "admin:otp_totp_totpdevice_qrcode": {"pk": device},
        # A reset link that is not valid: the page says so.
        "advisors:password_reset_confirm": {"uidb64": "MQ", "token": "x-y"},
        "advisors:token_revoke": {
            "pk": lambda: ApiToken.issue(objects["admin"], "CRM")[0].pk
        },
        "privacy": {"pk": submitted.pk},
        "privacy_api": {"pk": submitted.pk},
        "pulse": {"pk": submitted.pk, "token": pulse_token},
        "pulse_api": {"pk": submitted.pk, "token": pulse_token},
        "assessment:profile": {"pk": draft.pk},
        "assessment:step": steps,
        "assessment:step_fields": steps,
        "assessment:stone_reading": {"pk": draft.pk, "section": "stone"},
        "reports_api:list": {"pk": submitted.pk},
        "catalog:use_case_detail": {"slug": use_case.slug},
        "catalog:programme_detail": {"slug": Programme.objects.first().slug},
        "catalog:provider_detail": {"slug": Provider.objects.first().slug},
        "admin:view_on_site": {
            "content_type_id": ContentType.objects.get_for_model(UseCase).pk,
            "object_id": use_case.pk,
        },
        "admin:auth_user_password_change": {"id": objects["admin"].pk},
        "django.views.static.serve": {"path": report.file.name},
        "assessment": {"pk": submitted.pk, "token": objects["token"], "action": action},
        "assessment_api": {"pk": submitted.pk, "action": action},
        # The e-mail's signed link that stops the reminders.
        "assessment:unsubscribe": {
            "token": lambda: followup.unsubscribe_token(followup.ensure(submitted))
        },
        "reports": {"pk": report.pk, "assessment_id": submitted.pk},
        "reports_api": {"pk": report.pk},
        "admin": {"app_label": "catalog"},
        # Any route: an unknown address for catch-alls, JSON for DRF's suffixes.
        "": {"path": "nowhere/", "url": "nowhere/", "format": "json"},
    }


def fill(route: Route, name: str, objects) -> object:
    known = route_kwargs(objects)
    for scope in (route.key, route.namespace, ""):
        if name in known.get(scope, {}):
            value = known[scope][name]
            return value() if callable(value) else value
    view = route.pattern.callback
    model_admin = getattr(view, "model_admin", None)
    if model_admin is not None and name in ("object_id", "id"):
        return _first(model_admin.model, route).pk
    view_class = getattr(view, "cls", None)  # DRF viewsets: their lookup field
    if view_class is not None and name == getattr(view_class, "lookup_field", ""):
        return getattr(_first(view_class.queryset.model, route), name)
    pytest.fail(f"no value for <{name}> in {route.key} ({route.regex}): add one")


def _first(model, route):
    found = model.objects.first()
    if found is None:
        pytest.fail(f"{route.key} needs a {model.__name__}: create one in `objects`")
    return found


def url_for(route: Route, objects) -> str:
    template, names = normalize(route.regex)[0]
    values = {}
    for name in names:
        value = fill(route, name, objects)
        converter = route.converters.get(name)
        values[name] = converter.to_url(value) if converter else str(value)
    return "/" + template % values


def client_for(objects) -> Client:
    """A staff member's browser that also holds both diagnostics."""
    client = Client(HTTP_ACCEPT="text/html,*/*")
    client.force_login(objects["admin"])
    session = client.session
    session[SESSION_KEY] = [objects["submitted"].pk, objects["draft"].pk]
    session.save()
    return client


def fetch(route: Route, objects):
    """GET the route, or POST it empty where GET is not allowed; the statuses."""
    url = url_for(route, objects)
    response = client_for(objects).get(url, secure=True)
    expected = EXPECTED_STATUS.get(route.key, range(200, 400))
    if response.status_code == 405:
        # JSON: the API parses nothing else, and forms read it as empty.
        response = client_for(objects).post(
            url, "{}", content_type="application/json", secure=True
        )
        expected = EXPECTED_STATUS.get(route.key, set(range(200, 500)) - {404})
    return url, response, expected


def security_problems(response, url: str) -> list[str]:
    problems = []
    expected = {
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
        "X-Content-Type-Options": "nosniff",
        "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
    }
    for header, value in expected.items():
        if response.headers.get(header) != value:
            problems.append(f"{header}: {response.headers.get(header)!r}")
    problems += csp_problems(response.headers.get("Content-Security-Policy", ""), url)
    for cookie in response.cookies.values():
        deleted = cookie["max-age"] == 0
        if not deleted and not (cookie["secure"] and cookie["httponly"]):
            problems.append(f"cookie {cookie.key} is not Secure and HttpOnly")
    return problems


def csp_problems(header: str, url: str) -> list[str]:
    policy = dict(
        (part.split(" ", 1) + [""])[:2] for part in header.split("; ") if part
    )
    if not header:
        return ["no Content-Security-Policy"]
    problems = []
    if policy.get("script-src") != "'self'":
        problems.append(f"script-src {policy.get('script-src')!r}")
    if policy.get("frame-ancestors") != "'none'":
        problems.append(f"frame-ancestors {policy.get('frame-ancestors')!r}")
    styles = "'self' 'unsafe-inline'" if url == "/api/docs/" else "'self'"
    if policy.get("style-src") != styles:
        problems.append(f"style-src {policy.get('style-src')!r}")
    return problems


def test_every_route_answers_with_the_security_headers(settings, objects):
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)
    failures, html_pages = [], 0
    for route in ROUTES:
        url, response, expected = fetch(route, objects)
        if response.status_code not in expected:
            failures.append(f"{route.key} {url}: status {response.status_code}")
        problems = security_problems(response, url)
        if problems:
            failures.append(f"{route.key} {url}: " + ", ".join(problems))
        html_pages += response.get("Content-Type", "").startswith("text/html")
    assert not failures, "\n".join(failures)
    assert html_pages > 50  # the walk reached the site and the admin


def test_the_walk_finds_the_routes_of_every_part_of_the_site():
    keys = {route.key for route in ROUTES}
    for expected in ("home", "assessment:step", "reports:download", "admin:index",
                     "catalog:use_case_detail", "api_docs", "assessment_api:create"):  # fmt: skip
        assert expected in keys


def test_a_route_that_cannot_be_filled_fails_by_name(objects):
    pattern = URLPattern(RoutePattern("cases/<int:case_id>/"), print, name="case")
    route = Route(
        "advisors/" + pattern.pattern.regex.pattern[1:], pattern, "advisors", {}
    )
    with pytest.raises(pytest.fail.Exception, match=r"<case_id> in advisors:case"):
        url_for(route, objects)


def test_production_uses_the_settings_this_walk_assumes():
    from .test_settings import PRODUCTION as ENV
    from .test_settings import run_manage

    names = [*PRODUCTION, "CSRF_COOKIE_HTTPONLY", "LANGUAGE_COOKIE_HTTPONLY"]
    script = "from django.conf import settings as s; " + "; ".join(
        f"print('{name}', s.{name})" for name in names
    )
    script += "; print('cache', s.CACHES['default']['BACKEND'])"
    env = ENV | {"SECRET_KEY": "k" * 50}
    result = run_manage("shell", "-c", script, env=env)
    assert result.returncode == 0, result.stderr
    lines = [line.split(" ", 1) for line in result.stdout.splitlines()]
    shown = dict(line for line in lines if len(line) == 2)
    for name, value in PRODUCTION.items():
        assert shown[name] == str(value), name
    assert shown["CSRF_COOKIE_HTTPONLY"] == shown["LANGUAGE_COOKIE_HTTPONLY"] == "True"
    assert shown["cache"] == "django.core.cache.backends.redis.RedisCache"
