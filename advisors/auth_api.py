"""POST /api/v1/advisor/token/: a member's username, password (and TOTP code when
enabled) for an API token; DELETE revokes the token that signs the request.

Wrong passwords and wrong codes count towards the same lock-out as the sign-in
page (django-axes); a locked-out pair gets a JSON 429 with `retry_after`.
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import ERRORS_400, ErrorSerializer, invalid

from . import accounts
from .access import membership_of
from .authentication import AdvisorTokenAuthentication
from .models import ApiToken

TAGS = ["advisor accounts"]


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)
    otp_code = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text="The authenticator app's 6-digit code, for accounts that use one.",
    )
    name = serializers.CharField(
        max_length=100,
        required=False,
        default="API",
        help_text="To tell tokens apart on the account page.",
    )


class IssuedTokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="The key: shown once, never again.")
    name = serializers.CharField()
    prefix = serializers.CharField()
    created_at = serializers.DateTimeField()


class DeniedSerializer(ErrorSerializer):
    code = serializers.CharField()


def denied(detail, code: str, status_code: int) -> Response:
    return Response({"detail": detail, "code": code}, status=status_code)


class AdvisorToken(APIView):
    authentication_classes = [AdvisorTokenAuthentication]
    permission_classes = []
    # The sign-in pages' counter per address (config/throttling.py).
    throttle_scope = "sign_in"

    @extend_schema(
        tags=TAGS,
        summary="Exchange an advisor's credentials for an API token",
        auth=[],
        request=TokenRequestSerializer,
        responses={
            201: IssuedTokenSerializer,
            400: ERRORS_400,
            401: OpenApiResponse(
                DeniedSerializer,
                "Wrong username or password (`invalid_credentials`), or the "
                "account's TOTP code is missing (`otp_required`) or wrong "
                "(`otp_invalid`).",
            ),
            403: OpenApiResponse(DeniedSerializer, "Not a member of an organisation."),
            429: OpenApiResponse(
                DeniedSerializer,
                "Too many failures for this username from this address "
                "(`locked_out`), or too many sign-ins from this address "
                "(`throttled`); `retry_after` seconds, also in `Retry-After`.",
            ),
        },
    )
    def post(self, request):
        given = TokenRequestSerializer(data=request.data)
        if not given.is_valid():
            return invalid(given.errors)
        data = given.validated_data
        # The Django request: axes marks it, and its middleware answers 429.
        user = authenticate(
            request._request, username=data["username"], password=data["password"]
        )
        if user is None:
            return denied(
                _("Identifiant ou mot de passe incorrect."),
                "invalid_credentials",
                status.HTTP_401_UNAUTHORIZED,
            )
        refusal = self._second_factor_refusal(request, user, data.get("otp_code", ""))
        if refusal is not None:
            return refusal
        if membership_of(user) is None:
            return denied(
                _("Ce compte n’est membre d’aucune organisation."),
                "not_a_member",
                status.HTTP_403_FORBIDDEN,
            )
        accounts.forget_failures(request._request, user.get_username())
        token, key = ApiToken.issue(user, data["name"])
        issued = IssuedTokenSerializer(
            {
                "token": key,
                "name": token.name,
                "prefix": token.prefix,
                "created_at": token.created_at,
            }
        )
        return Response(issued.data, status=status.HTTP_201_CREATED)

    def _second_factor_refusal(self, request, user, code: str) -> Response | None:
        if not accounts.has_second_factor(user):
            return None
        if not code:
            return denied(
                _("Ce compte demande le code de son application d’authentification."),
                "otp_required",
                status.HTTP_401_UNAUTHORIZED,
            )
        if accounts.check_code(user, "".join(code.split())) is None:
            accounts.record_failure(request._request, user.get_username())
            return denied(
                _("Ce code n’est pas le bon, ou il a expiré."),
                "otp_invalid",
                status.HTTP_401_UNAUTHORIZED,
            )
        return None

    @extend_schema(
        tags=TAGS,
        summary="Revoke the token that signs this request",
        request=None,
        responses={
            204: None,
            401: OpenApiResponse(ErrorSerializer, "No valid token."),
        },
    )
    def delete(self, request):
        if not isinstance(request.auth, ApiToken):
            raise NotAuthenticated
        request.auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
