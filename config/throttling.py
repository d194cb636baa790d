"""Rate limits: the same counters for the pages, the API and sign-in.

Each limit has a scope named in `settings.THROTTLE_RATES` and counts requests
per client address in the cache (Redis in production), with DRF's throttles:
the web page that starts a diagnostic and the API that does share a counter.

Pages check a limit where the costly thing happens and answer 429 themselves::

    wait = throttling.wait_for(request, "diagnostic_create")
    if wait is not None:
        form.add_error(None, throttling.wait_message(wait))
        return throttling.refused(render(...), wait)

or decorate a whole view (sign-in forms: every POST counts)::

    @throttling.throttle("sign_in")
    def sign_in(request): ...

API views name their scope: `throttle_scope = "diagnostic_create"`.
"""

from __future__ import annotations

import logging
import math
from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from redis.exceptions import RedisError
from rest_framework.throttling import (
    AnonRateThrottle,
    BaseThrottle,
    ScopedRateThrottle,
    SimpleRateThrottle,
    UserRateThrottle,
)

logger = logging.getLogger(__name__)


class SettingsRatesMixin:
    """Rates read from `settings.THROTTLE_RATES` when used, not at import."""

    def get_rate(self):
        return settings.THROTTLE_RATES[self.scope]

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except (OSError, RedisError):
            # Without the counters, serving beats refusing everyone.
            logger.warning("rate limit %s not checked: cache unavailable", self.scope)
            return True


class AnonApiThrottle(SettingsRatesMixin, AnonRateThrottle):
    pass


class UserApiThrottle(SettingsRatesMixin, UserRateThrottle):
    pass


class ScopedApiThrottle(SettingsRatesMixin, ScopedRateThrottle):
    pass


class PageThrottle(SettingsRatesMixin, SimpleRateThrottle):
    """One scope counted per client, like the API's `ScopedApiThrottle`."""

    cache_format = ScopedRateThrottle.cache_format

    def __init__(self, scope: str, ident: str | None = None):
        self.scope = scope
        self.ident = ident
        super().__init__()

    def get_cache_key(self, request, view):
        user = getattr(request, "user", None)
        if self.ident is not None:
            ident = self.ident
        elif user and user.is_authenticated:
            ident = user.pk
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


def client_address(request) -> str:
    """The address the limits count, as DRF reads it (`NUM_PROXIES`)."""
    return BaseThrottle().get_ident(request)


def wait_for(request, scope: str, ident: str | None = None) -> int | None:
    """Count this request in `scope`: None if allowed, else the seconds to wait.

    Counted per client (signed-in user, else address), or per `ident` when
    given: what the request is about, e.g. the digest of an e-mail address.
    """
    throttle = PageThrottle(scope, ident)
    if throttle.allow_request(request, None):
        return None
    return max(1, math.ceil(throttle.wait() or 1))


def wait_message(seconds: int) -> str:
    if seconds < 120:
        return ngettext(
            "Trop de demandes en peu de temps : réessayez dans %(n)d seconde.",
            "Trop de demandes en peu de temps : réessayez dans %(n)d secondes.",
            seconds,
        ) % {"n": seconds}
    minutes = math.ceil(seconds / 60)
    return _("Trop de demandes en peu de temps : réessayez dans %(n)d minutes.") % {
        "n": minutes
    }


def refused(response, seconds: int):
    """Turn a page that explains the refusal into a 429 answer."""
    response.status_code = 429
    response["Retry-After"] = str(seconds)
    return response


def too_many_requests(request, seconds: int):
    """The 429 page, with the time to wait said and in `Retry-After`."""
    context = {"message": wait_message(seconds)}
    return refused(render(request, "429.html", context), seconds)


def throttle(scope: str, methods=("POST",)):
    """Limit a view's `methods` requests per client to the rate of `scope`."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                wait = wait_for(request, scope)
                if wait is not None:
                    return too_many_requests(request, wait)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
