"""Fuzz every operation of the live OpenAPI schema, as each kind of caller.

Schemathesis reads /api/schema/ from the app in-process (WSGI) and generates
requests for every operation: valid ones (positive) and ones that break the
schema (negative). Every response must be a non-5xx, declared status with the
declared content type and body, and invalid input must be refused (4xx).
Path parameters often name the real objects of `world`, so the fuzz reaches
the code behind the 404s. Each request runs in a savepoint rolled back after
it: every case starts from the same data, and a DELETE does not empty the rest.
"""

import logging
import re
import time
from dataclasses import dataclass, field
from datetime import date

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from rest_framework.views import APIView
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from advisors import campaigns, cases
from advisors.models import Membership, Organisation
from assessment import followup
from catalog.api_urls import router as catalogue_router
from catalog.models import Department
from config.wsgi import application
from pulse import survey as pulse
from reports.models import Report
from tests.assessment import personas
from tests.reports.personas import submitted_assessment

# Per operation, role and mode: about 1,200 cases a role, the fuzz under 3 minutes.
MAX_EXAMPLES = 12
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@dataclass
class World:
    """The objects a real caller would name, per path parameter."""

    advisor: object
    assessment: object
    token: str
    case: object
    report: object
    adjustment: object
    pulse_token: str
    campaign: object
    slugs: dict = field(default_factory=dict)
    action: str = ""  # a key of the assessment's plan

    def path_parameters(self, path: str) -> dict:
        """The real values of the parameters in `path`, an OpenAPI path template."""
        if path.startswith("/api/v1/advisor/campaigns/{id}"):
            values = {"id": self.campaign.pk}
        elif path.startswith("/api/v1/advisor/cases/{id}"):
            values = {"id": self.case.pk, "adjustment_id": self.adjustment.pk,
                      "report_pk": self.report.pk}  # fmt: skip
        elif path.startswith("/api/v1/assessments/{id}"):
            values = {"id": self.assessment.pk, "case_pk": self.case.pk,
                      "action": self.action}  # fmt: skip
        elif path.startswith("/api/v1/reports/{id}"):
            values = {"id": self.report.pk}
        elif path.startswith("/api/v1/pulse/{token}"):
            values = {"token": self.pulse_token}
        else:  # the catalogue: /api/v1/<collection>/{slug or code}/
            key = self.slugs.get(path.split("/")[3])
            values = {"slug": key, "code": key}
        return {name: value for name, value in values.items() if f"{{{name}}}" in path}


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_seeds", verbosity=0)
    organisation = Organisation.objects.create(name="CCI Occitanie", slug="cci-oc")
    organisation.departments.set(Department.objects.filter(region__code="76"))
    advisor = get_user_model().objects.create_user("alice", first_name="Alice")
    # An admin: the fuzz reaches the admins' operations too (campaigns).
    Membership.objects.create(
        user=advisor, organisation=organisation, role=Membership.Role.ADMIN
    )
    assessment, token = submitted_assessment(personas.ACCOUNTING_FIRM, "Cabinet Durand")
    case = cases.share(assessment, organisation)
    report = Report.objects.create(assessment=assessment, version=1)
    report.file.save("plan.pdf", ContentFile(b"%PDF-1.7\n"), save=False)
    report.status, report.page_count, report.size = Report.Status.READY, 1, 9
    report.save()
    _, pulse_token = pulse.invite(assessment)
    return World(
        advisor=advisor,
        assessment=assessment,
        token=token,
        case=case,
        report=report,
        adjustment=cases.add_advice(case, advisor, "Un conseil"),
        pulse_token=pulse_token,
        campaign=campaigns.create(
            organisation,
            advisor,
            name="Atelier IA",
            starts_on=date.today(),
            ends_on=date.today(),
        ),  # fmt: skip
        slugs=_catalogue_keys(),
        action=followup.tracked(assessment)[0].key,
    )


def _catalogue_keys() -> dict:
    """A real key per catalogue collection, e.g. {"sectors": "agriculture"}."""
    return {
        prefix: getattr(viewset.queryset.first(), viewset.lookup_field)
        for prefix, viewset, _basename in catalogue_router.registry
    }


@dataclass
class Credentials:
    """How a caller proves who they are, on every request."""

    headers: dict = field(default_factory=dict)
    cookies: dict = field(default_factory=dict)


def anonymous(world) -> Credentials:
    return Credentials()


def owner(world) -> Credentials:
    return Credentials(headers={"Authorization": f"Token {world.token}"})


def advisor(world) -> Credentials:
    """The advisor's signed-in session, with the CSRF token unsafe methods need.

    Once advisors have API tokens, this returns their `Authorization` header.
    """
    client = Client()
    client.force_login(world.advisor)
    csrf = get_random_string(32)
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return Credentials(
        headers={"X-CSRFToken": csrf},
        cookies={
            django_settings.SESSION_COOKIE_NAME: session,
            django_settings.CSRF_COOKIE_NAME: csrf,
        },
    )


ROLES = {"anonymous": anonymous, "owner": owner, "advisor": advisor}


