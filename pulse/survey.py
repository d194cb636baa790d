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

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.models import Assessment, hash_token
from assessment.questionnaire import spec_for
from assessment.results import answers_of

from .models import PulseInvitation, PulseResponse

SINGLE, MULTIPLE = "single", "multiple"
NEVER = "never"


@dataclass(frozen=True)
class PulseChoice:
    code: str
    label: str
    exclusive: bool = False


@dataclass(frozen=True)
class PulseQuestion:
    code: str
    kind: str
    label: str
    choices: tuple[PulseChoice, ...]
    help_text: str = ""
    required: bool = True
    # Asked only of those who use AI at all: ignored when `frequency` is never.
    users_only: bool = False
    max_choices: int | None = None

    def choice(self, code: str) -> PulseChoice | None:
        return next((c for c in self.choices if c.code == code), None)


def _choices(*pairs) -> tuple[PulseChoice, ...]:
    return tuple(PulseChoice(*pair) for pair in pairs)


# Task codes match those of the owner's `uses.tools` question, to compare them.
QUESTIONS = (
    PulseQuestion(
        "frequency",
        SINGLE,
        gettext_lazy(
            "À quelle fréquence utilisez-vous un outil d’intelligence artificielle "
            "(ChatGPT, Le Chat, Copilot…) pour votre travail ?"
        ),
        _choices(
            (NEVER, gettext_lazy("Jamais")),
            ("rarely", gettext_lazy("Moins d’une fois par mois")),
            ("monthly", gettext_lazy("Quelques fois par mois")),
            ("weekly", gettext_lazy("Chaque semaine")),
            ("daily", gettext_lazy("Tous les jours")),
        ),
    ),
    PulseQuestion(
        "tools",
        MULTIPLE,
        gettext_lazy("Quels outils utilisez-vous ?"),
        _choices(
            ("chatgpt", "ChatGPT"),
            ("le-chat", "Le Chat (Mistral AI)"),
            ("copilot", "Copilot (Microsoft)"),
            ("gemini", "Gemini (Google)"),
            ("business-software", gettext_lazy("L’IA intégrée à nos logiciels métier")),
            ("other", gettext_lazy("Un autre outil")),
        ),
        users_only=True,
    ),
    PulseQuestion(
        "tasks",
        MULTIPLE,
        gettext_lazy("Pour quoi faire ?"),
        _choices(
            ("writing", gettext_lazy("Rédiger ou reformuler des textes, des e-mails")),
            ("meeting-notes", gettext_lazy("Comptes rendus, prise de notes")),
            ("translation", gettext_lazy("Traduire")),
            ("images", gettext_lazy("Créer des images ou des visuels")),
            ("customer-bot", gettext_lazy("Répondre aux clients")),
            ("code", gettext_lazy("Écrire du code")),
            ("data-analysis", gettext_lazy("Analyser des chiffres, des tableaux")),
            ("search", gettext_lazy("Chercher des informations")),
        ),
        users_only=True,
    ),
    PulseQuestion(
        "account",
        SINGLE,
        gettext_lazy("Avec quel compte ?"),
        _choices(
            ("company", gettext_lazy("Un outil fourni par l’entreprise")),
            ("personal", gettext_lazy("Mon compte personnel, gratuit ou payant")),
            ("both", gettext_lazy("Les deux")),
        ),
        users_only=True,
    ),
    PulseQuestion(
        "data",
        SINGLE,
        gettext_lazy(
            "Vous arrive-t-il d’y copier des informations de l’entreprise "
            "(documents, chiffres, e-mails) ?"
        ),
        _choices(
            ("none", gettext_lazy("Non, jamais")),
            ("internal", gettext_lazy("Oui, des informations internes")),
            ("customers", gettext_lazy("Oui, y compris des données de clients")),
            ("unsure", gettext_lazy("Je ne sais pas")),
        ),
        users_only=True,
    ),
    PulseQuestion(
        "known",
        SINGLE,
        gettext_lazy("Votre responsable sait-il que vous utilisez l’IA ?"),
        _choices(
            ("encouraged", gettext_lazy("Oui, et c’est encouragé")),
            ("yes", gettext_lazy("Oui")),
            ("no", gettext_lazy("Non")),
            ("unsure", gettext_lazy("Je ne sais pas")),
        ),
        users_only=True,
    ),
    PulseQuestion(
        "training",
        SINGLE,
        gettext_lazy("Avez-vous été formé(e) à l’IA ?"),
        _choices(
            ("company", gettext_lazy("Oui, par l’entreprise")),
            ("self", gettext_lazy("Je me suis formé(e) seul(e)")),
            ("none", gettext_lazy("Non")),
        ),
    ),
    PulseQuestion(
        "help",
        MULTIPLE,
        gettext_lazy("Qu’est-ce qui vous aiderait le plus ?"),
        _choices(
            ("training", gettext_lazy("Une formation")),
            ("rules", gettext_lazy("Des règles claires : outils permis, données interdites")),
            ("tools", gettext_lazy("Des outils fournis par l’entreprise")),
            ("examples", gettext_lazy("Des exemples concrets dans mon métier")),
            ("time", gettext_lazy("Du temps pour essayer")),
            ("nothing", gettext_lazy("Rien de particulier"), True),
        ),
        help_text=gettext_lazy("Deux choix au plus."),
        required=False,
        max_choices=2,
    ),
)  # fmt: skip
BY_CODE = {q.code: q for q in QUESTIONS}


