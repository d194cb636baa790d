#!/usr/bin/env python3
"""Run every benchmark and write benchmarks/results.json.

    make bench          PostgreSQL and Redis from scripts/services.py
    .venv/bin/python benchmarks/run.py [bench_scoring ...]   (default: every bench_*.py)

The benchmarks get a database of their own, created here (on the server of
DATABASE_URL, or in a temporary SQLite file), migrated and seeded, then dropped.
Each module's `run()` returns figures: {"name", "value", "unit", "target", "better"}.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import shutil
import sys
import tempfile
import traceback
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results.json"
MODULES = sorted(path.stem for path in (ROOT / "benchmarks").glob("bench_*.py"))
BENCH_DATABASE = "caillou_bench"


@contextlib.contextmanager
def bench_database():
    """Point DATABASE_URL at a fresh database for the benchmarks; drop it after."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        workdir = tempfile.mkdtemp(prefix="caillou-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
        print("No PostgreSQL in DATABASE_URL: using SQLite (run `make bench`).")
        try:
            yield
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        return
    import psycopg

    parts = urlsplit(url)
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
        conn.execute(f"CREATE DATABASE {BENCH_DATABASE}")
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{BENCH_DATABASE}"))
    try:
        yield
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(maintenance, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")


def prepare() -> None:
    import django
    from django.core.management import call_command

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    with contextlib.redirect_stdout(io.StringIO()):  # the loaders print their counts
        call_command("load_seeds", verbosity=0)


def meets(figure: dict) -> str:
    target = figure["target"]
    if target is None:
        return "(no target)"
    if figure["better"] == "lower":
        ok = figure["value"] <= target
    else:
        ok = figure["value"] >= target
    sign = "≤" if figure["better"] == "lower" else "≥"
    return f"target {sign} {target} {figure['unit']}: {'met' if ok else 'MISSED'}"


def write(figures: list[dict], *, partial: bool) -> None:
    """Save the figures; a partial run replaces only the figures it measured."""
    if partial and RESULTS.exists():
        fresh = {figure["name"] for figure in figures}
        kept = [f for f in json.loads(RESULTS.read_text()) if f["name"] not in fresh]
        figures = kept + figures
    RESULTS.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")


def main(names: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    figures, failed = [], []
    with bench_database():
        prepare()
        for name in names or MODULES:
            print(f"{name}:", flush=True)
            try:
                module = importlib.import_module(f"benchmarks.{name}")
                found = module.run()
            except Exception:
                traceback.print_exc()
                failed.append(name)
                continue
            for figure in found:
                print(f"  {figure['name']}: {figure['value']} {figure['unit']}  "
                      f"{meets(figure)}", flush=True)  # fmt: skip
            figures.extend(found)
    write(figures, partial=bool(names))
    print(f"Wrote {RESULTS.relative_to(ROOT)} ({len(figures)} figures).")
    if failed:
        print(f"Failed to run: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
