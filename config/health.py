"""Health of the parts Caillou needs: database, broker, a worker, storage."""

import uuid

import redis
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from .celery import app


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_broker() -> None:
    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1
    )
    try:
        client.ping()
    finally:
        client.close()


def check_worker() -> None:
    replies = app.control.ping(timeout=1.0, limit=1)
    if not replies:
        raise RuntimeError("no worker answered within 1 s")


def check_storage() -> None:
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    default_storage.delete(name)


CHECKS = {
    "database": check_database,
    "broker": check_broker,
    "worker": check_worker,
    "storage": check_storage,
}


def run_checks() -> dict[str, dict]:
    """Run every check; a worker cannot answer when the broker is down, so skip it."""
    results = {}
    for name, check in CHECKS.items():
        if name == "worker" and not results["broker"]["ok"]:
            results[name] = {"ok": False, "error": "broker unavailable"}
            continue
        try:
            check()
            results[name] = {"ok": True}
        except Exception as exc:  # noqa: BLE001 - any failure means "down"
            results[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:200]}
    return results
