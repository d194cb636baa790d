"""Who may open what: every route of the URL configuration × every role.

The routes are read from the URL configuration, so a new route that is not
classified here fails `test_every_route_is_in_the_matrix`. What one may not
see answers 404 (a signed-out visitor of the advisor pages is sent to sign in).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.admin import site as admin_site
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from advisors import campaigns, cases
from advisors.models import Membership
from assessment import followup
from reports.models import Report

from .test_workflow import world  # noqa: F401  (the shared fixture)

ROLES = (
    "anonymous", "owner_a", "owner_b", "advisor_1", "advisor_2", "org_admin_1", "staff",
)  # fmt: skip


def route_names(patterns=None, namespace=""):
    """Every named route of the URL configuration, with its namespace."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = (
                f"{namespace}:{p.namespace}"
                if p.namespace and namespace
                else (p.namespace or namespace)
            )
            yield from route_names(p.url_patterns, inner)
        elif isinstance(p, URLPattern):
            name = p.name or f"<unnamed {p.pattern}>"
            yield f"{namespace}:{name}" if namespace else name


@dataclass(frozen=True)
class Rule:
    """Who gets in: `allowed` roles; the others get 404 (or sign-in if `login`)."""

    allowed: tuple[str, ...]
    method: str = "get"
    login: str = ""  # where a signed-out visitor is sent instead of a 404
    order: int = 0  # > 0: changes what later checks see, so run later


OWNER_A = Rule(("owner_a",))
MEMBERS_1 = ("advisor_1", "org_admin_1")
MEMBERS = ("advisor_1", "advisor_2", "org_admin_1")
SIGN_IN = "/conseil/connexion/"
SIGNED_OUT = ("anonymous", "owner_a", "owner_b")  # owners have no account
ADVISOR_PAGE = Rule(MEMBERS_1, login=SIGN_IN)
ADVISOR_API = Rule(MEMBERS_1)
EVERYONE = Rule(ROLES)

