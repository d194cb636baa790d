"""The employee pulse: totals, the gap, anonymity, the pages and the API."""

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from pulse import survey as pulse
from pulse.models import PulseInvitation, PulseResponse
from tests.assessment.personas import ACCOUNTING_FIRM
from tests.assessment.test_api import ODD_VALUES

NBSP, NNBSP = "\u00a0", "\u202f"

# Five employees, totals worked out by hand in the tests below.
DAILY_SHADOW = {
    "frequency": "daily", "tools": ["chatgpt"], "tasks": ["writing", "translation"],
    "account": "personal", "data": "customers", "known": "no", "training": "none",
    "help": ["training", "rules"],
}  # fmt: skip
WEEKLY_OFFICIAL = {
    "frequency": "weekly", "tools": ["chatgpt", "copilot"], "tasks": ["writing"],
    "account": "company", "data": "internal", "known": "yes", "training": "company",
    "help": ["tools"],
}  # fmt: skip
NEVER = {"frequency": "never", "training": "none", "help": ["nothing"]}
RARELY = {
    "frequency": "rarely", "tools": ["le-chat"], "tasks": ["search"],
    "account": "company", "data": "none", "known": "encouraged", "training": "self",
}  # fmt: skip
MONTHLY_BOTH = {
    "frequency": "monthly", "tools": ["chatgpt"], "tasks": ["writing", "code"],
    "account": "both", "data": "unsure", "known": "unsure", "training": "none",
    "help": ["examples"],
}  # fmt: skip
FIVE = [DAILY_SHADOW, WEEKLY_OFFICIAL, NEVER, RARELY, MONTHLY_BOTH]

# The accounting firm's owner: nobody uses AI, no shadow AI, written rules,
# nobody trained, no AI use at all.
OWNER = ACCOUNTING_FIRM["answers"]
OWNER_LABELS = {
    "uses.team": {"none": "Personne", "most": "La plupart"},
    "uses.unofficial": {"no": "Non", "yes-unframed": "Oui, sans cadre"},
    "governance.policy": {"written": "Oui, par écrit"},
    "skills.trained": {"none": "Personne", "some": "Quelques personnes"},
    "uses.tools": {"none": "Aucun", "writing": "Rédaction"},
}


def plain(response) -> str:
    return response.content.decode().replace(NBSP, " ").replace(NNBSP, " ")


def text(value) -> str:
    return str(value).replace(NBSP, " ")


def choice(totals: pulse.Aggregate, question: str, code: str) -> pulse.ChoiceCount:
    found = next(q for q in totals.questions if q.code == question)
    return next(c for c in found.choices if c.code == code)


# --- Totals: plain data -------------------------------------------------------------


def test_totals_count_each_kind_of_use():
    totals = pulse.aggregate(FIVE)
    assert totals.responses == 5
    assert totals.users == 4  # all but the one who never uses AI
    assert totals.weekly == 2  # daily and weekly
    # Personal account or manager unaware: the daily user (both) and the
    # monthly one (both accounts, manager maybe unaware).
    assert totals.unofficial == 2
    assert (totals.company_data, totals.customer_data) == (2, 1)
    assert (totals.trained, totals.self_trained) == (1, 1)


def test_totals_per_choice_are_shares_of_those_who_answered_the_question():
    totals = pulse.aggregate(FIVE)
    daily = choice(totals, "frequency", "daily")
    assert (daily.count, daily.percent) == (1, 20)
    tasks = next(q for q in totals.questions if q.code == "tasks")
    assert tasks.answered == 4  # the non-user was not asked
    writing = choice(totals, "tasks", "writing")
    assert (writing.count, writing.percent) == (3, 75)
    assert choice(totals, "tasks", "images").percent == 0
    helps = next(q for q in totals.questions if q.code == "help")
    assert helps.answered == 4  # optional: the rare user left it out
    assert choice(totals, "help", "nothing").percent == 25


def test_percentages_round_halves_up():
    assert pulse.percent(2, 3) == 67
    assert pulse.percent(1, 3) == 33
    assert pulse.percent(1, 8) == 13  # 12.5
    assert pulse.percent(0, 0) == 0


def test_totals_move_by_whole_groups_of_the_threshold():
    assert [pulse.counted(n, 5) for n in (0, 4, 5, 6, 9, 10, 14)] == [
        0, 0, 5, 5, 5, 10, 10,
    ]  # fmt: skip
    assert [pulse.counted(n, 4) for n in (3, 4, 7, 8)] == [0, 4, 4, 8]


