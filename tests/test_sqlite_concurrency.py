"""`make run` on SQLite serves concurrent writes: WAL, IMMEDIATE transactions and a
busy timeout instead of « database is locked » (500).

A real threaded development server on a file database, as `make run` starts it;
the rest of the suite runs on PostgreSQL.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings

from tests.assessment import personas

ROOT = Path(settings.BASE_DIR)
PROFILE = {
    "company_name": "Cabinet Durand", "siren": "732829320", "sector": "finance",
    "size_band": "small", "department": "31", "revenue_band": "500k-2m",
    "respondent_name": "Claire Durand", "respondent_email": "claire@example.fr",
    "respondent_role": "Gérante", "consent": True,
}  # fmt: skip
CONCURRENT = 8


def _call(method: str, url: str, body: dict, token: str = "") -> tuple[int, dict]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), method=method,
        headers={"Content-Type": "application/json",
                 **({"Authorization": f"Token {token}"} if token else {})},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, {}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def sqlite_server(tmp_path_factory):
    database = tmp_path_factory.mktemp("sqlite") / "db.sqlite3"
    env = {
        **os.environ, "DATABASE_URL": f"sqlite:///{database}", "DEBUG": "1",
        "DATABASE_CONN_MAX_AGE": "60", "LOG_LEVEL": "WARNING",
    }  # fmt: skip
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--no-input"], ["load_seeds"]):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
    port = free_port()
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/ping", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    yield base
    server.terminate()
    server.wait(timeout=10)


def test_concurrent_writes_on_sqlite_all_succeed(sqlite_server):
    api = sqlite_server + "/api/v1/assessments/"
    with ThreadPoolExecutor(CONCURRENT) as pool:
        created = list(pool.map(lambda _: _call("POST", api, PROFILE), range(16)))
    assert [status for status, _body in created] == [201] * 16

    answers = personas.ACCOUNTING_FIRM["answers"]

    def answer(body):
        return _call("PATCH", f"{api}{body['id']}/answers/", answers, body["token"])[0]

    with ThreadPoolExecutor(CONCURRENT) as pool:
        statuses = list(pool.map(answer, [body for _status, body in created]))
    assert statuses == [200] * 16
