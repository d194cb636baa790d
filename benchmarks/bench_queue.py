"""The advisor's queue at 100,000 shared cases.

`generate_cases` fills the benchmark database (BENCH_CASES, default 100,000);
gunicorn serves it with DEBUG off, as in production. An advisor of the
biggest organisation then opens the queue under a realistic mix of filters,
one request at a time (latency, not throughput): p50 and p95 per mix and
over all. The number of SQL queries per page is counted in-process for page
sizes 10, 25, 50 and 100: it must not grow with the page size.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from .bench_pages import free_port, request, server_env, start_gunicorn, stop

CASES = int(os.environ.get("BENCH_CASES", 100_000))
ROUNDS = int(os.environ.get("BENCH_QUEUE_ROUNDS", 20))
P95_TARGET_MS = 100


def populate() -> float:
    """Generate the cases unless they are there; the seconds it took."""
    from advisors.management.commands.generate_cases import generate
    from advisors.models import Case

    missing = CASES - Case.objects.count()
    if missing <= 0:
        return 0.0
    return generate(missing, organisations=5, seed=2026).seconds


def advisor_of_biggest_organisation():
    from advisors.models import Case, Membership

    biggest = (
        Case.objects.active().values("organisation")
        .annotate(n=Count("pk")).order_by("-n").first()
    )  # fmt: skip
    member = (
        Membership.objects.filter(
            organisation=biggest["organisation"], role=Membership.Role.ADVISOR
        )
        .select_related("user")
        .first()
    )
    return member, biggest["n"]


def session_cookie(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def filter_mixes(user) -> dict[str, dict]:
    """What advisors ask the queue for, from the broadest to the narrowest."""
    three_months_ago = timezone.localdate() - timedelta(days=91)
    return {
        "no filter": {},
        "new cases": {"status": "new"},
        "assigned to me": {"assignee": "me"},
        "department 31, by score": {"department": "31", "sort": "-overall"},
        "sector + size": {"sector": "finance", "size": "small"},
        "level + stone": {"level": "2", "stone": "quotes-invoices"},
        "company search": {"q": "Durand"},
        "last 3 months": {"shared_after": str(three_months_ago), "sort": "shared_at"},
        "page 40 of 50 per page": {"page": "40", "per_page": "50"},
    }


def queries_per_page(user) -> dict[int, int]:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    counts = {}
    for per_page in (10, 25, 50, 100):
        client.get(reverse("advisors:queue"), {"per_page": per_page})  # warm
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("advisors:queue"), {"per_page": per_page})
        assert response.status_code == 200, response.status_code
        counts[per_page] = len(captured)
    return counts


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def run() -> list[dict]:
    generation_seconds = populate()
    member, queue_size = advisor_of_biggest_organisation()
    print(f"  {CASES} cases; the advisor's organisation holds {queue_size}", flush=True)
    counts = queries_per_page(member.user)
    print(f"  SQL queries per page size: {counts}", flush=True)

    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="caillou-bench-queue-"))
    env = server_env(port, str(workdir / "static"))
    headers = {"Cookie": session_cookie(member.user)}
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput",
                    "-v0"], env=env, check=True)  # fmt: skip
    proc = start_gunicorn(port, env, workdir / "gunicorn.log")
    latencies, per_mix = [], {}
    try:
        mixes = filter_mixes(member.user)
        for params in mixes.values():  # warm every worker and query plan
            path = reverse("advisors:queue") + "?" + urlencode(params)
            status, location = request(port, "GET", path, headers)
            if status != 200:
                raise RuntimeError(f"{path} answered {status} ({location})")
        for _round in range(ROUNDS):
            for name, params in mixes.items():
                path = reverse("advisors:queue") + "?" + urlencode(params)
                started = time.perf_counter()
                request(port, "GET", path, headers)
                elapsed = (time.perf_counter() - started) * 1000
                latencies.append(elapsed)
                per_mix.setdefault(name, []).append(elapsed)
        ping = []
        for _i in range(ROUNDS * 3):
            started = time.perf_counter()
            request(port, "GET", "/ping", {})
            ping.append((time.perf_counter() - started) * 1000)
    finally:
        stop(proc)
    for name, values in per_mix.items():
        print(f"  {name}: p50 {percentile(values, 0.5):.1f} ms, "
              f"p95 {percentile(values, 0.95):.1f} ms", flush=True)  # fmt: skip
    figures = [
        _figure("queue page at 100k cases, p95 latency", percentile(latencies, 0.95),
                "ms", P95_TARGET_MS, "lower"),
        _figure("queue page at 100k cases, p50 latency", percentile(latencies, 0.5),
                "ms", None, "lower"),
        _figure("queue page p50 / ping p50", percentile(latencies, 0.5)
                / percentile(ping, 0.5), "ratio", None, "lower"),
        _figure("queue SQL queries, page of 100 minus page of 10",
                counts[100] - counts[10], "queries", 0, "lower"),
        _figure("queue SQL queries per page", counts[25], "queries", None, "lower"),
    ]  # fmt: skip
    if generation_seconds:
        figures.append(
            _figure(f"generating {CASES} cases", generation_seconds, "s", None, "lower")
        )
    return figures


def _figure(name, value, unit, target, better) -> dict:
    return {"name": name, "value": round(value, 3), "unit": unit, "target": target,
            "better": better}  # fmt: skip
