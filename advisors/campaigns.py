"""Campaigns: an organisation brings a room of owners through the diagnostic.

A campaign's public link starts diagnostics with a creation budget of its own
(per address, `settings.CAMPAIGN_STARTS_PER_HOUR`), so that a room behind one
Wi-Fi address is served while the plain start keeps its limit. The diagnostic
knows nothing of campaigns: a `CampaignEntry` links it, and the owner's consent
to share, given on the first page, becomes a case when the diagnostic is
submitted (`share_on_submit`, one of `settings.ASSESSMENT_ON_SUBMIT`).

The room's figures about the diagnostics' content (levels, stones, progress)
read only the cases shared with the receiving organisation, and follow the peer
benchmark's threshold (`settings.PEER_BENCHMARK_MINIMUM`): no count below it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import ActionProgress, Assessment, Outcome
from assessment.scoring import LEVELS
from catalog.models import StoneCategory
from config import throttling

from . import cases
from .models import SHARE_CONSENT_VERSION, Campaign, CampaignEntry, Case, Organisation

# Letters and digits that cannot be misread on a projected poster (no 0/o, 1/l/i).
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
CODE_LENGTH = 8  # 31^8 ≈ 8.5e11: links cannot be guessed one by one
TOP_STONES = 5


class CampaignError(ValueError):
    """A campaign that cannot be made or changed so; the message is for the user."""


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def create(
    organisation: Organisation, user, *, name: str, starts_on: date, ends_on: date,
    receiving: Organisation | None = None, event: str = "", place: str = "",
    welcome: str = "",
) -> Campaign:  # fmt: skip
    """A new open campaign of `organisation`, with a fresh public link."""
    if ends_on < starts_on:
        raise CampaignError(_("Le dernier jour précède le premier."))
    return Campaign.objects.create(
        organisation=organisation,
        receiving=receiving or organisation,
        code=new_code(),
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        event=event,
        place=place,
        welcome=welcome,
        created_by=user,
    )


def close(campaign: Campaign) -> None:
    """Stop new starts through the link (diagnostics under way go on)."""
    if campaign.closed_at is None:
        campaign.closed_at = timezone.now()
        Campaign.objects.filter(pk=campaign.pk, closed_at__isnull=True).update(
            closed_at=campaign.closed_at
        )


def refusal(campaign: Campaign, today: date | None = None) -> str | None:
    """Why the link starts nothing now, for the owner; None while it is open."""
    today = today or timezone.localdate()
    if campaign.is_closed:
        return _(
            "Cette campagne est close : elle n’accueille plus de nouveaux "
            "diagnostics. Vous pouvez faire le vôtre depuis la page d’accueil."
        )
    if today > campaign.ends_on:
        return _(
            "Cette campagne est terminée : elle n’accueille plus de nouveaux "
            "diagnostics. Vous pouvez faire le vôtre depuis la page d’accueil."
        )
    return None


def is_open(campaign: Campaign, today: date | None = None) -> bool:
    return refusal(campaign, today) is None


def by_code(code: str) -> Campaign | None:
    return (
        Campaign.objects.select_related("organisation", "receiving")
        .filter(code=code)
        .first()
    )


def start_wait(request, campaign: Campaign) -> int | None:
    """Count a start through this link from this address: None, or the wait."""
    ident = f"{campaign.pk}:{throttling.client_address(request)}"
    return throttling.wait_for(request, "campaign_start", ident=ident)


def enter(campaign: Campaign, assessment: Assessment, *, share: bool) -> CampaignEntry:
    """Link a diagnostic just started from the campaign, with the consent given."""
    text = cases.consent_text(campaign.receiving) if share else ""
    return CampaignEntry.objects.create(
        campaign=campaign,
        assessment=assessment,
        share_consent_text=text,
        share_consent_version=SHARE_CONSENT_VERSION if share else "",
    )


def share_on_submit(assessment: Assessment) -> None:
    """Share a submitted campaign diagnostic whose owner consented at the start."""
    entry = (
        CampaignEntry.objects.select_related("campaign__receiving")
        .filter(assessment=assessment)
        .first()
    )
    if entry is not None and entry.consents_to_share:
        cases.share(
            assessment,
            entry.campaign.receiving,
            consent=(entry.share_consent_text, entry.share_consent_version),
        )


# --- The live room --------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    count: int | None  # None: below the threshold, not shown


@dataclass(frozen=True)
class Progress:
    reassessed: int  # owners whose campaign diagnostic has a submitted sequel
    up: int | None  # of those, level went up / stayed / went down (threshold)
    same: int | None
    down: int | None
    mean_change: float | None  # overall score, points; None below the threshold


@dataclass(frozen=True)
class Room:
    started: int
    finished: int
    shared: int
    threshold: int
    levels: list[Figure]  # empty while fewer shared cases than the threshold
    stones: list[Figure]
    progress: Progress
    # Actions of the shared cases' plans their owners ticked done, and how many
    # owners ticked one; None below the threshold.
    actions_done: int | None = None
    owners_acting: int | None = None

    @property
    def detailed(self) -> bool:
        return self.shared >= self.threshold


def threshold() -> int:
    return max(settings.PEER_BENCHMARK_MINIMUM, 1)


def _shown(count: int) -> int | None:
    return count if count >= threshold() else None


def shared_assessments(campaign: Campaign):
    """The campaign's diagnostics shared with the receiving organisation now."""
    active = Case.objects.active().filter(organisation=campaign.receiving_id)
    return Assessment.objects.filter(
        campaign_entry__campaign=campaign, cases__in=active
    ).distinct()


