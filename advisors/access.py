"""Who may see which case: members of the organisation it was shared with."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django_otp import user_has_device

from .models import ApiToken, Case, Membership


def membership_of(user) -> Membership | None:
    if not user.is_authenticated:
        return None
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


def is_verified(request) -> bool:
    """Whether the second factor, when the member has one, was given.

    django_otp's middleware gives a session's user `is_verified()` once a
    device checked its code. An API token is a credential of its own: it is
    made by a verified session, or by the token endpoint after the code.
    """
    if isinstance(getattr(request, "auth", None), ApiToken):
        return True
    verified = getattr(request.user, "is_verified", None)
    if verified is not None and verified():
        return True
    return not user_has_device(request.user, confirmed=True)


def advisor_required(view):
    """Members only; others are sent to sign in (or get a 404 when signed in)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated or not is_verified(request):
            return redirect_to_login(request.get_full_path(), "advisors:login")
        request.membership = membership_of(request.user)
        if request.membership is None:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def admin_required(view):
    @advisor_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.membership.is_admin:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def case_for(membership: Membership, pk: int) -> Case:
    """The organisation's active case, or 404: other cases do not exist for them."""
    try:
        return Case.objects.of(membership.organisation).select_related(
            "assessment__sector", "assessment__size_band", "assessment__department",
            "assessment__outcome", "assignee",
        ).get(pk=pk)  # fmt: skip
    except (Case.DoesNotExist, OverflowError, ValueError):
        raise Http404 from None
