"""PDF action plans: render time, against Chromium, click → file, through a worker.

- render: median time to render the standard plan of the five personas in a
  warm process (context, template, layout, PDF);
- WeasyPrint vs Chromium: the same HTML printed to PDF by WeasyPrint and by a
  warm headless Chromium (Debian's /usr/bin/chromium through Playwright, one
  page reused), side by side in each round; the figure is the median of the
  rounds' ratios. WeasyPrint is profiled once: the functions where its time
  goes are printed (and written to benchmarks/profile-weasyprint.txt);
- click → downloadable: a submitted diagnostic's plan is made by a worker
  when it is submitted (ready before asked); the owner's click on « Générer »
  then answers with the file, streamed through the app after its access check
  from the storage in use (the object store under `make bench`). Paired with
  Chromium printing the same plan's HTML, round by round;
- request → ready: asked through the real path (row, Redis, a warm worker)
  until the row says ready, against rendering it in this process;
- reports per minute with 1 and 2 worker processes, and the scaling;
- memory growth of a worker process over BENCH_REPORTS (200) plans.

Environment: BENCH_REPORTS (200), BENCH_ROUNDS (3 renders per persona).
"""

from __future__ import annotations

import contextlib
import cProfile
import io
import os
import pstats
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from assessment.access import SESSION_KEY
from reports import asking, pdf, rendering, tasks
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
    """The standard plan of each persona (the row its submission saved)."""
    reports = []
    for name, persona in PERSONAS.items():
        assessment, _token = submitted_assessment(persona, name)
        reports.append(asking.request_report(assessment, language="fr"))
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


@contextlib.contextmanager
def chromium_printer():
    """A warm Chromium: print(parts) prints the plan, then the annex, to PDF.

    It is given the same pages, with the stylesheet WeasyPrint is given.
    """
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread, and Django then
    # refuses ORM calls (its "async context" guard). This script does one
    # thing at a time, so the guard can stand down while Chromium is open.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        page = browser.new_page()

        def print_pdf(parts: list[str]) -> None:
            for html in parts:
                page.set_content(pdf.standalone_html(html))
                page.pdf(format="A4", print_background=True, prefer_css_page_size=True)

        try:
            yield print_pdf
        finally:
            browser.close()


def paired_html_to_pdf(htmls: list[list[str]], print_pdf) -> tuple[list, list]:
    """WeasyPrint and Chromium on the same HTML, one after the other, each round."""
    for parts in htmls:  # warm both
        weasyprint_html_to_pdf(parts)
        print_pdf(parts)
    weasy, chromium = [], []
    for _ in range(ROUNDS):
        for parts in htmls:
            weasy.append(timed(weasyprint_html_to_pdf, parts))
            chromium.append(timed(print_pdf, parts))
    return weasy, chromium


def weasyprint_phases(parts: list[str]) -> dict[str, float]:
    """WeasyPrint's time on one plan, by phase (seconds, medians of the rounds)."""
    annex = pdf.layout_once(("annex", translation.get_language()), lambda: parts[1])
    phases: dict[str, list[float]] = {"parse HTML": [], "style and layout": [],
                                      "draw, tag and write the PDF": []}  # fmt: skip
    for _ in range(ROUNDS):
        start = time.perf_counter()
        source = pdf.PlanHTML(
            string=parts[0], base_url=pdf.BASE_URL, url_fetcher=pdf.StaticOnlyFetcher()
        )
        parsed = time.perf_counter()
        document = source.render(
            font_config=pdf.font_config(), stylesheets=[pdf.stylesheet()],
            **pdf.PDF_OPTIONS,
        )  # fmt: skip
        laid_out = time.perf_counter()
        pdf.write(pdf.with_annex(document, annex))
        written = time.perf_counter()
        phases["parse HTML"].append(parsed - start)
        phases["style and layout"].append(laid_out - parsed)
        phases["draw, tag and write the PDF"].append(written - laid_out)
    return {name: statistics.median(times) for name, times in phases.items()}


def profile_weasyprint(parts: list[str], top: int = 20) -> str:
    """Where WeasyPrint's time goes on one plan: by phase, then by function.

    cProfile slows small Python calls more than C code (Pango, zlib): read the
    functions for where to look, the phases for how much.
    """
    phases = weasyprint_phases(parts)
    total = sum(phases.values())
    lines = [f"{name}: {seconds:.3f} s ({seconds / total:.0%})"
             for name, seconds in phases.items()]  # fmt: skip
    profiler = cProfile.Profile()
    profiler.enable()
    weasyprint_html_to_pdf(parts)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    text = "\n".join(lines) + "\n\n" + out.getvalue()
    (ROOT / "benchmarks" / "profile-weasyprint.txt").write_text(text)
    return text


