"""Load held: 50 owners at once, from the first page to their PDF plan.

gunicorn (2 workers, DEBUG off) and a Celery worker with 2 processes serve
BENCH_OWNERS (50) simulated owners, loopback only. Each one, as a browser
would, opens the start page, sends the company profile, then for every
section of the questionnaire opens the step page and posts its answers, opens
the result page, asks for the plan, follows its status as the page's htmx
does until it is ready, and downloads the PDF. Owners arrive over
BENCH_RAMP_SECONDS (5). Reported: the unexpected answers (target 0), the p95
of each step page (GET and POST), and the time from « Générer » to a ready
plan (p50, p95).
"""

from __future__ import annotations

import http.client
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.urls import reverse

from .bench_pages import ROOT, free_port, server_env, start_gunicorn, stop
from .bench_reports import start_worker, stop_worker
from .fixtures import ANSWERS, PROFILE_CODES

OWNERS = int(os.environ.get("BENCH_OWNERS", 50))
RAMP_SECONDS = float(os.environ.get("BENCH_RAMP_SECONDS", 5))
POLL_SECONDS = 0.25
PLAN_TIMEOUT = 600
WORKER_PROCESSES = 2
REPORT_ID = re.compile(r'id="report-(\d+)"')


class Unexpected(RuntimeError):
    """An answer an owner's browser would not expect."""


class Owner:
    """One browser: its cookies, and the time each request took, by step name."""

    def __init__(self, port: int, number: int):
        self.port, self.number = port, number
        self.cookies: dict[str, str] = {}
        self.timings: list[tuple[str, float]] = []

    def request(self, step: str, method: str, path: str, *, form=None, htmx=False,
                expected=(200,)) -> tuple[int, dict, bytes]:  # fmt: skip
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get(settings.CSRF_COOKIE_NAME, "")
            headers["Referer"] = f"http://127.0.0.1:{self.port}/"
        if htmx:
            headers["HX-Request"] = "true"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        started = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
        finally:
            conn.close()
        self.timings.append((step, (time.perf_counter() - started) * 1000))
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.status not in expected:
            raise Unexpected(f"{method} {path}: {response.status}")
        return response.status, dict(response.headers), content

    def location(self, headers: dict) -> str:
        return urlsplit(headers["Location"]).path


def profile_form(number: int) -> dict:
    return {
        "company_name": f"Cabinet Charge {number}",
        "sector": PROFILE_CODES["sector"],
        "size_band": PROFILE_CODES["size_band"],
        "department": PROFILE_CODES["department"],
        "respondent_name": "Claire Banc",
        "respondent_email": f"claire{number}@example.fr",
        "respondent_role": "Gérante",
        "consent": "on",
    }


def section_form(section) -> list[tuple[str, str]]:
    from assessment.forms import SHOWN

    fields = []
    for question in section.questions:
        fields.append((SHOWN, question.code))
        value = ANSWERS.get(question.code)
        values = value if isinstance(value, list) else [value]
        fields.extend((question.code, str(v)) for v in values if v is not None)
    return fields


def owner_journey(port: int, number: int, spec) -> Owner:
    """One owner's whole visit; raises Unexpected at the first odd answer."""
    time.sleep(random.Random(number).uniform(0, RAMP_SECONDS))
    owner = Owner(port, number)
    start = reverse("assessment:start")
    owner.request("start page", "GET", start)
    _s, headers, _c = owner.request(
        "start POST", "POST", start, form=profile_form(number), expected=(302,)
    )
    link = owner.location(headers)  # the page with the private link to keep
    pk = int(re.search(r"/(\d+)/", link).group(1))
    owner.request("link page", "GET", link)
    path = reverse("assessment:step", args=[pk, spec.sections[0].code])
    for section in spec.sections:
        step = reverse("assessment:step", args=[pk, section.code])
        if path != step:
            raise Unexpected(f"expected {step}, sent to {path}")
        owner.request(f"step {section.code} GET", "GET", step)
        _s, headers, _c = owner.request(
            f"step {section.code} POST", "POST", step,
            form=section_form(section), expected=(302,),
        )  # fmt: skip
        path = owner.location(headers)
    if path != reverse("assessment:result", args=[pk]):
        raise Unexpected(f"not submitted after the last step: sent to {path}")
    owner.request("result page", "GET", path)
    owner.plan_seconds = ask_plan(owner, pk)
    return owner


