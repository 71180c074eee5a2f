"""The site as it is deployed without Redis: gunicorn with 2 sync workers on production
settings, on the PostgreSQL test database, its cache the database table.

For the tests that check a finding of issue 17 the way it was found, against the
running service (tests/hardening/test_*_served.py). Like tests/scaleout, they skip
(saying why) without the PostgreSQL test database, unless REQUIRE_WORKER is set as in CI.
"""

from __future__ import annotations

import base64
import hashlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests
from django.conf import settings
from django.db import connection

from tests.faults.processes import ROOT, collect_static, manage, service_env, spare_port

START_TIMEOUT = 90.0
WORKERS = 2


def skip_without_services() -> None:
    """The served site needs the PostgreSQL test database (it cannot see SQLite's in memory)."""
    if connection.vendor != "postgresql":
        reason = "the served site needs the PostgreSQL test database (set DATABASE_URL)"
        if os.environ.get("REQUIRE_WORKER"):
            pytest.fail(f"REQUIRE_WORKER is set but {reason}")
        pytest.skip(reason)


def _field_key() -> str:
    """This test process's field key, so both sides read what the other encrypted."""
    if settings.FIELD_ENCRYPTION_KEY:
        return ",".join(settings.FIELD_ENCRYPTION_KEY)
    digest = hashlib.sha256(b"field-encryption:" + settings.SECRET_KEY.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


@dataclass
class Served:
    """The running site: its base URL and gunicorn's access log (one line per answer,
    starting with the pid of the worker that gave it)."""

    url: str
    access_log: Path
    log: Path

    def pids_for(self, marker: str) -> list[str]:
        lines = self.access_log.read_text().splitlines()
        return [line.split(" ", 1)[0] for line in lines if marker in line]

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


@pytest.fixture
def served(transactional_db: None, tmp_path: Path) -> Iterator[Served]:
    """gunicorn, 2 sync workers (README's deployment, fewer), production settings, no
    REDIS_URL (so the database cache and tasks in the request), one trusted proxy."""
    skip_without_services()
    database = urlsplit(os.environ["DATABASE_URL"])
    port = spare_port()
    env = service_env(
        DATABASE_URL=urlunsplit(database._replace(path="/" + connection.settings_dict["NAME"])),
        SECRET_KEY=settings.SECRET_KEY,
        FIELD_ENCRYPTION_KEY=_field_key(),
        SITE_URL=f"http://127.0.0.1:{port}",
        MEDIA_ROOT=str(tmp_path / "media"),
        TRUSTED_PROXY_COUNT="1",
        # Never a developer's var/dev.env (DEBUG=true) on this machine.
        DEV_ENV_FILE=str(tmp_path / "no-dev.env"),
    )
    assert env["TESTING"] == "false"
    assert "REDIS_URL" not in env
    collect_static(env)
    # What `make run` does; the test database was migrated under test settings.
    manage("createcachetable", env=env)
    log = tmp_path / "gunicorn.log"
    access_log = tmp_path / "access.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(WORKERS),
                "--timeout",
                "120",
                "--access-logfile",
                str(access_log),
                "--access-logformat",
                '%(p)s "%(r)s" %(s)s',
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    site = Served(f"http://127.0.0.1:{port}", access_log, log)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _answers(site.url + "/healthz"):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not start\n{site.tail()}")
            time.sleep(0.3)
        # Both workers up: each has answered once (sync workers take one request each).
        while len(set(site.pids_for("/healthz"))) < WORKERS:
            if time.monotonic() > deadline:
                pytest.fail(f"gunicorn's workers did not both start\n{site.tail()}")
            with Pinned(site.url):
                _answers(site.url + "/healthz")
        yield site
    except BaseException:
        print(site.tail())
        raise
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=5).status_code == 200
    except requests.RequestException:
        return False


class Pinned:
    """Keeps one sync worker busy: a request to /healthz whose headers have not ended.

    With one of the two workers held, every other request is answered by the other one.
    Leaving the block ends the request; the access log then names the held worker.
    """

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.address = (parts.hostname, parts.port)
        self.sock: socket.socket | None = None

    def __enter__(self) -> Pinned:
        self.hold()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def hold(self) -> None:
        self.sock = socket.create_connection(self.address, timeout=30)
        self.sock.sendall(b"GET /healthz?pinned HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        # Give a worker the time to accept it; the access log proves afterwards who did.
        time.sleep(0.5)

    def release(self) -> None:
        assert self.sock is not None
        try:
            self.sock.sendall(b"Connection: close\r\n\r\n")
            while self.sock.recv(65536):
                pass
        finally:
            self.sock.close()
