import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.questionnaire import (
    ChoiceSpec,
    QuestionnaireSpec,
    QuestionSpec,
    SectionSpec,
)
from assessment.scoring import DIMENSIONS, LEVELS, level_for, question_score, score

SCALE = tuple(ChoiceSpec(str(n), str(n), n * 25) for n in range(5))


def spec_of(*questions) -> QuestionnaireSpec:
    return QuestionnaireSpec(
        1, "test", (SectionSpec("all", "All", "", tuple(questions)),)
    )


BACKUPS = QuestionSpec(
    "cyber.backups", "single", "Backups?", "all", dimension="cyber", weight=1.5,
    choices=(ChoiceSpec("none", "No", 0), ChoiceSpec("tested", "Tested", 100)),
)  # fmt: skip
UPDATES = QuestionSpec(
    "cyber.updates", "scale", "Updates?", "all", dimension="cyber", choices=SCALE
)
TOOLS = QuestionSpec(
    "data.tools", "multiple", "Tools?", "all", dimension="data",
    choices=(ChoiceSpec("a", "A", 60), ChoiceSpec("b", "B", 70), ChoiceSpec("none", "-", 0)),
)  # fmt: skip
GAINS = QuestionSpec(
    "uses.gains", "scale", "Gains?", "all", dimension="uses", choices=SCALE,
    condition={"question": "uses.team", "in": ["few"]},
)  # fmt: skip
TEAM = QuestionSpec(
    "uses.team", "single", "Team?", "all", dimension="uses",
    choices=(ChoiceSpec("none", "None", 0), ChoiceSpec("few", "Few", 40)),
)  # fmt: skip


def test_dimension_is_the_weighted_mean_of_its_questions():
    # (1.5 × 100 + 1 × 50) / 2.5 = 80
    card = score(
        spec_of(BACKUPS, UPDATES), {"cyber.backups": "tested", "cyber.updates": "2"}
    )
    assert card.dimensions["cyber"] == 80


def test_unanswered_questions_score_zero():
    # (1.5 × 0 + 1 × 100) / 2.5 = 40
    card = score(spec_of(BACKUPS, UPDATES), {"cyber.updates": "4"})
    assert card.dimensions["cyber"] == 40


def test_multiple_choice_points_add_up_and_cap_at_one_hundred():
    assert question_score(TOOLS, ["a"]) == 0.6
    assert question_score(TOOLS, ["a", "b"]) == 1.0


def test_hidden_conditional_questions_do_not_count():
    # gains is hidden when the team does not use AI: uses = 0 / 1, not 0 / 2
    hidden = score(spec_of(TEAM, GAINS), {"uses.team": "none", "uses.gains": "4"})
    assert hidden.dimensions["uses"] == 0
    # shown: (40 + 100) / 2 = 70
    shown = score(spec_of(TEAM, GAINS), {"uses.team": "few", "uses.gains": "4"})
    assert shown.dimensions["uses"] == 70


def test_overall_is_the_mean_of_the_six_dimensions_and_sets_the_level():
    # cyber 100, data 60, the four others 0: 160 / 6 = 26.67 → 27 → exploration
    card = score(
        spec_of(BACKUPS, UPDATES, TOOLS),
        {"cyber.backups": "tested", "cyber.updates": "4", "data.tools": ["a"]},
    )
    assert card.dimensions == {
        "strategy": 0, "uses": 0, "data": 60, "skills": 0, "cyber": 100, "governance": 0,
    }  # fmt: skip
    assert card.overall == 27
    assert card.level.code == "exploration"


def test_levels_are_five_steps_of_twenty_points():
    assert [level_for(n).code for n in (0, 19, 20, 39, 40, 60, 79, 80, 100)] == [
        "discovery", "discovery", "exploration", "exploration", "experimentation",
        "deployment", "deployment", "transformation", "transformation",
    ]  # fmt: skip
    assert len(LEVELS) == 5


# --- Properties over the real questionnaire ------------------------------------


def _answer_strategy(question):
    if question.kind in ("single", "scale"):
        return st.sampled_from([c.code for c in question.choices])
    if question.kind == "multiple":
        codes = [c.code for c in question.choices if not c.exclusive]
        return st.lists(
            st.sampled_from(codes), unique=True, max_size=question.max_choices or 8
        )
    if question.kind == "number":
        low, high = int(question.min_value or 0), int(question.max_value or 1000)
        return st.integers(min_value=low, max_value=high)
    return st.text(max_size=50)


def answer_sets(spec):
    questions = [q for s in spec.sections for q in s.questions]
    return st.fixed_dictionaries(
        {}, optional={q.code: _answer_strategy(q) for q in questions}
    )


@pytest.mark.django_db
def test_any_valid_answer_set_scores_within_bounds_and_the_same_twice(real_spec):
    @settings(max_examples=200, deadline=None)
    @given(answer_sets(real_spec))
    def check(answers):
        first, second = score(real_spec, answers), score(real_spec, answers)
        assert first == second
        assert set(first.dimensions) == set(DIMENSIONS)
        assert all(0 <= value <= 100 for value in first.dimensions.values())
        assert 0 <= first.overall <= 100
        assert first.level == level_for(first.overall)

    check()
