import subprocess
from pathlib import Path

import compose
import yaml

from .conftest import ROOT

# The binary itself: the package's docker-compose wrapper drops the exit code.
COMPOSE = Path(compose.__file__).parent / "docker-compose"


def test_compose_file_is_valid():
    env = {"SECRET_KEY": "x", "POSTGRES_PASSWORD": "y", "ALLOWED_HOSTS": "example.org",
           "S3_SECRET_ACCESS_KEY": "z"}  # fmt: skip
    result = subprocess.run(
        [str(COMPOSE), "-f", "docker-compose.yml", "config", "-q"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_compose_refuses_to_start_without_a_secret_key():
    env = {"POSTGRES_PASSWORD": "y", "ALLOWED_HOSTS": "example.org",
           "S3_SECRET_ACCESS_KEY": "z"}  # fmt: skip
    result = subprocess.run(
        [str(COMPOSE), "-f", "docker-compose.yml", "config", "-q"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode != 0
    assert "set SECRET_KEY" in result.stderr


def test_compose_declares_the_whole_stack():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert {"db", "redis", "web", "worker"} <= set(services)
    assert "--appendonly" in services["redis"]["command"]
    assert services["db"]["image"].startswith("postgres")
    assert "gunicorn" in services["web"]["command"]
    assert "celery" in services["worker"]["command"]


def test_web_and_workers_share_nothing_but_database_redis_and_object_store():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    app = ["migrate", "web", "worker", "worker-plans", "beat"]
    for name in app:
        assert not services[name].get("volumes"), f"{name} mounts a volume"
        env = services[name]["environment"]
        assert env["S3_ENDPOINT_URL"] == "http://objects:8333"
        assert "MEDIA_ROOT" not in env
    assert "ports" not in services["objects"]  # private: only the app reaches it
    assert "ensure_plans_bucket" in services["migrate"]["command"][-1]


def test_an_owners_plan_has_a_worker_of_its_own():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]

    def queues(name):
        command = services[name]["command"]
        return set(command[command.index("-Q") + 1].split(","))

    assert queues("worker-plans") == {"plans"}
    assert queues("worker") == {"plans", "versions", "maintenance"}
