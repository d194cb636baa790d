"""What each dimension score means, in plain French: the result page and the PDF."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from catalog.formatting import number

from .models import Question
from .questionnaire import QuestionnaireSpec, QuestionSpec, is_visible
from .scoring import DIMENSIONS, STRONG, WEAK, ScoreCard, dimension_label

MEASURES = {
    "strategy": _("La place de l’IA dans vos priorités, vos objectifs et votre budget."),
    "uses": _("Ce que vous et votre équipe faites déjà avec l’IA, y compris sans cadre (« shadow IA »)."),
    "data": _("Si vos documents et vos données sont numériques, rangés et fiables."),
    "skills": _("La formation de l’équipe et sa facilité à prendre en main de nouveaux outils."),
    "cyber": _("Sauvegardes, double authentification, mises à jour et hébergement de confiance."),
    "governance": _("Les règles d’usage, la relecture humaine et la connaissance de vos obligations."),
}  # fmt: skip

# (weak, medium, strong) for each dimension.
MEANINGS = {
    "strategy": (
        _("L’IA n’a pas encore de place dans vos projets : commencez par un objectif simple, comme gagner du temps sur votre caillou."),
        _("L’IA vous intéresse : fixez-vous un objectif mesurable et un petit budget pour un premier essai."),
        _("L’IA fait partie de vos priorités : vous pouvez planifier des projets et chercher des financements."),
    ),
    "uses": (
        _("L’IA est encore peu utilisée chez vous : un premier usage encadré vous fera gagner du temps rapidement."),
        _("Des usages existent, souvent individuels : partagez ce qui marche et mesurez le temps gagné."),
        _("L’IA est déjà dans votre quotidien : il s’agit de généraliser les usages qui rapportent."),
    ),
    "data": (
        _("Vos informations sont dispersées ou sur papier : les ranger est le premier pas, car l’IA ne vaut que par ce qu’on lui confie."),
        _("Vos données sont en partie prêtes : un classement partagé et à jour les rendra exploitables."),
        _("Vos données sont rangées et fiables : c’est un atout pour des projets d’IA plus ambitieux."),
    ),
    "skills": (
        _("Personne n’est encore formé : une courte formation, souvent gratuite ou financée, change beaucoup."),
        _("Quelques personnes savent s’y prendre : formez le reste de l’équipe aux bases et à la vérification des réponses."),
        _("L’équipe est formée et à l’aise : elle peut porter des projets plus techniques."),
    ),
    "cyber": (
        _("Vos bases de sécurité sont fragiles : sauvegardes et double authentification passent avant tout projet d’IA."),
        _("Les bases sont en partie là : testez vos sauvegardes et protégez tous les comptes."),
        _("Votre sécurité est solide : vous pouvez confier des données à des outils choisis avec soin."),
    ),
    "governance": (
        _("Rien n’encadre encore l’usage de l’IA : une règle d’une page et un référent évitent les fuites de données."),
        _("Un cadre existe en partie : écrivez-le, diffusez-le et faites relire ce que produit l’IA."),
        _("Vos règles sont claires et suivies : vous utilisez l’IA de façon responsable."),
    ),
}  # fmt: skip


@dataclass(frozen=True)
class DimensionRow:
    code: str
    label: str
    score: int
    measures: str
    meaning: str
    delta: int | None  # change since the previous diagnostic, if any


def meaning(code: str, score: int) -> str:
    weak, medium, strong = MEANINGS[code]
    if score < WEAK:
        return str(weak)
    return str(medium if score < STRONG else strong)


def dimension_rows(
    scorecard: ScoreCard, previous: ScoreCard | None = None
) -> list[DimensionRow]:
    """One row per dimension: score, what it measures, what it means, the change."""
    return [
        DimensionRow(
            code=code,
            label=dimension_label(code),
            score=scorecard.dimensions[code],
            measures=str(MEASURES[code]),
            meaning=meaning(code, scorecard.dimensions[code]),
            delta=scorecard.dimensions[code] - previous.dimensions[code]
            if previous
            else None,
        )
        for code in DIMENSIONS
    ]


@dataclass(frozen=True)
class AnswerRow:
    code: str
    label: str
    text: str
    free_text: bool  # the owner's own words


def answer_rows(spec: QuestionnaireSpec, answers: dict) -> list[tuple[str, list]]:
    """Each section's visible questions with the answer in words, for a reader."""
    sections = []
    for section in spec.sections:
        rows = [
            AnswerRow(
                q.code,
                q.label,
                answer_text(q, answers.get(q.code)),
                q.kind in (Question.Kind.SHORT_TEXT, Question.Kind.LONG_TEXT),
            )  # fmt: skip
            for q in section.questions
            if is_visible(q, answers)
        ]
        sections.append((section.title, rows))
    return sections


def answer_text(question: QuestionSpec, value) -> str:
    if value is None or value == "" or value == []:
        return _("Sans réponse")
    if question.has_choices:
        codes = value if isinstance(value, list) else [value]
        labels = [
            c.label if (c := question.choice(str(code))) else str(code)
            for code in codes
        ]
        return ", ".join(labels)
    if question.kind == Question.Kind.NUMBER:
        shown = number(value)
        return f"{shown}\u00a0{question.unit}" if question.unit else shown
    return str(value)
