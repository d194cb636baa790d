"""Following the plan: the owner's ticks, what falls due, and the reminders.

An action of the roadmap is *due* once its end date has passed while it is
neither done nor dropped. A diagnostic's `FollowUp.due_on` keeps the earliest
such date (kept here whenever a tick or the plan may move it), so that the
reminders and the apps above (the advisors' queue, through
settings.ASSESSMENT_ON_PROGRESS) read one column instead of every roadmap.

Reminders go only to owners who opted in (when, to which address and the text
agreed to are stored), at most one e-mail a week per address, each with a link
that stops them without signing in (a signed token, django.core.signing).
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from . import results
from .models import (
    REMINDERS_CONSENT_TEXT,
    REMINDERS_CONSENT_VERSION,
    ActionProgress,
    Assessment,
    FollowUp,
)
from .roadmap import Action, Phase

logger = logging.getLogger(__name__)

TODO = "todo"  # no row: the status an owner gives to take a tick back
STATUSES = (TODO, *ActionProgress.Status.values)
REMINDER_EVERY = timedelta(days=7)
UNSUBSCRIBE_SALT = "caillou.followup.unsubscribe"


@dataclass(frozen=True)
class Tracked:
    """One action of the plan as the owner followed it."""

    phase: Phase
    action: Action
    status: str  # TODO or an ActionProgress.Status
    on: date | None  # when it was started, done or dropped
    due: bool  # its end date has passed and it is neither done nor dropped

    @property
    def key(self) -> str:
        return self.action.key

    @property
    def status_label(self) -> str:
        if self.status == TODO:
            return _("à faire")
        return str(ActionProgress.Status(self.status).label)


class ProgressError(Exception):
    """What is wrong with a tick, one message per field; nothing was saved."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


# --- What is due ------------------------------------------------------------------------


def plan_actions(phases: tuple[Phase, ...]) -> list[tuple[Phase, Action]]:
    """The plan's actions in order, each with its phase."""
    return [(phase, action) for phase in phases for action in phase.actions]


def progress_of(assessment: Assessment) -> dict[str, ActionProgress]:
    return {p.action: p for p in assessment.action_progress.all()}


def is_due(action: Action, progress: ActionProgress | None, today: date) -> bool:
    return action.ends_on < today and not (progress and progress.closes())


def next_due(phases, progress: dict[str, ActionProgress]) -> date | None:
    """The earliest end date of an action neither done nor dropped."""
    open_ends = [
        action.ends_on
        for _phase, action in plan_actions(phases)
        if not (action.key in progress and progress[action.key].closes())
    ]
    return min(open_ends, default=None)


def track(phases, progress: dict[str, ActionProgress], today: date) -> list[Tracked]:
    rows = []
    for phase, action in plan_actions(phases):
        found = progress.get(action.key)
        rows.append(
            Tracked(
                phase, action,
                found.status if found else TODO,
                found.on if found else None,
                is_due(action, found, today),
            )
        )  # fmt: skip
    return rows


def tracked(assessment: Assessment, today: date | None = None) -> list[Tracked]:
    """The diagnostic's plan, action by action, with the owner's progress."""
    phases = results.result_for(assessment).roadmap
    return track(phases, progress_of(assessment), today or timezone.localdate())


def counts(rows: list[Tracked]) -> dict[str, int]:
    """How many actions are in each state, and how many are late."""
    found = {"total": len(rows), "late": sum(row.due for row in rows)}
    for status in ActionProgress.Status.values:
        found[status] = sum(row.status == status for row in rows)
    return found


def refresh(assessment: Assessment, phases=None) -> FollowUp:
    """Work out when an action next falls due; tell the apps above if it moved."""
    if phases is None:
        phases = results.result_for(assessment).roadmap
    due = next_due(phases, progress_of(assessment))
    followup, created = FollowUp.objects.get_or_create(
        assessment=assessment, defaults={"due_on": due}
    )
    if not created and followup.due_on != due:
        followup.due_on = due
        followup.save(update_fields=["due_on"])
    for hook in settings.ASSESSMENT_ON_PROGRESS:
        import_string(hook)(assessment, due)
    return followup


def ensure(assessment: Assessment) -> FollowUp:
    """The diagnostic's follow-up, worked out now if it has none yet."""
    found = FollowUp.objects.filter(assessment=assessment).first()
    return found or refresh(assessment)


def record(
    assessment: Assessment, *, action: str, status: str, on: date | None = None,
    today: date | None = None,
) -> ActionProgress | None:  # fmt: skip
    """Tick one action: started, done or dropped on a day (today by default), or
    back to do. Refused with `ProgressError`, nothing saved, when the action is
    not in the plan, the status unknown or the date in the future or before the
    diagnostic."""
    today = today or timezone.localdate()
    on = on or today
    phases = results.result_for(assessment).roadmap
    errors = {}
    if not assessment.is_submitted():
        errors["action"] = _(
            "Le diagnostic n’est pas terminé : il n’a pas encore de plan."
        )
    elif action not in {a.key for _p, a in plan_actions(phases)}:
        errors["action"] = _("Cette action n’est pas dans votre plan.")
    if status not in STATUSES:
        errors["status"] = _("État inconnu : à faire, commencée, faite ou abandonnée.")
    if on > today:
        errors["on"] = _("La date ne peut pas être dans le futur.")
    elif assessment.submitted_at and on < timezone.localdate(assessment.submitted_at):
        errors["on"] = _("La date ne peut pas précéder votre diagnostic (%(date)s).") % {
            "date": _date_text(timezone.localdate(assessment.submitted_at))
        }  # fmt: skip
    if errors:
        raise ProgressError(errors)
    with transaction.atomic():
        rows = ActionProgress.objects.filter(assessment=assessment, action=action)
        if status == TODO:
            rows.delete()
            saved = None
        else:
            saved, _created = ActionProgress.objects.update_or_create(
                assessment=assessment, action=action,
                defaults={"status": status, "on": on},
            )  # fmt: skip
        refresh(assessment, phases)
    return saved


