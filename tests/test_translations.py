"""Every string the code marks for translation has its English translation.

The English catalogues are edited by hand: a string added or retyped in the code
(an apostrophe or a non-breaking space changed) silently stays French on English
pages. This extracts the marked strings as `makemessages` does, from a copy of the
sources, and looks each one up in the catalogues English pages are served from.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.utils import translation
from django.utils.translation import trans_real

ROOT = Path(__file__).resolve().parent.parent
SKIP = shutil.ignore_patterns(
    ".venv", ".git", "node_modules", "screenshots", "media", ".run", "__pycache__",
    "*.mo", "tests", "benchmarks",
)  # fmt: skip
SOURCES = ("config", "catalog", "assessment", "reports", "advisors", "pulse", "privacy",
           "templates", "locale", "manage.py")  # fmt: skip


@pytest.fixture(scope="module")
def marked_strings(tmp_path_factory) -> list[polib.POEntry]:
    if not shutil.which("xgettext"):
        pytest.skip("gettext is installed by make test (scripts/sysdeps.sh)")
    copy = tmp_path_factory.mktemp("src")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=SKIP)
        else:
            shutil.copy(source, copy / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete"],
        cwd=copy, check=True, capture_output=True,
    )  # fmt: skip
    entries = []
    for po in copy.glob("**/locale/en/LC_MESSAGES/django.po"):
        entries.extend(e for e in polib.pofile(str(po)) if not e.obsolete)
    return entries


def as_in_code(msgid: str) -> str:
    """xgettext keeps Python's « \\u00a0 » escapes as written; the code sees the character."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), msgid)


def test_every_marked_string_has_its_english_translation(marked_strings):
    entries = marked_strings
    assert len(entries) > 500  # the extraction did run over the whole project
    with translation.override("en"):
        catalog = trans_real.translation("en")._catalog
    missing = []
    for entry in entries:
        msgid = as_in_code(entry.msgid)
        key = f"{entry.msgctxt}\x04{msgid}" if entry.msgctxt else msgid
        if entry.msgid_plural:
            key = (key, 0)
        if not catalog.get(key):
            missing.append(f"{entry.occurrences[:1]} {msgid!r}")
    assert missing == [], "\n".join(missing)


# French typography: a non-breaking space inside « guillemets » and before : ; ! ?
LOOSE_SPACE = re.compile(r"« | »| [:;!?](?=\s|$|<|\")")


def test_french_strings_keep_their_non_breaking_spaces(marked_strings):
    loose = [
        f"{e.occurrences[:1]} {as_in_code(e.msgid)!r}"
        for e in marked_strings
        if LOOSE_SPACE.search(as_in_code(e.msgid))
    ]
    assert loose == [], "\n".join(loose)
