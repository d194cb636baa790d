import logging
import os
import time

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("caillou")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger("caillou.task")
_started: dict[str, float] = {}


@app.task(name="caillou.ping")
def ping() -> str:
    """Answer "pong": used to check a round trip through the broker and a worker."""
    return "pong"


@signals.task_prerun.connect
def _remember_start(task_id=None, **kwargs):
    _started[task_id] = time.monotonic()


@signals.task_postrun.connect
def _log_task(task_id=None, task=None, state=None, **kwargs):
    # Names and ids only: task arguments may carry personal data.
    elapsed = time.monotonic() - _started.pop(task_id, time.monotonic())
    logger.info(
        "task=%s id=%s state=%s duration_ms=%d",
        task.name,
        task_id,
        state,
        elapsed * 1000,
    )
