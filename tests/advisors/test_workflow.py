"""The advisor's work on a shared case, and the owner's consent, through the pages."""

import re
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from advisors import cases
from advisors.models import AccessLog, Adjustment, Case, Membership, Organisation
from assessment.catalogue import load_catalogue
from assessment.models import Outcome
from catalog.models import Department
from reports.models import Report
from tests.assessment import personas
from tests.reports.personas import submitted_assessment


@pytest.fixture
def world(seeded):
    """Two organisations with an advisor each; two owners with a submitted diagnostic."""
    users = get_user_model().objects
    occitanie = Organisation.objects.create(name="CCI Occitanie", slug="cci-occitanie")
    occitanie.departments.set(Department.objects.filter(region__code="76"))
    other = Organisation.objects.create(name="CCI Bretagne", slug="cci-bretagne")
    advisor = users.create_user("alice", first_name="Alice", last_name="Martin")
    colleague = users.create_user("bruno", first_name="Bruno", last_name="Petit")
    outsider = users.create_user("yann", first_name="Yann", last_name="Le Goff")
    Membership.objects.create(user=advisor, organisation=occitanie)
    Membership.objects.create(user=colleague, organisation=occitanie)
    Membership.objects.create(user=outsider, organisation=other)
    a, token_a = submitted_assessment(personas.ACCOUNTING_FIRM, "Cabinet Durand")
    b, token_b = submitted_assessment(personas.VINEYARD, "Domaine des Garrigues")
    return SimpleNamespace(**locals())


def owner_client(client, assessment, token):
    """A browser holding the owner's private link."""
    client.get(reverse("assessment:resume", args=[token]))
    return client


def test_submitting_records_the_outcome(world):
    outcome = Outcome.objects.get(assessment=world.a)
    from assessment.results import result_for

    card = result_for(world.a).scorecard
    assert outcome.overall == card.overall
    assert outcome.level == card.level.rank
    assert outcome.dimensions() == card.dimensions
    assert outcome.stone_category == result_for(world.a).stone.slug


def test_the_owner_shares_with_consent_and_sees_organisations_covering_them_first(
    world, client
):
    owner_client(client, world.a, world.token_a)
    url = reverse("sharing:share", args=[world.a.pk])
    page = client.get(url).content.decode()
    assert page.index("CCI Occitanie") < page.index("CCI Bretagne")

    refused = client.post(url, {"organisation": world.occitanie.pk})
    assert refused.status_code == 400
    assert "Cochez la case pour donner votre accord." in refused.content.decode()
    assert not Case.objects.exists()

    client.post(url, {"organisation": world.occitanie.pk, "consent": "1"})
    case = Case.objects.get()
    assert (case.assessment, case.organisation) == (world.a, world.occitanie)
    assert "CCI Occitanie" in case.consent_text and case.consent_version

    # Sharing twice keeps one case.
    client.post(url, {"organisation": world.occitanie.pk, "consent": "1"})
    assert Case.objects.count() == 1


def test_bad_share_input_is_refused_in_french(world, client):
    owner_client(client, world.a, world.token_a)
    url = reverse("sharing:share", args=[world.a.pk])
    for organisation in ("", "abc", "999999", "-1"):
        response = client.post(url, {"organisation": organisation, "consent": "1"})
        assert response.status_code == 400
        assert "Choisissez une organisation" in response.content.decode()
    assert not Case.objects.exists()


def test_the_owner_sees_who_opened_the_case_and_can_withdraw(world, client):
    case = cases.share(world.a, world.occitanie)
    client.force_login(world.advisor)
    assert client.get(reverse("advisors:case", args=[case.pk])).status_code == 200
    client.logout()

    owner_client(client, world.a, world.token_a)
    page = client.get(reverse("sharing:share", args=[world.a.pk])).content.decode()
    assert "Alice Martin" in page and "consultation" in page

    client.post(reverse("sharing:withdraw", args=[world.a.pk, case.pk]))
    case.refresh_from_db()
    assert case.withdrawn_at is not None
    client.logout()
    client.force_login(world.advisor)
    assert client.get(reverse("advisors:case", args=[case.pk])).status_code == 404
    assert (
        client.get(reverse("advisors:queue")).content.decode().count("Cabinet Durand")
        == 0
    )


