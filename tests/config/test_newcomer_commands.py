"""README's `manage.py` commands, run as a newcomer would after `make run`: no DEBUG in the
environment, only the var/dev.env that `make run` leaves behind."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from credentials.demo import demo_credentials

ROOT = Path(__file__).resolve().parents[2]
# What `make run` writes (see the Makefile's var/dev.env target).
DEV_ENV = "DEBUG=true\n"


def newcomer_env(tmp_path: Path, *, dev_env: bool) -> dict[str, str]:
    """A shell on the machine: none of the test run's settings, the dev file or not."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "TESTING", "SECRET_KEY", "FIELD_ENCRYPTION_KEY", "SITE_URL"}
        and not key.startswith(("SECURE_", "DJANGO_"))
    }
    dev_file = tmp_path / "dev.env"
    if dev_env:
        dev_file.write_text(DEV_ENV)
    env["DEV_ENV_FILE"] = str(dev_file)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def credential_file(tmp_path: Path) -> Path:
    path = tmp_path / "credential.json"
    path.write_bytes(demo_credentials("demo@example.org")[0])
    return path


def test_verify_credential_works_as_written_after_make_run(tmp_path, credential_file):
    env = newcomer_env(tmp_path, dev_env=True)
    # The database `make run` migrated.
    assert manage("migrate", "--noinput", "-v0", env=env).returncode == 0

    result = manage("verify_credential", str(credential_file), env=env)

    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout.splitlines()[0])
    assert line["file"] == str(credential_file)
    assert line["status"] != "error"


def test_without_the_dev_file_or_a_secret_key_it_still_refuses(tmp_path, credential_file):
    result = manage(
        "verify_credential", str(credential_file), env=newcomer_env(tmp_path, dev_env=False)
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_the_environment_wins_over_the_dev_file(tmp_path, credential_file):
    env = {**newcomer_env(tmp_path, dev_env=True), "DEBUG": "false"}

    result = manage("verify_credential", str(credential_file), env=env)

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_the_tests_never_read_the_dev_file(tmp_path):
    env = {**newcomer_env(tmp_path, dev_env=True), "TESTING": "true"}
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"

    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.stdout.strip() == "False", result.stderr