def ask_plan(owner: Owner, pk: int) -> float:
    """« Générer mon plan », then the status as htmx polls it, then the PDF."""
    asked = time.perf_counter()
    owner.request("plan POST", "POST", reverse("reports:request", args=[pk]),
                  form={}, expected=(302,))  # fmt: skip
    _s, _h, page = owner.request(
        "plans page", "GET", reverse("reports:list", args=[pk])
    )
    found = REPORT_ID.search(page.decode())
    if not found:
        raise Unexpected("no plan on the plans page")
    status = reverse("reports:status", args=[pk, int(found.group(1))])
    while time.perf_counter() - asked < PLAN_TIMEOUT:
        _s, _h, fragment = owner.request("plan status", "GET", status, htmx=True)
        text = fragment.decode()
        if "report-failed" in text:
            raise Unexpected("the plan failed")
        if "report-ready" in text:
            ready = time.perf_counter() - asked
            download = re.search(r'href="([^"]+/pdf/)"', text).group(1)
            _s, _h, pdf = owner.request("PDF download", "GET", download)
            if pdf[:4] != b"%PDF":
                raise Unexpected("the download is not a PDF")
            return ready
        time.sleep(POLL_SECONDS)
    raise Unexpected("the plan was not ready in time")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def run() -> list[dict]:
    from assessment.models import Questionnaire
    from assessment.questionnaire import spec_for

    spec = spec_for(Questionnaire.objects.current())
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="caillou-bench-load-"))
    env = server_env(port, str(workdir / "static"))
    media = str(workdir / "media")
    # Fifty owners come from one loopback address: lift the per-address limit.
    env.update(MEDIA_ROOT=media, THROTTLE_DIAGNOSTIC_CREATE="100000/hour")
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput",
                    "-v0"], cwd=ROOT, env=env, check=True)  # fmt: skip
    worker = start_worker(WORKER_PROCESSES, media)
    proc = start_gunicorn(port, env, workdir / "gunicorn.log")
    started = time.monotonic()
    try:
        with ThreadPoolExecutor(OWNERS) as pool:
            futures = [pool.submit(owner_journey, port, n, spec) for n in range(OWNERS)]
            outcomes = [_outcome(future) for future in futures]
    finally:
        stop(proc)
        stop_worker(worker)
    elapsed = time.monotonic() - started
    owners = [o for o in outcomes if isinstance(o, Owner)]
    errors = [o for o in outcomes if not isinstance(o, Owner)]
    for error in sorted(set(map(str, errors)))[:5]:
        print(f"  unexpected: {error}", flush=True)
    print(f"  {len(owners)} of {OWNERS} owners got their plan in {elapsed:.0f} s",
          flush=True)  # fmt: skip
    return figures(owners, len(errors), spec)


def _outcome(future):
    try:
        return future.result()
    except (Unexpected, OSError, AttributeError) as error:
        return error


def figures(owners: list[Owner], errors: int, spec) -> list[dict]:
    by_step: dict[str, list[float]] = {}
    for owner in owners:
        for step, ms in owner.timings:
            by_step.setdefault(step, []).append(ms)
    found = [
        _figure(f"load, {OWNERS} owners: unexpected answers", errors, "owners", 0,
                "lower"),
    ]  # fmt: skip
    pages = ["start page", "start POST", "link page"]
    pages += [f"step {s.code} {m}" for s in spec.sections for m in ("GET", "POST")]
    pages += ["result page", "plan POST", "plan status", "PDF download"]
    for page in pages:
        if by_step.get(page):
            p95 = percentile(by_step[page], 0.95)
            print(f"  {page}: p95 {p95:.0f} ms over {len(by_step[page])}", flush=True)
            found.append(_figure(f"load, {OWNERS} owners: {page} p95", p95, "ms",
                                 None, "lower"))  # fmt: skip
    plans = [owner.plan_seconds for owner in owners]
    if plans:
        found += [
            _figure(f"load, {OWNERS} owners: « Générer » to a ready plan, p50",
                    percentile(plans, 0.5), "s", None, "lower"),
            _figure(f"load, {OWNERS} owners: « Générer » to a ready plan, p95",
                    percentile(plans, 0.95), "s", None, "lower"),
        ]  # fmt: skip
    return found


def _figure(name, value, unit, target, better) -> dict:
    return {"name": name, "value": round(value, 3), "unit": unit, "target": target,
            "better": better}  # fmt: skip
