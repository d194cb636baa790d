"""Every HTML page of the site, found in the URL configuration, with what fills it.

The audit walks `get_resolver()`. A route without URL arguments is visited as it
is; a route with arguments needs a provider in PROVIDERS that returns the visits
to make (one per state worth auditing); a route that is not an HTML page is
excluded, by rule (EXCLUDED_PREFIXES) or by name (EXCLUDED) with a reason.
`test_every_html_route_is_audited_or_excluded` fails on any other route, so a new
page is audited or explicitly left out.

Adding pages (e.g. the advisor app): give `Fixtures` a cached property for each
object the pages need, register a provider under the route's name in PROVIDERS,
and name the visitor whose session opens the pages; for pages behind a login,
add a visitor to VISITORS:

    VISITORS["advisor"] = lambda f: logged_in(f.advisor)
    PROVIDERS["advisors:case"] = lambda f: [
        Visit("advisors:case", kwargs={"pk": f.shared_case.pk}, visitor="advisor")
    ]

A route without arguments is visited by "anonymous" unless PROVIDERS names it; a
visit that ends anywhere else (a redirect to a login page) fails the audit.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from advisors.accounts import pending_totp
from advisors.auth_views import PENDING
from assessment import access
from assessment.answering import save_answers, start_assessment, submit
from assessment.models import Assessment
from assessment.questionnaire import spec_for
from catalog.models import (
    Department,
    Programme,
    Provider,
    Sector,
    SizeBand,
    StoneCategory,
    UseCase,
)
from reports.models import Report
from tests.reports.personas import submitted_assessment

from ..assessment import personas


@dataclass(frozen=True)
class Route:
    name: str  # "assessment:step", or the pattern itself when the route has no name
    pattern: str  # "diagnostic/<int:pk>/etape/<slug:section>/"
    kwargs: tuple[str, ...]


@dataclass(frozen=True)
class Visit:
    """One page to audit: a route, its arguments, who opens it, what to do first."""

    route: str
    label: str = ""
    kwargs: dict = field(default_factory=dict)
    visitor: str = "owner"
    status: int = 200
    # Run on the loaded page before the audit, e.g. submit a form to see its errors.
    then: Callable | None = None

    def url(self) -> str:
        return reverse(self.route, kwargs=self.kwargs)

    def __str__(self):
        return f"{self.route} ({self.label})" if self.label else self.route


EXCLUDED_PREFIXES = {
    "admin/": "Django's admin: staff only, Django's own markup",
    "api/": "the REST API: JSON, and the third-party Swagger UI",
    "i18n/": "set_language: a POST that redirects",
}

EXCLUDED = {
    "healthz": "JSON",
    "ping": "plain text",
    "assessment:email_link": "POST only; it renders the link page, audited",
    "assessment:new_link": "POST only; redirects to the link page",
    "assessment:step_fields": "htmx fragment of a step, audited within the step",
    "assessment:stone_reading": "htmx fragment of the stone step, audited within it",
    "assessment:hourly_cost": "POST only; its error page is the result page, "
    "audited with an invalid cost",
    "reports:request": "POST only; redirects to the list of plans",
    "reports:status": "htmx fragment, audited within the result page and the list",
    "reports:download": "PDF",
    "reports:retry": "POST only; redirects to the list of plans",
    "pulse:invite": "POST only; redirects to the pulse page",
    "pulse:close": "POST only; redirects to the pulse page",
    "sharing:withdraw": "POST only; redirects to the sharing page",
    "privacy:download": "JSON download",
    "advisors:logout": "POST only; redirects to the home page",
    "advisors:add_note": "POST only; its errors render the case page, audited",
    "advisors:change_status": "POST only; redirects to the case page",
    "advisors:assign": "POST only; its errors render the case page, audited",
    "advisors:hide": "POST only; its errors render the case page, audited",
    "advisors:add_item": "POST only; its errors render the case page, audited",
    "advisors:add_advice": "POST only; its errors render the case page, audited",
    "advisors:remove_adjustment": "POST only; redirects to the case page",
    "advisors:regenerate": "POST only; redirects to the case page",
    "advisors:report_status": "htmx fragment, audited within the case page",
    "advisors:retry_report": "POST only; redirects to the case page",
    "advisors:download": "PDF",
    "advisors:totp_start": "POST only; redirects to the set-up page, audited",
    "advisors:totp_disable": "POST only; its errors render the account page, audited",
    "advisors:token_create": "POST only; renders the account page, audited",
    "advisors:token_revoke": "POST only; redirects to the account page",
    "advisors:stats_csv": "CSV download",
    "advisors:member_role": "POST only; redirects to the members page",
    "advisors:member_remove": "POST only; redirects to the members page",
    "assessment:tick": "POST only; its errors render the follow-up page, audited",
    "assessment:reminders": "POST only; its errors render the follow-up page, audited",
    "advisors:campaign_figures": "htmx fragment, audited within the campaign page",
    "advisors:campaign_csv": "CSV download",
    "advisors:campaign_qr": "SVG or PNG download",
    "advisors:campaign_close": "POST only; redirects to the campaign page",
}


def routes() -> list[Route]:
    """Every route of the URL configuration, namespaced as `reverse` takes it."""
    return list(_walk(get_resolver().url_patterns, prefix="", namespace=""))


def _walk(patterns, *, prefix: str, namespace: str, kwargs: tuple = ()):
    for entry in patterns:
        pattern = prefix + str(entry.pattern)
        arguments = kwargs + _arguments(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(
                entry.url_patterns, prefix=pattern, namespace=inner, kwargs=arguments
            )
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else pattern
            yield Route(name, pattern, arguments)


def _arguments(pattern) -> tuple[str, ...]:
    """The arguments a path() or re_path() pattern captures."""
    converters = getattr(pattern, "converters", None)
    if converters is not None:
        return tuple(converters)
    return tuple(pattern.regex.groupindex)


def exclusion(route: Route) -> str | None:
    """Why a route is not audited, or None when it must be."""
    for prefix, reason in EXCLUDED_PREFIXES.items():
        if prefix and route.pattern.removeprefix("^").startswith(prefix):
            return reason
    return EXCLUDED.get(route.name)


# --- What the pages show: objects made once per audit -------------------------


class Fixtures:
    """The objects the pages are filled from, each made on first use."""

    @cached_property
    def started(self) -> Assessment:
        """A diagnostic just begun: profile given, nothing answered."""
        return self._start(company_name="Atelier Martin")

    @cached_property
    def answered(self) -> Assessment:
        """Every step answered (hours of the stone included), not yet submitted."""
        assessment = self._start(company_name="Cabinet Durand")
        errors = save_answers(assessment, personas.ACCOUNTING_FIRM["answers"])
        assert not errors, errors
        return assessment

    @cached_property
    def submitted(self) -> Assessment:
        """Submitted, without any PDF plan."""
        return submitted_assessment(personas.VINEYARD, "Domaine des Garrigues")[0]

    @cached_property
    def with_reports(self) -> Assessment:
        """Submitted, with a plan ready, one that failed and one in the queue."""
        assessment = submitted_assessment(
            personas.ACCOUNTING_FIRM, "Cabinet Durand Expertise"
        )[0]
        for version, status in enumerate(Report.Status, start=1):
            if status != Report.Status.RENDERING:
                _report(assessment, version, status)
        return assessment

    @cached_property
    def followed(self) -> Assessment:
        """`with_reports`, two actions ticked and reminders on: the follow-up page
        and the case page (it is the shared case's diagnostic) show them."""
        from assessment import followup

        assessment = self.with_reports
        if not followup.progress_of(assessment):
            keys = [row.key for row in followup.tracked(assessment)]
            followup.record(assessment, action=keys[0], status="done")
            followup.record(assessment, action=keys[1], status="started")
            followup.agree_to_reminders(
                assessment, email="claire@example.fr", site_url="http://testserver/"
            )
        return assessment

    @cached_property
    def retaken(self) -> Assessment:
        """Submitted again after `submitted`, whose plan was partly done: the
        result shows the progress, scores and actions."""
        from assessment import followup

        keys = [row.key for row in followup.tracked(self.submitted)]
        followup.record(self.submitted, action=keys[0], status="done")
        followup.record(self.submitted, action=keys[1], status="dropped")
        assessment = self._start(
            company_name="Domaine des Garrigues", previous=self.submitted
        )
        errors = save_answers(assessment, personas.VINEYARD["answers"])
        assert not errors, errors
        assert not submit(assessment)
        return assessment

    @cached_property
    def programmes(self) -> list[Programme]:
        """One programme of each kind in the catalogue."""
        by_kind = {}
        for programme in Programme.objects.order_by("parent_id", "slug"):
            by_kind.setdefault(programme.kind, programme)
        return list(by_kind.values())

    @cached_property
    def advisor(self):
        from django.contrib.auth import get_user_model

        from advisors.models import Membership, Organisation

        organisation = Organisation.objects.create(name="CCI Occitanie", slug="cci")
        organisation.departments.set(Department.objects.filter(region__code="76"))
        user = get_user_model().objects.create_user("alice", first_name="Alice")
        Membership.objects.create(
            user=user, organisation=organisation, role=Membership.Role.ADMIN
        )
        return user

    @cached_property
    def shared_case(self):
        """The case with plans, shared, with a note, an adjustment and a status."""
        from advisors import cases

        case = cases.share(self.with_reports, self.advisor.membership.organisation)
        cases.add_note(case, self.advisor, "Rappeler la gérante lundi.")
        cases.add_advice(case, self.advisor, "Commencez par la facturation.")
        use_case = cases.result_for_case(case).recommendations.use_cases[0]
        cases.hide(case, self.advisor, "use_case", use_case.slug, "Déjà en place.")
        cases.change_status(case, "in_review", self.advisor)
        cases.record_access(case, self.advisor)
        return case

    @cached_property
    def campaign(self):
        """An open campaign of the advisor's organisation; the shared case came
        through it."""
        from advisors import campaigns
        from advisors.models import CampaignEntry

        organisation = self.advisor.membership.organisation
        campaign = campaigns.create(
            organisation, self.advisor, name="Atelier IA de Toulouse",
            starts_on=date.today(), ends_on=date.today(), event="IA Tour",
            place="Toulouse, Cité de l’espace",
            welcome="Bienvenue ! Quinze minutes pour trouver votre caillou.",
        )  # fmt: skip
        CampaignEntry.objects.create(
            campaign=campaign, assessment=self.shared_case.assessment
        )
        return campaign

    @cached_property
    def busy_campaign(self):
        """A campaign with as many shared cases as the privacy threshold."""
        from advisors import campaigns, cases
        from advisors.models import CampaignEntry
        from assessment.models import Outcome
        from assessment.scoring import level_for

        organisation = self.advisor.membership.organisation
        campaign = campaigns.create(
            organisation, self.advisor, name="Salon des TPE de Montpellier",
            starts_on=date.today(), ends_on=date.today(),
        )  # fmt: skip
        stone = StoneCategory.objects.order_by("slug").first().slug
        for number in range(settings.PEER_BENCHMARK_MINIMUM):
            assessment = self._start(company_name=f"Entreprise {number}")
            assessment.mark_submitted()
            overall = 25 if number % 3 else 45
            Outcome.objects.create(
                assessment=assessment, overall=overall,
                level=level_for(overall).rank, stone_category=stone,
                sector=assessment.sector, size_band=assessment.size_band,
                **dict.fromkeys(Outcome.dimension_codes(), overall),
            )  # fmt: skip
            CampaignEntry.objects.create(campaign=campaign, assessment=assessment)
            cases.share(assessment, organisation)
        return campaign

    @cached_property
    def closed_campaign(self):
        from advisors import campaigns

        campaign = campaigns.create(
            self.advisor.membership.organisation, self.advisor,
            name="Atelier d’octobre", starts_on=date.today(), ends_on=date.today(),
        )  # fmt: skip
        campaigns.close(campaign)
        return campaign

    @cached_property
    def pulse_token(self) -> str:
        from pulse import survey as pulse

        return pulse.invite(self.submitted)[1]

    def _start(self, *, previous=None, **profile) -> Assessment:
        company = personas.ACCOUNTING_FIRM["company"]
        assessment, _token = start_assessment(
            previous=previous,
            profile={
                "sector": Sector.objects.get(slug=company.sector),
                "size_band": SizeBand.objects.get(code=company.size_band),
                "department": Department.objects.get(code=company.department),
                "respondent_name": "Claire Durand",
                "respondent_email": "claire@example.fr",
                "respondent_role": "Gérante",
                **profile,
            },
        )
        return assessment


def _report(assessment: Assessment, version: int, status: str) -> Report:
    report = Report(assessment=assessment, version=version, status=status)
    if status == Report.Status.READY:
        report.file.save(f"plan-{version}.pdf", ContentFile(b"%PDF-1.7\n"), save=False)
        report.size, report.page_count = 9, 3
    if status == Report.Status.FAILED:
        report.failure_reason = Report.Failure.ERROR
    report.save()
    return report


# --- Providers: the visits of each route that takes arguments ---------------------


def _submit_empty_form(page) -> None:
    """Send the step form as it is, to audit the page with its errors."""
    page.locator("#step-form button[type=submit]").first.click()
    page.wait_for_selector("#error-summary")


def _start_a_diagnostic(page) -> None:
    """Send a valid profile: the link page then shows the private link."""
    page.fill("#id_company_name", "Atelier Martin")
    page.fill("#id_siren", "732 829 320")
    page.select_option("#id_sector", "finance")
    page.select_option("#id_size_band", "small")
    page.select_option("#id_department", "31")
    page.fill("#id_respondent_name", "Claire Durand")
    page.fill("#id_respondent_email", "claire@example.fr")
    page.fill("#id_respondent_role", "Gérante")
    page.check("#id_consent")
    page.locator("#step-form button[type=submit]").click()
    page.wait_for_selector("#resume-url, #error-summary")
    assert "/lien/" in page.url, page.inner_text("main")


def _fill_bad_cost(page) -> None:
    page.fill("#id_hourly_cost", "-3")
    page.locator("#id_hourly_cost").press("Enter")
    page.wait_for_selector("#id_hourly_cost[aria-invalid=true], .has-error")


def _steps(assessment: Assessment) -> list[str]:
    return [s.code for s in spec_for(assessment.questionnaire).sections]


def _step_visits(f: Fixtures) -> list[Visit]:
    visits = [
        Visit("assessment:step", code, {"pk": f.answered.pk, "section": code})
        for code in _steps(f.answered)
    ]
    first = _steps(f.started)[0]
    kwargs = {"pk": f.started.pk, "section": first}
    visits.append(Visit("assessment:step", "unanswered", kwargs))
    visits.append(Visit("assessment:step", "errors", kwargs, then=_submit_empty_form))
    return visits


def _result_visits(f: Fixtures) -> list[Visit]:
    return [
        Visit("assessment:result", "no plan", {"pk": f.submitted.pk}),
        Visit("assessment:result", "plans", {"pk": f.with_reports.pk}),
        Visit("assessment:result", "progress", {"pk": f.retaken.pk}),
        Visit(
            "assessment:result", "bad cost", {"pk": f.submitted.pk}, then=_fill_bad_cost
        ),
    ]


def _tick_in_the_future(page) -> None:
    """Tick the first action done tomorrow: the page shows the refusal."""
    item = page.locator(".followup-action").first
    item.locator("input[value=done]").check()
    item.locator("input[type=date]").evaluate(
        "(input) => { input.removeAttribute('max'); input.value = '2999-01-01'; }"
    )
    item.locator("button[type=submit]").click()
    page.wait_for_selector(".followup-action .has-error")


def _followup_visits(f: Fixtures) -> list[Visit]:
    return [
        Visit("assessment:followup", "vineyard", {"pk": f.submitted.pk}),
        Visit("assessment:followup", "ticked", {"pk": f.followed.pk}),
        Visit(
            "assessment:followup", "future date", {"pk": f.submitted.pk},
            then=_tick_in_the_future,
        ),
    ]  # fmt: skip


def _unsubscribe_visits(f: Fixtures) -> list[Visit]:
    from assessment import followup

    token = followup.unsubscribe_token(followup.ensure(f.followed))
    return [
        Visit("assessment:unsubscribe", "confirm", {"token": token}, "anonymous"),
        Visit(
            "assessment:unsubscribe", "bad link", {"token": "x" * 20}, "anonymous",
            status=404,
        ),
    ]  # fmt: skip


def _totp_setup_visits(f: Fixtures) -> list[Visit]:
    pending_totp(f.advisor)  # the page shows the device being set up
    return [Visit("advisors:totp_setup", visitor="advisor")]


def _queue_visits(f: Fixtures) -> list[Visit]:
    assert f.shared_case  # the queue then holds one case
    return [Visit("advisors:queue", "one case", visitor="advisor")]


def _campaign_visits(f: Fixtures) -> list[Visit]:
    return [
        Visit("advisors:campaign", "one owner", {"pk": f.campaign.pk},
              visitor="advisor"),
        Visit("advisors:campaign", "figures", {"pk": f.busy_campaign.pk},
              visitor="advisor"),
    ]  # fmt: skip


def _campaign_start_visits(f: Fixtures) -> list[Visit]:
    code = {"code": f.campaign.code}
    return [
        Visit("campaigns:start", "open", code, visitor="anonymous"),
        Visit("campaigns:start", "errors", code, visitor="anonymous",
              status=200, then=_submit_empty_form),
        Visit("campaigns:start", "closed", {"code": f.closed_campaign.code},
              visitor="anonymous", status=410),
    ]  # fmt: skip


PROVIDERS: dict[str, Callable[[Fixtures], list[Visit]]] = {
    "advisors:campaigns": lambda f: [
        Visit("advisors:campaigns", "two", visitor="advisor")
        for _campaign in [f.campaign, f.closed_campaign][-1:]
    ],
    "advisors:campaign_new": lambda f: [
        Visit("advisors:campaign_new", visitor="advisor")
    ],
    "advisors:campaign": _campaign_visits,
    "advisors:campaign_poster": lambda f: [
        Visit(
            "advisors:campaign_poster", kwargs={"pk": f.campaign.pk}, visitor="advisor"
        )
    ],  # fmt: skip
    "campaigns:start": _campaign_start_visits,
    "catalog:use_case_detail": lambda f: [
        Visit("catalog:use_case_detail", kwargs={"slug": UseCase.objects.first().slug})
    ],
    "catalog:programme_detail": lambda f: [
        Visit("catalog:programme_detail", p.kind, {"slug": p.slug})
        for p in f.programmes
    ],
    "catalog:provider_detail": lambda f: [
        Visit("catalog:provider_detail", kwargs={"slug": Provider.objects.first().slug})
    ],
    "assessment:resume": lambda f: [
        Visit("assessment:resume", "lost link", {"token": "x" * 43}, status=404)
    ],
    "assessment:link": lambda f: [
        Visit("assessment:link", kwargs={"pk": f.started.pk})
    ],
    "assessment:profile": lambda f: [
        Visit("assessment:profile", kwargs={"pk": f.started.pk})
    ],
    "assessment:step": _step_visits,
    "assessment:result": _result_visits,
    "assessment:retake": lambda f: [
        Visit("assessment:retake", kwargs={"pk": f.submitted.pk})
    ],
    "advisors:queue": _queue_visits,
    "advisors:stats": lambda f: [
        Visit("advisors:stats", "one case", visitor="advisor")
        for _case in [f.shared_case]
    ],
    "advisors:members": lambda f: [Visit("advisors:members", visitor="advisor")],
    "advisors:case": lambda f: [
        Visit("advisors:case", kwargs={"pk": f.shared_case.pk}, visitor="advisor")
        for _ticked in [f.followed]
    ],
    "assessment:followup": _followup_visits,
    "assessment:unsubscribe": _unsubscribe_visits,
    "sharing:share": lambda f: [
        Visit("sharing:share", "not shared", {"pk": f.submitted.pk}),
        Visit("sharing:share", "shared", {"pk": f.shared_case.assessment_id}),
    ],
    "privacy:erase": lambda f: [Visit("privacy:erase", kwargs={"pk": f.submitted.pk})],
    "advisors:account": lambda f: [Visit("advisors:account", visitor="advisor")],
    "advisors:totp_setup": _totp_setup_visits,
    "advisors:verify": lambda f: [Visit("advisors:verify", visitor="half_signed_in")],
    "advisors:password_reset_confirm": lambda f: [
        Visit(
            "advisors:password_reset_confirm",
            "used link",
            {"uidb64": "MQ", "token": "used-link"},
            visitor="anonymous",
        )
    ],
    "pulse:owner": lambda f: [Visit("pulse:owner", kwargs={"pk": f.submitted.pk})],
    "pulse:answer": lambda f: [
        Visit(
            "pulse:answer",
            kwargs={"token": f.pulse_token},
            visitor="anonymous",
        )
    ],  # fmt: skip
    "reports:list": lambda f: [
        Visit("reports:list", "none", {"assessment_id": f.submitted.pk}),
        Visit("reports:list", "three", {"assessment_id": f.with_reports.pk}),
    ],
}

# Pages without arguments worth a second visit in another state.
EXTRA_VISITS: list[Callable[[Fixtures], Visit]] = [
    lambda f: Visit("assessment:start", "errors", visitor="anonymous",
                    then=_submit_empty_form),
    lambda f: Visit("assessment:start", "new private link", visitor="anonymous",
                    then=_start_a_diagnostic),
]  # fmt: skip


def unfilled_routes() -> list[Route]:
    """Routes that take arguments no provider fills and no exclusion explains."""
    return [
        route
        for route in routes()
        if route.kwargs and not exclusion(route) and route.name not in PROVIDERS
    ]


def visits(fixtures: Fixtures) -> list[Visit]:
    """Every visit of the audit; fails on a route nobody knows how to fill."""
    unfilled = unfilled_routes()
    if unfilled:
        raise LookupError("\n".join(unfilled_message(route) for route in unfilled))
    found = []
    for route in routes():
        if exclusion(route):
            continue
        if route.name in PROVIDERS:
            found += PROVIDERS[route.name](fixtures)
        else:
            found.append(Visit(route.name, visitor="anonymous"))
    return found + [make(fixtures) for make in EXTRA_VISITS]


def unfilled_message(route: Route) -> str:
    return (
        f"{route.name} ({route.pattern}) takes {', '.join(route.kwargs)}: add a "
        "provider to PROVIDERS in tests/browser/pages.py, or an exclusion with a reason"
    )


# --- Visitors: the session a browser context starts with --------------------------


def new_session(data: dict) -> str:
    session = SessionStore()
    session.update(data)
    session.create()
    return session.session_key


def logged_in(user) -> str:
    """The session key of `user` logged in (for staff and advisor pages)."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


VISITORS: dict[str, Callable[[Fixtures], str | None]] = {
    "anonymous": lambda f: None,
    "advisor": lambda f: logged_in(f.advisor),
    # Between the password and the second factor's code.
    "half_signed_in": lambda f: new_session(
        {
            PENDING: {
                "user": f.advisor.pk,
                "backend": "django.contrib.auth.backends.ModelBackend",
                "at": int(time.time()),
            }
        }
    ),
    # The owner's browser may open every diagnostic, as after its resume links.
    "owner": lambda f: new_session(
        {access.SESSION_KEY: list(Assessment.objects.values_list("pk", flat=True))}
    ),
}
