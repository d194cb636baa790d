import copy
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation

from assessment.models import Question, Questionnaire
from assessment.questionnaire import (
    SEED_FILE,
    AnswerError,
    ChoiceSpec,
    QuestionSpec,
    SeedError,
    clean_answer,
    is_visible,
    load_questionnaire,
    missing_required,
    spec_for,
)


def seed_data() -> dict:
    return json.loads(SEED_FILE.read_text(encoding="utf-8"))


@pytest.mark.django_db
def test_loading_the_questionnaire_twice_creates_one_version():
    call_command("load_questionnaire", verbosity=0)
    call_command("load_questionnaire", verbosity=0)
    assert Questionnaire.objects.count() == 1
    questionnaire = Questionnaire.objects.current()
    assert Question.objects.filter(questionnaire=questionnaire).count() == sum(
        len(s["questions"]) for s in seed_data()["sections"]
    )


@pytest.mark.django_db
def test_a_published_version_cannot_change_silently():
    data = seed_data()
    load_questionnaire(data)
    changed = copy.deepcopy(data)
    changed["sections"][0]["questions"][0]["label"] = "Autre intitulé"
    with pytest.raises(SeedError, match="new version number"):
        load_questionnaire(changed)
    changed["version"] = data["version"] + 1
    load_questionnaire(changed)
    assert Questionnaire.objects.current().version == data["version"] + 1


def test_the_seed_has_every_section_and_kind():
    data = seed_data()
    assert [s["code"] for s in data["sections"]] == [
        "company", "stone", "uses", "data", "skills", "cyber", "governance", "ambition",
    ]  # fmt: skip
    kinds = {q["kind"] for s in data["sections"] for q in s["questions"]}
    assert kinds == {"single", "multiple", "scale", "number", "short_text", "long_text"}
    codes = [q["code"] for s in data["sections"] for q in s["questions"]]
    assert len(codes) == len(set(codes))


@pytest.mark.django_db
def test_a_condition_on_an_unknown_question_is_refused():
    data = seed_data()
    data["sections"][0]["questions"][0]["condition"] = {"question": "nope", "in": ["x"]}
    with pytest.raises(SeedError, match="unknown question"):
        load_questionnaire(data)
    assert not Questionnaire.objects.exists()


SINGLE = QuestionSpec(
    "q.single", "single", "?", "s",
    choices=(ChoiceSpec("yes", "Oui"), ChoiceSpec("no", "Non")),
)  # fmt: skip
MULTIPLE = QuestionSpec(
    "q.multiple", "multiple", "?", "s", max_choices=2,
    choices=(ChoiceSpec("a", "A"), ChoiceSpec("b", "B"), ChoiceSpec("c", "C"),
             ChoiceSpec("none", "Aucun", exclusive=True)),
)  # fmt: skip
NUMBER = QuestionSpec(
    "q.number", "number", "?", "s", min_value=Decimal(0), max_value=Decimal(60)
)
SHORT = QuestionSpec("q.short", "short_text", "?", "s", max_length=10)


@pytest.mark.parametrize(
    ("question", "raw", "clean"),
    [
        (SINGLE, "yes", "yes"),
        (MULTIPLE, ["a", "b", "a"], ["a", "b"]),
        (MULTIPLE, "c", ["c"]),
        (NUMBER, "7,5", 7.5),
        (NUMBER, 12, 12),
        (NUMBER, " 0 ", 0),
        (SHORT, "  court  ", "court"),
        (SHORT, "", None),
        (SINGLE, None, None),
    ],
)
def test_answers_are_cleaned(question, raw, clean):
    assert clean_answer(question, raw) == clean


@pytest.mark.parametrize(
    ("question", "raw", "message"),
    [
        (SINGLE, "maybe", "ne fait pas partie des réponses possibles"),
        (SINGLE, ["yes"], "une seule réponse"),
        (SINGLE, True, "une seule réponse"),
        (MULTIPLE, ["a", "z"], "« z » ne fait pas partie"),
        (MULTIPLE, ["a", "b", "c"], "au plus 2 réponses"),
        (MULTIPLE, ["a", "none"], "« Aucun » ne peut pas être coché"),
        (MULTIPLE, {"a": 1}, "liste de codes"),
        (NUMBER, "douze", "Saisissez un nombre"),
        (NUMBER, "61", "entre 0 et 60"),
        (NUMBER, -1, "entre 0 et 60"),
        (NUMBER, "NaN", "Saisissez un nombre"),
        (NUMBER, [], None),
        (SHORT, "x" * 11, "trop long"),
        (SHORT, 42, "Saisissez un texte"),
    ],
)
def test_bad_answers_are_refused_with_a_clear_message(question, raw, message):
    if message is None:  # an empty list is "no answer", not an error
        assert clean_answer(question, raw) is None
        return
    with pytest.raises(AnswerError, match=message):
        clean_answer(question, raw)


def test_conditional_questions_follow_the_controlling_answer():
    hours = QuestionSpec(
        "stone.x.hours", "number", "?", "s",
        condition={"question": "stone.sinks", "includes": "x"},
    )  # fmt: skip
    assert not is_visible(hours, {})
    assert not is_visible(hours, {"stone.sinks": ["y"]})
    assert is_visible(hours, {"stone.sinks": ["x", "y"]})


@pytest.mark.django_db
def test_required_questions_hidden_by_a_condition_are_not_missing(real_spec):
    missing = missing_required(
        real_spec, {"stone.sinks": ["devis-facturation"]}, "stone"
    )
    assert "stone.devis-facturation.hours" in missing
    assert "stone.appels-offres.hours" not in missing


def test_every_text_of_the_seed_has_its_english():
    data = seed_data()
    missing = [] if data.get("title_en") else ["title"]
    for section in data["sections"]:
        missing += [
            f"{section['code']}.{name}"
            for name in ("title", "intro")
            if section.get(name) and not section.get(f"{name}_en")
        ]
        for question in section["questions"]:
            missing += [
                f"{question['code']}.{name}"
                for name in ("label", "help_text", "unit")
                if question.get(name) and not question.get(f"{name}_en")
            ]
            missing += [
                f"{question['code']}.{choice['code']}"
                for choice in question.get("choices", [])
                if not choice.get("label_en")
            ]
    assert not missing, missing


@pytest.mark.django_db
def test_english_text_can_be_added_to_a_published_version():
    french_only = copy.deepcopy(seed_data())
    for section in french_only["sections"]:
        section.pop("title_en")
    questionnaire, created = load_questionnaire(french_only)
    assert created
    with translation.override("en"):
        assert spec_for(questionnaire).sections[-1].title == "Budget et ambition"
    again, created = load_questionnaire(seed_data())
    assert (again, created) == (questionnaire, False)
    questionnaire.refresh_from_db()
    with translation.override("en"):
        spec = spec_for(questionnaire)
        assert spec.sections[-1].title == "Budget and ambition"
        sinks = spec.by_code["stone.sinks"]
        assert sinks.choice("appels-offres").label == "Tenders and administrative files"
    with translation.override("fr"):
        assert spec_for(questionnaire).sections[-1].title == "Budget et ambition"
