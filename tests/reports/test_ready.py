"""Ready before asked: the owner's plan is made on submission, once per content."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from assessment.answering import save_answers, start_assessment, submit
from catalog.models import Programme
from reports import asking, fingerprint, tasks
from reports.models import Report
from tests.assessment import personas
from tests.reports.personas import submitted_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def queues(monkeypatch):
    """The queue each message went to, by report id (no broker)."""
    sent = {}

    def apply_async(args, countdown=None, retry=True, queue=None):
        sent[args[0]] = queue

    monkeypatch.setattr(tasks.render_report, "apply_async", apply_async)
    return sent


def submit_in(language: str) -> Report:
    persona = personas.ACCOUNTING_FIRM
    company = persona["company"]
    from catalog.models import Department, Sector, SizeBand

    assessment, _token = start_assessment(
        language=language,
        profile={
            "company_name": "Cabinet Prêt d’Avance",
            "sector": Sector.objects.get(slug=company.sector),
            "size_band": SizeBand.objects.get(code=company.size_band),
            "department": Department.objects.get(code=company.department),
            "respondent_name": "Claire Durand",
            "respondent_email": "claire@example.fr",
            "respondent_role": "Gérante",
        },
    )
    assert not save_answers(assessment, persona["answers"])
    assert not submit(assessment)
    return assessment


def ready(report: Report) -> Report:
    tasks.render_report(report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.READY
    return report


def test_submitting_makes_the_owner_plan_in_their_language_on_the_plans_queue(
    seeds, plans_on_submit, queues, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assessment = submit_in("en")
    report = assessment.reports.get()
    assert (report.version, report.language, report.requested_by) == (1, "en", "owner")
    assert queues == {report.pk: "plans"}
    assert len(report.fingerprint) == 64
    assert set(report.made_of) == set(fingerprint.PARTS)


def test_the_button_answers_with_the_ready_file(
    client, seeds, plans_on_submit, queues, django_capture_on_commit_callbacks
):
    assessment = submit_in("fr")
    made = ready(assessment.reports.get())
    session = client.session
    session["assessment_ids"] = [assessment.pk]
    session.save()
    url = reverse("reports:request", args=[assessment.pk])
    download = reverse("reports:download", args=[assessment.pk, made.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
        htmx = client.post(url, headers={"HX-Request": "true"})
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content)[:4] == b"%PDF"
    assert (htmx.status_code, htmx["HX-Redirect"]) == (204, download)
    assert client.get(download).getvalue()[:4] == b"%PDF"
    assert assessment.reports.count() == 1
    assert queues == {}  # nothing more to render


def test_the_api_answers_200_with_the_ready_version(client, seeds, plans_on_submit):
    assessment, token = submitted_assessment(personas.VINEYARD, "Domaine Prêt")
    made = ready(assessment.reports.get())
    response = client.post(
        f"/api/v1/assessments/{assessment.pk}/reports/",
        {"language": "fr"},
        "application/json",
        headers={"Authorization": f"Token {token}"},
    )
    assert response.status_code == 200
    assert response.json()["id"] == made.pk
    assert response.json()["links"]["pdf"] == f"/api/v1/reports/{made.pk}/pdf/"


def test_same_content_same_version_a_real_change_a_new_one(submitted, queues):
    assessment = submitted[0]
    first = ready(asking.request_report(assessment))
    assert asking.request_report(assessment) == first
    english = asking.request_report(assessment, language="en")
    assert english.version == 2
    assert english.changes == ["langue"]
    adjusted = asking.request_report(
        assessment, language="en", adjustments={"advice": ["Commencez petit."]}
    )
    assert adjusted.version == 3
    assert adjusted.changes == ["ajustements du conseiller"]
    assert asking.request_report(assessment, language="fr") == first


def test_a_catalogue_change_makes_a_new_version(submitted, queues):
    assessment = submitted[0]
    first = ready(asking.request_report(assessment))
    programme = Programme.objects.order_by("pk").first()
    programme.name += " (2027)"
    programme.save()  # the catalogue's signals give it a new version
    second = asking.request_report(assessment)
    assert second.version == 2
    assert second.changes == ["catalogue"]
    assert first.changes == []


def test_the_versions_list_says_what_changed(client, submitted, queues):
    assessment = submitted[0]
    ready(asking.request_report(assessment))
    asking.request_report(assessment, language="en")
    session = client.session
    session["assessment_ids"] = [assessment.pk]
    session.save()
    page = client.get(reverse("reports:list", args=[assessment.pk])).content.decode()
    assert "Changé depuis la version précédente\u00a0: langue" in page
    listing = client.get(f"/api/v1/assessments/{assessment.pk}/reports/").json()
    assert [(r["version"], r["changes"]) for r in listing] == [(2, ["langue"]), (1, [])]


def test_a_failed_or_lost_version_is_made_again_not_duplicated(
    client, submitted, queues, django_capture_on_commit_callbacks
):
    assessment = submitted[0]
    report = ready(asking.request_report(assessment))
    Report.objects.filter(pk=report.pk).update(status=Report.Status.FAILED)
    again = asking.request_report(assessment)
    assert (again.pk, again.status) == (report.pk, Report.Status.QUEUED)

    report = ready(again)
    default_storage.delete(report.file.name)
    session = client.session
    session["assessment_ids"] = [assessment.pk]
    session.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:request", args=[assessment.pk]))
    assert response["Location"] == reverse("reports:list", args=[assessment.pk])
    report.refresh_from_db()
    assert (report.status, report.file.name) == (Report.Status.QUEUED, "")
    assert queues[report.pk] == "plans"
    assert assessment.reports.count() == 1


def test_advisors_versions_go_to_their_own_queue(submitted, queues):
    from django.db import transaction

    assessment = submitted[0]
    with transaction.atomic():
        owner = asking.request_report(assessment)
        advisor = asking.request_report(
            assessment, requested_by=Report.Requester.ADVISOR, adjustments={"x": 1}
        )
    tasks.enqueue(owner.pk)
    tasks.enqueue(advisor.pk)
    assert queues == {owner.pk: "plans", advisor.pk: "versions"}


def test_digests_ignore_the_order_of_sets():
    assert fingerprint.digest({"a": frozenset("xyz")}) == fingerprint.digest(
        {"a": frozenset("zyx")}
    )
    assert fingerprint.digest({"a": 1, "b": 2}) == fingerprint.digest({"b": 2, "a": 1})


def test_an_advisor_is_never_handed_the_owner_or_another_advisor_version(
    submitted, queues, django_user_model
):
    assessment = submitted[0]
    owner = ready(asking.request_report(assessment))
    first, second = (
        django_user_model.objects.create_user(name, f"{name}@example.fr", "x")
        for name in ("alice", "bruno")
    )

    def advisor(user):
        return asking.request_report(
            assessment, requested_by=Report.Requester.ADVISOR, user=user
        )

    alice = advisor(first)
    assert alice != owner  # same content, but the owner's version is the owner's
    assert advisor(first) == alice
    assert advisor(second) not in (owner, alice)