def test_another_owner_cannot_share_or_withdraw_a_diagnostic_not_theirs(world, client):
    case = cases.share(world.a, world.occitanie)
    owner_client(client, world.b, world.token_b)
    assert client.get(reverse("sharing:share", args=[world.a.pk])).status_code == 404
    response = client.post(reverse("sharing:withdraw", args=[world.a.pk, case.pk]))
    assert response.status_code == 404
    # Their own diagnostic with someone else's case id: still 404.
    response = client.post(reverse("sharing:withdraw", args=[world.b.pk, case.pk]))
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.withdrawn_at is None


def test_the_queue_shows_only_the_organisations_cases_with_filters(world, client):
    cases.share(world.a, world.occitanie)
    cases.share(world.b, world.other)
    client.force_login(world.advisor)
    page = client.get(reverse("advisors:queue")).content.decode()
    assert "Cabinet Durand" in page and "Domaine des Garrigues" not in page

    client.force_login(world.outsider)
    page = client.get(reverse("advisors:queue")).content.decode()
    assert "Domaine des Garrigues" in page and "Cabinet Durand" not in page
    assert (
        "Domaine"
        not in client.get(reverse("advisors:queue"), {"q": "Durand"})
        .content.decode()
        .split("dossiers partagés avec votre organisation")[-1]
    )


@pytest.mark.parametrize(
    "params",
    [
        {"status": "nope"},
        {"level": "9"},
        {"level": "x"},
        {"shared_after": "31/12/2026"},
        {"sort": "password"},
        {"page": "-3"},
        {"per_page": "100000"},
        {"assignee": "'; drop table"},
        {"q": "x" * 500},
        {"assignee": "²"},
        {"assignee": "9" * 30},
        {"level": "³"},
        {"page": "²"},
        {"department": "3\x001"},
        {"q": "Dur\x00and"},
    ],
)
def test_bad_queue_filters_are_explained_not_500(world, client, params):
    cases.share(world.a, world.occitanie)
    client.force_login(world.advisor)
    response = client.get(reverse("advisors:queue"), params)
    assert response.status_code == 200
    assert "Certains filtres n’ont pas été compris" in response.content.decode()


def test_queue_folds_its_filters_unless_one_is_in_use(world, client):
    cases.share(world.a, world.occitanie)
    client.force_login(world.advisor)

    def page(**params):
        return client.get(reverse("advisors:queue"), params).content.decode()

    assert "<details>" in page() and "<details>" in page(q="Durand", sort="company")
    filtered = page(status="new", sector="finance")
    assert "<details open>" in filtered and "2 filtres actifs" in filtered
    assert "<details open>" in page(level="9")  # to show what was not understood
    # The columns that matter first: the company, its state, its score.
    headers = re.findall(r'<th scope="col">([^<]+)</th>', page())
    assert headers[:3] == ["Entreprise", "État", "Score"]


def test_queue_filters_narrow_the_list(world, client):
    case_a = cases.share(world.a, world.occitanie)
    cases.share(world.b, world.occitanie)
    cases.change_status(case_a, Case.Status.IN_REVIEW, world.advisor)
    cases.assign(case_a, world.colleague)
    client.force_login(world.advisor)

    def names(**params):
        page = client.get(reverse("advisors:queue"), params).content.decode()
        return {n for n in ("Cabinet Durand", "Domaine des Garrigues") if n in page}

    assert names() == {"Cabinet Durand", "Domaine des Garrigues"}
    assert names(status="in_review") == {"Cabinet Durand"}
    assert names(assignee=str(world.colleague.pk)) == {"Cabinet Durand"}
    assert names(assignee="none") == {"Domaine des Garrigues"}
    assert names(assignee="me") == set()
    assert names(sector="finance") == {"Cabinet Durand"}
    assert names(q="garrig") == {"Domaine des Garrigues"}
    level = Outcome.objects.get(assessment=world.a).level
    assert "Cabinet Durand" in names(level=str(level))
    stone = Outcome.objects.get(assessment=world.a).stone_category
    assert "Cabinet Durand" in names(stone=stone)


