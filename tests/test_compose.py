import subprocess
from pathlib import Path

import compose
import yaml

from .conftest import ROOT

# The binary itself: the package's docker-compose wrapper drops the exit code.
COMPOSE = Path(compose.__file__).parent / "docker-compose"


def test_compose_file_is_valid():
    env = {"SECRET_KEY": "x", "POSTGRES_PASSWORD": "y", "ALLOWED_HOSTS": "example.org"}
    result = subprocess.run(
        [str(COMPOSE), "-f", "docker-compose.yml", "config", "-q"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_compose_refuses_to_start_without_a_secret_key():
    env = {"POSTGRES_PASSWORD": "y", "ALLOWED_HOSTS": "example.org"}
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
