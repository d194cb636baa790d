"""What every app's API shares: errors, the JSON parser, the token schemes.

Every API answers a refusal in one shape, `{"detail": <sentence>, "errors":
{<field or question code>: <message>}}`: views that check input themselves
call `invalid`, and `api_exception_handler` reshapes DRF's own validation
errors (serializers, filters, paging) and unreadable bodies alike.

One documented `Authorization: Token` scheme per kind of token, through a
single OpenAPI extension: each authentication class says its scheme's name
and description, and `TokenScheme` documents them all alike.

One parser for every request body (`REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]`):
JSON of bounded size and depth, refused with a 400 in the shape of the other
input errors, `{"detail", "errors"}`, before anything deeper could fail.
"""

from __future__ import annotations

import io
import math
from itertools import accumulate

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import BaseAuthentication
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from .throttling import wait_message

INVALID = gettext_lazy("Certaines données ne sont pas valides.")


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

    if isinstance(exc, RequestDataTooBig):
        # Django refuses a body past DATA_UPLOAD_MAX_MEMORY_SIZE as DRF reads it
        # for the parser: the same JSON 400 as the parser's own limits.
        exc = too_large()
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


# --- Parsing ------------------------------------------------------------------------
# DRF's views read this parser from the settings as they load: nothing here may
# import them (the unknown-address view `not_found` lives in config/views.py).


BRACKETS = b"[]{}"
NOT_BRACKETS = bytes(set(range(256)) - set(BRACKETS))
# What each bracket does to the depth, by byte value.
STEP = [0] * 256
STEP[ord("[")] = STEP[ord("{")] = 1
STEP[ord("]")] = STEP[ord("}")] = -1


def too_deep(body: bytes, limit: int) -> bool:
    """Whether arrays and objects nest deeper than `limit` outside strings.

    Linear, and in C: byte replacements take out escaped backslashes and
    quotes, every second piece between quotes is then a string's content, and
    the deepest point is the highest running sum of the brackets left.
    """
    unescaped = body.replace(b"\\\\", b"").replace(b'\\"', b"")
    outside = b"".join(unescaped.split(b'"')[::2])
    brackets = outside.translate(None, NOT_BRACKETS)
    return max(accumulate(map(STEP.__getitem__, brackets)), default=0) > limit


def refused(detail: str) -> exceptions.ParseError:
    return exceptions.ParseError({"detail": detail, "errors": {}})


def too_large() -> exceptions.ParseError:
    """Also raised for Django's own refusal, when DRF reads the body for us."""
    return refused(
        _("La requête est trop volumineuse : %(n)s octets au plus.")
        % {
            "n": number_format(
                settings.DATA_UPLOAD_MAX_MEMORY_SIZE, force_grouping=True
            )
        }
    )


class JSONBodyParser(JSONParser):
    """JSON; a body too large, too deep or that does not parse answers 400."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read(limit + 1)
        if len(body) > limit:
            raise too_large()
        if too_deep(body, settings.API_MAX_JSON_DEPTH):
            raise refused(
                _("Les données sont trop imbriquées : %(n)d niveaux au plus.")
                % {"n": settings.API_MAX_JSON_DEPTH}
            )
        try:
            return super().parse(io.BytesIO(body), media_type, parser_context)
        except exceptions.ParseError as error:
            raise refused(error.detail) from None


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