# --- Workers -------------------------------------------------------------------------


def start_worker(concurrency: int, media_root: str = "") -> subprocess.Popen:
    """A worker on every queue (MEDIA_ROOT or the object store: the bench's own)."""
    from config.celery import app

    env = dict(os.environ, MEDIA_ROOT=media_root or str(settings.MEDIA_ROOT))
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
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="caillou-bench-media-")
    templates = persona_reports()
    htmls = [html_of(r) for r in templates]
    for report in templates:  # warm: fonts, templates, the annex
        rendering.render_bytes(report)
    render = [
        timed(rendering.render_bytes, r) for _ in range(ROUNDS) for r in templates
    ]
    render_s = statistics.median(render)
    with chromium_printer() as print_pdf:
        weasy, chromium = paired_html_to_pdf(htmls, print_pdf)
        ratios = [w / c for w, c in zip(weasy, chromium, strict=True)]
        profile = profile_weasyprint(htmls[0])
        print("  WeasyPrint profile (benchmarks/profile-weasyprint.txt):")
        print("\n".join("    " + line for line in profile.splitlines()[:3]))
        figures = [
            figure("reports_render_median", round(render_s, 3), "s", 0.6, "lower"),
            figure("reports_weasyprint_html_to_pdf_median",
                   round(statistics.median(weasy), 3), "s", None, "lower"),
            figure("reports_chromium_html_to_pdf_median",
                   round(statistics.median(chromium), 3), "s", None, "lower"),
            figure("reports_weasyprint_vs_chromium", round(statistics.median(ratios), 2),
                   "×", 2.5, "lower"),
        ]  # fmt: skip
        figures += worker_figures(templates, render_s, print_pdf)
    return figures


def worker_figures(templates, render_s: float, print_pdf) -> list[dict]:
    worker = start_worker(1)
    try:
        per_minute(templates, 10)  # warm the pool process
        figures = click_figures(print_pdf)
        ready = statistics.median(request_to_ready(templates))
        rss_before = pool_rss_mb(worker)
        one = per_minute(templates, REPORTS)
        growth = pool_rss_mb(worker) - rss_before
    finally:
        stop_worker(worker)
    worker = start_worker(2)
    try:
        per_minute(templates, 10)
        two = per_minute(templates, max(REPORTS // 2, 20))
    finally:
        stop_worker(worker)
    return figures + [
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


# --- Click → downloadable ----------------------------------------------------------


def submitted_with_plan(name: str, persona: dict) -> tuple[Report, float]:
    """Submit a diagnostic as the owner does; its plan, once ready, and the wait."""
    start = time.perf_counter()
    assessment, _token = submitted_assessment(persona, name)  # the plan is asked
    report = assessment.reports.get()
    wait_ready([report.pk])
    return report, time.perf_counter() - start


def owner_client(assessment_id: int) -> Client:
    client = Client(SERVER_NAME="localhost")
    session = client.session
    session[SESSION_KEY] = [assessment_id]
    session.save()
    return client


def click_to_file(client: Client, report: Report) -> None:
    """« Générer mon plan »: the answer is the file, read to its last byte."""
    response = client.post(reverse("reports:request", args=[report.assessment_id]))
    if response.get("Content-Type") != "application/pdf":
        raise RuntimeError(f"the click answered {response.status_code}, not the file")
    if not b"".join(response.streaming_content).startswith(b"%PDF"):
        raise RuntimeError("the download is not a PDF")


def click_figures(print_pdf) -> list[dict]:
    """Click → downloadable, paired with Chromium printing the same plan."""
    plans = [
        submitted_with_plan(f"{name} (clic)", persona)
        for name, persona in PERSONAS.items()
    ]
    clients = {report.pk: owner_client(report.assessment_id) for report, _ in plans}
    htmls = {report.pk: html_of(report) for report, _ in plans}
    for report, _wait in plans:  # warm
        click_to_file(clients[report.pk], report)
    clicks, prints = [], []
    for _ in range(ROUNDS):
        for report, _wait in plans:
            clicks.append(timed(click_to_file, clients[report.pk], report))
            prints.append(timed(print_pdf, htmls[report.pk]))
    ratios = [c / p for c, p in zip(clicks, prints, strict=True)]
    submit_to_ready = statistics.median(wait for _report, wait in plans)
    return [
        figure("reports_click_to_downloadable_median",
               round(statistics.median(clicks), 3), "s", None, "lower"),
        figure("reports_click_to_downloadable_vs_chromium",
               round(statistics.median(ratios), 2), "×", 0.5, "lower"),
        figure("reports_submit_to_ready_median", round(submit_to_ready, 3), "s",
               None, "lower"),
    ]  # fmt: skip
