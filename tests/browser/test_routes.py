"""The audit's page list follows the URL configuration: no HTML page is forgotten."""

import pytest

from .pages import EXCLUDED, PROVIDERS, routes, unfilled_message, unfilled_routes


def test_every_html_route_is_audited_or_excluded():
    unfilled = unfilled_routes()
    assert not unfilled, "\n".join(unfilled_message(route) for route in unfilled)
    names = {route.name for route in routes()}
    stale = (set(PROVIDERS) | set(EXCLUDED)) - names
    assert not stale, f"no such routes any more: {sorted(stale)}"


@pytest.mark.urls("tests.browser.unfilled_urls")
def test_a_new_page_nobody_can_fill_fails_loudly():
    assert [route.name for route in unfilled_routes()] == ["unfilled:sheet"]
    assert "unfilled:sheet (inconnu/fiches/<int:pk>/) takes pk" in unfilled_message(
        unfilled_routes()[0]
    )
