"""The peer benchmark: an owner's scores against companies of their sector and size."""

import pytest
from django.urls import reverse

from assessment.models import Outcome
from assessment.peers import Benchmark, Comparison, peer_benchmark
from assessment.scoring import level_for
from catalog.models import Sector, SizeBand

from .personas import ACCOUNTING_FIRM

NBSP = "\u00a0"


@pytest.fixture
def owner(make_assessment):
    """A finance company of 10 to 49 people, submitted for real; its overall set to 55."""
    assessment, token = make_assessment(
        answers=ACCOUNTING_FIRM["answers"], submitted=True
    )
    Outcome.objects.filter(pk=assessment.pk).update(
        overall=55, strategy=60, uses=40, data=50, skills=50, cyber=70, governance=60
    )
    assessment.refresh_from_db()
    assessment.token = token
    return assessment


@pytest.fixture
def make_peer(make_assessment):
    """A submitted diagnostic with its outcome; same sector and size by default."""

    def make(overall=50, *, previous=None, submitted=True, **profile):
        assessment, _token = make_assessment(previous=previous, **profile)
        if not submitted:
            return assessment
        assessment.mark_submitted()
        dimensions = {code: overall for code in Outcome.dimension_codes()}
        Outcome.objects.create(
            assessment=assessment, overall=overall, level=level_for(overall).rank,
            sector=assessment.sector, size_band=assessment.size_band, **dimensions,
        )  # fmt: skip
        return assessment

    return make


def test_nine_peers_are_not_enough_ten_are(owner, make_peer):
    for _ in range(9):
        make_peer()
    assert peer_benchmark(owner) is None

    make_peer()

    assert peer_benchmark(owner).peers == 10


def test_only_other_companies_of_the_same_sector_and_size_count(owner, make_peer):
    other_sector = Sector.objects.exclude(pk=owner.sector_id).first()
    other_size = SizeBand.objects.exclude(pk=owner.size_band_id).first()
    for _ in range(9):
        make_peer()
    for _ in range(3):
        make_peer(sector=other_sector)
        make_peer(size_band=other_size)
    make_peer(submitted=False)  # a draft has no outcome

    # With itself and the others, there would be well over ten.
    assert peer_benchmark(owner) is None


def test_a_company_that_took_it_again_counts_once_with_its_latest(owner, make_peer):
    for _ in range(8):
        make_peer(overall=40)
    first = make_peer(overall=10)
    make_peer(overall=90, previous=first)
    unfinished = make_peer(overall=20)
    make_peer(previous=unfinished, submitted=False)  # a draft replaces nothing

    found = peer_benchmark(owner)

    assert found.peers == 10
    assert found.overall.peers == (8 * 40 + 90 + 20) / 10


def test_the_owners_own_earlier_diagnostic_is_not_a_peer(owner, make_peer):
    for _ in range(10):
        make_peer()
    again = make_peer(overall=80, previous=owner)

    assert peer_benchmark(again).peers == 10


def test_averages_and_rank_are_computed_over_the_peers(owner, make_peer):
    for overall in (10, 20, 30, 40, 50, 55, 60, 70, 80, 90, 100):
        make_peer(overall)

    found = peer_benchmark(owner)

    assert found.peers == 11
    assert found.better_than == 5  # 10 to 50; the other 55 is not below
    assert found.out_of_ten == 4  # 50 / 11 rounded down
    assert found.overall == Comparison("overall", "Score global", 55, 55.0)  # 605 / 11
    assert found.dimensions[0] == Comparison("strategy", "Stratégie", 60, 55.0)
    assert [c.score for c in found.dimensions] == [60, 40, 50, 50, 70, 60]
    assert (found.sector, found.size_band) == (owner.sector.name, owner.size_band.name)


@pytest.mark.parametrize(
    "better_than, sentence",
    [
        (0, "Vous faites mieux que moins d’une entreprise sur 10"),
        (2, "Vous faites mieux qu’une entreprise sur 10"),
        (14, "Vous faites mieux que 7 entreprises sur 10"),
        (20, "Vous faites mieux que 10 entreprises sur 10"),
    ],
)
def test_the_rank_in_plain_words(better_than, sentence):
    same = Comparison("overall", "Score global", 50, 50.0)
    found = Benchmark(20, better_than, "Commerce", "1 à 9", same, [])

    assert found.summary.startswith(sentence)
    assert found.summary.endswith("de votre secteur et de votre taille.")


def test_the_minimum_comes_from_the_settings(owner, make_peer, settings):
    settings.PEER_BENCHMARK_MINIMUM = 3
    for _ in range(3):
        make_peer()

    assert peer_benchmark(owner).peers == 3


def test_the_result_page_shows_it_as_soon_as_there_are_enough(owner, make_peer, client):
    page = reverse("assessment:result", args=[owner.pk])
    headers = {"HTTP_AUTHORIZATION": f"Token {owner.token}"}
    for overall in range(10, 100, 10):  # nine peers
        make_peer(overall)
    response = client.get(page, **headers)
    assert response.status_code == 200
    assert "Face aux entreprises comme la vôtre" not in response.content.decode()

    make_peer(100)  # the tenth; the page's cached parts must not hide it
    html = client.get(page, **headers).content.decode().replace(NBSP, " ")

    assert "Face aux entreprises comme la vôtre" in html
    assert "Vous faites mieux que 5 entreprises sur 10" in html
    assert "Comparaison avec les 10 entreprises du secteur « Finance" in html
    assert '<td class="score-cell">55/100</td>' in html  # their average, 10 to 100


def test_the_api_result_carries_it(owner, make_peer, client):
    url = f"/api/v1/assessments/{owner.pk}/result/"
    headers = {"HTTP_AUTHORIZATION": f"Token {owner.token}"}
    for _ in range(9):
        make_peer(40)
    assert client.get(url, **headers).json()["peer_benchmark"] is None

    make_peer(40)
    found = client.get(url, **headers).json()["peer_benchmark"]

    assert (found["peers"], found["better_than"], found["out_of_ten"]) == (10, 10, 10)
    assert found["scores"][0] == {
        "code": "overall", "label": "Score global", "score": 55, "peers": 40.0,
    }  # fmt: skip
    assert len(found["scores"]) == 7


def test_the_result_page_keeps_the_comparison_until_an_outcome_changes(
    owner, make_peer, client
):
    """Computed once per state: the peers' averages are not read again on every
    view, but a peer's new outcome (or an erasure) shows at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    page = reverse("assessment:result", args=[owner.pk])
    headers = {"HTTP_AUTHORIZATION": f"Token {owner.token}"}
    for _ in range(10):
        make_peer(40)
    client.get(page, **headers)
    with CaptureQueriesContext(connection) as seen:
        html = client.get(page, **headers).content.decode().replace(NBSP, " ")
    assert "Vous faites mieux que 10 entreprises sur 10" in html
    assert not [q for q in seen.captured_queries if "AVG(" in q["sql"].upper()]

    for _ in range(10):
        make_peer(90)
    html = client.get(page, **headers).content.decode().replace(NBSP, " ")
    assert "Comparaison avec les 20 entreprises" in html

    newest = make_peer(90)
    html = client.get(page, **headers).content.decode().replace(NBSP, " ")
    assert "Comparaison avec les 21 entreprises" in html
    Outcome.objects.get(assessment=newest).delete()
    html = client.get(page, **headers).content.decode().replace(NBSP, " ")
    assert "Comparaison avec les 20 entreprises" in html
