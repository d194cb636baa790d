"""Shared fixtures. `make test` starts PostgreSQL and Redis (scripts/services.py)."""

from __future__ import annotations

import contextlib
import io
import ipaddress
import os
import re
import signal
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _own_object_store_prefix(settings, monkeypatch):
    """With the S3 server of `make test`: each test's plans under a prefix of
    its own, as each has its own MEDIA_ROOT on disk (the bucket outlives
    rolled-back transactions, and the xdist workers share it). Celery workers
    started by the test inherit it from the environment."""
    if not settings.S3_BUCKET:
        return
    prefix = f"tests-{uuid.uuid4().hex[:12]}"
    default = settings.STORAGES["default"]
    options = {**default["OPTIONS"], "location": prefix}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**default, "OPTIONS": options},
    }
    monkeypatch.setenv("S3_PREFIX", prefix)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_plan_on_submit(request, settings):
    """Submitting renders no plan here, so that tests number their own versions,
    unless the test asks for `plans_on_submit` (the project's own setting).
    The other apps' hooks (a campaign's share) stay."""
    if "plans_on_submit" not in request.fixturenames:
        settings.ASSESSMENT_ON_SUBMIT = [
            hook
            for hook in settings.ASSESSMENT_ON_SUBMIT
            if hook != "reports.asking.prepare_owner_plan"
        ]


@pytest.fixture
def plans_on_submit():
    """Submitting asks for the owner's plan, as in production."""


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rendered pages and results are cached by state: start each test without any."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _french_by_default():
    """Each test starts in French, whatever language the previous one left active."""
    from django.utils import translation

    with translation.override("fr"):
        yield


def services_available() -> bool:
    return bool(os.environ.get("CAILLOU_SERVICES"))


def require_services():
    """Skip outside `make test`; inside it a server that is down makes tests fail."""
    if not services_available():
        pytest.skip("needs Redis and a worker: run through `make test`")


def database_url() -> str:
    """The URL of the database the tests use, for processes started by a test."""
    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        pytest.skip("a separate worker process cannot share an SQLite test database")
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


@contextlib.contextmanager
def running_worker(
    *, concurrency: int = 1, with_database: bool = False, queues: str | None = None
):
    """Start a real Celery worker process on the test Redis; stop it on exit.

    It runs the project's app through tests/worker.py (renders can be slowed),
    on every queue unless `queues` names some (as `celery worker -Q` takes them).
    """
    require_services()
    env = dict(os.environ)
    if with_database:
        env["DATABASE_URL"] = database_url()
    name = f"test-{uuid.uuid4().hex[:8]}@%h"
    cmd = [
        sys.executable, "-m", "celery", "-A", "tests.worker", "worker", "-l", "WARNING",
        "-P", "prefork", "-c", str(concurrency), "-n", name,
        "--without-gossip", "--without-mingle",
    ]  # fmt: skip
    if queues:
        cmd += ["-Q", queues]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
    try:
        wait_for_worker(proc)
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def wait_for_worker(proc: subprocess.Popen, timeout: float = 30) -> None:
    from config.celery import app

    attempts = int(timeout)
    for _ in range(attempts):
        if proc.poll() is not None:
            raise RuntimeError(f"the Celery worker exited with {proc.returncode}")
        if app.control.ping(timeout=1.0):
            return
    raise RuntimeError("the Celery worker did not answer within 30 s")


@pytest.fixture(scope="module")
def celery_worker():
    with running_worker() as proc:
        yield proc


# --- No network: only loopback -----------------------------------------------------


class NetworkAccessError(RuntimeError):
    """Not an OSError: code that copes with network failures must not swallow it."""


def _is_loopback(host: str) -> bool:
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _refuse_non_loopback(connect):
    def guarded(sock, address, *args):
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            if not _is_loopback(address[0]):
                raise NetworkAccessError(f"tests stay on loopback, not {address[0]}")
        return connect(sock, address, *args)

    return guarded


@pytest.fixture(autouse=True, scope="session")
def _loopback_only():
    """Any connection outside this machine fails the test that makes it."""
    with pytest.MonkeyPatch.context() as patch:
        for name in ("connect", "connect_ex"):
            guarded = _refuse_non_loopback(getattr(socket.socket, name))
            patch.setattr(socket.socket, name, guarded)
        yield


@pytest.fixture(autouse=True)
def _rate_limits_out_of_reach(settings):
    """Tests send requests faster than anyone; tests of the limits lower them."""
    settings.THROTTLE_RATES = dict.fromkeys(settings.THROTTLE_RATES, "100000/second")