def test_the_workflow_notes_status_assignment_and_history(world, client):
    case = cases.share(world.a, world.occitanie)
    client.force_login(world.advisor)
    url = reverse("advisors:case", args=[case.pk])

    client.post(
        reverse("advisors:add_note", args=[case.pk]), {"text": "Rappeler lundi"}
    )
    client.post(
        reverse("advisors:assign", args=[case.pk]), {"assignee": world.colleague.pk}
    )
    for status in ("in_review", "plan_sent", "follow_up", "closed"):
        client.post(
            reverse("advisors:change_status", args=[case.pk]), {"status": status}
        )
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert case.assignee == world.colleague
    assert [c.to_status for c in case.history.order_by("at", "pk")] == [
        "in_review", "plan_sent", "follow_up", "closed",
    ]  # fmt: skip
    note = case.notes.get()
    assert (note.author, note.text) == (world.advisor, "Rappeler lundi")
    page = client.get(url).content.decode()
    assert "Rappeler lundi" in page and "Alice Martin" in page


def test_a_status_cannot_skip_steps(world, client):
    case = cases.share(world.a, world.occitanie)
    client.force_login(world.advisor)
    response = client.post(
        reverse("advisors:change_status", args=[case.pk]),
        {"status": "follow_up"},
        follow=True,
    )
    assert "ne peut pas passer à" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.NEW and not case.history.exists()


@pytest.mark.parametrize(
    "url_name, data",
    [
        ("add_note", {"text": ""}),
        ("add_note", {"text": "x" * 5001}),
        ("assign", {"assignee": "999999"}),
        ("assign", {"assignee": "abc"}),
        ("hide", {"item_kind": "use_case", "item_slug": "x", "reason": ""}),
        ("hide", {"item_kind": "spaceship", "item_slug": "x", "reason": "r"}),
        ("add_item", {"item": "use_case:does-not-exist"}),
        ("add_item", {"item": "nonsense"}),
        ("add_advice", {"text": "   "}),
        ("add_advice", {"text": "x" * 2001}),
    ],
)
def test_bad_case_input_gets_a_french_message_and_nothing_changes(
    world, client, url_name, data
):
    case = cases.share(world.a, world.occitanie)
    cases.add_note(case, world.advisor, "Déjà là")
    client.force_login(world.advisor)
    response = client.post(reverse(f"advisors:{url_name}", args=[case.pk]), data)
    assert response.status_code == 400
    assert "Corrigez le formulaire" in response.content.decode()
    assert case.notes.count() == 1
    assert not case.adjustments.exists()
    case.refresh_from_db()
    assert case.assignee is None


def test_an_advisor_cannot_assign_someone_of_another_organisation(world, client):
    case = cases.share(world.a, world.occitanie)
    client.force_login(world.advisor)
    response = client.post(
        reverse("advisors:assign", args=[case.pk]), {"assignee": world.outsider.pk}
    )
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.assignee is None


