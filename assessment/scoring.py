"""Maturity scores: pure functions of the answers and the questionnaire spec."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import Question
from .questionnaire import Kind, QuestionnaireSpec, QuestionSpec, is_visible

DIMENSIONS = [code for code, _label in Question.Dimension.choices]
# A dimension under WEAK is a weakness: the page says so, and the plan works on
# it (needs, securing the basics first); from STRONG it is a strength.
WEAK = 50
STRONG = 65


@dataclass(frozen=True)
class Level:
    rank: int  # 0 (discovery) to 4 (transformation)
    code: str
    name: str
    description: str


LEVELS = (
    Level(0, "discovery", _("Découverte"),
          _("L’IA est encore une idée : le premier pas est de se former et de sécuriser les bases.")),
    Level(1, "exploration", _("Exploration"),
          _("Quelques usages existent, souvent individuels : il est temps de les cadrer.")),
    Level(2, "experimentation", _("Expérimentation"),
          _("Les bases sont là : un premier projet mesuré peut être lancé.")),
    Level(3, "deployment", _("Déploiement"),
          _("L’IA est utilisée dans l’équipe : il s’agit de généraliser ce qui marche.")),
    Level(4, "transformation", _("Transformation"),
          _("L’IA fait partie de votre organisation : elle peut changer votre offre.")),
)  # fmt: skip


@dataclass(frozen=True)
class ScoreCard:
    dimensions: dict[str, int]
    overall: int
    level: Level


def level_for(overall: int) -> Level:
    """Five steps of 20 points: 0–19 discovery … 80–100 transformation."""
    return LEVELS[min(overall // 20, 4)]


def question_score(question: QuestionSpec, value) -> float:
    """The share (0–1) of the question's points an answer earns; no answer earns 0."""
    if value is None:
        return 0.0
    if question.kind in (Kind.SINGLE, Kind.SCALE):
        choice = question.choice(value)
        return choice.points / 100 if choice else 0.0
    if question.kind == Kind.MULTIPLE:
        points = sum(c.points for c in question.choices if c.code in value)
        return min(points, 100) / 100
    return 0.0


def score(spec: QuestionnaireSpec, answers: dict) -> ScoreCard:
    """Score each dimension 0–100 as the weighted mean of its visible questions.

    Unanswered questions count as 0; questions hidden by a condition do not count.
    The overall score is the plain mean of the six dimensions.
    """
    earned = dict.fromkeys(DIMENSIONS, 0.0)
    possible = dict.fromkeys(DIMENSIONS, 0.0)
    for section in spec.sections:
        for question in section.questions:
            if not question.dimension or not is_visible(question, answers):
                continue
            possible[question.dimension] += question.weight
            earned[question.dimension] += question.weight * question_score(
                question, answers.get(question.code)
            )
    dimensions = {
        code: round(100 * earned[code] / possible[code]) if possible[code] else 0
        for code in DIMENSIONS
    }
    overall = round(sum(dimensions.values()) / len(DIMENSIONS))
    return ScoreCard(dimensions, overall, level_for(overall))


def dimension_label(code: str) -> str:
    return Question.Dimension(code).label
