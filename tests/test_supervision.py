"""`make run` heals itself: what crashes is started again, the site keeps serving.

The end-to-end test starts `scripts/services.py run` on a file SQLite database
and a private Redis, kills the worker and Redis, asks for plans meanwhile, and
waits for every one to be ready once both are back.
"""

import importlib.util
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.assessment import personas

ROOT = Path(settings.BASE_DIR)
spec = importlib.util.spec_from_file_location("services", ROOT / "scripts/services.py")
services = importlib.util.module_from_spec(spec)
spec.loader.exec_module(services)


def test_a_crashed_process_is_started_again_with_growing_pauses(capsys):
    stack = services.Stack()
    now = [0.0]
    supervisor = services.Supervisor(stack, clock=lambda: now[0])
    try:
        stack.start("worker", ["sleep", "60"])
        stack.start("web", ["sleep", "60"])
        web = stack.processes[1][1]
        pauses = []
        for _crash in range(3):
            worker = stack.processes[0][1]
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
            supervisor.check()  # noticed: due after the pause
            pause = supervisor.due["worker"] - now[0]
            pauses.append(pause)
            supervisor.check()
            assert stack.processes[0][1] is worker  # not before the pause
            now[0] += pause
            supervisor.check()
            assert stack.processes[0][1].poll() is None  # started again
        assert pauses == [1, 2, 4]
        assert web.poll() is None and stack.processes[1][1] is web  # untouched
        out = capsys.readouterr().out
        assert "worker stopped (exit -9): starting it again in 1 s" in out
        now[0] += services.STABLE_AFTER
        supervisor.check()  # up a minute: the next crash waits 1 s again
        assert "worker" not in supervisor.pause
    finally:
        stack.stop()


# --- End to end --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def call(base: str, method: str, path: str, body=None, token="") -> tuple[int, dict]:
    request = urllib.request.Request(
        base + path, method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json",
                 **({"Authorization": f"Token {token}"} if token else {})},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            data = response.read()
            is_json = response.headers.get_content_type() == "application/json"
            return response.status, json.loads(data) if is_json else {}
    except urllib.error.HTTPError as error:
        return error.code, {}


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError(f"{what}: not within {timeout:.0f} s")


class Run:
    """`services.py run` in the background, its log lines collected."""

    def __init__(self, tmp_path: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
            "CAILLOU_RUN_DIR": str(tmp_path / "run"),
            "MEDIA_ROOT": str(tmp_path / "media"),
            "PORT": str(self.port),
            "DEBUG": "1",
            "LOG_LEVEL": "WARNING",
            # Beat looks for plans to send every 2 s instead of 30.
            "REPORTS_REQUEUE_EVERY": "2",
            "REPORTS_REQUEUE_AFTER": "5",
        }
        env.pop("CACHE_URL", None)
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            [sys.executable, "scripts/services.py", "run"], cwd=ROOT, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,
        )  # fmt: skip
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line)

    def pid(self, name: str) -> int:
        started = re.compile(rf"\[caillou\] {name} started(?: again)? \(pid (\d+)\)")
        pids = [int(m[1]) for line in self.lines if (m := started.search(line))]
        return pids[-1] if pids else 0

    def serves(self) -> bool:
        try:
            return call(self.base, "GET", "/ping")[0] == 200
        except OSError:
            return False

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)


def submitted_diagnostic(base: str) -> tuple[int, str]:
    profile = {
        "company_name": "Cabinet Durand", "sector": "finance", "size_band": "small",
        "department": "31", "respondent_name": "Claire Durand",
        "respondent_email": "claire@example.fr", "respondent_role": "Gérante",
        "consent": True,
    }  # fmt: skip
    status, created = call(base, "POST", "/api/v1/assessments/", profile)
    assert status == 201, status
    pk, token = created["id"], created["token"]
    answers = personas.ACCOUNTING_FIRM["answers"]
    assert (
        call(base, "PATCH", f"/api/v1/assessments/{pk}/answers/", answers, token)[0]
        == 200
    )
    assert call(base, "POST", f"/api/v1/assessments/{pk}/submit/", {}, token)[0] == 200
    return pk, token


@pytest.mark.services
def test_killing_the_worker_and_redis_leaves_the_site_serving_and_plans_ready(
    tmp_path,
):
    run = Run(tmp_path)
    try:
        wait_for(run.serves, 240, "the site")
        names = ("worker", "worker-plans", "redis")
        wait_for(lambda: all(run.pid(name) for name in names), 10, "the pids")
        worker, plans_worker, redis = (run.pid(name) for name in names)
        for pid in (worker, plans_worker, redis):
            os.killpg(pid, signal.SIGKILL)
        # Submitted while they are down: the plan made on submission waits too.
        pk, token = submitted_diagnostic(run.base)
        asked = []
        # A plan asked again while queued is the same plan.
        for _plan in range(3):
            status, report = call(
                run.base, "POST", f"/api/v1/assessments/{pk}/reports/", {}, token
            )
            assert status == 202, status
            assert report["status"] == "queued"
            asked.append(report["id"])
            status, _ = call(run.base, "GET", f"/api/v1/assessments/{pk}/", None, token)
            assert status == 200
        log = "".join(run.lines)
        assert "worker stopped" in log or run.pid("worker") == worker

        def all_ready():
            states = [
                call(run.base, "GET", f"/api/v1/reports/{pk_}/", None, token)[1].get(
                    "status"
                )
                for pk_ in set(asked)
            ]
            return all(state == "ready" for state in states)

        wait_for(all_ready, 180, "every plan asked")
        assert run.pid("worker") != worker and run.pid("redis") != redis
        assert run.pid("worker-plans") != plans_worker
        assert run.proc.poll() is None and run.serves()
    finally:
        run.stop()