def test_adjusting_the_plan_changes_what_the_plan_recommends(world, client):
    case = cases.share(world.a, world.occitanie)
    client.force_login(world.advisor)
    url = reverse("advisors:case", args=[case.pk])
    page = client.get(url).content.decode()
    first_use_case = cases.result_for_case(case).recommendations.use_cases[0]
    assert first_use_case.name in page

    client.post(
        reverse("advisors:hide", args=[case.pk]),
        {"item_kind": "use_case", "item_slug": first_use_case.slug,
         "reason": "Déjà en place chez eux"},
    )  # fmt: skip
    catalogue = load_catalogue()
    shown = {r.slug for r in cases.result_for_case(case).recommendations.providers}
    extra = next(p for p in catalogue.providers if p.slug not in shown)
    client.post(
        reverse("advisors:add_item", args=[case.pk]),
        {"item": f"provider:{extra.slug}", "note": "Partenaire local"},
    )
    client.post(
        reverse("advisors:add_advice", args=[case.pk]),
        {"text": "Commencez par la facturation."},
    )
    adjusted = cases.result_for_case(case).recommendations
    assert first_use_case.slug not in {r.slug for r in adjusted.use_cases}
    added = next(r for r in adjusted.providers if r.slug == extra.slug)
    assert added.reasons == ("Ajouté par votre conseiller\u00a0: Partenaire local",)
    assert cases.adjustments_of(case).advice == ("Commencez par la facturation.",)

    # Taking an adjustment back restores the recommendation.
    hidden = case.adjustments.get(kind=Adjustment.Kind.HIDE)
    client.post(reverse("advisors:remove_adjustment", args=[case.pk, hidden.pk]))
    adjusted = cases.result_for_case(case).recommendations
    assert first_use_case.slug in {r.slug for r in adjusted.use_cases}


def test_regenerating_makes_a_new_version_with_the_adjustments(world, client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    case = cases.share(world.a, world.occitanie)
    cases.add_advice(case, world.advisor, "Voir la CCI en janvier.")
    client.force_login(world.advisor)
    with_owner_version = Report.objects.create(
        assessment=world.a, version=1, status=Report.Status.READY
    )
    client.post(reverse("advisors:regenerate", args=[case.pk]))
    report = world.a.reports.exclude(pk=with_owner_version.pk).get()
    assert report.version == 2
    assert report.requested_by == Report.Requester.ADVISOR
    assert report.requested_by_user == world.advisor
    assert report.adjustments["advice"] == ["Voir la CCI en janvier."]
    # Asking again for the same plan while it is queued does not make another.
    client.post(reverse("advisors:regenerate", args=[case.pk]))
    assert world.a.reports.count() == 2


def test_views_and_downloads_are_recorded(world, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = cases.share(world.a, world.occitanie)
    report = Report.objects.create(assessment=world.a, version=1)
    from django.core.files.base import ContentFile

    report.file.save("plan.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    report.status = Report.Status.READY
    report.save()
    client.force_login(world.advisor)
    client.get(reverse("advisors:case", args=[case.pk]))
    response = client.get(reverse("advisors:download", args=[case.pk, report.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 test"
    actions = list(
        AccessLog.objects.filter(case=case)
        .order_by("at", "pk")
        .values_list("user", "action")
    )
    assert actions == [(world.advisor.pk, "view"), (world.advisor.pk, "download")]


def test_a_report_of_another_diagnostic_is_not_reachable_through_a_case(world, client):
    case = cases.share(world.a, world.occitanie)
    foreign = Report.objects.create(assessment=world.b, version=1)
    client.force_login(world.advisor)
    for name in ("download", "report_status"):
        response = client.get(reverse(f"advisors:{name}", args=[case.pk, foreign.pk]))
        assert response.status_code == 404


def test_retention_purges_the_access_log_and_anonymisation_drops_notes(world, settings):
    from datetime import timedelta

    from django.utils import timezone

    from privacy import retention

    case = cases.share(world.a, world.occitanie)
    cases.record_access(case, world.advisor)
    old = AccessLog.objects.create(
        case=case, user=world.advisor, user_name="A", action="view"
    )
    AccessLog.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=400))
    cases.add_note(case, world.advisor, "Claire Durand veut rappeler")
    cases.hide(case, world.advisor, "use_case", "x", "Claire l’a déjà")
    settings.PRIVACY_ACCESS_LOG_RETENTION_DAYS = 365
    counts = retention.apply_retention(timezone.now())
    assert counts["advisors.access_log"] == 1
    assert AccessLog.objects.filter(case=case).count() == 1

    retention.anonymise(world.a)
    assert not case.notes.exists()
    assert case.adjustments.get().text == ""