def room(campaign: Campaign) -> Room:
    """Every figure of the live room, in a few queries."""
    entries = CampaignEntry.objects.filter(campaign=campaign)
    finished = entries.filter(assessment__status=Assessment.Status.SUBMITTED)
    shared_ids = list(shared_assessments(campaign).values_list("pk", flat=True))
    outcomes = Outcome.objects.filter(assessment__in=shared_ids)
    detailed = len(shared_ids) >= threshold()
    return Room(
        started=entries.count(),
        finished=finished.count(),
        shared=len(shared_ids),
        threshold=threshold(),
        levels=_levels(outcomes) if detailed else [],
        stones=_stones(outcomes) if detailed else [],
        progress=progress(shared_ids),
        **(_actions_done(shared_ids) if detailed else {}),
    )


def _actions_done(ids: list[int]) -> dict[str, int]:
    done = ActionProgress.objects.filter(
        assessment__in=ids, status=ActionProgress.Status.DONE
    )
    return {
        "actions_done": done.count(),
        "owners_acting": done.values("assessment").distinct().count(),
    }


def _levels(outcomes) -> list[Figure]:
    counts = dict(outcomes.values_list("level").annotate(n=Count("pk")).order_by())
    return [
        Figure(level.code, str(level.name), _shown(counts.get(level.rank, 0)))
        for level in LEVELS
    ]


def _stones(outcomes) -> list[Figure]:
    """The most frequent stones, those that reach the threshold only."""
    counts = (
        outcomes.exclude(stone_category="")
        .values_list("stone_category")
        .annotate(n=Count("pk"))
        .order_by("-n", "stone_category")
    )
    frequent = [(slug, n) for slug, n in counts if _shown(n) is not None]
    names = dict(
        StoneCategory.objects.filter(
            slug__in=[slug for slug, _n in frequent]
        ).values_list("slug", "name")
    )
    return [Figure(slug, names.get(slug, slug), n) for slug, n in frequent][:TOP_STONES]


def sequels(ids: list[int]) -> dict[int, Assessment]:
    """Each diagnostic's latest submitted re-assessment, following the chain."""
    latest: dict[int, Assessment] = {}
    root_of = {pk: pk for pk in ids}
    frontier = list(ids)
    while frontier:
        found = list(
            Assessment.objects.filter(previous__in=frontier)
            .select_related("outcome")
            .order_by("created_at", "pk")
        )
        for sequel in found:
            root_of[sequel.pk] = root_of[sequel.previous_id]
            if sequel.is_submitted() and hasattr(sequel, "outcome"):
                latest[root_of[sequel.pk]] = sequel
        frontier = [a.pk for a in found]
    return latest


def progress(ids: list[int]) -> Progress:
    """How the owners moved between their campaign diagnostic and the next one."""
    later = sequels(ids)
    first = {o.assessment_id: o for o in Outcome.objects.filter(assessment__in=later)}
    pairs = [(first[pk], a.outcome) for pk, a in later.items() if pk in first]
    enough = len(pairs) >= threshold()
    up = sum(1 for a, b in pairs if b.level > a.level)
    down = sum(1 for a, b in pairs if b.level < a.level)
    change = sum(b.overall - a.overall for a, b in pairs) / len(pairs) if pairs else 0
    return Progress(
        reassessed=len(pairs),
        up=up if enough else None,
        same=len(pairs) - up - down if enough else None,
        down=down if enough else None,
        mean_change=round(change, 1) if enough else None,
    )


def room_rows(campaign: Campaign, figures: Room) -> list[list]:
    """The room's figures as the statistics' CSV rows: table; key; label; value.

    A count below the threshold is written « < N », as on the page.
    """
    hidden = f"< {figures.threshold}"

    def value(count):
        return hidden if count is None else count

    p = figures.progress
    rows = [
        (_("Campagne"), "name", campaign.name, campaign.code),
        (_("Total"), "started", _("Diagnostics commencés"), figures.started),
        (_("Total"), "finished", _("Diagnostics terminés"), figures.finished),
        (_("Total"), "shared", _("Dossiers partagés"), figures.shared),
        *[(_("Niveau"), c.key, c.label, value(c.count)) for c in figures.levels],
        *[(_("Caillou"), c.key, c.label, value(c.count)) for c in figures.stones],
        (_("Progression"), "reassessed", _("Diagnostics refaits"), p.reassessed),
        (_("Progression"), "level_up", _("Niveau en hausse"), value(p.up)),
        (_("Progression"), "level_same", _("Niveau inchangé"), value(p.same)),
        (_("Progression"), "level_down", _("Niveau en baisse"), value(p.down)),
        (
            _("Progression"),
            "actions_done",
            _("Actions du plan faites"),
            value(figures.actions_done),
        ),
        (
            _("Progression"),
            "owners_acting",
            _("Dirigeants ayant fait une action"),
            value(figures.owners_acting),
        ),
    ]
    return [list(row) for row in rows]
