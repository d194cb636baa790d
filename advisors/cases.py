"""What owners and advisors do with a shared case: the workflow, in one place.

Pages and the API call these functions; they check nothing about who is
asking (the views do, with `access`), and they keep the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment import followup
from assessment.adjusting import (
    KINDS,
    Added,
    Adjustments,
    Change,
    Hidden,
    adjust,
    catalogue_item,
    changes,
)  # fmt: skip
from assessment.catalogue import load_catalogue
from assessment.models import Assessment
from assessment.results import Result, record_outcome, result_for
from reports.asking import request_report
from reports.models import Report

from . import tallies
from .models import (
    SHARE_CONSENT_TEXT,
    SHARE_CONSENT_VERSION,
    AccessLog,
    Adjustment,
    AdvisorVersion,
    Case,
    Membership,
    Note,
    Organisation,
    StatusChange,
)

# Which status may follow which: forward through the work, back one step, reopen.
NEXT_STATUSES = {
    Case.Status.NEW: (Case.Status.IN_REVIEW, Case.Status.CLOSED),
    Case.Status.IN_REVIEW: (Case.Status.PLAN_SENT, Case.Status.NEW, Case.Status.CLOSED),
    Case.Status.PLAN_SENT: (
        Case.Status.FOLLOW_UP, Case.Status.IN_REVIEW, Case.Status.CLOSED,
    ),
    Case.Status.FOLLOW_UP: (Case.Status.CLOSED, Case.Status.IN_REVIEW),
    Case.Status.CLOSED: (Case.Status.IN_REVIEW,),
}  # fmt: skip


class WorkflowError(ValueError):
    """A step the case cannot take; the message is for the user."""


# --- The owner's side -------------------------------------------------------------


def organisations_for(assessment: Assessment):
    """Every organisation, those covering the company's department first."""
    covering = Organisation.departments.through.objects.filter(
        organisation=OuterRef("pk"), department=assessment.department_id
    )
    return Organisation.objects.annotate(covers=Exists(covering)).order_by(
        "-covers", "name"
    )


def consent_text(organisation: Organisation) -> str:
    return SHARE_CONSENT_TEXT % {"organisation": organisation.name}


def share(
    assessment: Assessment,
    organisation: Organisation,
    consent: tuple[str, str] | None = None,
) -> Case:
    """Share a submitted diagnostic, recording the consent given; once per organisation.

    `consent` is the text and version the owner agreed to, when given earlier
    (on a campaign's first page); by default, today's.
    """
    if not assessment.is_submitted():
        raise WorkflowError(_("Terminez le diagnostic avant de le partager."))
    with transaction.atomic():
        Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
        existing = Case.objects.active().filter(
            assessment=assessment, organisation=organisation
        )
        if existing.exists():
            return existing.get()
        if not hasattr(assessment, "outcome"):
            record_outcome(assessment)
        case = Case.objects.create(
            assessment=assessment,
            organisation=organisation,
            consent_text=consent[0] if consent else consent_text(organisation),
            consent_version=consent[1] if consent else SHARE_CONSENT_VERSION,
            actions_due_on=followup.ensure(assessment).due_on,
        )
        tallies.count_in([_locked(case.pk)])
        return case


def withdraw(case: Case) -> None:
    """The owner takes the case back: the organisation no longer sees it."""
    with transaction.atomic():
        locked = _locked(case.pk)
        if locked.withdrawn_at is None:
            locked.withdrawn_at = timezone.now()
            locked.save(update_fields=["withdrawn_at", "updated_at"])
            tallies.count_out([locked])
    case.withdrawn_at, case.updated_at = locked.withdrawn_at, locked.updated_at


def _locked(pk: int) -> Case:
    """The case as committed, its row locked until the end of the transaction,
    with what its tallies are made of."""
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("assessment__outcome")
        .get(pk=pk)
    )


def follow_progress(assessment: Assessment, due_on) -> None:
    """The owner ticked an action (settings.ASSESSMENT_ON_PROGRESS): the cases
    of the diagnostic keep when its plan next falls due, for the queue."""
    Case.objects.filter(assessment=assessment).exclude(actions_due_on=due_on).update(
        actions_due_on=due_on
    )


def shares_of(assessment: Assessment):
    """The owner's shares, active and withdrawn, with who opened them."""
    return (
        assessment.cases.select_related("organisation")
        .prefetch_related("accesses", "adjustments")
        .order_by("withdrawn_at", "-shared_at")
    )


