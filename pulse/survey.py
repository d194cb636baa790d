"""The employee pulse: a short anonymous survey of the team's actual AI use.

The owner shares a link; employees answer eight choice questions without an
account. The owner sees totals only, and only once `PULSE_MIN_RESPONSES` have
answered. The totals then grow by whole groups of that size, so comparing two
views never isolates fewer people than the threshold. What the employees say
is set against the owner's own answers: that is "the gap".

The threshold guards against curiosity, not against a determined owner, who
could answer several times from private windows to single out the last one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.answering import clean_answers as clean_raw_answers
from assessment.models import Assessment, new_token
from assessment.questionnaire import (
    QuestionnaireSpec,
    QuestionSpec,
    missing_required,
    spec_for,
    spec_from_data,
    visible_questions,
)
from assessment.results import answers_of

from .models import PulseInvitation, PulseResponse

SINGLE, MULTIPLE = "single", "multiple"
NEVER = "never"
# The questions are data, in the questionnaire's format. Task codes match those
# of the owner's `uses.tools` question, to compare them; the questions for AI
# users carry a condition on `frequency`, as conditional questions do there.
SEED_FILE = Path(settings.BASE_DIR) / "seeds" / "pulse.json"


@lru_cache(maxsize=1)
def _seed() -> dict:
    return json.loads(SEED_FILE.read_text(encoding="utf-8"))


def questions() -> QuestionnaireSpec:
    """The pulse's questions, in the active language."""
    return spec_from_data(_seed(), translate=_)


def question_list() -> tuple[QuestionSpec, ...]:
    return questions().sections[0].questions


def users_only(question: QuestionSpec) -> bool:
    """Asked only of those who use AI at all: ignored when `frequency` is never."""
    return bool(question.condition)


def min_responses() -> int:
    return max(settings.PULSE_MIN_RESPONSES, 1)


# --- Answering ---------------------------------------------------------------------


class PulseClosed(Exception):
    """The owner closed the link: no more answers."""


class NotSubmitted(Exception):
    """Only a finished diagnostic has something to compare the pulse with."""


def clean_answers(raw: dict) -> tuple[dict, dict[str, str]]:
    """Validate an employee's answers: (values to store, error per question code).

    The questionnaire's own checks judge each answer. Then, as for a
    diagnostic, questions a condition hides are dropped (those for AI users,
    when the person never uses AI) and the visible required ones must be there.
    """
    spec = questions()
    values, errors = clean_raw_answers(spec, raw)
    shown = {q.code: q for q in visible_questions(spec, values)}
    errors = {
        code: error
        for code, error in errors.items()
        if code in shown or code not in spec.by_code
    }
    for code in missing_required(spec, values):
        errors.setdefault(code, _("Répondez à cette question."))
    # Stored in the choices' order, not the order they were ticked in, which
    # could tell one person's answers apart from another's.
    kept = {
        code: _in_choice_order(shown[code], value)
        for code, value in values.items()
        if code in shown and value is not None
    }
    return kept, errors


def _in_choice_order(question: QuestionSpec, value):
    if not isinstance(value, list):
        return value
    return [c.code for c in question.choices if c.code in value]


def answer(invitation: PulseInvitation, raw: dict) -> dict[str, str]:
    """Save an employee's answers; return the errors (then nothing is saved)."""
    if not invitation.is_open():
        raise PulseClosed
    values, errors = clean_answers(raw)
    if not errors:
        PulseResponse.objects.create(invitation=invitation, answers=values)
    return errors


# --- The owner's link ------------------------------------------------------------


def invite(assessment: Assessment) -> tuple[PulseInvitation, str]:
    """Open the pulse with a new link, or replace its link (answers are kept).

    Returns the invitation and its token, which is never shown again.
    """
    if not assessment.is_submitted():
        raise NotSubmitted
    with transaction.atomic():
        # get_or_create: a double click must not try to make a second invitation.
        invitation, _created = (
            PulseInvitation.objects.select_for_update().get_or_create(
                assessment=assessment,
                defaults={"token_hash": new_token(24)[1]},
            )
        )
        token = invitation.set_new_token()
        invitation.status = PulseInvitation.Status.OPEN
        invitation.closed_at = None
        invitation.save()
    return invitation, token


def close(invitation: PulseInvitation) -> None:
    if invitation.is_open():
        invitation.status = PulseInvitation.Status.CLOSED
        invitation.closed_at = timezone.now()
        invitation.save(update_fields=["status", "closed_at"])