# --- The gap: plain data -------------------------------------------------------------


def test_gap_shows_where_the_owner_and_the_employees_differ():
    rows = pulse.gap(OWNER, OWNER_LABELS, pulse.aggregate(FIVE))
    by_topic = {text(row.topic): row for row in rows}

    team = by_topic["Qui utilise l’IA dans l’équipe"]
    assert team.owner == "Personne" and team.differs  # 4 of 5 use it
    assert text(team.employees) == (
        "Utilisent l’IA pour leur travail : 4 sur 5, dont 2 chaque semaine ou plus."
    )
    shadow = by_topic["Usage non officiel (« shadow IA »)"]
    assert shadow.owner == "Non" and shadow.differs
    assert text(shadow.employees).endswith("le sache : 2 sur 5.")
    data = by_topic["Règles d’usage et données de l’entreprise"]
    assert data.differs  # written rules, yet customer data goes into the tools
    assert text(data.employees).endswith(
        ": 2 sur 5, dont 1 avec des données de clients."
    )
    training = by_topic["Formation à l’IA"]
    assert training.differs
    assert text(training.employees) == (
        "Formés par l’entreprise : 1 sur 5 ; formés seuls : 1."
    )
    tasks = by_topic["Pour quels usages"]
    assert tasks.owner == "Aucun" and tasks.differs
    assert "Rédiger ou reformuler des textes, des e-mails (3)" in tasks.employees


def test_gap_is_quiet_where_they_agree():
    owner = OWNER | {
        "uses.team": "most",  # 4 of 5 is 80 %
        "uses.unofficial": "yes-unframed",
        "skills.trained": "some",  # 1 of 5 is 20 %
        "uses.tools": ["writing", "translation", "code"],  # « search » has no match
    }
    rows = pulse.gap(owner, OWNER_LABELS, pulse.aggregate(FIVE))
    differs = {text(row.topic): row.differs for row in rows}
    assert differs == {
        "Qui utilise l’IA dans l’équipe": False,
        "Usage non officiel (« shadow IA »)": False,
        "Règles d’usage et données de l’entreprise": True,  # customer data, still
        "Formation à l’IA": False,
        "Pour quels usages": False,
    }


def test_owner_who_said_shadow_ai_is_contradicted_by_a_team_without_it():
    sober = [NEVER, NEVER, NEVER, WEEKLY_OFFICIAL, RARELY]
    owner = OWNER | {"uses.unofficial": "yes-unframed", "governance.policy": "none"}
    rows = pulse.gap(owner, OWNER_LABELS, pulse.aggregate(sober))
    differs = {text(row.topic): row.differs for row in rows}
    assert differs["Usage non officiel (« shadow IA »)"]  # nobody says so
    assert differs[
        "Règles d’usage et données de l’entreprise"
    ]  # internal data, no rules


# --- Checking answers ------------------------------------------------------------------


def test_valid_answers_are_kept_in_the_choices_order():
    values, errors = pulse.clean_answers(DAILY_SHADOW | {"help": ["rules", "training"]})
    assert not errors
    assert values["help"] == ["training", "rules"]
    assert set(values) == set(DAILY_SHADOW)


def test_questions_for_users_are_dropped_for_those_who_never_use_ai():
    values, errors = pulse.clean_answers(NEVER | {"tools": ["chatgpt"], "data": "zz"})
    assert not errors
    assert values == NEVER


def test_users_must_answer_the_questions_about_their_use():
    _values, errors = pulse.clean_answers({"frequency": "weekly", "training": "none"})
    assert set(errors) == {"tools", "tasks", "account", "data", "known"}


BAD_ANSWERS = {
    "frequency": ["sometimes", 3, ["daily"], {"a": 1}, None],
    "tools": [["chatgpt", "skynet"], [1], [], None],
    "tasks": [["writing", None], {"writing": True}, [], None],
    "account": ["company-ish", ["company"], 0, None],
    "data": ["all", True, None],
    "known": ["maybe", 1.5, None],
    "training": ["", "yes", None],
    "help": [["nothing", "time"], ["training", "rules", "time"], [7], "skynet"],
}


@pytest.mark.parametrize(
    ("code", "value"),
    [(code, value) for code, values in BAD_ANSWERS.items() for value in values],
)
def test_every_question_refuses_bad_answers(code, value):
    values, errors = pulse.clean_answers(DAILY_SHADOW | {code: value})
    assert set(errors) == {code}, errors
    assert errors[code]
    assert code not in values


