"""Advisors' sign-in beyond the password: the TOTP second factor and throttling.

The sign-in page and the token endpoint both count a wrong code as a failed
sign-in, so that guessing codes locks out like guessing passwords (django-axes).
"""

from __future__ import annotations

from base64 import b32encode

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset as axes_reset
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Membership, Organisation

DEVICE_NAME = "TOTP"


def has_second_factor(user) -> bool:
    return user_has_device(user, confirmed=True)


def check_code(user, code: str) -> TOTPDevice | None:
    """The confirmed device that accepts this code (each code works once), or None."""
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if device.verify_token(code):
                return device
    return None


def pending_totp(user) -> TOTPDevice:
    """The device being set up: a fresh secret until a first code confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(
        user=user, name=DEVICE_NAME, confirmed=False
    )


def confirm_totp(device: TOTPDevice, code: str) -> bool:
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not device.verify_token(code):
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return True


def disable_totp(user, code: str) -> bool:
    """Remove every device of the user, if the code is right."""
    if check_code(user, code) is None:
        return False
    TOTPDevice.objects.filter(user=user).delete()
    return True


def secret_of(device: TOTPDevice) -> str:
    """The key as authenticator apps take it when typed: base32, in groups of 4."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code, made here: nothing is fetched."""
    return segno.make(uri, error="m").svg_inline(scale=5, border=2, title="QR code")


def is_locked_out(request, username: str) -> bool:
    return AxesProxyHandler.is_locked(request, {"username": username})


def record_failure(request, username: str) -> None:
    """Count a wrong code like a wrong password; axes may lock the pair out."""
    user_login_failed.send(
        sender=__name__, credentials={"username": username}, request=request
    )


def forget_all_failures(username: str) -> None:
    """Lift every lock-out of the username, from any address."""
    axes_reset(username=username)


def forget_failures(request, username: str) -> None:
    """What a successful sign-in does, for sign-ins that do not open a session."""
    AxesProxyHandler.update_request(request)
    AxesProxyHandler.get_implementation().reset_user_attempts(
        request, {"username": username}
    )


def add_member(
    *, username: str, email: str, organisation: Organisation, role: str, password=None
):
    """A new user who is a member of the organisation.

    Without a password the account has none usable: its owner chooses one on
    the password reset page, so that no password travels by hand.
    """
    with transaction.atomic():
        user = get_user_model().objects.create_user(
            username=username, email=email, password=password
        )
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


# --- An organisation's members, managed by its admins --------------------------------


class MemberError(ValueError):
    """A change to the members that cannot be made; the message is for the user."""


def invite_member(
    request, *, organisation, username, email, first_name, last_name, role
):
    """Create the account and e-mail its owner a link to choose a password."""
    users = get_user_model().objects
    if users.filter(username__iexact=username).exists():
        raise MemberError(_("Cet identifiant est déjà pris."))
    if users.filter(email__iexact=email).exists():
        raise MemberError(_("Un compte utilise déjà cette adresse e-mail."))
    user = add_member(
        username=username, email=email, organisation=organisation, role=role
    )
    user.first_name, user.last_name = first_name, last_name
    user.save(update_fields=["first_name", "last_name"])
    context = {
        "user": user,
        "protocol": "https" if request.is_secure() else "http",
        "domain": request.get_host(),
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "organisation": organisation,
    }
    send_mail(
        render_to_string("advisors/members/welcome_subject.txt", context).strip(),
        render_to_string("advisors/members/welcome_email.txt", context),
        None,
        [email],
    )
    return user


def change_role(membership: Membership, role: str) -> None:
    if role != Membership.Role.ADMIN and _last_admin(membership):
        raise MemberError(_("Il faut garder au moins un administrateur."))
    membership.role = role
    membership.save(update_fields=["role"])


def remove_member(membership: Membership, by) -> None:
    """The account stays (its notes keep their author) but leaves the organisation."""
    if membership.user_id == by.pk:
        raise MemberError(_("Vous ne pouvez pas vous retirer vous-même."))
    if _last_admin(membership):
        raise MemberError(_("Il faut garder au moins un administrateur."))
    with transaction.atomic():
        membership.organisation.cases.filter(assignee=membership.user).update(
            assignee=None
        )
        membership.delete()


def _last_admin(membership: Membership) -> bool:
    admins = membership.organisation.members.filter(role=Membership.Role.ADMIN)
    return membership.is_admin and admins.count() == 1
