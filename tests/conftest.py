"""Shared personas and test wiring.

Personas: `learner` and `other_learner` (verified email, wallet),
`admin_user` (staff), and `employer` (an anonymous browser).
"""

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.test import Client

from config.celery import app as celery_app
from wallet.services import ensure_wallet

PASSWORD = "correct horse battery staple 42"

# Local stand-ins for issuers' web sites: `local_server`, `site`, `web`, `remote_hosts`.
pytest_plugins = ["tests.credentials.support.server", "tests.credentials.support.issuer"]


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    """Every test writes its files to its own folder, never to var/media."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
    }


@pytest.fixture(autouse=True)
def _isolated_cache_and_eager_tasks(request):
    """Each test starts with an empty cache; tasks run in-process unless
    the test is marked `worker` (it then talks to a real Celery worker)."""
    cache.clear()
    eager = request.node.get_closest_marker("worker") is None
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    yield
    celery_app.conf.task_always_eager = previous
    cache.clear()


def make_learner(email: str, *, password: str = PASSWORD, verified: bool = True, **extra):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(email=email, password=password, **extra)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    ensure_wallet(user=user)
    return user


@pytest.fixture
def learner(db):
    return make_learner("ada@example.org")


@pytest.fixture
def other_learner(db):
    return make_learner("grace@example.org")


@pytest.fixture
def admin_user(db):
    return make_learner("admin@example.org", is_staff=True, is_superuser=True)


@pytest.fixture
def employer() -> Client:
    return Client()


@pytest.fixture
def learner_client(learner) -> Client:
    client = Client()
    client.force_login(learner)
    return client


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """A real Celery worker process, through Redis, on the test database.

    Skips without REDIS_URL or with SQLite (the worker could not see an
    in-memory test database) unless REQUIRE_WORKER is set, as in CI.
    """
    import os
    import subprocess
    import sys
    import time
    from urllib.parse import urlsplit, urlunsplit

    from django.conf import settings
    from django.db import connection

    reason = ""
    if not settings.REDIS_URL:
        reason = "REDIS_URL is not set"
    elif connection.vendor != "postgresql":
        reason = "the worker needs the PostgreSQL test database (set DATABASE_URL)"
    if reason:
        if os.environ.get("REQUIRE_WORKER"):
            pytest.fail(f"REQUIRE_WORKER is set but {reason}")
        pytest.skip(reason)

    parts = urlsplit(os.environ["DATABASE_URL"])
    test_db_url = urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": test_db_url,
        "EMAIL_URL": f"filemail:///{mail_dir}",
        "TESTING": "true",
        # The test's own media folder (see _isolated_media), so both sides see the files.
        "MEDIA_ROOT": str(tmp_path / "media"),
        # Local issuer servers a test started before asking for the worker.
        "FETCH_ALLOWLIST": ",".join(settings.FETCH_ALLOWLIST),
    }
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "-l",
                "INFO",
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while "ready." not in log_path.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("the Celery worker did not start:\n" + log_path.read_text()[-3000:])
        time.sleep(0.2)
    process.mail_dir = mail_dir
    process.log_path = log_path
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