def test_one_choice_may_come_without_its_list_as_in_the_questionnaire():
    values, errors = pulse.clean_answers(DAILY_SHADOW | {"tools": "le-chat"})
    assert not errors and values["tools"] == ["le-chat"]


def test_unknown_questions_are_refused():
    _values, errors = pulse.clean_answers(DAILY_SHADOW | {"name": "Paul"})
    assert set(errors) == {"name"}


# --- With the database: the invitation and the threshold --------------------------------


@pytest.fixture
def finished(make_assessment):
    assessment, token = make_assessment(answers=OWNER, submitted=True)
    return assessment, token


@pytest.fixture
def invited(finished):
    invitation, link_token = pulse.invite(finished[0])
    return invitation, link_token


def answer_times(invitation, count: int) -> None:
    for index in range(count):
        assert not pulse.answer(invitation, FIVE[index % len(FIVE)])


def test_four_answers_show_nothing_and_the_fifth_shows_the_totals(finished, invited):
    answer_times(invited[0], 4)
    before = pulse.summary_for(finished[0])
    assert (before.received, before.needed, before.aggregate, before.gap) == (
        4, 1, None, None,
    )  # fmt: skip
    answer_times(invited[0], 1)
    after = pulse.summary_for(finished[0])
    assert after.aggregate.responses == 5 and after.needed == 0
    assert after.aggregate.users == 4 and after.differences == 5


def test_the_threshold_is_a_setting(settings, finished, invited):
    settings.PULSE_MIN_RESPONSES = 4
    answer_times(invited[0], 4)
    assert pulse.summary_for(finished[0]).aggregate.responses == 4


def test_later_answers_wait_for_a_full_group(finished, invited):
    answer_times(invited[0], 7)
    summary = pulse.summary_for(finished[0])
    assert (summary.received, summary.aggregate.responses, summary.pending) == (7, 5, 2)
    # The first five answers, in the order they came.
    assert summary.aggregate.users == 4


def test_a_new_link_replaces_the_old_one_and_keeps_the_answers(finished, invited):
    invitation, old = invited
    answer_times(invitation, 2)
    pulse.close(invitation)
    same, new = pulse.invite(finished[0])
    assert same.pk == invitation.pk and same.is_open() and new != old
    assert not PulseInvitation.objects.with_token(old).exists()
    assert pulse.summary_for(finished[0]).received == 2


def test_a_closed_pulse_takes_no_answer(invited):
    pulse.close(invited[0])
    with pytest.raises(pulse.PulseClosed):
        pulse.answer(invited[0], NEVER)
    assert not PulseResponse.objects.exists()


def test_a_draft_has_no_pulse(make_assessment):
    draft, _token = make_assessment()
    with pytest.raises(pulse.NotSubmitted):
        pulse.invite(draft)


# --- Anonymity ------------------------------------------------------------------------------


def test_responses_keep_no_identifying_field():
    fields = {field.name for field in PulseResponse._meta.get_fields()}
    assert fields == {"id", "invitation", "answered_on", "answers"}
    assert PulseResponse._meta.get_field("answered_on").get_internal_type() == (
        "DateField"
    )


def test_an_answer_through_the_page_stores_only_the_day_and_the_choices(invited):
    invitation, token = invited
    employee = Client(REMOTE_ADDR="203.0.113.77", HTTP_USER_AGENT="Firefox/Paul")
    response = employee.post(reverse("pulse:answer", args=[token]), DAILY_SHADOW)
    assert response.status_code == 302

    stored = PulseResponse.objects.get()
    assert stored.answers == DAILY_SHADOW
    assert isinstance(stored.answered_on, datetime.date)
    row = json.dumps(list(PulseResponse.objects.values().get().values()), default=str)
    assert "203.0.113" not in row and "Paul" not in row
    # The session says which pulse was answered, never which answer.
    assert employee.session["pulse_answered"] == [invitation.pk]


def test_the_link_token_is_stored_hashed(invited):
    invitation, token = invited
    invitation.refresh_from_db()
    assert token not in invitation.token_hash and len(invitation.token_hash) == 64


# --- The employees' pages ---------------------------------------------------------------


def answer_url(token):
    return reverse("pulse:answer", args=[token])


def test_employee_form_names_the_company_and_every_question(invited):
    response = Client().get(answer_url(invited[1]))
    page = plain(response)
    assert response.status_code == 200
    assert "Cabinet Durand" in page and "anonyme" in page
    for question in pulse.question_list():
        assert f'name="{question.code}"' in page