def invitation_of(assessment: Assessment) -> PulseInvitation | None:
    return PulseInvitation.objects.filter(assessment=assessment).first()


# --- Totals --------------------------------------------------------------------------


@dataclass(frozen=True)
class ChoiceCount:
    code: str
    label: str
    count: int
    percent: int


@dataclass(frozen=True)
class QuestionCount:
    code: str
    label: str
    answered: int
    choices: tuple[ChoiceCount, ...]


@dataclass(frozen=True)
class Aggregate:
    """Totals over `responses` answers; never one person's answers."""

    responses: int
    questions: tuple[QuestionCount, ...]
    users: int  # use AI for work, however rarely
    weekly: int  # every week or more
    unofficial: int  # with a personal account, or without their manager knowing
    company_data: int  # paste company information into AI tools
    customer_data: int  # of which customer data
    trained: int  # trained by the company
    self_trained: int


def counted(received: int, threshold: int) -> int:
    """How many answers the totals show: whole groups of `threshold`, else none.

    Between two views the totals then differ by a group of at least
    `threshold` answers, never by one person's.
    """
    return received - received % threshold


def percent(part: int, whole: int) -> int:
    """A whole percentage, halves rounded up (2 of 3 is 67)."""
    return (200 * part + whole) // (2 * whole) if whole else 0


def aggregate(answer_sets: list[dict]) -> Aggregate:
    """Totals of a list of stored answers (plain data, no database)."""

    def count(code: str, *choices: str) -> int:
        return sum(1 for a in answer_sets if a.get(code) in choices)

    users = [a for a in answer_sets if a.get("frequency") not in (None, NEVER)]
    unofficial = sum(
        1
        for a in users
        if a.get("known") in ("no", "unsure")
        or a.get("account") in ("personal", "both")
    )
    return Aggregate(
        responses=len(answer_sets),
        questions=tuple(_question_count(q, answer_sets) for q in question_list()),
        users=len(users),
        weekly=count("frequency", "weekly", "daily"),
        unofficial=unofficial,
        company_data=count("data", "internal", "customers"),
        customer_data=count("data", "customers"),
        trained=count("training", "company"),
        self_trained=count("training", "self"),
    )


def _question_count(question: QuestionSpec, answer_sets: list[dict]) -> QuestionCount:
    given = [a[question.code] for a in answer_sets if question.code in a]
    picked = [v if isinstance(v, list) else [v] for v in given]
    choices = []
    for choice in question.choices:
        n = sum(1 for codes in picked if choice.code in codes)
        choices.append(
            ChoiceCount(choice.code, choice.label, n, percent(n, len(given)))
        )
    return QuestionCount(question.code, question.label, len(given), tuple(choices))


# --- The gap between the owner's view and the employees' ---------------------------


@dataclass(frozen=True)
class GapRow:
    topic: str
    owner: str  # what the owner answered
    employees: str  # what the employees say, in totals
    differs: bool


# Shares of employees (in %) that agree with the owner's answer.
TEAM_USE_BANDS = {"none": (0, 0), "few": (1, 40), "half": (30, 70), "most": (60, 100)}
TRAINED_BANDS = {"none": (0, 0), "owner": (0, 0), "some": (1, 60), "most": (50, 100)}


def _outside(bands: dict, answers: dict, code: str, part: int, whole: int) -> bool:
    """The owner answered `code`, and the employees' share is out of its band."""
    if code not in answers:
        return False
    low, high = bands.get(answers[code], (0, 100))
    return not low <= percent(part, whole) <= high


def gap(
    owner_answers: dict, owner_labels: dict, totals: Aggregate
) -> tuple[GapRow, ...]:
    """Set the owner's answers against the employees' totals, topic by topic.

    `owner_labels` maps a question code to {choice code: label}.
    """

    def said(code: str) -> str:
        value = owner_answers.get(code)
        values = value if isinstance(value, list) else [value]
        labels = [str(owner_labels.get(code, {}).get(v, "")) for v in values]
        return ", ".join(label for label in labels if label) or "—"

    return (
        _team_row(owner_answers, said("uses.team"), totals),
        _unofficial_row(owner_answers, said("uses.unofficial"), totals),
        _data_row(owner_answers, said("governance.policy"), totals),
        _training_row(owner_answers, said("skills.trained"), totals),
        _tasks_row(owner_answers, said("uses.tools"), totals),
    )


