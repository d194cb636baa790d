"""`Authorization: Token <key>` for the advisor API, with keys hashed at rest."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from config.api import DocumentedTokenAuthentication

from .models import ApiToken

KEYWORD = "Token"
# Writing the time of every request would cost a write per API call.
LAST_USED_PRECISION = timedelta(minutes=1)


class AdvisorTokenAuthentication(DocumentedTokenAuthentication):
    """A member's API token, made on the account page or by POST /advisor/token/.

    No header, or another kind of key (a diagnostic's token): not this scheme
    (None). A malformed header, an unknown or revoked advisor key, or an
    inactive account: 401.
    """

    scheme_name = "advisorToken"
    scheme_description = (
        "`Token <key>`: an advisor's personal key (it starts with `caillou.`), "
        "made on the account page (/conseil/compte/) or by POST "
        "/api/v1/advisor/token/ (username, password and, when enabled, the TOTP "
        "code). Only its SHA-256 is stored; revoking it on the account page ends "
        "it at once."
    )

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(
                _("En-tête Authorization invalide : « Token <clé> » attendu.")
            )
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("Jeton invalide ou révoqué.")) from None
        if not key.startswith(ApiToken.MARK):
            return None
        token = _active_token(key)
        _record_use(token)
        return token.user, token

    def authenticate_header(self, request):
        return KEYWORD


def _active_token(key: str) -> ApiToken:
    try:
        token = ApiToken.objects.select_related("user").get(
            digest=ApiToken.digest_of(key)
        )
    except ApiToken.DoesNotExist:
        raise AuthenticationFailed(_("Jeton invalide ou révoqué.")) from None
    if not token.user.is_active:
        raise AuthenticationFailed(_("Jeton invalide ou révoqué."))
    return token


def _record_use(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        token.last_used_at = now
        token.save(update_fields=["last_used_at"])