# Route name → (rule, kwargs builder). Kwargs always point at diagnostic A and
# the case it shared with organisation 1.
MATRIX = {
    # Owner pages of diagnostic A.
    "assessment:link": (OWNER_A, lambda w: {"pk": w.a.pk}),
    "assessment:email_link": (
        Rule(("owner_a",), method="post"),
        lambda w: {"pk": w.a.pk},
    ),
    "assessment:new_link": (
        Rule(("owner_a",), method="post", order=2),  # a new token: the very last
        lambda w: {"pk": w.a.pk},
    ),
    "assessment:profile": (OWNER_A, lambda w: {"pk": w.a.pk}),
    "assessment:step": (OWNER_A, lambda w: {"pk": w.a.pk, "section": w.section}),
    "assessment:step_fields": (
        Rule(("owner_a",), "post"),
        lambda w: {"pk": w.a.pk, "section": w.section},
    ),
    "assessment:stone_reading": (
        Rule(("owner_a",), "post"),
        lambda w: {"pk": w.a.pk, "section": "stone"},  # the step that reads
    ),
    "assessment:result": (OWNER_A, lambda w: {"pk": w.a.pk}),
    "assessment:hourly_cost": (Rule(("owner_a",), "post"), lambda w: {"pk": w.a.pk}),
    "assessment:retake": (Rule(("owner_a",), "post"), lambda w: {"pk": w.a.pk}),
    "assessment:followup": (OWNER_A, lambda w: {"pk": w.a.pk}),
    "assessment:tick": (
        Rule(("owner_a",), "post"),
        lambda w: {"pk": w.a.pk, "action": followup.tracked(w.a)[0].key},
    ),
    "assessment:reminders": (Rule(("owner_a",), "post"), lambda w: {"pk": w.a.pk}),
    # The e-mail's signed link stops the reminders without signing in.
    "assessment:unsubscribe": (
        EVERYONE,
        lambda w: {"token": followup.unsubscribe_token(followup.ensure(w.a))},
    ),
    "reports:list": (OWNER_A, lambda w: {"assessment_id": w.a.pk}),
    "reports:request": (
        Rule(("owner_a",), "post"),
        lambda w: {"assessment_id": w.a.pk},
    ),
    "reports:status": (OWNER_A, lambda w: {"assessment_id": w.a.pk, "pk": w.report.pk}),
    "reports:download": (
        OWNER_A,
        lambda w: {"assessment_id": w.a.pk, "pk": w.report.pk},
    ),
    "reports:retry": (
        Rule(("owner_a",), "post"),
        lambda w: {"assessment_id": w.a.pk, "pk": w.report.pk},
    ),
    "sharing:share": (OWNER_A, lambda w: {"pk": w.a.pk}),
    "sharing:withdraw": (
        Rule(("owner_a",), "post", order=1),
        lambda w: {"pk": w.a.pk, "case_pk": cases.share(w.a, w.occitanie).pk},
    ),
    # Owner API of diagnostic A (its token).
    "assessment_api:detail": (OWNER_A, lambda w: {"pk": w.a.pk}),
    "assessment_api:answers": (OWNER_A, lambda w: {"pk": w.a.pk}),
    "assessment_api:submit": (Rule(("owner_a",), "post"), lambda w: {"pk": w.a.pk}),
    "assessment_api:result": (OWNER_A, lambda w: {"pk": w.a.pk}),
    "assessment_api:reassess": (Rule(("owner_a",), "post"), lambda w: {"pk": w.a.pk}),
    "assessment_api:actions": (OWNER_A, lambda w: {"pk": w.a.pk}),
    "assessment_api:action": (
        Rule(("owner_a",), "put"),
        lambda w: {"pk": w.a.pk, "action": followup.tracked(w.a)[0].key},
    ),
    "reports_api:list": (OWNER_A, lambda w: {"pk": w.a.pk}),
    "reports_api:detail": (OWNER_A, lambda w: {"pk": w.report.pk}),
    "reports_api:pdf": (OWNER_A, lambda w: {"pk": w.report.pk}),
    "reports_api:retry": (Rule(("owner_a",), "post"), lambda w: {"pk": w.report.pk}),
    "advisors_api:shares": (OWNER_A, lambda w: {"pk": w.a.pk}),
    "advisors_api:share": (
        Rule(("owner_a",), "delete", order=1),
        lambda w: {"pk": w.a.pk, "case_pk": cases.share(w.a, w.occitanie).pk},
    ),
    "privacy:download": (OWNER_A, lambda w: {"pk": w.a.pk}),
    "privacy:erase": (OWNER_A, lambda w: {"pk": w.a.pk}),
    "privacy_api:data": (OWNER_A, lambda w: {"pk": w.a.pk}),
    "pulse:owner": (OWNER_A, lambda w: {"pk": w.a.pk}),
    "pulse_api:detail": (OWNER_A, lambda w: {"pk": w.a.pk}),
    # A new pulse link: after the checks that use the current one.
    "pulse:invite": (
        Rule(("owner_a",), "post", order=1),
        lambda w: {"pk": w.a.pk},
    ),
    "pulse:close": (
        Rule(("owner_a",), "post", order=1),
        lambda w: {"pk": w.a.pk},
    ),
    "pulse_api:close": (
        Rule(("owner_a",), "post", order=1),
        lambda w: {"pk": w.a.pk},
    ),
    # The employees' shared link: whoever holds it answers, anonymously.
    "pulse:answer": (EVERYONE, lambda w: {"token": w.pulse_token}),
    "pulse_api:form": (EVERYONE, lambda w: {"token": w.pulse_token}),
    "pulse_api:answer": (
        Rule(ROLES, "post"),
        lambda w: {"token": w.pulse_token},
    ),
    # Advisor pages of organisation 1's case.
    "advisors:queue": (Rule(MEMBERS, login=SIGN_IN), lambda w: {}),
    "advisors:case": (ADVISOR_PAGE, lambda w: {"pk": w.case.pk}),
    "advisors:add_note": (
        Rule(MEMBERS_1, "post", SIGN_IN),
        lambda w: {"pk": w.case.pk},
    ),
    "advisors:change_status": (
        Rule(MEMBERS_1, "post", SIGN_IN),
        lambda w: {"pk": w.case.pk},
    ),
    "advisors:assign": (
        Rule(MEMBERS_1, "post", SIGN_IN),
        lambda w: {"pk": w.case.pk},
    ),
    "advisors:hide": (
        Rule(MEMBERS_1, "post", SIGN_IN),
        lambda w: {"pk": w.case.pk},
    ),
    "advisors:add_item": (
        Rule(MEMBERS_1, "post", SIGN_IN),
        lambda w: {"pk": w.case.pk},
    ),
    "advisors:add_advice": (
        Rule(MEMBERS_1, "post", SIGN_IN),
        lambda w: {"pk": w.case.pk},
    ),
    "advisors:remove_adjustment": (
        Rule(MEMBERS_1, "post", SIGN_IN),
        lambda w: {"pk": w.case.pk, "adjustment_id": w.fresh_adjustment()},
    ),
    "advisors:regenerate": (
        Rule(MEMBERS_1, "post", SIGN_IN),
        lambda w: {"pk": w.case.pk},
    ),
    "advisors:report_status": (
        ADVISOR_PAGE,
        lambda w: {"pk": w.case.pk, "report_pk": w.report.pk},
    ),
    "advisors:retry_report": (
        Rule(MEMBERS_1, "post", SIGN_IN),
        lambda w: {"pk": w.case.pk, "report_pk": w.report.pk},
    ),
    "advisors:download": (
        ADVISOR_PAGE,
        lambda w: {"pk": w.case.pk, "report_pk": w.report.pk},
    ),
    # The organisation's members: its admins only. Their own membership, which
    # an empty POST leaves as it is (nobody removes themselves).
    "advisors:members": (Rule(("org_admin_1",), login=SIGN_IN), lambda w: {}),
    "advisors:member_role": (
        Rule(("org_admin_1",), "post", SIGN_IN),
        lambda w: {"pk": w.admin_membership.pk},
    ),
    "advisors:member_remove": (
        Rule(("org_admin_1",), "post", SIGN_IN),
        lambda w: {"pk": w.admin_membership.pk},
    ),
    # Advisor API.
    "advisors_api:cases": (Rule(MEMBERS), lambda w: {}),
    "advisors_api:case": (ADVISOR_API, lambda w: {"pk": w.case.pk}),
    "advisors_api:notes": (Rule(MEMBERS_1, "post"), lambda w: {"pk": w.case.pk}),
    "advisors_api:status": (Rule(MEMBERS_1, "post"), lambda w: {"pk": w.case.pk}),
    "advisors_api:assignee": (Rule(MEMBERS_1, "post"), lambda w: {"pk": w.case.pk}),
    "advisors_api:adjustments": (Rule(MEMBERS_1, "post"), lambda w: {"pk": w.case.pk}),
    "advisors_api:adjustment": (
        Rule(MEMBERS_1, "delete"),
        lambda w: {"pk": w.case.pk, "adjustment_id": w.fresh_adjustment()},
    ),
    "advisors_api:reports": (Rule(MEMBERS_1, "post"), lambda w: {"pk": w.case.pk}),
    "advisors_api:report": (
        ADVISOR_API,
        lambda w: {"pk": w.case.pk, "report_pk": w.report.pk},
    ),
    "advisors_api:report_pdf": (
        ADVISOR_API,
        lambda w: {"pk": w.case.pk, "report_pk": w.report.pk},
    ),
    # Statistics: every member, of their own organisation.
    "advisors:stats": (Rule(MEMBERS, login=SIGN_IN), lambda w: {}),
    "advisors:stats_csv": (Rule(MEMBERS, login=SIGN_IN), lambda w: {}),
    "advisors_api:stats": (Rule(MEMBERS), lambda w: {}),
    # Campaigns: every member reads their organisation's; its admins make and
    # close them. The public link: everyone.
    "advisors:campaigns": (Rule(MEMBERS, login=SIGN_IN), lambda w: {}),
    "advisors:campaign_new": (Rule(("org_admin_1",), login=SIGN_IN), lambda w: {}),
    "advisors:campaign": (ADVISOR_PAGE, lambda w: {"pk": w.campaign.pk}),
    "advisors:campaign_figures": (ADVISOR_PAGE, lambda w: {"pk": w.campaign.pk}),
    "advisors:campaign_csv": (ADVISOR_PAGE, lambda w: {"pk": w.campaign.pk}),
    "advisors:campaign_poster": (ADVISOR_PAGE, lambda w: {"pk": w.campaign.pk}),
    "advisors:campaign_qr": (ADVISOR_PAGE, lambda w: {"pk": w.campaign.pk}),
    "advisors:campaign_close": (
        Rule(("org_admin_1",), "post", SIGN_IN, order=1),
        lambda w: {"pk": w.campaign.pk},
    ),
    "advisors_api:campaigns": (Rule(MEMBERS), lambda w: {}),
    "advisors_api:campaign": (ADVISOR_API, lambda w: {"pk": w.campaign.pk}),
    "advisors_api:campaign_close": (
        Rule(("org_admin_1",), "post", order=1),
        lambda w: {"pk": w.campaign.pk},
    ),
    "campaigns:start": (EVERYONE, lambda w: {"code": w.campaign.code}),
    # Public pages and data: everyone.
    "advisors:login": (EVERYONE, lambda w: {}),
    "advisors:logout": (Rule(ROLES, "post", order=3), lambda w: {}),
    "advisors:verify": (EVERYONE, lambda w: {}),
    "advisors:password_reset": (EVERYONE, lambda w: {}),
    "advisors:password_reset_done": (EVERYONE, lambda w: {}),
    "advisors:password_reset_complete": (EVERYONE, lambda w: {}),
    # A member's own account: any organisation's member, nobody else.
    "advisors:account": (Rule(MEMBERS, login=SIGN_IN), lambda w: {}),
    "advisors:totp_start": (Rule(MEMBERS, "post", SIGN_IN), lambda w: {}),
    "advisors:totp_setup": (Rule(MEMBERS, login=SIGN_IN), lambda w: {}),
    "advisors:totp_disable": (Rule(MEMBERS, "post", SIGN_IN), lambda w: {}),
    "advisors:token_create": (Rule(MEMBERS, "post", SIGN_IN), lambda w: {}),
    # Signing in to the API: credentials in the body (empty here: 400).
    "advisor_token": (Rule(ROLES, "post"), lambda w: {}),
    "home": (EVERYONE, lambda w: {}),
    "accessibility": (EVERYONE, lambda w: {}),
    "privacy:policy": (EVERYONE, lambda w: {}),
    "privacy:erased": (EVERYONE, lambda w: {}),
    "pulse:thanks": (EVERYONE, lambda w: {}),
    "catalog:index": (EVERYONE, lambda w: {}),
    "catalog:use_case_list": (EVERYONE, lambda w: {}),
    "catalog:use_case_detail": (EVERYONE, lambda w: {"slug": w.slugs["use_case"]}),
    "catalog:programme_list": (EVERYONE, lambda w: {}),
    "catalog:programme_detail": (EVERYONE, lambda w: {"slug": w.slugs["programme"]}),
    "catalog:training_list": (EVERYONE, lambda w: {}),
    "catalog:provider_list": (EVERYONE, lambda w: {}),
    "catalog:provider_detail": (EVERYONE, lambda w: {"slug": w.slugs["provider"]}),
    "assessment:start": (EVERYONE, lambda w: {}),
    "assessment:preview": (EVERYONE, lambda w: {}),
    "assessment_api:questionnaire": (EVERYONE, lambda w: {}),
    "assessment_api:create": (Rule(ROLES, "post"), lambda w: {}),
    "assessment_api:stone_reading": (Rule(ROLES, "post"), lambda w: {}),
    "api-root": (EVERYONE, lambda w: {}),
    "schema": (EVERYONE, lambda w: {}),
    "api_docs": (EVERYONE, lambda w: {}),
    "set_language": (Rule(ROLES, "post"), lambda w: {}),
}
for _name, _lookup in (
    ("use-case", "use_case"), ("programme", "programme"), ("provider", "provider"),
    ("solution", "solution"), ("regional-example", "example"),
    ("key-figure", "figure"), ("stone-category", "stone"), ("sector", "sector"),
    ("department", "department"),
):  # fmt: skip
    MATRIX[f"{_name}-list"] = (EVERYONE, lambda w: {})
    key = "code" if _name == "department" else "slug"
    MATRIX[f"{_name}-detail"] = (
        EVERYONE, lambda w, _l=_lookup, _k=key: {_k: w.slugs[_l]},
    )  # fmt: skip

