"""The Celery app of the workers the tests start: the project's own, renders slowed.

`celery -A tests.worker` runs exactly the project's app and tasks; when
CAILLOU_TEST_RENDER_DELAY is set, each render sleeps that many seconds once
it has claimed its report, so that a test can kill the worker in the middle.
Production settings know nothing of it.
"""

import os
import time

from celery import signals

from config.celery import app

__all__ = ["app"]
DELAY = float(os.environ.get("CAILLOU_TEST_RENDER_DELAY") or 0)


@signals.worker_process_init.connect
def _slow_renders(**kwargs):
    if not DELAY:
        return
    # Imported here: Django is set up by then, in every pool process.
    from reports import rendering

    render_bytes = rendering.render_bytes

    def slow(report):
        time.sleep(DELAY)
        return render_bytes(report)

    rendering.render_bytes = slow