def test_employee_answers_once_per_session_and_sees_thanks(invited):
    employee = Client()
    first = employee.post(answer_url(invited[1]), WEEKLY_OFFICIAL, follow=True)
    again = employee.post(answer_url(invited[1]), WEEKLY_OFFICIAL)
    assert "Merci pour votre réponse" in plain(first)
    assert "déjà répondu" in plain(again)
    assert PulseResponse.objects.count() == 1
    assert Client().post(answer_url(invited[1]), NEVER).status_code == 302
    assert PulseResponse.objects.count() == 2


def test_bad_answers_are_shown_again_with_their_errors_and_nothing_saved(invited):
    typed = {"frequency": "weekly", "tools": ["chatgpt"], "help": ["nothing", "time"]}
    response = Client().post(answer_url(invited[1]), typed)
    page = plain(response)
    assert response.status_code == 200
    assert "Quelques réponses sont à corriger" in page
    assert "Répondez à cette question." in page
    assert "ne peut pas être coché avec d’autres réponses" in page
    assert 'value="chatgpt" checked' in page  # what was typed is kept
    assert not PulseResponse.objects.exists()


def test_closed_link_says_so_in_french(invited):
    pulse.close(invited[0])
    response = Client().post(answer_url(invited[1]), NEVER)
    assert response.status_code == 410
    assert "Ce questionnaire est clos" in plain(response)
    assert not PulseResponse.objects.exists()


def test_unknown_link_is_a_clear_404(invited):
    response = Client().get(answer_url("not-a-token"))
    assert response.status_code == 404
    assert "Ce lien ne mène à aucun questionnaire" in plain(response)


