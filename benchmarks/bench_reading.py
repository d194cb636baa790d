"""Reading the owner's words: accuracy on the held-out split, time and memory.

The held-out split (tests/assessment/reading_set/heldout.json) was written and
committed before the reader was tuned, and is never tuned on. For comparison,
the same split is read the way the stone was found before the reader: exact
keyword phrases of the lexicon, accents, case and plurals ignored.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

from assessment.catalogue import load_catalogue, load_reader

ROOT = Path(__file__).resolve().parent.parent
HELD_OUT = ROOT / "tests" / "assessment" / "reading_set" / "heldout.json"
TARGET_ACCURACY = 90
TARGET_MS = 20
TARGET_MB = 150

# A web process: Django set up and the URLconf imported, then the reader loaded
# and one text read (simplemma loads its French dictionary on first use).
MEMORY_PROBE = """
import django, resource
django.setup()
import config.urls  # noqa: F401
def rss():
    return int(open("/proc/self/status").read().split("VmRSS:")[1].split()[0]) / 1024
before = rss()
from assessment.catalogue import load_reader
load_reader().read("Les apels d offre nous tuent")
print(rss() - before)
"""


def held_out() -> list[dict]:
    return json.loads(HELD_OUT.read_text(encoding="utf-8"))


def accuracy(items: list[dict], best) -> float:
    right = sum(best(item["text"]) == item["category"] for item in items)
    return round(100 * right / len(items), 1)


def _keyword_tokens(text: str) -> list[str]:
    """The keyword matching of assessment/stone.py before the reader, as it was."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    tokens = re.findall(r"[a-z0-9]+", text)
    return [
        t[:-1] if len(t) > 3 and t.endswith(("s", "x")) and not t.endswith("ss") else t
        for t in tokens
    ]


def keyword_best(categories):
    def matches(text, keywords) -> int:
        padded = " " + " ".join(_keyword_tokens(text)) + " "
        phrases = {" ".join(_keyword_tokens(k)) for k in keywords}
        return sum(1 for p in phrases if p and f" {p} " in padded)

    def best(text):
        counts = [
            (matches(text, c.keywords), -i, c.slug) for i, c in enumerate(categories)
        ]
        top = max(counts)
        return top[2] if top[0] else None

    return best


def reading_time_ms(reader, texts: list[str]) -> float:
    times = []
    for text in texts * 5:
        start = time.perf_counter()
        reader.read(text)
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)


def memory_mb() -> float:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    out = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE], cwd=ROOT, env=env,
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return round(float(out.stdout.strip().splitlines()[-1]), 1)


def run() -> list[dict]:
    items = held_out()
    reader = load_reader()

    def best(text):
        reading = reader.read(text)
        return reading.best.slug if reading.best else None

    before = keyword_best(load_catalogue().stone_categories)
    return [
        {"name": "stone_reading_heldout_top1", "value": accuracy(items, best),
         "unit": "%", "target": TARGET_ACCURACY, "better": "higher"},
        {"name": "stone_keywords_heldout_top1", "value": accuracy(items, before),
         "unit": "%", "target": None, "better": "higher"},
        {"name": "stone_reading_median_time", "value": reading_time_ms(
            reader, [i["text"] for i in items]),
         "unit": "ms", "target": TARGET_MS, "better": "lower"},
        {"name": "stone_reading_memory", "value": memory_mb(),
         "unit": "MB", "target": TARGET_MB, "better": "lower"},
    ]  # fmt: skip
