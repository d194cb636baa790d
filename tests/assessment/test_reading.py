"""Reading the owner's words: the categories and the concerns, on the labelled set.

The reader is built from the seeded catalogue file, as the snapshot builds it
from the database; only the dev split is checked here (the held-out split is
measured by `make bench`, never tuned on).
"""

import json
from pathlib import Path

import pytest

from assessment.catalogue import load_reader
from assessment.reading import CategoryText, Reader
from catalog.models import StoneCategory

ROOT = Path(__file__).resolve().parents[2]
SET = Path(__file__).parent / "reading_set"
DEV_ACCURACY = 0.90
CONCERN_PRECISION = CONCERN_RECALL = 0.90


def seeded_reader() -> Reader:
    rows = json.loads((ROOT / "seeds/catalog/stone_categories.json").read_text())
    return Reader(
        [
            CategoryText(
                r["slug"],
                r["name"],
                tuple(r["keywords"].splitlines()),
                tuple(r["example_phrases"].splitlines()),
                r["description"],
            )  # fmt: skip
            for r in rows
        ]
    )


READER = seeded_reader()
DEV = json.loads((SET / "dev.json").read_text())


def best(text):
    reading = READER.read(text)
    return reading.best.slug if reading.best else None


def test_the_set_has_300_phrasings_a_third_held_out():
    held_out = json.loads((SET / "heldout.json").read_text())
    assert len(DEV) + len(held_out) >= 300
    assert len(held_out) >= (len(DEV) + len(held_out)) / 3
    assert not {i["text"] for i in DEV} & {i["text"] for i in held_out}


def test_the_dev_split_is_read_right_nine_times_in_ten():
    right = sum(best(item["text"]) == item["category"] for item in DEV)
    assert right / len(DEV) >= DEV_ACCURACY


def test_the_dev_splits_concerns_are_found_without_inventing_any():
    found = wanted = right = 0
    for item in DEV:
        got = {c.slug for c in READER.read(item["text"]).concerns}
        found, wanted = found + len(got), wanted + len(item["concerns"])
        right += len(got & set(item["concerns"]))
    assert right / found >= CONCERN_PRECISION
    assert right / wanted >= CONCERN_RECALL


@pytest.mark.parametrize(
    "text, slug",
    [
        ("les apels d offre nous tuent", "appels-offres"),
        (
            "Les clients posent toujours les mêmes questions sur les tailles et les retours",
            "emails-questions-clients",
        ),
        (
            "Depuis l'attaque, on n'ose plus rien mettre dans le cloud",
            "incidents-informatiques-cyber",
        ),
        (
            "Des faux mails de fournisseurs nous demandent de changer de RIB.",
            "incidents-informatiques-cyber",
        ),
        ("REUNIONS INTERMINABLES ET COMPTES RENDUS", "comptes-rendus-reunion"),
        ("le planing des equipes", "planification-rendez-vous"),
        ("les devi c long jpasse mes soiré dessus", "devis-facturation"),
        ("Un peu les mails, mais surtout les devis qui traînent.", "devis-facturation"),
    ],
)
def test_hard_cases_are_read_through_typos_sms_and_paraphrase(text, slug):
    assert best(text) == slug


def test_the_attack_in_the_owners_words_is_a_concern_with_their_words():
    reading = READER.read("Depuis l'attaque, on n'ose plus rien mettre dans le cloud")
    concerns = {c.slug: c.evidence for c in reading.concerns}
    assert concerns == {
        "attack": "Depuis l'attaque, on n'ose plus rien mettre dans le cloud",
        "cloud": "Depuis l'attaque, on n'ose plus rien mettre dans le cloud",
    }