def _team_row(answers: dict, owner: str, t: Aggregate) -> GapRow:
    employees = _(
        "Utilisent l’IA pour leur travail : %(users)s sur %(n)s, dont "
        "%(weekly)s chaque semaine ou plus."
    ) % {"users": t.users, "n": t.responses, "weekly": t.weekly}
    return GapRow(
        _("Qui utilise l’IA dans l’équipe"),
        owner,
        employees,
        _outside(TEAM_USE_BANDS, answers, "uses.team", t.users, t.responses),
    )


def _unofficial_row(answers: dict, owner: str, t: Aggregate) -> GapRow:
    employees = _(
        "Avec un compte personnel ou sans que leur responsable le sache : "
        "%(count)s sur %(n)s."
    ) % {"count": t.unofficial, "n": t.responses}
    said_unframed = answers.get("uses.unofficial") == "yes-unframed"
    differs = "uses.unofficial" in answers and (t.unofficial > 0) != said_unframed
    return GapRow(_("Usage non officiel (« shadow IA »)"), owner, employees, differs)


def _data_row(answers: dict, owner: str, t: Aggregate) -> GapRow:
    employees = _(
        "Y copient des informations de l’entreprise : %(company)s sur %(n)s, "
        "dont %(customers)s avec des données de clients."
    ) % {"company": t.company_data, "customers": t.customer_data, "n": t.responses}
    written = answers.get("governance.policy") == "written"
    differs = t.customer_data > 0 or (t.company_data > 0 and not written)
    return GapRow(
        _("Règles d’usage et données de l’entreprise"), owner, employees, differs
    )


def _training_row(answers: dict, owner: str, t: Aggregate) -> GapRow:
    employees = _(
        "Formés par l’entreprise : %(trained)s sur %(n)s ; formés seuls : %(self)s."
    ) % {"trained": t.trained, "self": t.self_trained, "n": t.responses}
    differs = _outside(TRAINED_BANDS, answers, "skills.trained", t.trained, t.responses)
    return GapRow(_("Formation à l’IA"), owner, employees, differs)


def _tasks_row(answers: dict, owner: str, t: Aggregate) -> GapRow:
    tasks = next(q for q in t.questions if q.code == "tasks")
    cited = [c for c in tasks.choices if c.count]
    employees = ", ".join(f"{c.label} ({c.count})" for c in cited) or _("Aucun")
    known = set(answers.get("uses.tools") or [])
    # « Chercher des informations » has no counterpart among the owner's choices.
    unknown = [c for c in cited if c.code != "search" and c.code not in known]
    return GapRow(_("Pour quels usages"), owner, employees, bool(unknown))


# --- What the pages, the API and the plan show ----------------------------------------


@dataclass(frozen=True)
class PulseSummary:
    invitation: PulseInvitation | None
    received: int
    min_responses: int
    aggregate: Aggregate | None  # None below the threshold
    gap: tuple[GapRow, ...] | None

    @property
    def needed(self) -> int:
        """Answers still needed before the first totals show."""
        return max(self.min_responses - self.received, 0)

    @property
    def pending(self) -> int:
        """Answers received but not yet in the totals (the next group)."""
        return self.received - (self.aggregate.responses if self.aggregate else 0)

    @property
    def differences(self) -> int:
        return sum(1 for row in self.gap or () if row.differs)


def summary_for(assessment: Assessment) -> PulseSummary:
    """The pulse of a diagnostic: answer count, and totals and gap past the threshold."""
    invitation = invitation_of(assessment)
    threshold = min_responses()
    responses = invitation.responses.order_by("pk") if invitation else None
    received = responses.count() if invitation else 0
    shown = counted(received, threshold)
    if not shown:
        return PulseSummary(invitation, received, threshold, None, None)
    totals = aggregate(list(responses.values_list("answers", flat=True)[:shown]))
    rows = gap(answers_of(assessment), _owner_labels(assessment), totals)
    return PulseSummary(invitation, received, threshold, totals, rows)


def _owner_labels(assessment: Assessment) -> dict[str, dict[str, str]]:
    spec = spec_for(assessment.questionnaire)
    return {
        q.code: {c.code: c.label for c in q.choices}
        for q in spec.by_code.values()
        if q.choices
    }


def report_section(assessment: Assessment) -> PulseSummary | None:
    """What the action plan shows of the pulse: only totals past the threshold."""
    summary = summary_for(assessment)
    return summary if summary.aggregate else None
