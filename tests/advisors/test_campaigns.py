"""Campaigns: an organisation's link brings a room of owners through the
diagnostic; their shared cases reach its queue; the live room counts them."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
import segno
from django.test import Client
from django.urls import reverse

from advisors import campaigns, cases
from advisors.models import Campaign, CampaignEntry, Case, Membership, Organisation
from assessment.answering import save_answers, start_assessment, submit
from assessment.models import Assessment, Outcome
from assessment.scoring import level_for
from catalog.models import Department
from config import settings as project_settings
from privacy import erasure, export
from tests.assessment import personas

from .conftest import make_member

NBSP = "\u00a0"
PROFILE = {
    "company_name": "Cabinet Durand",
    "siren": "",
    "sector": "finance",
    "size_band": "small",
    "department": "31",
    "revenue_band": "",
    "respondent_name": "Claire Durand",
    "respondent_email": "claire@example.fr",
    "respondent_role": "Gérante",
    "consent": "on",
}


def text(response) -> str:
    return response.content.decode().replace(NBSP, " ").replace("\u202f", " ")


@pytest.fixture
def room(seeded):
    """An organisation, its admin and advisor, and an open campaign of today."""
    occitanie = Organisation.objects.create(name="CCI Occitanie", slug="cci-occitanie")
    occitanie.departments.set(Department.objects.filter(region__code="76"))
    other = Organisation.objects.create(name="CCI Bretagne", slug="cci-bretagne")
    admin = make_member(occitanie, "chloe", Membership.Role.ADMIN)
    advisor = make_member(occitanie, "alice")
    outsider = make_member(other, "yann", Membership.Role.ADMIN)
    today = date.today()
    campaign = campaigns.create(
        occitanie, admin, name="Atelier IA de Toulouse", starts_on=today,
        ends_on=today, event="IA Tour", place="Toulouse",
        welcome="Bienvenue à l’atelier : 15 minutes pour votre diagnostic.",
    )  # fmt: skip
    return SimpleNamespace(**locals())


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def start_url(campaign) -> str:
    return reverse("campaigns:start", args=[campaign.code])


def start(client, campaign, **overrides):
    return client.post(start_url(campaign), {**PROFILE, **overrides})


def finish(assessment, persona=personas.ACCOUNTING_FIRM):
    assert not save_answers(assessment, persona["answers"])
    assert not submit(assessment)
    assessment.refresh_from_db()


def test_an_admin_creates_a_campaign_with_its_link_qr_code_and_poster(room):
    admin = signed_in(room.admin)
    response = admin.post(
        reverse("advisors:campaign_new"),
        {"name": "Salon des TPE", "starts_on": "2026-12-10", "ends_on": "2026-12-11",
         "event": "", "place": "Montpellier", "welcome": "", "receiving": "cci-occitanie"},
    )  # fmt: skip
    campaign = Campaign.objects.get(name="Salon des TPE")
    assert response.status_code == 302
    assert response["Location"] == reverse("advisors:campaign", args=[campaign.pk])
    assert campaign.receiving == room.occitanie and campaign.created_by == room.admin
    listed = text(admin.get(reverse("advisors:campaigns")))
    assert "Salon des TPE" in listed and "Atelier IA de Toulouse" in listed
    page = text(admin.get(response["Location"]))
    link = f"http://testserver/campagne/{campaign.code}/"
    assert link in page and "<svg" in page
    assert 'hx-trigger="every 5s"' in page  # the live room polls its figures
    poster = text(admin.get(reverse("advisors:campaign_poster", args=[campaign.pk])))
    assert link in poster and 'viewBox="0 0' in poster
    png = admin.get(reverse("advisors:campaign_qr", args=[campaign.pk]) + "?format=png")
    assert png["Content-Type"] == "image/png" and png.content[:4] == b"\x89PNG"
    svg = admin.get(reverse("advisors:campaign_qr", args=[campaign.pk]))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    # The QR code says the link: segno makes the same symbol from it.
    symbol = segno.make(link, error="m").svg_inline(scale=4, border=4)
    assert symbol[symbol.index(' d="') :] in page


def test_the_new_campaign_form_says_what_is_wrong(room):
    response = signed_in(room.admin).post(
        reverse("advisors:campaign_new"),
        {"name": "", "starts_on": "2026-12-10", "ends_on": "2026-12-01",
         "receiving": "nulle-part"},
    )  # fmt: skip
    assert response.status_code == 400
    page = text(response)
    assert "Le dernier jour précède le premier." in page
    assert "Choisissez une organisation de la liste." in page
    assert Campaign.objects.count() == 1


def test_only_an_admin_creates_or_closes_a_campaign(room):
    advisor = signed_in(room.advisor)
    assert advisor.get(reverse("advisors:campaign_new")).status_code == 404
    url = reverse("advisors:campaign_close", args=[room.campaign.pk])
    assert advisor.post(url).status_code == 404
    room.campaign.refresh_from_db()
    assert campaigns.is_open(room.campaign)
    # Another organisation's admin does not see it at all.
    assert signed_in(room.outsider).post(url).status_code == 404
    assert signed_in(room.admin).post(url).status_code == 302
    room.campaign.refresh_from_db()
    assert room.campaign.is_closed


def test_a_diagnostic_started_from_the_link_carries_the_campaign_and_the_consent(
    room, client
):
    page = text(client.get(start_url(room.campaign)))
    assert "Atelier IA de Toulouse" in page and "Bienvenue à l’atelier" in page
    consent = cases.consent_text(room.occitanie)
    assert consent.replace(NBSP, " ") in page
    response = start(client, room.campaign, share="on")
    assessment = Assessment.objects.get()
    assert response["Location"] == reverse("assessment:link", args=[assessment.pk])
    entry = CampaignEntry.objects.get()
    assert (entry.campaign, entry.assessment) == (room.campaign, assessment)
    assert entry.share_consent_text == consent
    assert not Case.objects.exists()  # shared once finished, not before
    finish(assessment)
    case = Case.objects.get()
    assert (case.assessment, case.organisation) == (assessment, room.occitanie)
    assert (case.consent_text, case.consent_version) == (
        entry.share_consent_text, entry.share_consent_version,
    )  # fmt: skip
    queue = text(signed_in(room.advisor).get(reverse("advisors:queue")))
    assert "Cabinet Durand" in queue


def test_without_the_consent_to_share_nothing_is_shared(room, client):
    start(client, room.campaign)  # the share box left unticked
    finish(Assessment.objects.get())
    assert CampaignEntry.objects.get().share_consent_text == ""
    assert not Case.objects.exists()
    figures = campaigns.room(room.campaign)
    assert (figures.started, figures.finished, figures.shared) == (1, 1, 0)


def test_the_general_consent_is_still_required(room, client):
    response = start(client, room.campaign, consent="", share="on")
    assert response.status_code == 400
    assert "sans votre accord, rien n’est enregistré" in text(response)
    assert not Assessment.objects.exists()


def test_closing_a_campaign_stops_new_starts_with_a_clear_message(room, client):
    page = client.get(start_url(room.campaign))  # opened before the close
    assert page.status_code == 200
    campaigns.close(room.campaign)
    for response in (client.get(start_url(room.campaign)),
                     start(client, room.campaign, share="on")):  # fmt: skip
        assert response.status_code == 410
        assert "Cette campagne est close" in text(response)
    assert not Assessment.objects.exists()


def test_a_campaign_past_its_last_day_starts_nothing(room, client):
    Campaign.objects.filter(pk=room.campaign.pk).update(
        starts_on=date.today() - timedelta(days=3),
        ends_on=date.today() - timedelta(days=1),
    )
    response = start(client, room.campaign)
    assert response.status_code == 410
    assert "Cette campagne est terminée" in text(response)


def test_an_unknown_campaign_link_is_a_404(room, client):
    assert client.get(reverse("campaigns:start", args=["inconnue"])).status_code == 404


def test_a_room_of_sixty_owners_behind_one_address_is_served(room, settings):
    """The plain start refuses the 21st diagnostic of an address in an hour; the
    campaign's link serves 60 from that address, then its own budget ends."""
    settings.THROTTLE_RATES = project_settings.THROTTLE_RATES  # the real limits
    assert project_settings.THROTTLE_RATES["campaign_start"] == "120/hour"
    plain = Client()
    statuses = [plain.post("/diagnostic/", PROFILE).status_code for _ in range(21)]
    assert statuses == [302] * 20 + [429]
    owners = Client()  # the same address (testserver's 127.0.0.1)
    statuses = [start(owners, room.campaign).status_code for _ in range(60)]
    assert statuses == [302] * 60
    assert CampaignEntry.objects.count() == 60
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "campaign_start": "60/hour"}
    refused = start(owners, room.campaign)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "Trop de demandes en peu de temps" in text(refused)
    assert 'value="Cabinet Durand"' in refused.content.decode()  # kept as typed
    assert CampaignEntry.objects.count() == 60
    # Another campaign's link has its own budget.
    other = campaigns.create(
        room.occitanie, room.admin, name="Autre", starts_on=date.today(),
        ends_on=date.today(),
    )  # fmt: skip
    assert start(owners, other).status_code == 302


# --- The live room ------------------------------------------------------------------


@pytest.fixture
def shared_entries(room, make_case, catalogue_rows):
    """`make(n, overall=…, stone=…)`: n diagnostics of the campaign shared."""

    def make(n, *, overall=50, stone="devis-factures", shared=True):
        made = []
        for _ in range(n):
            case = make_case(room.occitanie, overall=overall, stone=stone)
            CampaignEntry.objects.create(
                campaign=room.campaign, assessment=case.assessment
            )
            if not shared:
                cases.withdraw(case)
            made.append(case.assessment)
        return made

    return make


def test_room_figures_show_nothing_below_the_threshold(room, shared_entries, settings):
    settings.PEER_BENCHMARK_MINIMUM = 3
    shared_entries(2, overall=45)
    figures = campaigns.room(room.campaign)
    assert (figures.started, figures.finished, figures.shared) == (2, 2, 2)
    assert not figures.detailed and figures.levels == [] and figures.stones == []
    shared_entries(1, overall=45, stone="mails-clients")
    shared_entries(1, overall=85, stone="mails-clients")
    shared_entries(1, overall=85, shared=False)  # withdrawn: counts as finished only
    figures = campaigns.room(room.campaign)
    assert (figures.started, figures.finished, figures.shared) == (5, 5, 4)
    levels = {f.key: f.count for f in figures.levels}
    assert levels[level_for(45).code] == 3
    assert levels[level_for(85).code] is None  # one case: below the threshold
    assert sum(1 for count in levels.values() if count is None) == 4
    assert [(f.key, f.count) for f in figures.stones] == []  # 2 and 2: below 3
    settings.PEER_BENCHMARK_MINIMUM = 2
    stones = campaigns.room(room.campaign).stones
    assert [(f.key, f.count) for f in stones] == [
        ("devis-factures", 2), ("mails-clients", 2),
    ]  # fmt: skip


def retake(assessment, overall):
    """A submitted re-assessment with its recorded outcome."""
    again, _token = start_assessment(profile=assessment.profile(), previous=assessment)
    again.mark_submitted()
    Outcome.objects.create(
        assessment=again, overall=overall, level=level_for(overall).rank,
        sector=again.sector, size_band=again.size_band,
        **{code: overall for code in Outcome.dimension_codes()},
    )  # fmt: skip
    return again


def test_the_room_shows_the_owners_progress_to_their_next_diagnostic(
    room, shared_entries, settings
):
    settings.PEER_BENCHMARK_MINIMUM = 3
    first = shared_entries(4, overall=30)
    retake(first[0], 50)  # up a level
    retake(retake(first[1], 35), 65)  # twice: the latest counts, up two levels
    retake(first[2], 10)  # down
    figures = campaigns.room(room.campaign).progress
    assert (figures.reassessed, figures.up, figures.same, figures.down) == (3, 2, 0, 1)
    assert figures.mean_change == round((20 + 35 - 20) / 3, 1)
    draft, _token = start_assessment(profile=first[3].profile(), previous=first[3])
    assert campaigns.room(room.campaign).progress.reassessed == 3  # not submitted
    settings.PEER_BENCHMARK_MINIMUM = 4
    figures = campaigns.room(room.campaign).progress
    assert (
        figures.reassessed == 3 and figures.up is None and figures.mean_change is None
    )


def test_the_figures_poll_and_the_csv_is_in_the_statistics_format(
    room, shared_entries, settings
):
    settings.PEER_BENCHMARK_MINIMUM = 2
    shared_entries(2, overall=45)
    shared_entries(1, overall=85, stone="mails-clients")
    advisor = signed_in(room.advisor)
    part = text(
        advisor.get(reverse("advisors:campaign_figures", args=[room.campaign.pk]))
    )
    assert part.startswith('<section id="room-figures"')
    assert "moins de 2" in part and "Devis et factures" in part
    response = advisor.get(reverse("advisors:campaign_csv", args=[room.campaign.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode("utf-8").splitlines()
    assert lines[0] == "\ufefftableau;clé;libellé;valeur"
    assert "Total;started;Diagnostics commencés;3" in lines
    assert "Total;shared;Dossiers partagés;3" in lines
    assert f"Niveau;{level_for(45).code};{level_for(45).name};2" in lines
    assert f"Niveau;{level_for(85).code};{level_for(85).name};< 2" in lines
    assert "Caillou;devis-factures;Devis et factures;2" in lines


def test_erasing_a_campaign_diagnostic_erases_its_entry_and_the_export_lists_it(
    room, client
):
    start(client, room.campaign, share="on")
    assessment = Assessment.objects.get()
    finish(assessment)
    data = export.export_data([assessment])["diagnostics"][0]["other_records"]
    [entry] = data["advisors.campaignentry"]
    assert entry["fields"]["campaign"] == room.campaign.pk
    assert entry["fields"]["share_consent_text"]
    erasure.erase(erasure.linked(assessment))
    assert not CampaignEntry.objects.exists() and not Case.objects.exists()
    assert campaigns.room(room.campaign).started == 0
    assert Campaign.objects.filter(pk=room.campaign.pk).exists()


# --- The API ------------------------------------------------------------------------


def test_the_api_creates_reads_and_closes_campaigns(room):
    admin = signed_in(room.admin)
    url = reverse("advisors_api:campaigns")
    body = {"name": "Tournée IA", "starts_on": "2026-12-14", "ends_on": "2026-12-18",
            "place": "Albi", "receiving": "cci-bretagne"}  # fmt: skip
    created = admin.post(url, body, content_type="application/json")
    assert created.status_code == 201
    data = created.json()
    assert data["receiving"] == "cci-bretagne" and data["open"] is True
    assert data["url"] == f"http://testserver/campagne/{data['code']}/"
    detail = admin.get(reverse("advisors_api:campaign", args=[data["id"]])).json()
    assert detail["figures"]["started"] == 0 and detail["figures"]["levels"] == []
    listed = signed_in(room.advisor).get(url).json()
    assert [c["name"] for c in listed] == ["Tournée IA", "Atelier IA de Toulouse"]
    closed = admin.post(reverse("advisors_api:campaign_close", args=[data["id"]]))
    assert closed.status_code == 200 and closed.json()["open"] is False
    assert closed.json()["closed_at"]


def test_the_api_refuses_bad_input_and_non_admins(room):
    url = reverse("advisors_api:campaigns")
    bad = signed_in(room.admin).post(
        url, {"name": "", "starts_on": "2026-12-18", "ends_on": "2026-12-14"},
        content_type="application/json",
    )  # fmt: skip
    assert bad.status_code == 400
    assert set(bad.json()) == {"detail", "errors"} and "name" in bad.json()["errors"]
    reversed_dates = signed_in(room.admin).post(
        url, {"name": "A", "starts_on": "2026-12-18", "ends_on": "2026-12-14"},
        content_type="application/json",
    )  # fmt: skip
    assert reversed_dates.json()["errors"] == {
        "ends_on": "Le dernier jour précède le premier."
    }
    advisor = signed_in(room.advisor)
    body = {"name": "A", "starts_on": "2026-12-14", "ends_on": "2026-12-14"}
    assert advisor.post(url, body, content_type="application/json").status_code == 404
    close = reverse("advisors_api:campaign_close", args=[room.campaign.pk])
    assert advisor.post(close).status_code == 404
    assert Campaign.objects.count() == 1 and campaigns.is_open(room.campaign)


def test_another_organisations_campaign_is_a_404_everywhere(room):
    outsider = signed_in(room.outsider)
    pk = room.campaign.pk
    for name, method in (
        ("advisors:campaign", "get"), ("advisors:campaign_figures", "get"),
        ("advisors:campaign_csv", "get"), ("advisors:campaign_poster", "get"),
        ("advisors:campaign_qr", "get"), ("advisors:campaign_close", "post"),
        ("advisors_api:campaign", "get"), ("advisors_api:campaign_close", "post"),
    ):  # fmt: skip
        response = getattr(outsider, method)(reverse(name, args=[pk]))
        assert response.status_code == 404, name
    assert outsider.get(reverse("advisors_api:campaigns")).json() == []
    room.campaign.refresh_from_db()
    assert not room.campaign.is_closed


def test_the_queue_filters_the_cases_of_a_campaign(room, shared_entries, make_case):
    [through] = shared_entries(1)
    elsewhere = make_case(room.occitanie, company_name="Hors campagne")
    advisor = signed_in(room.advisor)
    page = text(
        advisor.get(reverse("advisors:queue") + f"?campaign={room.campaign.pk}")
    )
    assert (
        through.company_name in page and elsewhere.assessment.company_name not in page
    )
    api = advisor.get(reverse("advisors_api:cases") + f"?campaign={room.campaign.pk}")
    assert [row["id"] for row in api.json()] == [through.cases.get().pk]
    other = campaigns.create(
        room.other, room.outsider, name="Salon breton", starts_on=date.today(),
        ends_on=date.today(),
    )  # fmt: skip
    refused = advisor.get(reverse("advisors_api:cases") + f"?campaign={other.pk}")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"campaign": "Campagne inconnue."}


def test_the_room_counts_the_actions_done_of_the_shared_plans(
    room, shared_entries, settings
):
    from assessment.models import ActionProgress

    settings.PEER_BENCHMARK_MINIMUM = 2
    first, second = shared_entries(2)
    for assessment, action, status in (
        (first, "backups", "done"), (first, "pilot", "done"),
        (second, "quick-win", "started"),
    ):  # fmt: skip
        ActionProgress.objects.create(
            assessment=assessment, action=action, status=status, on=date.today()
        )
    figures = campaigns.room(room.campaign)
    assert (figures.actions_done, figures.owners_acting) == (2, 1)
    rows = campaigns.room_rows(room.campaign, figures)
    assert ["Progression", "actions_done", "Actions du plan faites", 2] in rows
    settings.PEER_BENCHMARK_MINIMUM = 3
    figures = campaigns.room(room.campaign)
    assert (figures.actions_done, figures.owners_acting) == (None, None)
