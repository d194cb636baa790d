"""What every app's API shares.

One documented `Authorization: Token` scheme per kind of token, through a
single OpenAPI extension: each authentication class says its scheme's name
and description, and `TokenScheme` documents them all alike.

One parser for every request body (`REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]`):
JSON of bounded size and depth, refused with a 400 in the shape of the other
input errors, `{"detail", "errors"}`, before anything deeper could fail.
"""

from __future__ import annotations

import io
from itertools import accumulate

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

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


def refused(detail: str) -> ParseError:
    return ParseError({"detail": detail, "errors": {}})


def too_large() -> ParseError:
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
        except ParseError as error:
            raise refused(error.detail) from None


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
