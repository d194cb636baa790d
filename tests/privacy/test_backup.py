"""Backups as the README describes them: a database dump and an archive of the
plans (from the disk, or the object store under `make test`), restored into a
fresh database and storage, give the reports back."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

from reports import rendering
from reports.models import Report
from tests.conftest import ROOT, database_url, require_services

from .conftest import OWNER, start

READ_BACK = """
import hashlib, json
from reports.models import Report
report = Report.objects.select_related("assessment").get(pk={pk})
data = report.file.read()
print(json.dumps({{
    "company": report.assessment.company_name,
    "answers": report.assessment.answers.count(),
    "status": report.status,
    "checksum": report.checksum,
    "file_sha256": hashlib.sha256(data).hexdigest(),
    "pdf": data[:4].decode(),
}}))
"""


def postgres_bin(name: str) -> str:
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not candidates:
        pytest.skip(f"{name} is missing: run scripts/sysdeps.sh test")
    return str(candidates[-1])


def with_database(url: str, name: str) -> str:
    return url.rsplit("/", 1)[0] + f"/{name}"


def run_sql(sql: str) -> None:
    import psycopg

    s = connection.settings_dict
    with psycopg.connect(
        host=s["HOST"], port=s["PORT"], user=s["USER"], password=s["PASSWORD"] or None,
        dbname="postgres", autocommit=True,
    ) as maintenance:  # fmt: skip
        maintenance.execute(sql)


@contextlib.contextmanager
def fresh_database_named():
    """An empty database beside the test one, dropped afterwards."""
    name = f"caillou_restore_{uuid.uuid4().hex[:8]}"
    run_sql(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        run_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def ready_pdf_report(assessment) -> Report:
    """A plan rendered for real (WeasyPrint), without going through the broker."""
    report = Report.objects.create(assessment=assessment, version=1)
    claimed = Report.objects.claim(report.pk)
    rendering.render_report(claimed)
    report.refresh_from_db()
    assert report.status == Report.Status.READY
    return report


@pytest.mark.django_db(transaction=True)  # pg_dump reads what is committed
def test_a_dump_and_the_media_restore_into_a_fresh_database(tmp_path, media):
    require_services()
    source = database_url()
    call_command("load_seeds", verbosity=0)
    assessment, _token = start(OWNER)
    report = ready_pdf_report(assessment)

    # Back up, as the README says: the database, then the plans.
    dump = tmp_path / "caillou.dump"
    subprocess.run(
        [postgres_bin("pg_dump"), "--format=custom", "--no-owner",
         f"--file={dump}", f"--dbname={source}"],
        check=True,
    )  # fmt: skip
    archive = tmp_path / "caillou-plans.tar.gz"
    call_command("archive_plans", "dump", str(archive), stdout=io.StringIO())
    original = default_storage.open(report.file.name).read()

    # Restore into a fresh database and a fresh storage: another folder, or
    # another prefix of the object store (as another bucket would be).
    restored_media = tmp_path / "restored-media"
    storage_env = {"MEDIA_ROOT": str(restored_media)}
    if settings.S3_BUCKET:
        storage_env["S3_PREFIX"] = f"restored-{uuid.uuid4().hex[:8]}"
    manage = [sys.executable, "manage.py"]
    with fresh_database_named() as name:
        target = with_database(source, name)
        subprocess.run(
            [postgres_bin("pg_restore"), "--no-owner", "--exit-on-error",
             f"--dbname={target}", str(dump)],
            check=True,
        )  # fmt: skip
        env = {**os.environ, "DATABASE_URL": target, **storage_env}
        subprocess.run(
            [*manage, "archive_plans", "load", str(archive)],
            cwd=ROOT, env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        out = subprocess.run(
            [*manage, "shell", "-c", READ_BACK.format(pk=report.pk)],
            cwd=ROOT, env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip

    restored = json.loads(out.stdout.strip().splitlines()[-1])
    assert restored == {
        "company": OWNER["company_name"],
        "answers": assessment.answers.count(),
        "status": "ready",
        "checksum": report.checksum,
        "file_sha256": hashlib.sha256(original).hexdigest(),
        "pdf": "%PDF",
    }
