"""Advisors' accounts: sign in (password, then the TOTP code if enabled), sign out,
the account page (second factor, API tokens), and the lock-out page of axes.

A member with a second factor is not signed in after the password alone: the
session only remembers who is half-way for a few minutes, and `login()` happens
once the code is right. No advisor page opens with the password alone.
"""

from __future__ import annotations

import hashlib
import time
from math import ceil

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import PasswordResetConfirmView, PasswordResetView
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from config import throttling

from . import accounts
from .access import advisor_required
from .forms_auth import CodeForm, TokenForm
from .models import ApiToken

PENDING = "advisors_pending_sign_in"
# Time allowed between the password and the code.
PENDING_MAX_AGE = 300


def safe_next(request) -> str:
    """The `next` page asked for if it stays on this site, else ""."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _signed_in(next_url: str):
    return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


def _with_next(url_name: str, next_url: str) -> str:
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


@sensitive_post_parameters("password")
@never_cache
@throttling.throttle("sign_in")
def sign_in(request):
    next_url = safe_next(request)
    form = AuthenticationForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        if accounts.has_second_factor(user):
            return _ask_for_code(request, user, next_url)
        auth_login(request, user)
        return _signed_in(next_url)
    return render(
        request, "advisors/auth/login.html", {"form": form, "next_url": next_url}
    )


def _ask_for_code(request, user, next_url: str):
    request.session[PENDING] = {
        "user": user.pk,
        "backend": user.backend,
        "at": int(time.time()),
    }
    return redirect(_with_next("advisors:verify", next_url))


def _pending_user(request):
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - pending["at"] > PENDING_MAX_AGE:
        return None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is not None:
        user.backend = pending["backend"]
    return user


@sensitive_post_parameters("code")
@never_cache
@throttling.throttle("sign_in")
def verify(request):
    """Second step of signing in: the code of the authenticator app."""
    next_url = safe_next(request)
    user = _pending_user(request)
    if user is None:
        messages.info(request, _("Saisissez d’abord votre mot de passe."))
        return redirect(_with_next("advisors:login", next_url))
    username = user.get_username()
    if accounts.is_locked_out(request, username):
        return locked_out(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = accounts.check_code(user, form.cleaned_data["code"])
        if device is not None:
            del request.session[PENDING]
            # django_otp's login hook keeps the device in the new session.
            user.otp_device = device
            auth_login(request, user, backend=user.backend)
            return _signed_in(next_url)
        accounts.record_failure(request, username)
        form.add_error("code", _("Ce code n’est pas le bon, ou il a expiré."))
    return render(
        request, "advisors/auth/verify.html", {"form": form, "next_url": next_url}
    )


@require_POST
def sign_out(request):
    auth_logout(request)
    messages.success(request, _("Vous êtes déconnecté."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


def locked_out(request, original_response=None, credentials=None):
    """Axes' answer once a username and address have failed too often: 429."""
    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds())
    minutes = ceil(seconds / 60)
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {
                "detail": _(
                    "Trop de tentatives de connexion : réessayez dans %(minutes)d minutes."
                )
                % {"minutes": minutes},
                "code": "locked_out",
                "retry_after": seconds,
            },
            status=429,
        )
    else:
        response = render(
            request, "advisors/auth/locked_out.html", {"minutes": minutes}, status=429
        )
    response["Retry-After"] = str(seconds)
    return response


@never_cache
@advisor_required
def account(request):
    return _account_page(request)


def _account_page(request, *, token_form=None, disable_form=None, new_key=None):
    user = request.user
    context = {
        "has_second_factor": accounts.has_second_factor(user),
        "disable_form": disable_form or CodeForm(),
        "tokens": user.api_tokens.all(),
        "token_form": token_form or TokenForm(),
        "new_key": new_key,
    }
    return render(request, "advisors/auth/account.html", context)


@require_POST
@advisor_required
def totp_start(request):
    if accounts.has_second_factor(request.user):
        return redirect("advisors:account")
    accounts.pending_totp(request.user)
    return redirect("advisors:totp_setup")


@sensitive_post_parameters("code")
@never_cache
@advisor_required
def totp_setup(request):
    """Show the secret of the device being set up; a first right code confirms it."""
    device = request.user.totpdevice_set.filter(confirmed=False).first()
    if device is None or accounts.has_second_factor(request.user):
        return redirect("advisors:account")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if accounts.confirm_totp(device, form.cleaned_data["code"]):
            device.refresh_from_db()
            # The session that enabled the factor is verified by it.
            otp_login(request, device)
            messages.success(request, _("La double authentification est activée."))
            return redirect("advisors:account")
        form.add_error("code", _("Ce code n’est pas le bon, ou il a expiré."))
    context = {
        "form": form,
        "secret": accounts.secret_of(device),
        "uri": device.config_url,
        "qr_svg": accounts.qr_svg(device.config_url),
    }
    return render(request, "advisors/auth/totp_setup.html", context)


@require_POST
@sensitive_post_parameters("code")
@advisor_required
def totp_disable(request):
    form = CodeForm(request.POST)
    if form.is_valid():
        if accounts.disable_totp(request.user, form.cleaned_data["code"]):
            messages.success(request, _("La double authentification est désactivée."))
            return redirect("advisors:account")
        form.add_error("code", _("Ce code n’est pas le bon, ou il a expiré."))
    return _account_page(request, disable_form=form)


@require_POST
@advisor_required
def token_create(request):
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _account_page(request, token_form=form)
    _, key = ApiToken.issue(request.user, form.cleaned_data["name"])
    # Shown in this response only: the key is neither stored nor redirected.
    return _account_page(request, new_key=key)


@require_POST
@advisor_required
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.delete()
    messages.success(
        request, _("Le jeton « %(name)s » est révoqué.") % {"name": token.name}
    )
    return redirect("advisors:account")


@method_decorator(throttling.throttle("password_reset"), name="dispatch")
class ResetRequest(PasswordResetView):
    """Reset e-mails are limited per asking address and per e-mail address,
    counted whether or not an account has that e-mail (nothing to learn)."""

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        digest = hashlib.sha256(email.encode()).hexdigest()
        wait = throttling.wait_for(self.request, "password_reset_email", digest)
        if wait is not None:
            form.add_error(None, throttling.wait_message(wait))
            return throttling.refused(self.form_invalid(form), wait)
        return super().form_valid(form)


class ResetConfirm(PasswordResetConfirmView):
    """A new password also lifts the account's lock-outs: the e-mail proved it."""

    def form_valid(self, form):
        response = super().form_valid(form)
        accounts.forget_all_failures(self.user.get_username())
        return response
