"""The diagnostic API, through HTTP: shapes, validation, access and errors."""

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from assessment.access import SESSION_KEY
from assessment.models import Assessment, hash_token

from . import personas

pytestmark = pytest.mark.django_db

COMPLETE = personas.ACCOUNTING_FIRM["answers"]
PROFILE = {
    "company_name": "Cabinet Durand",
    "siren": "732829320",
    "sector": "finance",
    "size_band": "small",
    "department": "31",
    "revenue_band": "500k-2m",
    "respondent_name": "Claire Durand",
    "respondent_email": "claire@example.fr",
    "respondent_role": "Gérante",
    "consent": True,
}


def url(name, assessment=None):
    args = [assessment.pk if hasattr(assessment, "pk") else assessment]
    return reverse(f"assessment_api:{name}", args=args if assessment else None)


def plain(text: str) -> str:
    """French typography puts no-break spaces around « » and before « : »."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def client_with(token=None, **headers):
    client = APIClient(**headers)
    if token:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def anonymous(questionnaire):
    return APIClient()


@pytest.fixture
def draft(make_assessment):
    return make_assessment()


@pytest.fixture
def owner(draft):
    return client_with(draft[1])


def patch_answers(client, assessment, answers):
    # json.dumps escapes as a client would, lone surrogates included.
    body = json.dumps(answers)
    return client.patch(
        url("answers", assessment), body, content_type="application/json"
    )


# --- Questionnaire -------------------------------------------------------------------


def test_questionnaire_gives_sections_questions_and_choices(anonymous):
    response = anonymous.get(url("questionnaire"))

    assert response.status_code == 200
    body = response.json()
    assert body["version"] == 2 and body["title"]
    section = body["sections"][0]
    assert set(section) == {"code", "title", "intro", "questions"}
    questions = {q["code"]: q for s in body["sections"] for q in s["questions"]}
    hours = questions["stone.appels-offres.hours"]
    assert hours["kind"] == "number"
    assert (hours["min_value"], hours["max_value"]) == (0, 60)
    assert hours["condition"] == {
        "question": "stone.sinks",
        "includes": "appels-offres",
    }
    assert questions["stone.sinks"]["max_choices"] == 3
    assert questions["stone.description"]["max_length"] == 2000
    tools = questions["company.tools"]["choices"]
    assert {"code": "none", "label": tools[-1]["label"], "exclusive": True} in tools


def test_questionnaire_says_nothing_about_points(anonymous):
    response = anonymous.get(url("questionnaire"))

    assert "points" not in response.content.decode()
    assert "dimension" not in response.content.decode()


# --- Creating a diagnostic -------------------------------------------------------------


def test_creating_returns_the_token_once_and_stores_only_its_hash(anonymous):
    response = anonymous.post(url("create"), PROFILE, format="json")

    assert response.status_code == 201
    body = response.json()
    assessment = Assessment.objects.get(pk=body["id"])
    assert assessment.token_hash == hash_token(body["token"])
    assert body["questionnaire_version"] == 2
    assert body["links"]["answers"] == url("answers", assessment)
    assert response["Location"] == url("detail", assessment)
    detail = client_with(body["token"]).get(url("detail", assessment))
    assert detail.status_code == 200
    assert body["token"] not in detail.content.decode()
    assert detail.json()["sector"] == "finance"
    assert detail.json()["consent_version"]


def test_creating_records_the_request_language(questionnaire):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")

    response = client.post(url("create"), PROFILE, format="json")

    assert Assessment.objects.get(pk=response.json()["id"]).language == "en"


@pytest.mark.parametrize("consent", [False, "maybe", None])
def test_creating_needs_consent(anonymous, consent):
    response = anonymous.post(url("create"), {**PROFILE, "consent": consent}, "json")

    assert response.status_code == 400
    assert "consent" in response.json()["errors"]
    assert not Assessment.objects.exists()


def test_unknown_sector_department_and_size_band_are_field_errors(anonymous):
    data = {**PROFILE, "sector": "piraterie", "department": "999", "size_band": "xxl"}

    response = anonymous.post(url("create"), data, format="json")

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert plain(errors["sector"]) == "Secteur inconnu : « piraterie »."
    assert plain(errors["department"]) == "Département inconnu : « 999 »."
    assert "xxl" in errors["size_band"]


@pytest.mark.parametrize(
    "field, value",
    [
        ("siren", "123456789"),
        ("siren", "12345"),
        ("respondent_email", "not-an-email"),
        ("revenue_band", "billions"),
        ("company_name", ["a", "list"]),
        ("company_name", "x" * 100_000),
        ("company_name", ""),
        ("sector", {"slug": "finance"}),
        ("department", 31.5),
    ],
)
def test_invalid_profile_fields_are_refused(anonymous, field, value):
    response = anonymous.post(url("create"), {**PROFILE, field: value}, format="json")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {field}


def test_a_previous_diagnostic_cannot_be_named_when_creating(
    anonymous, make_assessment
):
    previous, _token = make_assessment(answers=COMPLETE, submitted=True)

    response = anonymous.post(
        url("create"), {**PROFILE, "previous": previous.pk}, format="json"
    )

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"previous"}


# --- Answers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, value",
    [
        ("company.customers", "both"),  # single
        ("uses.owner-frequency", "3"),  # scale
        ("company.tools", ["email", "crm"]),  # multiple
        ("stone.appels-offres.hours", 7.5),  # number
        ("stone.appels-offres.people", 3),  # number, whole
        ("company.activity", "Cabinet d’expertise comptable"),  # short text
        ("stone.description", "Les appels d’offres\nnous prennent nos vendredis."),
    ],
)
def test_answers_round_trip_for_every_kind(owner, draft, code, value):
    saved = patch_answers(owner, draft[0], {code: value})

    assert saved.status_code == 200
    assert saved.json()[code] == value
    assert owner.get(url("answers", draft[0])).json() == {code: value}


def test_null_clears_an_answer(owner, draft):
    patch_answers(owner, draft[0], {"company.customers": "both", "uses.team": "few"})

    response = patch_answers(owner, draft[0], {"company.customers": None})

    assert response.json() == {"uses.team": "few"}


def test_a_whole_questionnaire_is_accepted_in_one_request(owner, draft):
    response = patch_answers(owner, draft[0], COMPLETE)

    assert response.status_code == 200
    assert response.json() == {k: v for k, v in COMPLETE.items() if v != ""}


BAD_ANSWERS = [
    ("company.customers", ["both"], "Choisissez une seule réponse"),
    ("company.customers", "aliens", "« aliens » ne fait pas partie"),
    ("uses.owner-frequency", "7", "« 7 » ne fait pas partie"),
    ("uses.owner-frequency", True, "Choisissez une seule réponse"),
    ("company.tools", {"email": True}, "Envoyez une liste"),
    ("company.tools", ["email", "fax"], "« fax » ne fait pas partie"),
    (
        "stone.sinks",
        [
            "appels-offres",
            "saisie-donnees",
            "devis-facturation",
            "gestion-documentaire",
        ],
        "au plus 3 réponses",
    ),  # fmt: skip
    ("company.tools", ["none", "email"], "ne peut pas être coché avec d’autres"),
    ("stone.appels-offres.hours", "beaucoup", "Saisissez un nombre"),
    ("stone.appels-offres.hours", [1], "Saisissez un nombre"),
    ("stone.appels-offres.hours", False, "Saisissez un nombre"),
    ("stone.appels-offres.hours", 61, "entre 0 et 60"),
    ("stone.appels-offres.hours", -1, "entre 0 et 60"),
    ("stone.appels-offres.hours", "1e999999", "entre 0 et 60"),
    ("company.activity", 12, "Saisissez un texte"),
    ("company.activity", "x" * 201, "200 caractères au plus"),
    ("stone.description", "x" * 100_000, "2000 caractères au plus"),
    ("company.activity", "nul\x00", "caractères invalides"),
    ("stone.description", "moitié \ud800", "caractères invalides"),
    ("no.such-question", "yes", "Question inconnue"),
]


@pytest.mark.parametrize("code, value, message", BAD_ANSWERS)
def test_bad_answers_are_refused_and_nothing_is_saved(
    owner, draft, code, value, message
):
    patch_answers(owner, draft[0], {"uses.team": "few"})

    response = patch_answers(
        owner, draft[0], {"company.customers": "both", code: value}
    )

    assert response.status_code == 400
    body = response.json()
    assert list(body["errors"]) == [code]
    assert message in plain(body["errors"][code])
    assert "rien n’a été enregistré" in plain(body["detail"])
    assert owner.get(url("answers", draft[0])).json() == {"uses.team": "few"}


@pytest.mark.parametrize(
    "body, content_type",
    [
        ('{"company.customers": ', "application/json"),
        ("[1, 2]", "application/json"),
        ('"text"', "application/json"),
        ("null", "application/json"),
        ('{"stone.appels-offres.hours": NaN}', "application/json"),
        ("company.customers=both", "application/x-www-form-urlencoded"),
        ("\xff\xfe", "application/json"),
    ],
)
def test_malformed_bodies_get_a_json_error(owner, draft, body, content_type):
    response = owner.patch(url("answers", draft[0]), body, content_type=content_type)

    assert response.status_code in (400, 415)
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


def test_overlong_question_codes_are_not_echoed(owner, draft):
    response = patch_answers(owner, draft[0], {"x" * 10_000: "yes"})

    assert response.status_code == 400
    assert len(response.content) < 500


# --- Submitting ---------------------------------------------------------------------------


def test_missing_required_answers_block_submission(owner, draft):
    patch_answers(owner, draft[0], {"company.customers": "both"})

    response = owner.post(url("submit", draft[0]))

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "company.activity" in errors and "company.customers" not in errors
    assert plain(errors["stone.sinks"]) == "Cette question est obligatoire."
    # Questions hidden by a condition are not required.
    assert "stone.appels-offres.hours" not in errors
    draft[0].refresh_from_db()
    assert draft[0].status == "draft"


def test_a_submitted_diagnostic_refuses_new_answers(owner, draft):
    patch_answers(owner, draft[0], COMPLETE)

    submitted = owner.post(url("submit", draft[0]))
    response = patch_answers(owner, draft[0], {"company.customers": "public"})

    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    assert response.status_code == 409
    assert owner.get(url("answers", draft[0])).json()["company.customers"] == (
        "businesses"
    )


def test_submitting_twice_is_harmless(owner, draft):
    patch_answers(owner, draft[0], COMPLETE)
    first = owner.post(url("submit", draft[0])).json()

    second = owner.post(url("submit", draft[0]))

    assert second.status_code == 200 and second.json() == first


# --- Access ---------------------------------------------------------------------------------

ENDPOINTS = [
    ("get", "detail"),
    ("patch", "detail"),
    ("get", "answers"),
    ("patch", "answers"),
    ("post", "submit"),
    ("get", "result"),
    ("post", "reassess"),
]


@pytest.mark.parametrize("method, name", ENDPOINTS)
def test_strangers_get_404_never_403(make_assessment, method, name):
    mine, _token = make_assessment(answers=COMPLETE, submitted=True)
    _other, other_token = make_assessment()

    for client in (
        APIClient(),
        client_with(other_token),
        client_with("forged"),
        APIClient(HTTP_AUTHORIZATION="Bearer x"),
        APIClient(HTTP_AUTHORIZATION="Basic Zm9vOmJhcg=="),
    ):
        response = getattr(client, method)(url(name, mine), {}, format="json")
        assert response.status_code == 404
        assert response.json() == {"detail": "Non trouvé."}


def test_unknown_ids_and_addresses_get_a_json_404(owner):
    for path in (
        url("detail", 10**30),
        url("answers", 2**63),
        "/api/v1/assessments/abc/",
        "/api/v1/assessments",
        "/api/v1/questionnaire/extra/",
    ):
        response = owner.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json"


def test_the_web_form_session_opens_the_diagnostic(draft):
    client = APIClient(enforce_csrf_checks=True)
    session = client.session
    session[SESSION_KEY] = [draft[0].pk]
    session.save()

    read = client.get(url("detail", draft[0]))
    write = patch_answers(client, draft[0], {"company.customers": "both"})

    assert read.status_code == 200
    assert write.status_code == 403
    assert "CSRF" in write.json()["detail"]


def test_token_requests_need_no_csrf_token(draft):
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {draft[1]}")

    response = patch_answers(client, draft[0], {"company.customers": "both"})

    assert response.status_code == 200


# --- Result ------------------------------------------------------------------------------------


def test_the_result_waits_for_submission(owner, draft):
    response = owner.get(url("result", draft[0]))

    assert response.status_code == 409
    assert plain(response.json()["detail"]) == "Le diagnostic n’est pas encore terminé."


@pytest.fixture
def result(make_assessment):
    assessment, token = make_assessment(answers=COMPLETE, submitted=True)
    response = client_with(token).get(url("result", assessment))
    assert response.status_code == 200
    return response.json()


def test_the_result_gives_scores_level_and_stone(result):
    assert [d["code"] for d in result["scores"]] == [
        "strategy", "uses", "data", "skills", "cyber", "governance",
    ]  # fmt: skip
    assert all(d["label"] and 0 <= d["score"] <= 100 for d in result["scores"])
    assert 0 <= result["overall"] <= 100
    assert set(result["level"]) == {"rank", "code", "name", "description"}
    stone = result["stone"]
    assert stone["category"] == "appels-offres"
    assert (stone["weekly_hours"], stone["people"]) == (36, 3)
    assert stone["yearly_hours"] == 36 * stone["working_weeks"]
    assert stone["yearly_cost"] == round(stone["yearly_hours"] * stone["hourly_cost"])
    assert stone["removable_yearly_cost"] <= stone["yearly_cost"]
    assert stone["reasons"]


def test_every_recommendation_has_at_least_one_reason(result):
    recommendations = result["recommendations"]
    assert recommendations["needs"] and all(
        n["reason"] for n in recommendations["needs"]
    )
    assert recommendations["secure_first"] in (True, False)
    picks = [
        pick
        for kind in ("use_cases", "programmes", "providers", "training")
        for pick in recommendations[kind]
    ]
    assert recommendations["use_cases"] and recommendations["providers"]
    for pick in picks:
        assert {"slug", "name", "summary", "url", "score", "details"} <= set(pick)
        assert pick["reasons"], pick["slug"]


def test_the_roadmap_has_dated_phases_of_actions(result):
    phases = result["roadmap"]
    assert [p["code"] for p in phases][-3:] == ["quick-win", "pilot", "deployment"]
    for phase in phases:
        assert phase["starts_on"] <= phase["ends_on"]
        for action in phase["actions"]:
            assert action["title"] and action["owner"] and action["duration"]
            assert action["starts_on"] <= action["ends_on"]
            for link in action["programmes"] + action["providers"]:
                assert set(link) == {"slug", "name", "url"}


def test_the_hourly_cost_prices_the_stone(make_assessment):
    assessment, token = make_assessment(answers=COMPLETE, submitted=True)
    client = client_with(token)

    changed = client.patch(url("detail", assessment), {"hourly_cost": 50}, "json")
    stone = client.get(url("result", assessment)).json()["stone"]

    assert changed.status_code == 200 and changed.json()["hourly_cost"] == 50
    assert stone["hourly_cost"] == 50
    assert stone["yearly_cost"] == round(stone["yearly_hours"] * 50)


@pytest.mark.parametrize(
    "data",
    [
        {"hourly_cost": 0},
        {"hourly_cost": 1001},
        {"hourly_cost": "abc"},
        {"hourly_cost": "NaN"},
        {"hourly_cost": 12.345},
        {"hourly_cost": 40, "company_name": "Autre"},
        {},
    ],
)
def test_the_hourly_cost_stays_within_bounds(owner, draft, data):
    response = owner.patch(url("detail", draft[0]), data, format="json")

    assert response.status_code == 400
    draft[0].refresh_from_db()
    assert draft[0].hourly_cost == 35


# --- Language ---------------------------------------------------------------------------------


def test_errors_are_in_english_with_accept_language_en(draft):
    client = client_with(draft[1], HTTP_ACCEPT_LANGUAGE="en")

    bad = patch_answers(client, draft[0], {"stone.appels-offres.hours": 61})
    missing = client.post(url("submit", draft[0]))
    lost = APIClient(HTTP_ACCEPT_LANGUAGE="en").get(url("detail", draft[0]))

    assert bad.json()["errors"] == {
        "stone.appels-offres.hours": "Enter a number between 0 and 60."
    }
    assert bad.json()["detail"] == "Some answers are not valid: nothing was saved."
    assert missing.json()["errors"]["stone.sinks"] == "This question is required."
    assert lost.json() == {"detail": "Not found."}


def test_profile_errors_are_in_english_with_accept_language_en(questionnaire):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")

    response = client.post(
        url("create"), {**PROFILE, "sector": "piraterie", "consent": False}, "json"
    )

    assert response.json()["errors"] == {
        "sector": "Unknown sector: “piraterie”.",
        "consent": "Your agreement is needed to record the assessment.",
    }


# --- Re-assessment ----------------------------------------------------------------------------


def test_reassessing_copies_profile_and_answers_under_a_new_token(make_assessment):
    previous, token = make_assessment(answers=COMPLETE, submitted=True)

    response = client_with(token).post(
        url("reassess", previous),
        {"consent": True, "size_band": "medium"},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert body["previous"] == previous.pk and body["token"] != token
    new = client_with(body["token"])
    detail = new.get(url("detail", body["id"])).json()
    assert (detail["size_band"], detail["sector"]) == ("medium", "finance")
    assert detail["status"] == "draft"
    assert new.get(url("answers", body["id"])).json() == (
        client_with(token).get(url("answers", previous)).json()
    )
    assert client_with(token).get(url("detail", body["id"])).status_code == 404


def test_reassessing_needs_consent_and_a_submitted_diagnostic(make_assessment, owner):
    previous, token = make_assessment(answers=COMPLETE, submitted=True)
    draft_id = Assessment.objects.get(status="draft").pk

    no_consent = client_with(token).post(url("reassess", previous), {}, "json")
    from_draft = owner.post(url("reassess", draft_id), {"consent": True}, "json")

    assert no_consent.status_code == 400
    assert set(no_consent.json()["errors"]) == {"consent"}
    assert from_draft.status_code == 409
    assert Assessment.objects.count() == 2


# --- Robustness ---------------------------------------------------------------------------------

ODD_VALUES = [
    None, True, 0, -1, 1.5, 10**40, "", " ", "0", "none", "\x00", "\udfff", "é" * 5000,
    [], [None], [1, 2], ["none"], {}, {"a": []}, [[["deep"]]],
]  # fmt: skip


def test_no_answer_value_makes_the_server_fail(owner, draft, real_spec):
    for code in [*real_spec.by_code, "", "x" * 81]:
        for value in ODD_VALUES:
            response = patch_answers(owner, draft[0], {code: value})
            assert response.status_code in (200, 400), (code, value)
            json.loads(response.content)


# --- Documentation ------------------------------------------------------------------------------


def test_the_openapi_schema_documents_every_operation_without_warnings():
    from django.urls import include, path
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    GENERATOR_STATS.reset()
    generator = SchemaGenerator(
        patterns=[
            path("api/v1/", include("pulse.api_urls")),
            path("api/v1/", include("assessment.api_urls")),
        ]
    )

    schema = generator.get_schema(request=None, public=True)

    validate_schema(schema)
    assert not GENERATOR_STATS, "drf-spectacular warned: see the captured output"
    operations = [
        (route, operation)
        for route, item in schema["paths"].items()
        for operation in item.values()
    ]
    # 9 for the diagnostic, 5 for the employee pulse (pulse/, under its URLs), 1
    # reading of the owner's words, 2 for following the plan's actions
    assert len(operations) == 17
    for route, operation in operations:
        assert operation["summary"] and operation["responses"]
        if "{id}" in route:
            assert operation["security"] == [{"assessmentToken": []}]
            assert "404" in operation["responses"]
    token = schema["components"]["securitySchemes"]["assessmentToken"]
    assert (token["in"], token["name"]) == ("header", "Authorization")


def test_implausible_time_sinks_are_field_errors_and_nothing_is_saved(owner, draft):
    assessment = draft[0]
    response = patch_answers(owner, assessment, {
        "stone.sinks": ["appels-offres"],
        "stone.appels-offres.hours": 12, "stone.appels-offres.people": 4000,
    })  # fmt: skip
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] and list(body["errors"]) == ["stone.appels-offres.people"]
    assert "49" in body["errors"]["stone.appels-offres.people"]
    assert not assessment.answers.exists()