@dataclass(frozen=True)
class CaseChanges:
    """An organisation's changes to the plan, as the owner reads them."""

    organisation: str
    items: tuple[Change, ...]  # hidden (with the reason) or added
    advice: tuple[str, ...]

    def __bool__(self):
        return bool(self.items or self.advice)

    def to_json(self) -> dict:
        return {
            "organisation": self.organisation,
            "items": [change.to_json() for change in self.items],
            "advice": list(self.advice),
        }


def changes_of(case: Case) -> CaseChanges:
    adjustments = adjustments_of(case)
    items = changes(adjustments, load_catalogue()) if adjustments else ()
    return CaseChanges(case.organisation.name, items, adjustments.advice)


def changes_for_owner(assessment: Assessment) -> list[CaseChanges]:
    """What the organisations the diagnostic is shared with changed in its plan.

    Withdrawn shares are left out: that organisation no longer advises.
    """
    shared = (
        assessment.cases.active()
        .select_related("organisation")
        .prefetch_related("adjustments")
        .order_by("shared_at")
    )
    return [found for found in map(changes_of, shared) if found]


# --- The advisor's side -----------------------------------------------------------


# The owner reads the log: one line per advisor, case and kind of access an
# hour says who looked and when, where a line per reload buried it.
ACCESS_LOG_EVERY = timedelta(hours=1)


def record_access(case: Case, user, action: str = AccessLog.Action.VIEW) -> bool:
    """Log that a member opened or downloaded the case, at most once an hour."""
    recent = case.accesses.filter(
        user=user, action=action, at__gte=timezone.now() - ACCESS_LOG_EVERY
    )
    if recent.exists():
        return False
    AccessLog.objects.create(
        case=case,
        user=user,
        user_name=(user.get_full_name() or user.get_username())[:150],
        action=action,
    )
    return True


def change_status(case: Case, status: str, user) -> None:
    # Checked against the row as committed: another advisor may have moved it.
    with transaction.atomic():
        locked = _locked(case.pk)
        before = locked.status
        if status == before:
            return
        if status not in NEXT_STATUSES.get(before, ()):
            raise WorkflowError(
                _("Un dossier « %(current)s » ne peut pas passer à « %(next)s ».")
                % {
                    "current": locked.get_status_display(),
                    "next": dict(Case.Status.choices).get(status, status),
                }
            )
        StatusChange.objects.create(
            case=locked, from_status=before, to_status=status, by=user
        )
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
        if locked.withdrawn_at is None:
            tallies.move_status(locked, before, status)
    case.status, case.updated_at = locked.status, locked.updated_at


def members_of(organisation):
    """The organisation's members as users, in the order lists show them."""
    return (
        get_user_model()
        .objects.filter(membership__organisation=organisation)
        .order_by("last_name", "first_name", "username")
    )


def not_a_member() -> WorkflowError:
    # One refusal for every id that is not a member: an unknown id, another
    # organisation's advisor and a staff account must look alike.
    return WorkflowError(_("Ce conseiller n’est pas membre de votre organisation."))


def member_by_id(case: Case, user_id: int | None):
    """The member of the case's organisation with this id; None for nobody."""
    if user_id is None:
        return None
    member = members_of(case.organisation_id).filter(pk=user_id).first()
    if member is None:
        raise not_a_member()
    return member


def assign(case: Case, assignee) -> None:
    """Give the case to a member of its organisation, or to nobody (None)."""
    if (
        assignee is not None
        and not Membership.objects.filter(
            user=assignee, organisation=case.organisation_id
        ).exists()
    ):
        raise not_a_member()
    case.assignee = assignee
    case.save(update_fields=["assignee", "updated_at"])


def add_note(case: Case, user, text: str) -> Note:
    text = text.strip()
    if not text:
        raise WorkflowError(_("La note est vide."))
    return Note.objects.create(case=case, author=user, text=text)


def hide(case: Case, user, item_kind: str, item_slug: str, reason: str) -> Adjustment:
    """Take a recommendation out of the plan; the owner reads the reason."""
    if not reason.strip():
        raise WorkflowError(_("Dites en une phrase pourquoi vous la retirez."))
    return _adjust(case, user, Adjustment.Kind.HIDE, item_kind, item_slug, reason)


def add_item(case: Case, user, item_kind: str, item_slug: str, note: str = ""):
    """Add a catalogue item the matching did not choose."""
    if catalogue_item(load_catalogue(), item_kind, item_slug) is None:
        raise WorkflowError(_("Cet élément n’existe pas dans le catalogue."))
    return _adjust(case, user, Adjustment.Kind.ADD, item_kind, item_slug, note)


def add_advice(case: Case, user, text: str) -> Adjustment:
    if not text.strip():
        raise WorkflowError(_("Le conseil est vide."))
    return _adjust(case, user, Adjustment.Kind.ADVICE, "", "", text)