def test_categories_come_best_first_with_a_confidence_and_the_owners_words():
    reading = READER.read("les apels d offre nous tuent, et les mails aussi")
    slugs = [c.slug for c in reading.categories]
    assert set(slugs[:2]) == {"appels-offres", "emails-questions-clients"}
    confidences = [c.confidence for c in reading.categories]
    assert confidences == sorted(confidences, reverse=True)
    assert all(0 < c <= 1 for c in confidences)
    tenders = next(c for c in reading.categories if c.slug == "appels-offres")
    assert "apels d offre" in tenders.evidence


@pytest.mark.parametrize("text", ["", "Bonjour, tout va bien.", "???", "azerty qsdf"])
def test_nothing_understood_reads_as_nothing(text):
    reading = READER.read(text)
    assert reading.categories == ()
    assert reading.concerns == ()


@pytest.mark.django_db
def test_an_editors_example_phrase_teaches_the_reader_at_once(seeded):
    text = "Les bidules du vendredi nous épuisent"
    assert load_reader().read(text).best is None
    category = StoneCategory.objects.get(slug="comptes-rendus-reunion")
    category.example_phrases += "\nLes bidules du vendredi, où l’on décide de tout."
    category.save()
    assert load_reader().read(text).best.slug == "comptes-rendus-reunion"


# --- The endpoint ---------------------------------------------------------------

READING_URL = "/api/v1/stone-reading/"


@pytest.fixture
def api(seeded_catalogue):
    from rest_framework.test import APIClient

    return APIClient()


def test_the_endpoint_reads_anonymously_best_first(api):
    text = "Depuis l'attaque, on n'ose plus rien mettre dans le cloud"
    response = api.post(READING_URL, {"text": text}, format="json")
    assert response.status_code == 200
    body = response.json()
    first = body["categories"][0]
    assert first["category"] == "incidents-informatiques-cyber"
    assert first["name"] == "Incidents informatiques et cybersécurité"
    assert 0 < first["confidence"] <= 1
    assert "attaque" in first["evidence"]
    assert body["concerns"] == [
        {"concern": "attack", "evidence": text},
        {"concern": "cloud", "evidence": text},
    ]


def test_the_endpoint_answers_empty_lists_when_nothing_is_understood(api):
    response = api.post(READING_URL, {"text": "Bonjour"}, format="json")
    assert response.json() == {"categories": [], "concerns": []}


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "text"),
        ({"text": 12}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({"text": "ok", "other": 1}, "other"),
        ({"text": "a\x00b"}, "text"),
    ],
)
def test_bad_input_gets_a_json_error_naming_the_field(api, body, field):
    response = api.post(READING_URL, body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "errors"}
    assert field in response.json()["errors"]


def test_the_endpoint_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content
    assert b"/api/v1/stone-reading/" in schema


# --- The worries, as facts of the matching ----------------------------------------


@pytest.mark.django_db
def test_the_company_facts_carry_the_concerns_with_the_owners_words(
    seeded, make_assessment
):
    from assessment.answering import save_answers
    from assessment.results import company_of

    assessment, _token = make_assessment()
    text = (
        "On a eu un rançongiciel l'an dernier. Nos vendeuses utilisent ChatGPT sans "
        "validation, et on n'a pas les moyens d'un prestataire."
    )
    save_answers(assessment, {"stone.description": text})
    assert company_of(assessment).concerns == {
        "attack": "On a eu un rançongiciel l'an dernier.",
        "budget": "Nos vendeuses utilisent ChatGPT sans validation, et on n'a pas "
        "les moyens d'un prestataire.",
        "shadow-ai": "Nos vendeuses utilisent ChatGPT sans validation, et on n'a pas "
        "les moyens d'un prestataire.",
    }


def test_the_evidence_is_quoted_as_the_owner_wrote_it():
    reading = READER.read(
        "Les appels d’offres nous tuent, les Appels d'offres publics surtout"
    )
    tenders = next(c for c in reading.categories if c.slug == "appels-offres")
    assert "appels d’offres" in tenders.evidence
    assert not any("d offres" in words for words in tenders.evidence)