def _date_text(day: date) -> str:
    from django.utils.formats import date_format

    return date_format(day, "j F Y")


# --- What the next diagnostic shows of the previous plan ---------------------------------


def previous_progress(assessment: Assessment) -> list[Tracked]:
    """The previous diagnostic's actions the owner started, did or dropped."""
    previous = assessment.previous
    if previous is None or not previous.is_submitted():
        return []
    progress = progress_of(previous)
    if not progress:
        return []
    rows = track(results.result_for(previous).roadmap, progress, timezone.localdate())
    return [row for row in rows if row.status != TODO]


def progress_part(assessment: Assessment) -> list:
    """What a plan prints of the previous plan's progress (reports' fingerprint)."""
    if not assessment.previous_id:
        return []
    rows = ActionProgress.objects.filter(assessment_id=assessment.previous_id)
    return sorted(rows.values_list("action", "status", "on"))


# --- Reminders --------------------------------------------------------------------------


def agree_to_reminders(
    assessment: Assessment, *, email: str, site_url: str, now: datetime | None = None
) -> FollowUp:
    """The owner's explicit opt-in: the address, the moment and the text agreed to."""
    followup = ensure(assessment)
    followup.reminder_email = email.strip().lower()
    followup.reminders_agreed_at = now or timezone.now()
    followup.reminders_consent_text = str(REMINDERS_CONSENT_TEXT)
    followup.reminders_consent_version = REMINDERS_CONSENT_VERSION
    followup.reminders_stopped_at = None
    followup.site_url = site_url
    followup.save()
    return followup


def stop_reminders(followup: FollowUp, now: datetime | None = None) -> None:
    """No more reminders; what was agreed and when stays on record."""
    if followup.reminders_stopped_at is None:
        followup.reminders_stopped_at = now or timezone.now()
        followup.save(update_fields=["reminders_stopped_at"])


def unsubscribe_token(followup: FollowUp) -> str:
    return signing.dumps(followup.pk, salt=UNSUBSCRIBE_SALT)


def from_unsubscribe_token(token: str) -> FollowUp | None:
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return FollowUp.objects.filter(pk=pk).first() if isinstance(pk, int) else None


def reminders_due(now: datetime):
    """Opted-in follow-ups with an action due, whose address had no reminder
    this week, for the latest diagnostic only (not one retaken since)."""
    today = timezone.localdate(now)
    recent = FollowUp.objects.filter(reminded_at__gt=now - REMINDER_EVERY)
    return (
        FollowUp.objects.filter(
            reminders_agreed_at__isnull=False,
            reminders_stopped_at__isnull=True,
            due_on__lt=today,
            assessment__status=Assessment.Status.SUBMITTED,
        )
        .exclude(reminder_email="")
        .exclude(reminder_email__in=recent.values("reminder_email"))
        .exclude(assessment__followups__status=Assessment.Status.SUBMITTED)
        .select_related("assessment")
        .order_by("due_on", "pk")
    )


def send_reminders(now: datetime | None = None) -> int:
    """Send this week's reminders; how many e-mails left."""
    now = now or timezone.now()
    sent_to: set[str] = set()
    sent = 0
    for followup in reminders_due(now):
        if followup.reminder_email in sent_to:
            continue
        if _claim(followup, now) and _send_reminder(followup, now):
            sent_to.add(followup.reminder_email)
            sent += 1
    return sent


def _claim(followup: FollowUp, now: datetime) -> bool:
    """Mark it reminded unless another run just did: one e-mail, not two."""
    before = followup.reminded_at
    unchanged = Q(reminded_at__isnull=True) if before is None else Q(reminded_at=before)
    claimed = FollowUp.objects.filter(unchanged, pk=followup.pk).update(reminded_at=now)
    return bool(claimed)


def _send_reminder(followup: FollowUp, now: datetime) -> bool:
    assessment = followup.assessment
    with translation.override(assessment.language or "fr"):
        due = [row for row in tracked(assessment, timezone.localdate(now)) if row.due]
        if not due:  # the plan moved since due_on was written
            refresh(assessment)
            _unclaim(followup)
            return False
        base = followup.site_url.rstrip("/")
        unsubscribe = base + reverse(
            "assessment:unsubscribe", args=[unsubscribe_token(followup)]
        )
        context = {
            "assessment": assessment,
            "due": due,
            "followup_url": base + reverse("assessment:followup", args=[assessment.pk]),
            "unsubscribe_url": unsubscribe,
        }
        subject = render_to_string("assessment/email/reminder_subject.txt", context)
        body = render_to_string("assessment/email/reminder.txt", context)
    message = EmailMessage(
        " ".join(subject.split()), body, None, [followup.reminder_email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )  # fmt: skip
    try:
        message.send()
    except (OSError, smtplib.SMTPException):
        logger.exception("reminder e-mail for assessment %s failed", assessment.pk)
        _unclaim(followup)  # tried again on the next run
        return False
    return True


def _unclaim(followup: FollowUp) -> None:
    FollowUp.objects.filter(pk=followup.pk).update(reminded_at=followup.reminded_at)
