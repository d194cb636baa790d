"""Plans leave only through views that check access: no URL serves the storage.

Finding 1 of issue 17: with the settings `make run` used, /media/ was served
and plan names were an HMAC keyed by a secret written in settings.py, so
anyone could compute every plan's address.
"""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.crypto import salted_hmac

from reports.models import Report
from tests.assessment import personas

from ..conftest import ROOT
from .personas import submitted_assessment

# The development key settings.py held before it was generated per checkout.
OLD_DEVELOPMENT_KEY = "django-insecure-development-only-key-never-used-in-production"
PDF = b"%PDF-1.7\n% private plan\n"


def old_names(report: Report) -> list[str]:
    """The names the HMAC scheme gave this version, under either secret."""
    names = []
    for secret in (OLD_DEVELOPMENT_KEY, settings.SECRET_KEY):
        key = salted_hmac(
            "reports.file", f"{report.assessment_id}-{report.version}", secret=secret
        ).hexdigest()[:16]
        names.append(
            f"reports/{report.assessment_id}/plan-action-v{report.version}-{key}.pdf"
        )
    return names


def stored(assessment, version: int) -> Report:
    report = Report.objects.create(assessment=assessment, version=version)
    report.file = default_storage.save(report.filename, ContentFile(PDF))
    report.status = Report.Status.READY
    report.save()
    return report


class Plans(list):
    tokens: list


@pytest.fixture
def plans(seeds):
    """Three ready versions of two diagnostics, and files under the old names."""
    a, token_a = submitted_assessment(personas.ACCOUNTING_FIRM, "Cabinet Durand")
    b, token_b = submitted_assessment(personas.VINEYARD, "Domaine des Garrigues")
    reports = Plans([stored(a, 1), stored(a, 2), stored(b, 1)])
    reports.tokens = [token_a, token_a, token_b]
    for report in reports:
        for name in old_names(report):  # as left by the old scheme
            default_storage.save(name, ContentFile(PDF))
    return reports


def every_path(reports) -> list[str]:
    paths = []
    for report in reports:
        for name in [report.file.name, *old_names(report)]:
            paths += [f"/media/{name}", f"/{name}", f"/static/../media/{name}"]
    return paths


def test_stored_names_are_random_not_derived_from_a_secret(plans):
    keys = {report.file_key for report in plans}
    assert len(keys) == len(plans)
    for report in plans:
        assert len(report.file_key) == 32 and int(report.file_key, 16) >= 0
        assert report.file.name == report.filename
        assert report.file.name not in old_names(report)


def test_no_url_serves_a_stored_plan(client, plans):
    for path in every_path(plans):
        response = client.get(path)
        assert response.status_code == 404, path
        assert PDF not in b"".join(response), path


# Run in a process of its own with the environment `make run` gives the web
# server (scripts/services.py), or a developer's DEBUG=1: settings and URLs are
# read once, at start-up.
PROBE = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="localhost", raise_request_exception=False)
served = [p for p in json.loads(sys.argv[1]) if client.get(p).status_code != 404]
print(json.dumps({"debug": settings.DEBUG, "secret": settings.SECRET_KEY,
                  "served": served}))
"""


def probe(paths, media_root, **env) -> dict:
    base = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    base |= {"DJANGO_SETTINGS_MODULE": "config.settings", "MEDIA_ROOT": str(media_root)}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(paths)],
        cwd=ROOT, env=base | env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def make_run_environment() -> dict:
    """What scripts/services.py adds to the environment of the web server."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import services
    finally:
        sys.path.pop(0)
    return services.app_environment({})


def test_under_make_run_no_debug_page_no_file_server_and_a_generated_secret(
    plans, settings
):
    seen = probe(every_path(plans), settings.MEDIA_ROOT, **make_run_environment())
    assert seen["served"] == []
    assert seen["debug"] is False  # Django's debug page shows settings and paths
    assert seen["secret"] != OLD_DEVELOPMENT_KEY
    # Made once for this checkout, kept out of git (.run/ is ignored).
    assert seen["secret"] == (ROOT / ".run" / "secret_key").read_text().strip()
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", ".run/secret_key"], cwd=ROOT, check=False
    )
    assert ignored.returncode == 0


def test_a_developer_asking_for_the_debug_page_still_gets_no_file_server(
    plans, settings
):
    seen = probe(every_path(plans), settings.MEDIA_ROOT, DEBUG="1")
    assert seen["debug"] is True
    assert seen["served"] == []


def test_a_download_is_logged_with_who_took_it(client, plans, caplog):
    report, token = plans[0], plans.tokens[0]
    url = reverse("reports_api:pdf", args=[report.pk])
    with caplog.at_level("INFO", logger="caillou.reports"):
        refused = client.get(url)
        assert "downloaded" not in caplog.text
        taken = client.get(url, HTTP_AUTHORIZATION=f"Token {token}")
    assert refused.status_code == 404
    assert taken.status_code == 200 and b"".join(taken) == PDF
    assert f"plan {report.pk} (diagnostic {report.assessment_id}, v1)" in caplog.text
    assert "downloaded by owner (API)" in caplog.text
