from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError
from django.core.validators import validate_email

from advisors.accounts import add_member
from advisors.models import Membership, Organisation


class Command(BaseCommand):
    help = (
        "Create an advisor account in an organisation. Without --password the "
        "advisor chooses one on the password reset page (/conseil/mot-de-passe/)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("email")
        parser.add_argument("organisation", help="the organisation's slug")
        parser.add_argument(
            "--role",
            choices=Membership.Role.values,
            default=Membership.Role.ADVISOR,
        )
        parser.add_argument("--password", help="checked by the password validators")

    def handle(self, *args, username, email, organisation, role, password, **options):
        try:
            org = Organisation.objects.get(slug=organisation)
        except Organisation.DoesNotExist:
            raise CommandError(
                f"No organisation with the slug {organisation!r}."
            ) from None
        if get_user_model().objects.filter(username=username).exists():
            raise CommandError(f"The username {username!r} is taken.")
        try:
            validate_email(email)
            if password is not None:
                validate_password(
                    password, get_user_model()(username=username, email=email)
                )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        add_member(
            username=username,
            email=email,
            organisation=org,
            role=role,
            password=password,
        )
        how = "with the given password" if password else "without a password yet"
        self.stdout.write(f"{username} ({role}) added to {org.name}, {how}.")
