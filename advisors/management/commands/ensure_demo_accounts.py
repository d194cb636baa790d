from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, CommandError

from advisors.demo import ensure_demo_organisations

DEMO_STAFF = ("demo-staff", "caillou-demo-2026")


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
