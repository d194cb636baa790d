"""Shared fixtures. `make test` starts PostgreSQL and Redis (scripts/services.py)."""

import contextlib
import ipaddress
import os
import signal
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rendered pages and results are cached by state: start each test without any."""
    from django.core.cache import cache

    from assessment import matching

    cache.clear()
    matching.clear_cache()


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
def running_worker(*, concurrency: int = 1, with_database: bool = False):
    """Start a real Celery worker process on the test Redis; stop it on exit."""
    require_services()
    env = dict(os.environ)
    if with_database:
        env["DATABASE_URL"] = database_url()
    name = f"test-{uuid.uuid4().hex[:8]}@%h"
    cmd = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "-l", "WARNING",
        "-P", "prefork", "-c", str(concurrency), "-n", name,
        "--without-gossip", "--without-mingle",
    ]  # fmt: skip
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
