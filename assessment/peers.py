"""How a diagnostic compares with companies of the same sector and size.

Only shown once enough other companies have answered (settings
PEER_BENCHMARK_MINIMUM), so that no one company's scores can be guessed from
the averages.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Avg, Count, Q, QuerySet
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from config import cache_keys

from .models import Assessment, Outcome
from .scoring import dimension_label


@dataclass(frozen=True)
class Comparison:
    code: str  # "overall" or a dimension code
    label: str
    score: int  # the company's own
    peers: float  # the peers' average, one decimal


@dataclass(frozen=True)
class Benchmark:
    peers: int  # companies compared with
    better_than: int  # how many of them have a lower overall score
    sector: str
    size_band: str
    overall: Comparison
    dimensions: list[Comparison]

    @property
    def rows(self) -> list[Comparison]:
        return [self.overall, *self.dimensions]

    @property
    def out_of_ten(self) -> int:
        """Rounded down, so that "better than 7 in 10" is never an overstatement."""
        return self.better_than * 10 // self.peers

    @property
    def summary(self) -> str:
        n = self.out_of_ten
        if n == 0:
            return _(
                "Vous faites mieux que moins d’une entreprise sur 10 de votre "
                "secteur et de votre taille."
            )
        return ngettext(
            "Vous faites mieux qu’une entreprise sur 10 de votre secteur et de "
            "votre taille.",
            "Vous faites mieux que %(n)d entreprises sur 10 de votre secteur et "
            "de votre taille.",
            n,
        ) % {"n": n}


def peers_of(outcome: Outcome) -> QuerySet:
    """The latest submitted diagnostic of each other company of the same kind.

    A company that took the diagnostic again counts once, with its latest
    result: earlier ones have a submitted follow-up.
    """
    return (
        Outcome.objects.filter(
            sector_id=outcome.sector_id, size_band_id=outcome.size_band_id
        )
        .exclude(assessment_id=outcome.assessment_id)
        .exclude(assessment__followups__status=Assessment.Status.SUBMITTED)
    )


def cached_peer_benchmark(assessment: Assessment) -> Benchmark | None:
    """`peer_benchmark`, kept until an outcome changes (config/cache_keys.py).

    The key names the diagnostic's state, the language of the labels and the
    outcomes' version, so a new submission among its peers shows at once.
    """
    key = cache_keys.peer_benchmark(assessment, language=get_language())
    found = cache.get(key)
    if found is None:
        found = (peer_benchmark(assessment),)  # a tuple: None is a valid answer
        cache.set(key, found, cache_keys.TIMEOUT)
    return found[0]


def peer_benchmark(assessment: Assessment) -> Benchmark | None:
    """The comparison with peers, or None while there are too few of them."""
    try:
        outcome = assessment.outcome
    except Outcome.DoesNotExist:  # not submitted, or not recorded yet
        return None
    codes = Outcome.dimension_codes()
    figures = peers_of(outcome).aggregate(
        peers=Count("pk"),
        better_than=Count("pk", filter=Q(overall__lt=outcome.overall)),
        overall=Avg("overall"),
        **{code: Avg(code) for code in codes},
    )
    if figures["peers"] < max(settings.PEER_BENCHMARK_MINIMUM, 1):
        return None

    def compare(code: str, label: str) -> Comparison:
        peers = round(float(figures[code]), 1)
        return Comparison(code, label, getattr(outcome, code), peers)

    return Benchmark(
        peers=figures["peers"],
        better_than=figures["better_than"],
        sector=assessment.sector.name,
        size_band=assessment.size_band.name,
        overall=compare("overall", _("Score global")),
        dimensions=[compare(code, dimension_label(code)) for code in codes],
    )
