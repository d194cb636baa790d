"""An organisation admin manages its members; advisors and other organisations cannot."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from advisors import cases
from advisors.models import Membership

from .test_workflow import world  # noqa: F401  (the shared fixture)


@pytest.fixture
def admin(world):  # noqa: F811
    user = get_user_model().objects.create_user("odile", first_name="Odile")
    Membership.objects.create(
        user=user, organisation=world.occitanie, role=Membership.Role.ADMIN
    )
    return user


NEW = {"username": "chloe", "first_name": "Chloé", "last_name": "Roux",
       "email": "chloe@cci.example.fr", "role": "advisor"}  # fmt: skip


def test_an_admin_adds_a_member_who_chooses_a_password_by_email(world, admin, client):  # noqa: F811
    client.force_login(admin)
    response = client.post(reverse("advisors:members"), NEW)
    assert response.status_code == 302
    chloe = get_user_model().objects.get(username="chloe")
    assert not chloe.has_usable_password()
    assert chloe.membership.organisation == world.occitanie
    (message,) = mail.outbox
    assert message.to == ["chloe@cci.example.fr"] and "CCI Occitanie" in message.subject
    link = re.search(r"https?://\S+", message.body).group()
    client.logout()
    page = client.get(link, follow=True)
    assert page.status_code == 200 and 'name="new_password1"' in page.content.decode()


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"username": "alice"}, "Cet identifiant est déjà pris."),
        ({"email": "pas-une-adresse"}, "Saisissez une adresse e-mail valide."),
        ({"role": "owner"}, "Choisissez un rôle de la liste."),
        ({"username": "a b"}, "L’identifiant ne peut contenir que des lettres"),
        ({"first_name": "x" * 151}, "au plus 150"),
    ],
)
def test_bad_member_input_is_refused_in_french(world, admin, client, changes, message):  # noqa: F811
    client.force_login(admin)
    response = client.post(reverse("advisors:members"), {**NEW, **changes})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not get_user_model().objects.filter(username="chloe").exists()
    assert not mail.outbox


def test_roles_change_but_the_last_admin_stays(world, admin, client):  # noqa: F811
    client.force_login(admin)
    own = admin.membership
    client.post(reverse("advisors:member_role", args=[own.pk]), {"role": "advisor"})
    own.refresh_from_db()
    assert own.role == "admin"
    alice = world.advisor.membership
    client.post(reverse("advisors:member_role", args=[alice.pk]), {"role": "admin"})
    alice.refresh_from_db()
    assert alice.role == "admin"


def test_removing_a_member_unassigns_their_cases(world, admin, client):  # noqa: F811
    case = cases.share(world.a, world.occitanie)
    cases.assign(case, world.colleague)
    client.force_login(admin)
    member = world.colleague.membership
    client.post(reverse("advisors:member_remove", args=[member.pk]))
    assert not Membership.objects.filter(pk=member.pk).exists()
    case.refresh_from_db()
    assert case.assignee is None
    # Nobody removes themselves.
    client.post(reverse("advisors:member_remove", args=[admin.membership.pk]))
    assert Membership.objects.filter(user=admin).exists()


def test_advisors_and_other_organisations_cannot_manage_members(world, admin, client):  # noqa: F811
    client.force_login(world.advisor)
    assert client.get(reverse("advisors:members")).status_code == 404
    target = world.colleague.membership
    url = reverse("advisors:member_remove", args=[target.pk])
    assert client.post(url).status_code == 404
    client.force_login(admin)
    foreign = world.outsider.membership
    for name in ("member_remove", "member_role"):
        url = reverse(f"advisors:{name}", args=[foreign.pk])
        assert client.post(url, {"role": "admin"}).status_code == 404
    assert Membership.objects.filter(pk=foreign.pk, role="advisor").exists()
