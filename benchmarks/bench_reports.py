"""PDF action plans: render time, against Chromium, through a worker, at scale.

- render: median time to render the standard plan of the five personas in a
  warm process (context, template, layout, PDF);
- chromium: the same HTML printed to PDF by a warm headless Chromium (Debian's
  /usr/bin/chromium through Playwright, one page reused), and the ratio;
- request → ready: asked through the real path (row, Redis, a warm worker)
  until the row says ready, against rendering it in this process;
- reports per minute with 1 and 2 worker processes, and the scaling;
- memory growth of a worker process over BENCH_REPORTS (200) plans.

Environment: BENCH_REPORTS (200), BENCH_ROUNDS (3 renders per persona).
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.utils import translation

from reports import pdf, rendering, tasks
from reports.models import Report
from tests.reports.personas import PERSONAS, submitted_assessment

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
REPORTS = int(os.environ.get("BENCH_REPORTS", 200))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 3))


def figure(name, value, unit, target, better):
    return {"name": name, "value": value, "unit": unit, "target": target,
            "better": better}  # fmt: skip


def timed(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def persona_reports() -> list[Report]:
    reports = []
    for name, persona in PERSONAS.items():
        assessment, _token = submitted_assessment(persona, name)
        reports.append(
            Report.objects.create(assessment=assessment, version=1, language="fr")
        )
    return reports


def html_of(report: Report) -> list[str]:
    """The plan's HTML and the annex's, as WeasyPrint gets them."""
    annex = rendering.annex_html()
    pages = len(
        pdf.layout_once(("annex", translation.get_language()), lambda: annex).pages
    )
    return [rendering.plan_html(report, annex_pages=pages), annex]


def weasyprint_html_to_pdf(htmls: list[str]) -> bytes:
    annex = pdf.layout_once(("annex", translation.get_language()), lambda: htmls[1])
    return pdf.write(pdf.with_annex(pdf.layout(htmls[0]), annex))


def chromium_times(htmls: list[list[str]]) -> list[float]:
    """Chromium prints the same pages, with the stylesheet WeasyPrint is given."""
    from playwright.sync_api import sync_playwright

    htmls = [[pdf.standalone_html(html) for html in parts] for parts in htmls]

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        page = browser.new_page()

        def print_pdf(parts):
            for html in parts:  # the plan, then the annex
                page.set_content(html)
                page.pdf(format="A4", print_background=True, prefer_css_page_size=True)

        for parts in htmls:  # warm up
            print_pdf(parts)
        times = [timed(print_pdf, p) for _ in range(ROUNDS) for p in htmls]
        browser.close()
    return times


# --- Workers -------------------------------------------------------------------------


def start_worker(concurrency: int, media: str) -> subprocess.Popen:
    from config.celery import app

    env = dict(os.environ, MEDIA_ROOT=media)
    cmd = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "-l", "WARNING",
        "-P", "prefork", "-c", str(concurrency), "-n", f"bench-{os.getpid()}@%h",
        "--without-gossip", "--without-mingle",
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
    for _ in range(30):
        if app.control.ping(timeout=1.0):
            return proc
    stop_worker(proc)
    raise RuntimeError("the bench worker did not answer")


def stop_worker(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def pool_rss_mb(worker: subprocess.Popen) -> float:
    """Resident memory of the worker's pool processes, in MB."""
    total = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if int(fields["PPid"]) == worker.pid:
            total += int(fields["VmRSS"].split()[0])
    return total / 1024


def ask_many(templates: list[Report], count: int) -> list[int]:
    """Queue `count` new versions, cycling through the personas; return their ids."""
    ids = []
    for n in range(count):
        source = templates[n % len(templates)]
        version = Report.objects.filter(assessment=source.assessment).count() + 1
        report = Report.objects.create(
            assessment=source.assessment, version=version, language="fr"
        )
        ids.append(report.pk)
    for pk in ids:
        tasks.enqueue(pk)
    return ids


def wait_ready(ids: list[int], timeout: float = 1800) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = Report.objects.filter(pk__in=ids, status__in=["ready", "failed"])
        if done.count() == len(ids):
            failed = done.filter(status="failed").first()
            if failed:
                raise RuntimeError(f"a bench report failed: {failed.failure_reason}")
            return
        time.sleep(0.01)
    raise RuntimeError("bench reports not ready in time")


def per_minute(templates, count: int) -> float:
    start = time.perf_counter()
    wait_ready(ask_many(templates, count))
    return count * 60 / (time.perf_counter() - start)


def request_to_ready(templates) -> list[float]:
    times = []
    for _ in range(ROUNDS):
        for source in templates:
            start = time.perf_counter()
            wait_ready(ask_many([source], 1))
            times.append(time.perf_counter() - start)
    return times


# --- The figures --------------------------------------------------------------------


def run() -> list[dict]:
    translation.activate("fr")
    media = tempfile.mkdtemp(prefix="caillou-bench-media-")
    settings.MEDIA_ROOT = media
    templates = persona_reports()
    htmls = [html_of(r) for r in templates]
    for report in templates:  # warm: fonts, templates, the annex
        rendering.render_bytes(report)
    render = [
        timed(rendering.render_bytes, r) for _ in range(ROUNDS) for r in templates
    ]
    weasy = [timed(weasyprint_html_to_pdf, h) for _ in range(ROUNDS) for h in htmls]
    chromium = chromium_times(htmls)
    render_s = statistics.median(render)
    ratio = statistics.median(weasy) / statistics.median(chromium)
    figures = [
        figure("reports_render_median", round(render_s, 3), "s", 0.6, "lower"),
        figure("reports_weasyprint_html_to_pdf_median",
               round(statistics.median(weasy), 3), "s", None, "lower"),
        figure("reports_chromium_html_to_pdf_median",
               round(statistics.median(chromium), 3), "s", None, "lower"),
        figure("reports_weasyprint_vs_chromium", round(ratio, 2), "×", 1.0, "lower"),
    ]  # fmt: skip
    figures += worker_figures(templates, media, render_s)
    return figures


def worker_figures(templates, media: str, render_s: float) -> list[dict]:
    worker = start_worker(1, media)
    try:
        per_minute(templates, 10)  # warm the pool process
        ready = statistics.median(request_to_ready(templates))
        rss_before = pool_rss_mb(worker)
        one = per_minute(templates, REPORTS)
        growth = pool_rss_mb(worker) - rss_before
    finally:
        stop_worker(worker)
    worker = start_worker(2, media)
    try:
        per_minute(templates, 10)
        two = per_minute(templates, max(REPORTS // 2, 20))
    finally:
        stop_worker(worker)
    return [
        figure("reports_request_to_ready_median", round(ready, 3), "s", None, "lower"),
        figure("reports_request_to_ready_vs_render", round(ready / render_s, 2), "×",
               1.15, "lower"),
        figure("reports_per_minute_1_worker", round(one, 1), "reports/min", None,
               "higher"),
        figure("reports_per_minute_2_workers", round(two, 1), "reports/min", None,
               "higher"),
        figure("reports_scaling_2_vs_1_workers", round(two / one, 2), "×", 1.7,
               "higher"),
        figure(f"reports_worker_memory_growth_{REPORTS}", round(growth, 1), "MB", 50,
               "lower"),
    ]  # fmt: skip