# Routes checked elsewhere, each with the reason.
ELSEWHERE = {
    "healthz": "operations probe, tests/test_health.py",
    "ping": "operations probe, tests/test_health.py",
    "assessment:resume": "the private link itself: whoever holds it is the owner",
    "<unnamed admin/login/>": "the admin's sign-in, rate limited: tests/test_security_limits.py",
    r"reports_api:<unnamed ^(?P<path>reports(?:/[\s\S]*)?)$>": "JSON 404 catch-all",
    r"advisors_api:<unnamed ^(?P<path>advisor(?:/[\s\S]*)?)$>": "JSON 404 catch-all",
    "advisors:token_revoke": (
        "one's own token only, tests/advisors/test_auth.py "
        "(test_nobody_revokes_another_members_token)"
    ),
    "advisors:password_reset_confirm": (
        "the e-mailed link itself, tests/advisors/test_auth.py"
    ),
    r"assessment_api:<unnamed ^(?P<path>(?:questionnaire|assessments|stone-reading)(?:/[\s\S]*)?)$>": (
        "JSON 404 catch-all"
    ),
    r"pulse_api:<unnamed ^(?P<path>pulse(?:/[\s\S]*)?)$>": "JSON 404 catch-all",
}


def test_every_route_is_in_the_matrix():
    names = {n for n in route_names() if not n.startswith("admin:")}
    missing = sorted(names - set(MATRIX) - set(ELSEWHERE))
    assert not missing, f"routes with no access rule: {missing}"
    stale = sorted((set(MATRIX) | set(ELSEWHERE)) - names)
    assert not stale, f"rules for routes that no longer exist: {stale}"