def test_answers_from_one_address_are_throttled(settings, invited):
    settings.PULSE_ANSWER_RATE = "2/hour"
    statuses = [
        Client(REMOTE_ADDR="198.51.100.9")
        .post(answer_url(invited[1]), NEVER)
        .status_code
        for _ in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert PulseResponse.objects.count() == 2


# --- The owner's pages ---------------------------------------------------------------------


@pytest.fixture
def owner(client, finished):
    client.get(reverse("assessment:resume", args=[finished[1]]))
    return client


def test_result_page_invites_then_the_link_shows_once(owner, finished):
    assessment = finished[0]
    result = plain(owner.get(reverse("assessment:result", args=[assessment.pk])))
    assert "Inviter mes salariés" in result

    response = owner.post(reverse("pulse:invite", args=[assessment.pk]))
    assert response.url == reverse("pulse:owner", args=[assessment.pk])
    page = plain(owner.get(response.url))
    token = page.split("/diagnostic/pouls/")[1].split("/")[0]
    assert PulseInvitation.objects.with_token(token).get().assessment == assessment
    assert "/diagnostic/pouls/" + token not in plain(owner.get(response.url))
    assert "Encore 5 réponses avant d’afficher les résultats" in page


def test_result_page_says_how_many_answers_are_missing(owner, finished, invited):
    answer_times(invited[0], 3)
    page = plain(owner.get(reverse("assessment:result", args=[finished[0].pk])))
    assert "3 réponses reçues" in page
    assert "Encore 2 réponses avant d’afficher les résultats" in page
    assert "Usage non officiel" not in page


def test_result_page_shows_the_gap_from_five_answers(owner, finished, invited):
    answer_times(invited[0], 5)
    page = plain(owner.get(reverse("assessment:result", args=[finished[0].pk])))
    assert "5 écarts entre votre vision et celle de vos salariés" in page
    assert "Usage non officiel (« shadow IA »)" in page
    assert "sans que leur responsable le sache : 2 sur 5" in page

    detail = plain(owner.get(reverse("pulse:owner", args=[finished[0].pk])))
    assert "Les réponses, en totaux" in detail and "75 %" in detail


def test_owner_closes_the_link(owner, finished, invited):
    response = owner.post(reverse("pulse:close", args=[finished[0].pk]))
    assert response.status_code == 302
    invited[0].refresh_from_db()
    assert not invited[0].is_open()
    assert "Le lien est clos" in plain(owner.get(response.url))


def test_another_owner_cannot_see_or_change_the_pulse(
    client, make_assessment, finished, invited
):
    _other, other_token = make_assessment(answers=OWNER, submitted=True)
    client.get(reverse("assessment:resume", args=[other_token]))
    pk = finished[0].pk
    assert client.get(reverse("pulse:owner", args=[pk])).status_code == 404
    for name in ("invite", "close"):
        assert client.post(reverse(f"pulse:{name}", args=[pk])).status_code == 404
    invited[0].refresh_from_db()
    assert invited[0].is_open()
    assert PulseInvitation.objects.with_token(invited[1]).exists()


# --- The API ------------------------------------------------------------------------------


def api(token=None):
    client = APIClient()
    if token:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def pulse_url(assessment, close=False):
    name = "close" if close else "detail"
    return reverse(f"pulse_api:{name}", args=[assessment.pk])


def test_api_owner_opens_the_pulse_and_employees_answer(finished):
    assessment, token = finished
    created = api(token).post(pulse_url(assessment))
    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "open" and body["url"].endswith(f"/pouls/{body['token']}/")

    form = api().get(reverse("pulse_api:form", args=[body["token"]]))
    assert [q["code"] for q in form.json()["questions"]] == [
        q.code for q in pulse.question_list()
    ]
    for answers in FIVE[:4]:
        assert api().post(body["answer"], answers, format="json").status_code == 201
    waiting = api(token).get(pulse_url(assessment)).json()
    assert (waiting["received"], waiting["needed"], waiting["aggregate"]) == (
        4,
        1,
        None,
    )

    api().post(body["answer"], FIVE[4], format="json")
    status = api(token).get(pulse_url(assessment)).json()
    assert status["aggregate"]["users"] == 4
    assert sum(row["differs"] for row in status["gap"]) == 5


def test_api_refuses_bad_answers_with_one_error_per_question(settings, invited):
    settings.PULSE_ANSWER_RATE = "1000/hour"
    answer = reverse("pulse_api:answer", args=[invited[1]])
    bad = {"frequency": "never", "training": "maybe", "x": 1}
    response = api().post(answer, bad, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"training", "x"}
    assert api().post(answer, ["never"], format="json").status_code == 400
    for code in [*pulse.questions().by_code, ""]:
        for value in ODD_VALUES:
            body = json.dumps({code: value})  # escapes lone surrogates too
            response = api().post(answer, body, content_type="application/json")
            assert response.status_code == 400, (code, value)
            json.loads(response.content)
    assert not PulseResponse.objects.exists()


def test_api_closed_and_unknown_links_answer_json(finished, invited):
    answer = reverse("pulse_api:answer", args=[invited[1]])
    unknown = reverse("pulse_api:answer", args=["nope"])
    close = api(finished[1]).post(pulse_url(finished[0], close=True))
    assert close.status_code == 200 and close.json()["status"] == "closed"

    closed = api().post(answer, NEVER, format="json")
    assert closed.status_code == 410 and "clos" in closed.json()["detail"]
    missing = api().post(unknown, NEVER, format="json")
    assert missing.status_code == 404 and missing.json()["detail"]


def test_api_pulse_is_for_the_owner_of_a_submitted_diagnostic(
    make_assessment, finished, invited
):
    other, other_token = make_assessment(answers=OWNER, submitted=True)
    draft, draft_token = make_assessment()
    assert api(other_token).get(pulse_url(finished[0])).status_code == 404
    assert api(other_token).post(pulse_url(finished[0])).status_code == 404
    assert api(other_token).post(pulse_url(finished[0], close=True)).status_code == 404
    assert api().get(pulse_url(finished[0])).status_code == 404
    assert api(draft_token).post(pulse_url(draft)).status_code == 409
    assert api(other_token).post(pulse_url(other, close=True)).status_code == 409
    assert PulseInvitation.objects.with_token(invited[1]).get().is_open()


BRANDS = {"ChatGPT", "Le Chat (Mistral AI)", "Copilot (Microsoft)", "Gemini (Google)"}


def test_every_question_of_the_seed_file_has_its_english():
    with translation.override("fr"):
        french = pulse.question_list()
    with translation.override("en"):
        english = pulse.question_list()
    for fr, en in zip(french, english, strict=True):
        assert en.label != fr.label
        assert en.help_text != fr.help_text or not fr.help_text
        for fr_choice, en_choice in zip(fr.choices, en.choices, strict=True):
            assert en_choice.label != fr_choice.label or fr_choice.label in BRANDS


def test_employee_form_and_errors_speak_english_too(invited):
    response = Client().post(
        answer_url(invited[1]), {"frequency": "weekly"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    page = plain(response)
    assert "How often do you use an artificial intelligence tool" in page
    assert "Please answer this question." in page
