import os
import subprocess
import sys

from .conftest import ROOT

PRODUCTION = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": "caillou.example.org",
    "DATABASE_URL": "sqlite:////tmp/caillou-check.sqlite3",
}


def run_manage(*args, env):
    # The deployment check must see the production environment, not the test's.
    ignored = {"SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG"}
    full_env = {k: v for k, v in os.environ.items() if k not in ignored} | env
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", env=PRODUCTION)
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_production_settings_pass_the_deployment_checks():
    env = PRODUCTION | {"SECRET_KEY": "k" * 20 + "-a-long-random-production-secret-%$#"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_malformed_boolean_is_refused_with_its_name():
    result = run_manage("check", env={"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr
