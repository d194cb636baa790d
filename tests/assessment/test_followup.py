"""Following the plan: ticks, what falls due, reminders, unsubscribing, the API,
and what the advisor and the next diagnostic see of it."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from advisors import cases
from advisors.models import Case, Membership, Organisation
from assessment import followup
from assessment.answering import save_answers, start_assessment, submit
from assessment.models import ActionProgress, Assessment, FollowUp
from assessment.results import result_for
from catalog.models import Department
from privacy import erasure, export, retention
from reports import fingerprint, rendering
from reports.models import Report
from tests.assessment import personas
from tests.assessment.test_browser import plain
from tests.reports.conftest import pdf_text
from tests.reports.personas import submitted_assessment

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world(seeded):
    """An owner's submitted diagnostic, with its private link."""
    a, token = submitted_assessment(personas.ACCOUNTING_FIRM, "Cabinet Durand")
    keys = [action.key for _p, action in followup.plan_actions(result_for(a).roadmap)]
    return SimpleNamespace(a=a, token=token, keys=keys)


def owner(client, token):
    client.get(reverse("assessment:resume", args=[token]))
    return client


def later(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def rows_of(assessment):
    return {row.key: row for row in followup.tracked(assessment)}


# --- The rules --------------------------------------------------------------------------


def test_every_action_has_a_stable_key_unique_in_its_plan(seeded):
    for persona in (personas.ACCOUNTING_FIRM, personas.MANUFACTURER_AFTER_INCIDENT,
                    personas.SHOP_WITHOUT_DIGITAL_TOOLS):  # fmt: skip
        a, _token = submitted_assessment(persona, "Entreprise")
        phases = result_for(a).roadmap
        keys = [action.key for _p, action in followup.plan_actions(phases)]
        assert all(keys) and len(keys) == len(set(keys)), keys


def test_an_action_is_due_once_its_end_passed_unless_done_or_dropped(world):
    phases = result_for(world.a).roadmap
    first = followup.plan_actions(phases)[0][1]
    after_end = first.ends_on + timedelta(days=1)
    assert not followup.is_due(first, None, first.ends_on)
    assert followup.is_due(first, None, after_end)
    for status, due in (("started", True), ("done", False), ("dropped", False)):
        tick = ActionProgress(action=first.key, status=status, on=first.starts_on)
        assert followup.is_due(first, tick, after_end) is due
    earliest = min(action.ends_on for _p, action in followup.plan_actions(phases))
    assert followup.next_due(phases, {}) == earliest


def test_submitting_works_out_when_the_plan_first_falls_due(world):
    ends = [a.ends_on for _p, a in followup.plan_actions(result_for(world.a).roadmap)]
    assert FollowUp.objects.get(assessment=world.a).due_on == min(ends)


def test_ticks_move_the_due_date_and_a_tick_can_be_taken_back(world):
    phases = result_for(world.a).roadmap
    ends = sorted({action.ends_on for _p, action in followup.plan_actions(phases)})
    for _phase, action in followup.plan_actions(phases):
        if action.ends_on == ends[0]:
            followup.record(world.a, action=action.key, status="done")
    assert FollowUp.objects.get(assessment=world.a).due_on == ends[1]
    saved = ActionProgress.objects.filter(assessment=world.a).first()
    assert saved.on == timezone.localdate()  # today when no date is given
    followup.record(world.a, action=saved.action, status="todo")
    assert not ActionProgress.objects.filter(pk=saved.pk).exists()
    assert FollowUp.objects.get(assessment=world.a).due_on == ends[0]


@pytest.mark.parametrize(
    ("action", "status", "on", "field"),
    [
        (None, "done", later(1), "on"),  # the future
        (None, "done", date(2000, 1, 1), "on"),  # before the diagnostic
        (None, "finished", None, "status"),
        ("not-in-the-plan", "done", None, "action"),
    ],
)
def test_a_wrong_tick_is_refused_and_nothing_saved(world, action, status, on, field):
    with pytest.raises(followup.ProgressError) as refused:
        followup.record(world.a, action=action or world.keys[0], status=status, on=on)
    assert field in refused.value.errors
    assert not ActionProgress.objects.exists()


# --- Reminders --------------------------------------------------------------------------


def _opt_in(assessment, email="claire@example.fr"):
    return followup.agree_to_reminders(
        assessment, email=email, site_url="http://testserver/"
    )


def test_no_opt_in_no_mail(world):
    assert followup.send_reminders(timezone.now() + timedelta(days=400)) == 0
    assert not mail.outbox


def test_one_reminder_a_week_at_most_with_a_link_that_stops_them(world, client):
    _opt_in(world.a)
    far = timezone.now() + timedelta(days=400)
    assert followup.send_reminders(timezone.now()) == 0  # nothing due yet
    assert followup.send_reminders(far) == 1
    message = mail.outbox[0]
    assert message.to == ["claire@example.fr"]
    assert "Cabinet Durand" in message.body
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe in message.body
    assert followup.send_reminders(far + timedelta(days=6)) == 0
    assert followup.send_reminders(far + timedelta(days=7, seconds=1)) == 1

    # Without signing in: a fresh browser, no session, the e-mail's link.
    path = unsubscribe.removeprefix("http://testserver")
    page = client.get(path)
    assert page.status_code == 200
    assert FollowUp.objects.get(pk=world.a.pk).reminders_on()  # GET changes nothing
    client.post(path)
    stopped = FollowUp.objects.get(pk=world.a.pk)
    assert not stopped.reminders_on() and stopped.reminders_agreed_at
    assert followup.send_reminders(far + timedelta(days=30)) == 0
    assert client.get(path[:-3] + "xyz/").status_code == 404


def test_one_address_gets_one_reminder_for_two_diagnostics(world):
    b, _token = submitted_assessment(personas.VINEYARD, "Domaine des Garrigues")
    _opt_in(world.a)
    _opt_in(b, email="Claire@Example.fr")
    assert followup.send_reminders(timezone.now() + timedelta(days=400)) == 1


def test_a_plan_all_done_or_dropped_sends_nothing(world):
    _opt_in(world.a)
    for key in world.keys:
        followup.record(world.a, action=key, status="dropped")
    assert FollowUp.objects.get(pk=world.a.pk).due_on is None
    assert followup.send_reminders(timezone.now() + timedelta(days=400)) == 0


# --- The owner's pages --------------------------------------------------------------------


def test_the_owner_ticks_without_javascript_and_with_htmx(world, client):
    owner(client, world.token)
    page = client.get(reverse("assessment:followup", args=[world.a.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert all(f'id="action-{key}"' in html for key in world.keys)
    url = reverse("assessment:tick", args=[world.a.pk, world.keys[0]])
    field = world.keys[0]
    response = client.post(url, {f"{field}-status": "done", f"{field}-on": ""})
    assert response.status_code == 302
    assert response.url.endswith(f"#action-{world.keys[0]}")
    assert ActionProgress.objects.get(action=world.keys[0]).status == "done"

    second = world.keys[1]
    url = reverse("assessment:tick", args=[world.a.pk, second])
    swapped = client.post(url, {f"{second}-status": "started"}, **HTMX)
    html = swapped.content.decode()
    assert swapped.status_code == 200
    assert html.lstrip().startswith(f'<li id="action-{second}"')
    assert "<html" not in html


def test_a_future_date_is_refused_on_the_page_and_nothing_saved(world, client):
    owner(client, world.token)
    key = world.keys[0]
    url = reverse("assessment:tick", args=[world.a.pk, key])
    data = {f"{key}-status": "done", f"{key}-on": later(3).isoformat()}
    for extra in ({}, HTMX):
        response = client.post(url, data, **extra)
        assert response.status_code == 400
        assert "La date ne peut pas être dans le futur." in response.content.decode()
    data[f"{key}-on"] = "31/12/2026"
    response = client.post(url, data)
    assert "Date attendue au format AAAA-MM-JJ." in response.content.decode()
    assert not ActionProgress.objects.exists()


def test_another_browser_cannot_open_or_tick_the_plan(world, client):
    assert (
        client.get(reverse("assessment:followup", args=[world.a.pk])).status_code == 404
    )
    url = reverse("assessment:tick", args=[world.a.pk, world.keys[0]])
    assert client.post(url, {f"{world.keys[0]}-status": "done"}).status_code == 404


def test_reminders_need_the_box_ticked_and_keep_what_was_agreed(world, client):
    owner(client, world.token)
    url = reverse("assessment:reminders", args=[world.a.pk])
    refused = client.post(url, {"email": "claire@example.fr"})
    assert refused.status_code == 400
    assert "Cochez la case pour recevoir les rappels." in refused.content.decode()
    assert not FollowUp.objects.get(pk=world.a.pk).reminders_on()
    client.post(url, {"email": "gerance@example.fr", "agree": "on"})
    agreed = FollowUp.objects.get(pk=world.a.pk)
    assert agreed.reminders_on() and agreed.reminder_email == "gerance@example.fr"
    assert (
        agreed.reminders_consent_version and "rappel" in agreed.reminders_consent_text
    )
    client.post(url, {"stop": "1"})
    assert not FollowUp.objects.get(pk=world.a.pk).reminders_on()


def test_the_page_speaks_english(world, client):
    owner(client, world.token)
    client.cookies["django_language"] = "en"
    url = reverse("assessment:followup", args=[world.a.pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Follow-up of my plan" in html and "Suivi de mon plan" not in html


# --- The API -----------------------------------------------------------------------------


def test_the_token_holder_lists_and_updates_progress(world, client, questionnaire):
    auth = {"HTTP_AUTHORIZATION": f"Token {world.token}"}
    listing = client.get(reverse("assessment_api:actions", args=[world.a.pk]), **auth)
    assert listing.status_code == 200
    assert [row["action"] for row in listing.json()] == world.keys
    assert {row["status"] for row in listing.json()} == {"todo"}

    url = reverse("assessment_api:action", args=[world.a.pk, world.keys[0]])
    today = timezone.localdate().isoformat()
    done = client.put(url, {"status": "done"}, "application/json", **auth)
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["on"]) == ("done", today)

    future = client.put(
        url, {"status": "done", "on": later(2).isoformat()}, "application/json", **auth
    )
    assert future.status_code == 400
    assert (
        set(future.json()) == {"detail", "errors"} and "on" in future.json()["errors"]
    )
    unknown = reverse("assessment_api:action", args=[world.a.pk, "nope"])
    missing = client.put(unknown, {"status": "done"}, "application/json", **auth)
    assert missing.status_code == 404
    other = {"HTTP_AUTHORIZATION": "Token not-the-token"}
    assert (
        client.put(url, {"status": "todo"}, "application/json", **other).status_code
        == 404
    )
    assert ActionProgress.objects.get().status == "done"


def test_a_draft_has_no_progress_to_follow(questionnaire, profile, client):
    draft, token = start_assessment(profile=profile)
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    url = reverse("assessment_api:actions", args=[draft.pk])
    assert client.get(url, **auth).status_code == 409


# --- The advisor, the next diagnostic, privacy -------------------------------------------


def test_the_advisor_sees_the_ticks_and_the_late_cases(world, client):
    occitanie = Organisation.objects.create(name="CCI Occitanie", slug="cci-occ")
    occitanie.departments.set(Department.objects.filter(region__code="76"))
    user = get_user_model().objects.create_user("alice")
    Membership.objects.create(user=user, organisation=occitanie)
    case = cases.share(world.a, occitanie)
    assert case.actions_due_on == FollowUp.objects.get(pk=world.a.pk).due_on
    followup.record(world.a, action=world.keys[0], status="done")
    case.refresh_from_db()
    assert case.actions_due_on == FollowUp.objects.get(pk=world.a.pk).due_on

    client.force_login(user)
    html = client.get(reverse("advisors:case", args=[case.pk])).content.decode()
    assert 'id="avancement"' in html and "Faite le" in html
    queue = reverse("advisors:queue")
    assert "Cabinet Durand" not in client.get(queue, {"late": "1"}).content.decode()
    Case.objects.filter(pk=case.pk).update(actions_due_on=later(-1))
    assert "Cabinet Durand" in client.get(queue, {"late": "1"}).content.decode()
    api = client.get(reverse("advisors_api:cases"), {"late": "1"})
    assert [row["id"] for row in api.json()] == [case.pk]
    assert client.get(queue, {"late": "maybe"}).status_code == 200  # said, not guessed
    assert client.get(reverse("advisors_api:cases"), {"late": "x"}).status_code == 400


def test_a_reassessment_shows_what_was_done_next_to_the_scores(world, client):
    followup.record(world.a, action=world.keys[0], status="done")
    followup.record(world.a, action=world.keys[1], status="dropped")
    title = rows_of(world.a)[world.keys[0]].action.title
    again, token = start_assessment(profile=world.a.profile(), previous=world.a)
    save_answers(again, personas.ACCOUNTING_FIRM["answers"])
    assert not submit(again)
    again = Assessment.objects.get(pk=again.pk)
    owner(client, token)
    html = client.get(reverse("assessment:result", args=[again.pk])).content.decode()
    assert "Depuis votre diagnostic précédent" in html
    assert title in html and "Abandonnée" in html

    report = Report.objects.create(assessment=again, language="fr", version=1)
    text = plain(pdf_text(rendering.render_bytes(report)[0]))
    assert "Depuis votre diagnostic précédent" in text
    assert "Abandonnée le" in text
    before = fingerprint.diagnostic_content(again)
    followup.record(world.a, action=world.keys[2], status="done")
    assert fingerprint.diagnostic_content(again) != before


def test_erasure_and_anonymisation_cover_progress_and_reminders(world):
    followup.record(world.a, action=world.keys[0], status="done")
    _opt_in(world.a)
    records = export.diagnostic_data(world.a)["other_records"]
    assert "assessment.actionprogress" in records and "assessment.followup" in records
    retention.anonymise(world.a)
    kept = FollowUp.objects.get(pk=world.a.pk)
    assert kept.reminder_email == "" and not kept.reminders_on()
    assert ActionProgress.objects.filter(assessment=world.a).exists()  # no one named
    erasure.erase([world.a])
    assert not ActionProgress.objects.exists() and not FollowUp.objects.exists()