@pytest.fixture
def in_process_requests(db):
    """Keep the test's database connection across requests, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def schema(in_process_requests):
    return schemathesis.openapi.from_wsgi("/api/schema/", application)


def strategies(operation, world, credentials, mode):
    """Cases with generated path parameters, and with the real objects' ones.

    The caller's credentials are fixed: negating them would test nothing.
    """
    fixed = {"headers": credentials.headers, "cookies": credentials.cookies}
    generated = operation.as_strategy(generation_mode=mode, **fixed)
    real = world.path_parameters(operation.path)
    if not real or (
        mode is GenerationMode.NEGATIVE and not _has_other_inputs(operation)
    ):
        return generated  # only the path could be negated: keep it generated
    return st.one_of(
        generated,
        operation.as_strategy(generation_mode=mode, path_parameters=real, **fixed),
    )


def _has_other_inputs(operation) -> bool:
    return bool(operation.query) or bool(operation.body)


def _has_inputs(operation) -> bool:
    return bool(operation.path_parameters) or _has_other_inputs(operation)


@dataclass
class Tally:
    cases: int = 0
    succeeded: set = field(default_factory=set)  # operations that answered 2xx
    failures: list = field(default_factory=list)
    unsatisfiable: list = field(default_factory=list)


def fuzz(operation, world, credentials, mode, tally):
    if mode is GenerationMode.NEGATIVE and not _has_inputs(operation):
        return  # nothing the caller sends could be invalid

    @hypothesis_settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategies(operation, world, credentials, mode))
    def run(case):
        tally.cases += 1
        with transaction.atomic():
            response = case.call(
                headers=credentials.headers, cookies=credentials.cookies
            )
            if response.status_code < 300:
                tally.succeeded.add(operation.label)
            try:
                case.validate_response(
                    response, checks=CHECKS, headers=credentials.headers
                )
            finally:
                transaction.set_rollback(True)
                cache.clear()

    try:
        run()
    except (AssertionError, FailureGroup) as error:  # reported all together below
        tally.failures.append(f"{operation.label} [{mode.value}]\n{error}")
    except Unsatisfiable:
        tally.unsatisfiable.append(f"{operation.label} [{mode.value}]")


@pytest.fixture
def quiet_requests():
    """One log line per request, thousands of them, would bury the failures."""
    loggers = [
        logging.getLogger(name) for name in ("caillou.request", "django.request")
    ]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.mark.parametrize("role", ROLES)
def test_fuzz_every_operation(role, schema, world, quiet_requests, monkeypatch, capsys):
    # Throttles are tested on their own; thousands of requests in a row would trip them.
    monkeypatch.setattr(APIView, "check_throttles", lambda self, request: None)
    credentials = ROLES[role](world)
    tally, started = Tally(), time.monotonic()
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            fuzz(operation, world, credentials, mode, tally)
    with capsys.disabled():
        print(
            f"\nAPI fuzz as {role}: {tally.cases} cases over {len(operations)} "
            f"operations ({len(tally.succeeded)} answered 2xx at least once, "
            f"{len(tally.unsatisfiable)} without a possible invalid case) "
            f"in {time.monotonic() - started:.0f} s"
        )
    assert not tally.failures, "\n\n".join(tally.failures)


# About 2 KB nested 990 levels: the JSON parser's RecursionError, a 500, on
# every operation that reads a body, before the parser's depth guard.
DEEP_BODY = "[" * 990 + "]" * 990
DEPTH_REFUSAL = "32 niveaux au plus"


def deep_request(client, operation, world, credentials):
    names = re.findall(r"{(\w+)}", operation.path)
    values = {name: 1 for name in names} | world.path_parameters(operation.path)
    with transaction.atomic():
        response = client.generic(
            operation.method.upper(), operation.path.format(**values), DEEP_BODY,
            content_type="application/json", headers=credentials.headers,
        )  # fmt: skip
        transaction.set_rollback(True)
    cache.clear()
    return response


@pytest.mark.parametrize("role", ROLES)
def test_a_deeply_nested_body_is_refused_by_every_operation(
    role, schema, world, quiet_requests, monkeypatch
):
    monkeypatch.setattr(APIView, "check_throttles", lambda self, request: None)
    credentials = ROLES[role](world)
    client = Client(raise_request_exception=False)
    for name, value in credentials.cookies.items():
        client.cookies[name] = value
    failures, refused = [], 0
    for operation in [result.ok() for result in schema.get_all_operations()]:
        response = deep_request(client, operation, world, credentials)
        declared = set(operation.definition.raw["responses"])
        status = response.status_code
        if status >= 500 or str(status) not in declared:
            failures.append(f"{operation.label}: {status} (declared {declared})")
        elif status == 400:
            body = response.json()
            if set(body) != {"detail", "errors"}:
                failures.append(f"{operation.label}: 400 {body}")
            refused += DEPTH_REFUSAL in body["detail"]
    assert not failures, "\n".join(failures)
    assert refused  # the guard answered, not only the access checks before it