@pytest.fixture
def people(world, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    users = get_user_model().objects
    admin_1 = users.create_user("odile", first_name="Odile", last_name="Admin")
    Membership.objects.create(
        user=admin_1, organisation=world.occitanie, role=Membership.Role.ADMIN
    )
    world.admin_membership = admin_1.membership
    staff = users.create_user("sam", is_staff=True, is_superuser=True)
    today = date.today()
    world.campaign = campaigns.create(
        world.occitanie, admin_1, name="Atelier", starts_on=today, ends_on=today
    )
    world.campaign_b = campaigns.create(
        world.other, world.outsider, name="Salon", starts_on=today, ends_on=today
    )
    world.case = cases.share(world.a, world.occitanie)
    world.case_b = cases.share(world.b, world.other)
    world.fresh_adjustment = lambda: (
        cases.add_advice(
            cases.share(world.a, world.occitanie), world.advisor, "Un conseil"
        ).pk
    )
    report = Report.objects.create(assessment=world.a, version=1)
    report.file.save("plan.pdf", ContentFile(b"%PDF-1.7"), save=False)
    report.status = Report.Status.READY
    report.page_count, report.size = 1, 8
    report.save()
    world.report = report
    from pulse import survey as pulse

    world.pulse_token = pulse.invite(world.a)[1]
    world.section = world.a.questionnaire.sections.order_by("position").first().code
    from catalog.models import (
        Department,
        KeyFigure,
        Programme,
        Provider,
        RegionalExample,
        Sector,
        Solution,
        StoneCategory,
        UseCase,
    )  # fmt: skip

    world.slugs = {
        "use_case": UseCase.objects.first().slug,
        "programme": Programme.objects.first().slug,
        "provider": Provider.objects.first().slug,
        "solution": Solution.objects.first().slug,
        "example": RegionalExample.objects.first().slug,
        "figure": KeyFigure.objects.first().slug,
        "stone": StoneCategory.objects.first().slug,
        "sector": Sector.objects.first().slug,
        "department": Department.objects.first().code,
    }
    clients = {role: Client() for role in ROLES}
    clients["owner_a"].get(reverse("assessment:resume", args=[world.token_a]))
    clients["owner_b"].get(reverse("assessment:resume", args=[world.token_b]))
    clients["advisor_1"].force_login(world.advisor)
    clients["advisor_2"].force_login(world.outsider)
    clients["org_admin_1"].force_login(admin_1)
    clients["staff"].force_login(staff)
    tokens = {"owner_a": world.token_a, "owner_b": world.token_b}
    return world, clients, tokens


def call(client, method, url, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Token {token}"} if token else {}
    if url.startswith("/api/"):
        return getattr(client, method)(
            url, {}, content_type="application/json", **headers
        )
    return getattr(client, method)(url, **headers)


def test_permission_matrix(people, capsys):
    w, clients, tokens = people
    failures, checked = [], 0
    ordered = sorted(MATRIX.items(), key=lambda item: item[1][0].order)
    for name, (rule, kwargs) in ordered:
        # The roles that may not see it first: nothing they do may change it.
        for role in sorted(ROLES, key=lambda r: r in rule.allowed):
            url = reverse(name, kwargs=kwargs(w))
            api_token = tokens.get(role) if url.startswith("/api/") else None
            response = call(clients[role], rule.method, url, api_token)
            checked += 1
            got = response.status_code
            if role in rule.allowed:
                ok = got < 400 or (got in (400, 409) and rule.method != "get")
            elif role in SIGNED_OUT and rule.login:
                ok = got == 302 and response["Location"].startswith(rule.login)
            else:
                ok = got == 404
            if not ok:
                failures.append(f"{rule.method.upper()} {name} as {role}: {got}")
    with capsys.disabled():
        print(f"\npermission matrix: {len(MATRIX)} routes × {len(ROLES)} roles = "
              f"{checked} requests")  # fmt: skip
    assert not failures, "\n".join(failures)


def test_the_admin_is_for_staff_only(people):
    w, clients, _tokens = people
    urls = [reverse("admin:index")] + [
        reverse(f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist")
        for m in admin_site._registry
    ]
    for role, client in clients.items():
        for url in urls:
            got = client.get(url).status_code
            if role == "staff":
                assert got == 200, (url, got)
            else:
                assert got == 302, (role, url, got)


def test_cross_organisation_ids_answer_404_everywhere(people):
    """Organisation 1's advisor trying organisation 2's case by every route."""
    w, clients, _tokens = people
    b_report = Report.objects.create(assessment=w.b, version=1)
    adjustment = cases.add_advice(w.case_b, w.outsider, "Conseil breton")
    for name, (rule, kwargs) in MATRIX.items():
        if not (name.startswith("advisors:") or name.startswith("advisors_api:")):
            continue
        params = kwargs(w)
        if not params or name == "advisors_api:share" or name == "advisors_api:shares":
            continue
        params["pk"] = w.campaign_b.pk if "campaign" in name else w.case_b.pk
        if "report_pk" in params:
            params["report_pk"] = b_report.pk
        if "adjustment_id" in params:
            params["adjustment_id"] = adjustment.pk
        url = reverse(name, kwargs=params)
        got = call(clients["advisor_1"], rule.method, url).status_code
        assert got == 404, (name, got)
    assert w.case_b.adjustments.filter(pk=adjustment.pk).exists()
    w.campaign_b.refresh_from_db()
    assert not w.campaign_b.is_closed


def ready(report: Report) -> Report:
    report.file.save(report.filename, ContentFile(b"%PDF-1.7 advice"), save=False)
    report.status = Report.Status.READY
    report.save()
    return report


def test_a_diagnostic_shared_twice_shows_each_organisation_its_own_versions(people):
    """Organisation 2 shares diagnostic A too: neither sees the other's versions
    (they carry its advice), both see the owner's, the owner sees all."""
    w, clients, tokens = people
    case_2 = cases.share(w.a, w.other)
    cases.add_advice(w.case, w.advisor, "Conseil de la CCI Occitanie")
    made_by_1 = ready(cases.regenerate(w.case, w.advisor))
    made_by_2 = ready(cases.regenerate(case_2, w.outsider))
    owners = w.report
    assert made_by_1 != made_by_2  # organisation 2 is not handed 1's version
    for client, case, own, other in (
        (clients["advisor_2"], case_2, made_by_2, made_by_1),
        (clients["advisor_1"], w.case, made_by_1, made_by_2),
    ):
        page = client.get(reverse("advisors:case", args=[case.pk])).content.decode()
        api = client.get(reverse("advisors_api:case", args=[case.pk])).json()
        assert sorted(r["id"] for r in api["reports"]) == sorted([owners.pk, own.pk])
        for report in (owners, own):
            url = reverse("advisors:download", args=[case.pk, report.pk])
            assert url in page
            assert client.get(url).status_code == 200
        for name in ("advisors:download", "advisors:report_status"):
            url = reverse(name, args=[case.pk, other.pk])
            assert url not in page
            assert client.get(url).status_code == 404, name
        for name in ("advisors_api:report", "advisors_api:report_pdf"):
            url = reverse(name, args=[case.pk, other.pk])
            assert client.get(url).status_code == 404, name
    listed = (
        clients["owner_a"]
        .get(
            reverse("reports_api:list", args=[w.a.pk]),
            HTTP_AUTHORIZATION=f"Token {tokens['owner_a']}",
        )
        .json()
    )
    assert {r["id"] for r in listed} == {owners.pk, made_by_1.pk, made_by_2.pk}
