"""Demo accounts for a development machine: staff, and advisors of two organisations.

Never loaded by the running site. The seed documents name the regional
cybersecurity centre Cyber’Occ and "les actions des CCI"
(001_c9dcd39cec18c08f.txt); both cover all of Occitanie.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, CommandError
from django.db import transaction

from advisors.models import Membership, Organisation
from catalog.models import Department

DEMO_STAFF = ("demo-staff", "caillou-demo-2026")
OCCITANIE = "76"
ORGANISATIONS = [
    ("cci-occitanie", "CCI Occitanie", Organisation.Kind.CHAMBER, "cci"),
    ("cyber-occ", "Cyber’Occ", Organisation.Kind.CYBER, "cyberocc"),
]
ROLES = [("conseiller", Membership.Role.ADVISOR), ("admin", Membership.Role.ADMIN)]


@transaction.atomic
def ensure_demo_organisations(password: str) -> list[tuple[str, str, str]]:
    """Create or reset the demo organisations and members: (username, org, role)."""
    departments = Department.objects.filter(region__code=OCCITANIE)
    accounts = []
    for slug, name, kind, short in ORGANISATIONS:
        org, _ = Organisation.objects.update_or_create(
            slug=slug, defaults={"name": name, "kind": kind}
        )
        org.departments.set(departments)
        for suffix, role in ROLES:
            username = f"demo-{short}-{suffix}"
            _ensure_member(username, org, role, password)
            accounts.append((username, name, Membership.Role(role).label))
    return accounts


def _ensure_member(username: str, org: Organisation, role: str, password: str):
    user, _ = get_user_model().objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.org"}
    )
    # Reset on every run so that the printed password is always the right one.
    user.set_password(password)
    user.save(update_fields=["password"])
    Membership.objects.update_or_create(
        user=user, defaults={"organisation": org, "role": role}
    )


class Command(BaseCommand):
    help = "Create the demo accounts used on a development machine and print them."

    def handle(self, *args, **options):
        if not settings.DEVELOPMENT:
            raise CommandError("Demo accounts are for development only (DEBUG=0 here).")
        username, password = DEMO_STAFF
        user, _ = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "is_staff": True,
                "is_superuser": True,
                "email": "staff@example.org",
            },
        )
        # Reset on every run so that the printed password is always the right one.
        user.set_password(password)
        user.save(update_fields=["password"])
        self.stdout.write(
            f"Demo staff account (admin at /admin/): {username} / {password}"
        )
        for member, organisation, role in ensure_demo_organisations(password):
            self.stdout.write(
                f"Demo advisor account (/conseil/connexion/): {member} / {password}"
                f" — {organisation}, {role}"
            )
