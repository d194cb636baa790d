"""Throughput and latency of the diagnostic's pages under gunicorn.

Gunicorn runs 2 sync workers on a free local port, with DEBUG off, against the
benchmark database holding a draft and a submitted diagnostic. Each page is
driven for a bounded time by concurrent client processes (processes, so that
the client does not share one GIL), each request on a new connection. Pages
are compared with /ping, the cheapest view, so that the machine's speed cancels.
"""

from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse

from assessment.access import SESSION_KEY
from assessment.answering import save_answers, start_assessment, submit
from assessment.forms import SHOWN
from assessment.questionnaire import spec_for

from .fixtures import ANSWERS, profile

ROOT = Path(__file__).resolve().parent.parent
CONNECTIONS = 8
SECONDS = float(os.environ.get("BENCH_SECONDS", 10))
WORKERS = 2
# Requests per second against /ping's (issue 15): the result page at least a
# fifth, a step's POST at least a tenth.
RATIO_TARGETS = {"result page": 0.2, "step page POST": 0.1, "step page GET": 0.1}
P99_TARGET_MS = 100
STEP = "uses"  # a middle step: posting it saves and moves on, never submits


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def diagnostics() -> tuple[int, int]:
    """A draft and a submitted diagnostic with realistic answers; their ids."""
    draft, _token = start_assessment(profile=profile())
    done, _token = start_assessment(profile=profile())
    for assessment in (draft, done):
        errors = save_answers(assessment, ANSWERS)
        assert not errors, errors
    assert not submit(done)
    return draft.pk, done.pk


def cookies_for(ids: list[int]) -> tuple[str, str]:
    """A session that opens the diagnostics, and a CSRF secret; the Cookie header."""
    session = SessionStore()
    session[SESSION_KEY] = ids
    session.create()
    csrf = secrets.token_hex(16)  # 32 characters: accepted as the unmasked secret
    cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
    cookie += f"{settings.CSRF_COOKIE_NAME}={csrf}"
    return cookie, csrf


def step_form(draft_id: int) -> str:
    from assessment.models import Assessment

    spec = spec_for(Assessment.objects.get(pk=draft_id).questionnaire)
    fields = []
    for question in spec.section(STEP).questions:
        fields.append((SHOWN, question.code))
        value = ANSWERS.get(question.code)
        values = value if isinstance(value, list) else [value]
        fields.extend((question.code, v) for v in values if v is not None)
    return urlencode(fields)


# --- The server ----------------------------------------------------------------------


def server_env(port: int, static_root: str) -> dict:
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        SECRET_KEY=settings.SECRET_KEY,  # the session made here must decode there
        ALLOWED_HOSTS="127.0.0.1",
        STATIC_ROOT=static_root,
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        # As in production: connections kept between requests (the test run's
        # environment turns that off).
        DATABASE_CONN_MAX_AGE="60",
    )
    return env


def start_gunicorn(port: int, env: dict, log: Path) -> subprocess.Popen:
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    cmd = [gunicorn, "config.wsgi:application", "--workers", str(WORKERS),
           "--bind", f"127.0.0.1:{port}", "--log-level", "warning"]  # fmt: skip
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited: see {log}")
        try:
            if request(port, "GET", "/ping", {})[0] == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 30 s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


# --- The load ------------------------------------------------------------------------


def request(port: int, method: str, path: str, headers: dict, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("Location")
    finally:
        conn.close()


def drive(port, method, path, headers, body, expected, seconds):
    """One client: request after request until the time is up."""
    latencies, errors = [], 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            status, _location = request(port, method, path, headers, body)
        except OSError:
            status = None
        latencies.append((time.perf_counter() - started) * 1000)
        errors += status != expected
    return latencies, errors


def load(port, method, path, headers, body=None, expected=200) -> dict:
    status, location = request(port, method, path, headers, body)
    if status != expected:
        raise RuntimeError(f"{method} {path} answered {status} ({location})")
    args = (port, method, path, headers, body, expected, SECONDS)
    started = time.monotonic()
    with ProcessPoolExecutor(CONNECTIONS) as pool:
        clients = [pool.submit(drive, *args) for _ in range(CONNECTIONS)]
        done = [client.result() for client in clients]
    elapsed = time.monotonic() - started
    latencies = sorted(x for lat, _errors in done for x in lat)
    return {
        "rate": len(latencies) / elapsed,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "requests": len(latencies),
        "errors": sum(errors for _lat, errors in done),
    }


def run() -> list[dict]:
    draft, done = diagnostics()
    cookie, csrf = cookies_for([draft, done])
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="caillou-bench-pages-"))
    env = server_env(port, str(workdir / "static"))
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput",
                    "-v0"], cwd=ROOT, env=env, check=True)  # fmt: skip
    step = reverse("assessment:step", args=[draft, STEP])
    form_headers = {
        "Cookie": cookie,
        "X-CSRFToken": csrf,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    pages = [
        ("ping", "GET", "/ping", {}, None, 200),
        ("step page GET", "GET", step, {"Cookie": cookie}, None, 200),
        ("step page POST", "POST", step, form_headers, step_form(draft), 302),
        ("result page", "GET", reverse("assessment:result", args=[done]),
         {"Cookie": cookie}, None, 200),
    ]  # fmt: skip
    proc = start_gunicorn(port, env, workdir / "gunicorn.log")
    measured = {}
    try:
        for name, method, path, headers, body, expected in pages:
            measured[name] = load(port, method, path, headers, body, expected)
            m = measured[name]
            print(f"  {name}: {m['requests']} requests in {SECONDS:.0f} s, "
                  f"{m['errors']} unexpected answers", flush=True)  # fmt: skip
    finally:
        stop(proc)
    return figures(measured)


def figures(measured: dict) -> list[dict]:
    ping = measured["ping"]["rate"]
    found = [_figure("ping, requests/s", ping, "req/s", None, "higher")]
    for name, m in measured.items():
        if name == "ping":
            continue
        found.append(_figure(f"{name}, requests/s", m["rate"], "req/s", None, "higher"))
        found.append(_figure(f"{name}, throughput / ping", m["rate"] / ping, "ratio",
                             RATIO_TARGETS[name], "higher"))  # fmt: skip
        found.append(_figure(f"{name}, p99 latency", m["p99"], "ms", P99_TARGET_MS,
                             "lower"))  # fmt: skip
        if m["errors"]:
            found.append(_figure(f"{name}, unexpected answers", m["errors"], "requests",
                                 0, "lower"))  # fmt: skip
    return found


def _figure(name, value, unit, target, better) -> dict:
    return {"name": name, "value": round(value, 3), "unit": unit, "target": target,
            "better": better}  # fmt: skip