# --- Seeds: loaded by their command once, copied back for the next tests ----------

# INSERT [OR IGNORE] INTO, UPDATE, DELETE FROM: a table the command writes to.
WRITTEN_TABLE = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.I
)


class SeedSnapshot:
    """The rows a seed command wrote into empty tables, to write them again.

    Loading the seeds runs thousands of queries; copying the rows it wrote takes a
    few. The copy is used only where the command would have written the same rows:
    its tables are empty and the rows they point to outside (content types) are
    the same; anywhere else the command itself runs, as before.
    """

    def __init__(self, models: list, rows: dict, outside: dict) -> None:
        self.models = models  # in the order the command first wrote to them
        self.rows = rows  # table -> (columns, rows) or the bytes of a PG COPY
        self.outside = outside  # table -> the rows referred to, by primary key

    @classmethod
    def take(cls, models: list) -> SeedSnapshot:
        tables = {m._meta.db_table for m in models}
        outside: dict[str, tuple] = {}
        with connection.cursor() as cursor:
            rows = {m._meta.db_table: dump_table(cursor, m) for m in models}
        for model in models:
            for field in model._meta.concrete_fields:
                target = field.related_model
                if field.is_relation and target._meta.db_table not in tables:
                    ids = set(model.objects.values_list(field.attname, flat=True))
                    outside[target] = (*outside.get(target, ()), *ids)
        refs = {target: rows_by_pk(target, ids) for target, ids in outside.items()}
        return cls(models, rows, refs)

    def fits(self) -> bool:
        """Empty tables, unchanged references: the command would write these rows."""
        tables = [m._meta.db_table for m in self.models]
        anything = " OR ".join(f"EXISTS (SELECT 1 FROM {quote(t)})" for t in tables)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {anything}")
            if cursor.fetchone()[0]:
                return False
        return all(rows_by_pk(t, set(rows)) == rows for t, rows in self.outside.items())

    def restore(self) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            for model in self.models:
                load_table(cursor, model, self.rows[model._meta.db_table])
            for sql in connection.ops.sequence_reset_sql(no_style(), self.models):
                cursor.execute(sql)


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def dump_table(cursor, model):
    table = quote(model._meta.db_table)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} TO STDOUT") as copy:
            return b"".join(bytes(block) for block in copy)
    cursor.execute(f"SELECT * FROM {table}")
    return [c[0] for c in cursor.description], cursor.fetchall()


def load_table(cursor, model, rows) -> None:
    table = quote(model._meta.db_table)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} FROM STDIN") as copy:
            copy.write(rows)
        return
    columns, values = rows
    names = ", ".join(quote(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", values)


def rows_by_pk(model, ids) -> dict:
    return {
        row["pk"]: row
        for row in model.objects.filter(pk__in=ids).values(
            "pk", *(f.attname for f in model._meta.concrete_fields)
        )
    }


class SeedLoader:
    """Run a seed command the first time, copy its rows back afterwards."""

    def __init__(self) -> None:
        self.snapshots: dict[str, SeedSnapshot | None] = {}

    def load(self, command: str, **options) -> None:
        snapshot = self.snapshots.get(command)
        if snapshot and snapshot.fits():
            snapshot.restore()
            return
        models = table_models()
        before = row_counts(models.values())
        with CaptureQueriesContext(connection) as queries:
            call_command(command, **options)
        written = []
        for query in queries.captured_queries:
            match = WRITTEN_TABLE.match(query["sql"])
            if match and models.get(match[1]) not in written:
                written.append(models.get(match[1]))
        # Rows added to tables that held some, or to tables no model names: the
        # command runs every time.
        if written and None not in written and not any(before[m] for m in written):
            self.snapshots[command] = SeedSnapshot.take(written)


def table_models() -> dict:
    return {m._meta.db_table: m for m in apps.get_models(include_auto_created=True)}


def row_counts(models) -> dict:
    return {model: model.objects.count() for model in models}


@pytest.fixture(scope="session")
def _seed_loader():
    return SeedLoader()


@pytest.fixture
def seeded(db, _seed_loader):
    """Everything under seeds/, as `manage.py load_seeds` leaves it."""
    _seed_loader.load("load_seeds", verbosity=0)


@pytest.fixture
def seeded_catalogue(db, _seed_loader):
    """The catalogue from seeds/catalog/, as `manage.py load_catalog` leaves it."""
    _seed_loader.load("load_catalog", stdout=io.StringIO())
