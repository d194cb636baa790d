"""Who may open a diagnostic: the holder of its private token, or their session."""

from __future__ import annotations

from django.http import Http404

from .models import Assessment

SESSION_KEY = "assessment_ids"
MAX_ID = 2**63 - 1  # the database's largest integer: a larger id cannot exist


def token_from_header(request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "token" and token.strip() else None


def remember(request, assessment: Assessment) -> None:
    """Let this browser session open the diagnostic without the token again."""
    ids = request.session.get(SESSION_KEY, [])
    if assessment.pk not in ids:
        request.session[SESSION_KEY] = [*ids, assessment.pk]


def get_assessment_for_request(request, pk: int) -> Assessment:
    """The diagnostic `pk` if this request may open it, else 404 (never 403).

    Access comes from an `Authorization: Token <token>` header matching this
    diagnostic, or from the session that created or resumed it.
    """
    if not 0 < pk <= MAX_ID:
        raise Http404("no such diagnostic")
    # Only the questionnaire: most pages come from caches that need nothing more.
    assessments = Assessment.objects.select_related("questionnaire")
    token = token_from_header(request)
    if token:
        found = assessments.with_token(token).filter(pk=pk).first()
    elif pk in request.session.get(SESSION_KEY, []):
        found = assessments.filter(pk=pk).first()
    else:
        found = None
    if found is None:
        raise Http404("no such diagnostic")
    return found
