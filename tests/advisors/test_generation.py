"""Generated cases are consistent, deterministic, and the queue's query count is flat."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from advisors.management.commands.generate_cases import generate, siren
from advisors.models import Case, Membership
from assessment.models import Assessment, Outcome, validate_siren
from assessment.scoring import level_for


def test_generated_cases_are_consistent(seeded):
    made = generate(60, organisations=2, seed=7, batch=25)
    assert (made.cases, made.organisations, made.advisors) == (60, 2, 8)
    assert Case.objects.count() == Assessment.objects.count() == Outcome.objects.count()
    for outcome in Outcome.objects.select_related("assessment"):
        scores = outcome.dimensions().values()
        assert outcome.overall == round(sum(scores) / len(scores))
        assert outcome.level == level_for(outcome.overall).rank
        assert outcome.sector_id == outcome.assessment.sector_id
        validate_siren(outcome.assessment.siren)
    for case in Case.objects.exclude(status="new").select_related("assignee"):
        steps = list(case.history.order_by("pk").values_list("to_status", flat=True))
        assert steps[-1] == case.status
        if case.assignee:
            assert Membership.objects.get(user=case.assignee).organisation_id == (
                case.organisation_id
            )
    assert all(c.shared_at >= c.assessment.submitted_at for c in Case.objects.all())


def test_the_same_seed_gives_the_same_companies(seeded):
    generate(10, organisations=1, seed=3)
    first = list(Assessment.objects.order_by("pk").values_list("company_name", "siren"))
    Assessment.objects.all().delete()
    generate(10, organisations=1, seed=3)
    again = list(Assessment.objects.order_by("pk").values_list("company_name", "siren"))
    assert first == again


def test_sirens_pass_the_luhn_check():
    import random

    rng = random.Random(1)
    for _ in range(200):
        validate_siren(siren(rng))


def test_the_command_needs_the_seeds(db):
    with pytest.raises(CommandError, match="load_seeds"):
        call_command("generate_cases", count=5, verbosity=0)


def test_queue_queries_do_not_grow_with_the_page_size(seeded, client):
    generate(120, organisations=1, seed=5)
    member = Membership.objects.filter(role="advisor").first()
    client.force_login(member.user)
    counts = set()
    for per_page in (10, 25, 50, 100):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("advisors:queue"), {"per_page": per_page})
        assert response.status_code == 200
        assert response.content.decode().count('<th scope="row">') == per_page
        counts.add(len(captured))
    assert len(counts) == 1, counts