def min_responses() -> int:
    return max(settings.PULSE_MIN_RESPONSES, 1)


# --- Answering ---------------------------------------------------------------------


class PulseClosed(Exception):
    """The owner closed the link: no more answers."""


class NotSubmitted(Exception):
    """Only a finished diagnostic has something to compare the pulse with."""


def clean_answers(raw: dict) -> tuple[dict, dict[str, str]]:
    """Validate an employee's answers: (values to store, error per question code).

    `raw` maps codes to a choice code (single) or a list of them (multiple);
    missing, None, "" and [] mean unanswered. Questions for AI users only are
    dropped when the person never uses AI.
    """
    errors = {
        str(code)[:40]: _("Question inconnue.") for code in raw if code not in BY_CODE
    }
    values = {}
    uses_ai = raw.get("frequency") not in (None, "", NEVER)
    for question in QUESTIONS:
        if question.users_only and not uses_ai:
            continue
        value, error = _clean_one(question, raw.get(question.code))
        if error:
            errors[question.code] = error
        elif value is not None:
            values[question.code] = value
    return values, errors


def _clean_one(question: PulseQuestion, raw) -> tuple[object, str]:
    if raw in (None, "", []):
        return None, _("Répondez à cette question.") if question.required else ""
    if question.kind == SINGLE:
        if isinstance(raw, str) and question.choice(raw):
            return raw, ""
        return None, _("Choisissez une des réponses proposées.")
    return _clean_multiple(question, raw)


def _clean_multiple(question: PulseQuestion, raw) -> tuple[object, str]:
    if not isinstance(raw, list) or not all(isinstance(c, str) for c in raw):
        return None, _("Envoyez une liste de réponses.")
    codes = list(dict.fromkeys(raw))
    if not all(question.choice(code) for code in codes):
        return None, _("Choisissez parmi les réponses proposées.")
    if len(codes) > 1 and any(question.choice(code).exclusive for code in codes):
        return None, _("« Rien de particulier » ne se combine pas avec un autre choix.")
    if question.max_choices and len(codes) > question.max_choices:
        return None, _("Deux choix au plus.")
    return [c.code for c in question.choices if c.code in codes], ""


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
                defaults={"token_hash": hash_token(secrets.token_urlsafe(24))},
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
        questions=tuple(_question_count(q, answer_sets) for q in QUESTIONS),
        users=len(users),
        weekly=count("frequency", "weekly", "daily"),
        unofficial=unofficial,
        company_data=count("data", "internal", "customers"),
        customer_data=count("data", "customers"),
        trained=count("training", "company"),
        self_trained=count("training", "self"),
    )


def _question_count(question: PulseQuestion, answer_sets: list[dict]) -> QuestionCount:
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


def _within(bands: dict, owner_code, part: int, whole: int) -> bool:
    low, high = bands.get(owner_code, (0, 100))
    return low <= percent(part, whole) <= high


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
    differs = "uses.team" in answers and not _within(
        TEAM_USE_BANDS, answers["uses.team"], t.users, t.responses
    )
    return GapRow(_("Qui utilise l’IA dans l’équipe"), owner, employees, differs)


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
    differs = "skills.trained" in answers and not _within(
        TRAINED_BANDS, answers["skills.trained"], t.trained, t.responses
    )
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
