"""What every app's API shares: errors, the JSON parser, the token schemes.

Every API answers a refusal in one shape, `{"detail": <sentence>, "errors":
{<field or question code>: <message>}}`: views that check input themselves
call `invalid`, and `api_exception_handler` reshapes DRF's own validation
errors (serializers, filters, paging) and unreadable bodies alike.

One documented `Authorization: Token` scheme per kind of token, through a
single OpenAPI extension: each authentication class says its scheme's name
and description, and `TokenScheme` documents them all alike.
"""

from __future__ import annotations

import math

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import BaseAuthentication
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
)
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from .throttling import wait_message

INVALID = _("Certaines données ne sont pas valides.")


# --- The error shapes -------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ValidationErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.CharField(),
        help_text="One message per field or question code.",
    )


ERRORS_400 = OpenApiResponse(ValidationErrorSerializer, "Invalid input.")


def invalid(errors: dict, detail=INVALID) -> Response:
    """400 with one message per field or question code."""
    return Response(
        {"detail": detail, "errors": messages(errors)},
        status=status.HTTP_400_BAD_REQUEST,
    )


def messages(errors: dict) -> dict[str, str]:
    """One string per key, however DRF nested its lists of messages."""
    return {str(key): _text(value) for key, value in errors.items()}


def _text(value) -> str:
    if isinstance(value, list):
        return " ".join(_text(item) for item in value)
    if isinstance(value, dict):
        return " ".join(f"{key}: {_text(item)}" for key, item in value.items())
    return str(value)


def api_exception_handler(exc, context):
    """DRF's handler, with every 400 in the shape above and 429s in words."""
    # Imported here: DRF's views import the throttles at import time.
    from rest_framework.views import exception_handler

    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = _validation_body(exc.detail)
    elif isinstance(exc, exceptions.ParseError):
        response.data = _parse_error_body(exc.detail)
    elif isinstance(exc, exceptions.Throttled):
        seconds = max(1, math.ceil(exc.wait or 1))
        response.data = {
            "detail": wait_message(seconds),
            "code": "throttled",
            "retry_after": seconds,
        }
        response["Retry-After"] = str(seconds)
    return response


def _parse_error_body(detail) -> dict:
    # A parser may already give the shape (a dict with its own "detail").
    if isinstance(detail, dict) and "detail" in detail:
        return {"detail": str(detail["detail"]), "errors": detail.get("errors", {})}
    return {"detail": str(detail), "errors": {}}


def _validation_body(detail) -> dict:
    if isinstance(detail, dict):
        return {"detail": str(INVALID), "errors": messages(detail)}
    return {"detail": _text(detail), "errors": {}}


# --- Parsing and unknown addresses ------------------------------------------------


class JSONBodyParser(JSONParser):
    """JSON, for every API view that reads a body (the one place to guard it)."""


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@authentication_classes([])
@permission_classes([])
def not_found(request, path=""):
    """JSON rather than Django's HTML page for unknown addresses under the API."""
    raise exceptions.NotFound


# --- Token schemes ----------------------------------------------------------------


class DocumentedTokenAuthentication(BaseAuthentication):
    """A `Token <key>` scheme; subclasses name it and describe the key."""

    scheme_name = ""
    scheme_description = ""


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = DocumentedTokenAuthentication
    match_subclasses = True

    @property
    def name(self) -> str:
        return self.target.scheme_name

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": self.target.scheme_description,
        }
