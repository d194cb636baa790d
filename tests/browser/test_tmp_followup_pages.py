from . import pages
from .test_axe import audit
from .test_layout import measure

MINE = {
    "assessment:followup",
    "assessment:unsubscribe",
    "advisors:case",
    "assessment:result",
    "advisors:queue",
}


def test_mine(chromium, live_server, seeds, media):
    fixtures = pages.Fixtures()
    planned = [
        v for v in pages.visits(fixtures) if v.route in MINE and v.label != "bad cost"
    ]
    problems = []
    for language in ("fr", "en"):
        problems += measure(planned, language, chromium, live_server, fixtures)
        problems += audit(planned, language, chromium, live_server, fixtures)
    assert not problems, "\n".join(problems)
