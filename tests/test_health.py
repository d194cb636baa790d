import socket
import time

import pytest
from django.db import OperationalError, connection

from .conftest import require_services, running_worker

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_healthz_is_green_when_every_part_is_up(client):
    with running_worker():
        response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["failing"] == []
    assert set(body["checks"]) == {"database", "broker", "worker", "storage"}


def test_healthz_names_the_worker_when_none_answers(client):
    require_services()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["worker"]


def test_healthz_names_the_broker_when_redis_is_down(client, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert "broker" in body["failing"]
    assert body["checks"]["worker"]["error"] == "broker unavailable"


def test_healthz_names_the_storage_when_it_is_not_writable(client, settings):
    disk = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    settings.STORAGES = {**settings.STORAGES, "default": disk}
    settings.MEDIA_ROOT = "/dev/null/media"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "storage" in response.json()["failing"]


def test_healthz_names_the_storage_when_the_object_store_is_down(client, settings):
    if not settings.S3_BUCKET:
        pytest.skip("needs the object store of `make test`")
    default = settings.STORAGES["default"]
    down = f"http://127.0.0.1:{closed_port()}"
    options = {**default["OPTIONS"], "endpoint_url": down}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**default, "OPTIONS": options},
    }
    started = time.monotonic()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "storage" in response.json()["failing"]
    assert time.monotonic() - started < 10  # bounded retries, no hang


def test_healthz_names_the_database_when_it_is_down(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "database" in response.json()["failing"]
