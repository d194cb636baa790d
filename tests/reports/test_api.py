"""The action plan API and pages: only the diagnostic's holder gets in."""

import pytest
from django.urls import reverse

from reports import asking, tasks
from reports.models import Report
from tests.assessment import personas

from .personas import submitted_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr(tasks.render_report, "apply_async", lambda *a, **k: None)


@pytest.fixture
def owner(client, submitted):
    assessment, token = submitted
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token}"
    return assessment


@pytest.fixture
def stranger_token(seeds):
    return submitted_assessment(personas.VINEYARD, "Domaine des Garrigues")[1]


def ready_report(assessment) -> Report:
    report = asking.request_report(assessment)
    tasks.render_report(report.pk)
    report.refresh_from_db()
    return report


def test_asking_answers_202_with_the_report_location(client, owner):
    response = client.post(
        f"/api/v1/assessments/{owner.pk}/reports/",
        {"language": "en"},
        "application/json",
    )
    assert response.status_code == 202
    report = Report.objects.get(assessment=owner)
    assert response["Location"] == f"/api/v1/reports/{report.pk}/"
    assert response.json()["status"] == "queued"
    assert response.json()["language"] == "en"
    assert report.requested_by == Report.Requester.API


def test_listing_and_status(client, owner):
    report = ready_report(owner)
    listing = client.get(f"/api/v1/assessments/{owner.pk}/reports/").json()
    assert [item["id"] for item in listing] == [report.pk]
    detail = client.get(f"/api/v1/reports/{report.pk}/").json()
    assert detail["status"] == "ready"
    assert detail["links"]["pdf"] == f"/api/v1/reports/{report.pk}/pdf/"


def test_download_is_the_pdf(client, owner):
    report = ready_report(owner)
    response = client.get(f"/api/v1/reports/{report.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content)[:4] == b"%PDF"


def test_no_pdf_before_it_is_ready(client, owner):
    report = asking.request_report(owner)
    response = client.get(f"/api/v1/reports/{report.pk}/pdf/")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_another_token_gets_404_everywhere(client, owner, stranger_token):
    report = ready_report(owner)
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {stranger_token}"
    for url in [
        f"/api/v1/assessments/{owner.pk}/reports/",
        f"/api/v1/reports/{report.pk}/",
        f"/api/v1/reports/{report.pk}/pdf/",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json() == {"detail": response.json()["detail"]}
    assert client.post(f"/api/v1/reports/{report.pk}/retry/").status_code == 404
    assert (
        client.post(
            f"/api/v1/assessments/{owner.pk}/reports/", content_type="application/json"
        ).status_code
        == 404
    )


def test_no_token_gets_404(client, submitted):
    assessment, _token = submitted
    report = ready_report(assessment)
    assert client.get(f"/api/v1/reports/{report.pk}/").status_code == 404
    assert client.get(f"/api/v1/reports/{report.pk}/pdf/").status_code == 404


def test_unknown_report_address_answers_json_404(client, owner):
    response = client.get("/api/v1/reports/99999999999999999999/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_a_draft_diagnostic_gets_409(client, owner):
    owner.status = owner.Status.DRAFT
    owner.save(update_fields=["status"])
    response = client.post(
        f"/api/v1/assessments/{owner.pk}/reports/", content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["detail"]


def test_retry_only_a_failed_report(client, owner):
    report = asking.request_report(owner)
    assert client.post(f"/api/v1/reports/{report.pk}/retry/").status_code == 409
    Report.objects.filter(pk=report.pk).update(status=Report.Status.FAILED)
    response = client.post(f"/api/v1/reports/{report.pk}/retry/")
    assert response.status_code == 202
    assert response.json()["status"] == "queued"


def test_the_schema_documents_the_report_endpoints(client):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/assessments/{id}/reports/" in schema
    assert "/api/v1/reports/{id}/pdf/" in schema


# --- Pages -----------------------------------------------------------------------


@pytest.fixture
def session_owner(client, submitted):
    assessment, _token = submitted
    session = client.session
    session["assessment_ids"] = [assessment.pk]
    session.save()
    return assessment


def test_the_button_asks_for_a_plan_and_shows_it_queued(client, session_owner):
    url = reverse("reports:request", args=[session_owner.pk])
    response = client.post(url, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Générer mon plan d’action (PDF)" in page
    assert "En file d’attente" in page
    assert "Rafraîchir" in page
    assert Report.objects.filter(assessment=session_owner).count() == 1


def test_htmx_polls_a_status_partial_until_ready(client, session_owner):
    report = asking.request_report(session_owner)
    url = reverse("reports:status", args=[session_owner.pk, report.pk])
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" in partial
    tasks.render_report(report.pk)
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in partial
    assert reverse("reports:download", args=[session_owner.pk, report.pk]) in partial


def test_page_download_and_retry(client, session_owner):
    report = ready_report(session_owner)
    url = reverse("reports:download", args=[session_owner.pk, report.pk])
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert "plan-action-caillou-v1.pdf" in response["Content-Disposition"]
    Report.objects.filter(pk=report.pk).update(status=Report.Status.FAILED)
    client.post(reverse("reports:retry", args=[session_owner.pk, report.pk]))
    assert Report.objects.get(pk=report.pk).status == Report.Status.QUEUED


def test_pages_of_another_diagnostic_are_404(client, submitted, stranger_token):
    assessment, _token = submitted
    report = ready_report(assessment)
    for url in [
        reverse("reports:list", args=[assessment.pk]),
        reverse("reports:download", args=[assessment.pk, report.pk]),
    ]:
        assert client.get(url).status_code == 404
    assert (
        client.post(reverse("reports:request", args=[assessment.pk])).status_code == 404
    )
