"""Backups as the README describes them: a database dump and the media folder,
restored into a fresh database and folder, give the reports back."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
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
    from django.core.management import call_command

    call_command("load_seeds", verbosity=0)
    assessment, _token = start(OWNER)
    report = ready_pdf_report(assessment)

    # Back up, as the README says: the database, then the media folder.
    dump = tmp_path / "caillou.dump"
    subprocess.run(
        [postgres_bin("pg_dump"), "--format=custom", "--no-owner",
         f"--file={dump}", f"--dbname={source}"],
        check=True,
    )  # fmt: skip
    archive = tmp_path / "caillou-media.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(media, arcname=".")

    # Restore into a fresh database and a fresh folder.
    restored_media = tmp_path / "restored-media"
    with tarfile.open(archive) as tar:
        tar.extractall(restored_media, filter="data")
    with fresh_database_named() as name:
        target = with_database(source, name)
        subprocess.run(
            [postgres_bin("pg_restore"), "--no-owner", "--exit-on-error",
             f"--dbname={target}", str(dump)],
            check=True,
        )  # fmt: skip
        env = {**os.environ, "DATABASE_URL": target, "MEDIA_ROOT": str(restored_media)}
        out = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", READ_BACK.format(pk=report.pk)],
            cwd=ROOT, env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip

    restored = json.loads(out.stdout.strip().splitlines()[-1])
    original = (media / report.file.name).read_bytes()
    assert restored == {
        "company": OWNER["company_name"],
        "answers": assessment.answers.count(),
        "status": "ready",
        "checksum": report.checksum,
        "file_sha256": hashlib.sha256(original).hexdigest(),
        "pdf": "%PDF",
    }
