"""Every cache key of the project, built in one place.

Entries are cached by state: a key names all that its entry depends on, so a
change makes a new key rather than a stale hit, and old entries simply expire.
The result cache, the pages' `{% cache %}` fragments and the erasure of a
diagnostic (privacy/) all build their keys here, so they cannot drift apart.
"""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key

# How long a snapshot, a result or a page fragment is kept at most. Changes to
# the catalogue show at once (see `catalogue_changed`); this bounds the life of
# what nothing announces, like a bulk UPDATE in a database shell.
TIMEOUT = 60
CATALOGUE_VERSION = "catalogue:version"
PEERS_VERSION = "peers:version"
RESULT_FRAGMENTS = ("result_head", "result_body", "result_stone")
STEP_FRAGMENTS = ("step_progress", "step_questions", "step_nav")


def catalogue_version() -> str:
    """The catalogue's current version: a new one each time its rows change."""
    version = cache.get(CATALOGUE_VERSION)
    if version is None:
        cache.add(CATALOGUE_VERSION, uuid.uuid4().hex, timeout=None)
        version = cache.get(CATALOGUE_VERSION)
    return version


def catalogue_changed(**signal_kwargs) -> None:
    """Give the catalogue a new version: snapshots and results are read again."""
    cache.set(CATALOGUE_VERSION, uuid.uuid4().hex, timeout=None)


def peers_version() -> str:
    """The submitted outcomes' current version: a new one each time one changes."""
    version = cache.get(PEERS_VERSION)
    if version is None:
        cache.add(PEERS_VERSION, uuid.uuid4().hex, timeout=None)
        version = cache.get(PEERS_VERSION)
    return version


def peers_changed(**signal_kwargs) -> None:
    """Give the outcomes a new version: every peer comparison is made again.

    Any submission, resubmission or erasure may change a group of peers (a
    follow-up takes its earlier diagnostic out of its group): one version for
    all keeps that simple, and submissions are rare next to page views.
    """
    cache.set(PEERS_VERSION, uuid.uuid4().hex, timeout=None)


def catalogue(version: str) -> str:
    return f"catalogue:{version}:snapshot"


def catalogue_digest(version: str) -> str:
    """The digest of the catalogue's content (reports/fingerprint.py)."""
    return f"catalogue:{version}:digest"


def diagnostic_state(assessment, *parts: str, language: str) -> str:
    """What a page shows of a diagnostic: it changes with `updated_at`."""
    stamp = str(assessment.updated_at.timestamp())
    return ":".join([str(assessment.pk), *parts, stamp, language])


def result_state(assessment, *, language: str, version: str) -> str:
    """A result also changes with the catalogue it was matched against."""
    return f"{diagnostic_state(assessment, language=language)}:{version}"


def result(state: str) -> str:
    return f"assessment-result:{state}"


def peer_benchmark(assessment, *, language: str) -> str:
    """A diagnostic's comparison with its peers, as the outcomes stand now
    (and the catalogue, which names the sector and the size band)."""
    state = result_state(assessment, language=language, version=catalogue_version())
    return f"peer-benchmark:{state}:{peers_version()}"


def fragment(name: str, state: str) -> str:
    """The key Django's `{% cache … name state %}` tag uses."""
    return make_template_fragment_key(name, [state])


def diagnostic_keys(assessment, languages, section_codes) -> list[str]:
    """Every entry that may hold this diagnostic's result or pages, today."""
    version = catalogue_version()
    keys = []
    for language in languages:
        state = result_state(assessment, language=language, version=version)
        keys.append(result(state))
        keys.append(peer_benchmark(assessment, language=language))
        keys += [fragment(name, state) for name in RESULT_FRAGMENTS]
        for code in section_codes:
            state = diagnostic_state(assessment, code, language=language)
            keys += [fragment(name, state) for name in STEP_FRAGMENTS]
    return keys