def apply_adjustment(
    case: Case, user, kind: str, *, item_kind="", item_slug="", text=""
):
    """Any of the three adjustments, by its kind (as the API sends it)."""
    if kind == Adjustment.Kind.HIDE:
        return hide(case, user, item_kind, item_slug, text)
    if kind == Adjustment.Kind.ADD:
        return add_item(case, user, item_kind, item_slug, text)
    return add_advice(case, user, text)


def _adjust(case, user, kind, item_kind, item_slug, text) -> Adjustment:
    if kind != Adjustment.Kind.ADVICE and item_kind not in KINDS:
        raise WorkflowError(_("Type d’élément inconnu."))
    duplicate = case.adjustments.filter(
        kind=kind, item_kind=item_kind, item_slug=item_slug
    )
    if kind != Adjustment.Kind.ADVICE and duplicate.exists():
        return duplicate.first()
    return Adjustment.objects.create(
        case=case, kind=kind, item_kind=item_kind, item_slug=item_slug,
        text=text.strip(), author=user,
    )  # fmt: skip


def remove_adjustment(case: Case, adjustment_id: int) -> bool:
    deleted, _rows = case.adjustments.filter(pk=adjustment_id).delete()
    return bool(deleted)


def adjustments_of(case: Case) -> Adjustments:
    """The case's adjustments as the plan applies them."""
    rows = list(case.adjustments.all())
    return Adjustments(
        hidden=tuple(
            Hidden(a.item_kind, a.item_slug, a.text)
            for a in rows
            if a.kind == Adjustment.Kind.HIDE
        ),
        added=tuple(
            Added(a.item_kind, a.item_slug, a.text)
            for a in rows
            if a.kind == Adjustment.Kind.ADD
        ),
        advice=tuple(a.text for a in rows if a.kind == Adjustment.Kind.ADVICE),
    )


def result_for_case(case: Case) -> Result:
    """The diagnostic's result with the organisation's adjustments applied."""
    return adjust(result_for(case.assessment), adjustments_of(case), load_catalogue())


def regenerate(case: Case, user, language: str | None = None) -> Report:
    """A new version of the plan, with the case's adjustments, asked by an advisor
    and kept as their organisation's."""
    with transaction.atomic():
        report = request_report(
            case.assessment,
            requested_by=Report.Requester.ADVISOR,
            user=user,
            language=language,
            adjustments=adjustments_of(case).to_json(),
        )
        AdvisorVersion.objects.get_or_create(
            report=report, defaults={"organisation": case.organisation}
        )
    return report


def reports_of(case: Case):
    """The owner's versions and the case's organisation's, nobody else's."""
    return case.assessment.reports.filter(
        Q(requested_by__in=[Report.Requester.OWNER, Report.Requester.API])
        | Q(advisor_version__organisation=case.organisation_id)
    ).order_by("-version")


def delete_cases(shared) -> int:
    """Delete these cases (staff do, in the admin); they stop counting at once."""
    with transaction.atomic():
        locked = list(
            shared.select_for_update(of=("self",)).select_related("assessment__outcome")
        )
        tallies.count_out(case for case in locked if case.withdrawn_at is None)
        deleted, _rows = Case.objects.filter(pk__in=[c.pk for c in locked]).delete()
    return deleted


# --- Retention (called by the privacy app's nightly task) -------------------------


def purge_access_log(before) -> int:
    """Forget who opened which case before that time."""
    deleted, _rows = AccessLog.objects.filter(at__lt=before).delete()
    return deleted


def forget_shares(assessment_ids) -> None:
    """Diagnostics about to be erased: their shares stop counting.

    The diagnostics are locked as `share` locks them, so that none is shared
    again before the erasure commits.
    """
    list(Assessment.objects.select_for_update().filter(pk__in=assessment_ids))
    shared = (
        Case.objects.active()
        .filter(assessment__in=assessment_ids)
        .select_for_update(of=("self",))
        .select_related("assessment__outcome")
    )
    tallies.count_out(shared)


def forget_free_text(assessment_ids) -> None:
    """Anonymised diagnostics: drop the notes and reasons written about them,
    and the company's name the cases copied (they take the diagnostic's new one)."""
    shared = Case.objects.filter(assessment__in=assessment_ids)
    Note.objects.filter(case__in=shared).delete()
    Adjustment.objects.filter(case__in=shared).update(text="")
    anonymised = Assessment.objects.filter(pk=OuterRef("assessment_id"))
    shared.update(company_name=Subquery(anonymised.values("company_name")[:1]))
