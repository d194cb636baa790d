"""The advisor API and the owner's sharing API."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from advisors import cases
from advisors.models import AccessLog, Case
from reports.models import Report

from .test_workflow import world  # noqa: F401  (the shared fixture)


@pytest.fixture
def api():
    return APIClient()


def as_owner(api, token):
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


def test_the_owner_shares_and_withdraws_through_the_api(world, api):  # noqa: F811
    as_owner(api, world.token_a)
    url = reverse("advisors_api:shares", args=[world.a.pk])
    listing = api.get(url).json()
    assert listing["shares"] == []
    first = listing["organisations"][0]
    assert (first["name"], first["covers_department"]) == ("CCI Occitanie", True)
    assert "CCI Occitanie" in first["consent_text"]

    refused = api.post(url, {"organisation": first["id"], "consent": False}, "json")
    assert refused.status_code == 400 and "consent" in refused.json()["errors"]
    unknown = api.post(url, {"organisation": 999999, "consent": True}, "json")
    assert unknown.status_code == 400 and "organisation" in unknown.json()["errors"]
    garbage = api.post(url, {"organisation": "x", "consent": "maybe"}, "json")
    assert garbage.status_code == 400
    assert not Case.objects.exists()

    shared = api.post(url, {"organisation": first["id"], "consent": True}, "json")
    assert shared.status_code == 201
    case_id = shared.json()["shares"][0]["id"]
    assert (
        api.delete(
            reverse("advisors_api:share", args=[world.a.pk, case_id])
        ).status_code
        == 204
    )
    assert Case.objects.get().withdrawn_at is not None


def test_another_owners_token_opens_nothing(world, api):  # noqa: F811
    case = cases.share(world.a, world.occitanie)
    as_owner(api, world.token_b)
    assert api.get(reverse("advisors_api:shares", args=[world.a.pk])).status_code == 404
    url = reverse("advisors_api:share", args=[world.b.pk, case.pk])
    assert api.delete(url).status_code == 404
    # An owner's token is not an advisor's.
    assert api.get(reverse("advisors_api:cases")).status_code == 404


def test_the_queue_api_filters_and_pages(world, api):  # noqa: F811
    cases.share(world.a, world.occitanie)
    cases.share(world.b, world.occitanie)
    api.force_authenticate(world.advisor)
    response = api.get(reverse("advisors_api:cases"), {"sector": "finance"})
    assert response.status_code == 200
    assert [row["company_name"] for row in response.json()] == ["Cabinet Durand"]
    assert response["X-Total-Count"] == "1"

    bad = api.get(reverse("advisors_api:cases"), {"level": "7", "sort": "x"})
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"level", "sort"}


def test_a_case_through_the_api_is_recorded_and_isolated(world, api):  # noqa: F811
    case = cases.share(world.a, world.occitanie)
    api.force_authenticate(world.advisor)
    data = api.get(reverse("advisors_api:case", args=[case.pk])).json()
    assert data["company_name"] == "Cabinet Durand"
    assert data["result"]["overall"] == world.a.outcome.overall
    assert data["result"]["recommendations"]["use_cases"]
    assert AccessLog.objects.get(case=case).action == "api"

    api.force_authenticate(world.outsider)
    for name in ("case", "notes", "status", "assignee", "adjustments", "reports"):
        method = api.get if name == "case" else api.post
        response = method(reverse(f"advisors_api:{name}", args=[case.pk]), {}, "json")
        assert response.status_code == 404, name
    assert AccessLog.objects.filter(case=case).count() == 1


def test_the_work_through_the_api(world, api, settings):  # noqa: F811
    case = cases.share(world.a, world.occitanie)
    api.force_authenticate(world.advisor)

    def post(name, data, *args):
        return api.post(
            reverse(f"advisors_api:{name}", args=[case.pk, *args]), data, "json"
        )

    assert post("notes", {"text": "Appeler"}).status_code == 201
    assert post("notes", {"text": ""}).status_code == 400
    assert post("status", {"status": "in_review"}).status_code == 200
    skipped = post("status", {"status": "closed2"})
    assert skipped.status_code == 400 and "status" in skipped.json()["errors"]
    assert post("status", {"status": "follow_up"}).status_code == 400
    assert post("assignee", {"assignee": world.colleague.pk}).json()["assignee"] == (
        world.colleague.pk
    )
    assert post("assignee", {"assignee": world.outsider.pk}).status_code == 400
    assert post("assignee", {"assignee": None}).json()["assignee"] is None

    use_case = cases.result_for_case(case).recommendations.use_cases[0].slug
    hide = post("adjustments", {"kind": "hide", "item_kind": "use_case",
                                "item_slug": use_case, "text": "Déjà fait"})  # fmt: skip
    assert hide.status_code == 201
    assert post("adjustments", {"kind": "add", "item_kind": "use_case",
                                "item_slug": "nope"}).status_code == 400  # fmt: skip
    assert (
        post("adjustments", {"kind": "advice", "text": "x" * 2001}).status_code == 400
    )
    assert post("adjustments", {"kind": "advice", "text": "Bravo"}).status_code == 201

    accepted = post("reports", None)
    assert accepted.status_code == 202
    report = Report.objects.get(pk=accepted.json()["id"])
    assert accepted["Location"] == reverse(
        "advisors_api:report", args=[case.pk, report.pk]
    )
    assert report.adjustments["advice"] == ["Bravo"]
    assert report.adjustments["hidden"][0]["slug"] == use_case
    pdf = api.get(reverse("advisors_api:report_pdf", args=[case.pk, report.pk]))
    assert pdf.status_code == 404  # not ready yet

    hidden_id = hide.json()["id"]
    url = reverse("advisors_api:adjustment", args=[case.pk, hidden_id])
    assert api.delete(url).status_code == 204
    assert api.delete(url).status_code == 404


def test_unknown_advisor_addresses_answer_json_404(world, api):  # noqa: F811
    api.force_authenticate(world.advisor)
    response = api.get("/api/v1/advisor/nothing/here/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_an_advisor_token_opens_the_organisations_cases_only(world, api):  # noqa: F811
    from advisors.models import ApiToken

    case = cases.share(world.a, world.occitanie)
    other = cases.share(world.b, world.other)
    _token, key = ApiToken.issue(world.advisor, "CRM")
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    listing = api.get(reverse("advisors_api:cases"))
    assert [row["id"] for row in listing.json()] == [case.pk]
    assert api.get(reverse("advisors_api:case", args=[case.pk])).status_code == 200
    assert api.get(reverse("advisors_api:case", args=[other.pk])).status_code == 404
    api.credentials(HTTP_AUTHORIZATION="Token caillou.not-a-key")
    assert api.get(reverse("advisors_api:cases")).status_code in (401, 403)


def test_every_id_that_cannot_be_assigned_gets_the_same_answer(world, api):  # noqa: F811
    """No user-id enumeration: an unknown id, another organisation's advisor,
    a staff account and an inactive non-member all read alike."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    staff = users.create_user("sam", is_staff=True, is_superuser=True)
    stranger = users.create_user("nora", is_active=False)
    unknown = users.order_by("-pk").first().pk + 1000
    case = cases.share(world.a, world.occitanie)
    api.force_authenticate(world.advisor)
    url = reverse("advisors_api:assignee", args=[case.pk])
    answers = {
        who: api.post(url, {"assignee": user_id}, "json")
        for who, user_id in (
            ("unknown", unknown), ("other organisation", world.outsider.pk),
            ("staff", staff.pk), ("no organisation", stranger.pk),
        )
    }  # fmt: skip
    assert {r.status_code for r in answers.values()} == {400}
    bodies = {who: r.json() for who, r in answers.items()}
    assert len({str(body) for body in bodies.values()}) == 1, bodies
    assert bodies["unknown"]["errors"] == {
        "assignee": "Ce conseiller n’est pas membre de votre organisation."
    }
    case.refresh_from_db()
    assert case.assignee is None
