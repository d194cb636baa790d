"""What every app's API shares.

One documented `Authorization: Token` scheme per kind of token, through a
single OpenAPI extension: each authentication class says its scheme's name
and description, and `TokenScheme` documents them all alike.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication


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
