"""Scale-out: more of the same processes on shared PostgreSQL, Redis and S3.

Two gunicorn instances on different ports and two Celery workers, all on the
test database, one Redis database and an S3 bucket served by moto (server
mode, loopback). A learner uploads a credential through instance A and
downloads its original through instance B; creates a share link and asks for
its PDF transcript through A; a worker renders it into S3; the employer
downloads it through B. Nothing is shared between the processes but the
three services, so any number of each can run.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests
from django.conf import settings
from django.db import connection
from django.test import Client

from sharing.tokens import TOKEN_PATTERN
from tests.conftest import make_learner
from tests.credentials.support.issuer import did_key_issuer

pytestmark = pytest.mark.worker

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 90.0
RENDER_TIMEOUT = 120.0
# A Redis database of its own, so no other worker on this Redis takes these tasks.
REDIS_DB = 13


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Service:
    """One started process, its log, and (for servers) its base URL."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path
    url: str = ""

    def tail(self) -> str:
        return f"--- {self.name} ---\n" + self.log.read_text(errors="replace")[-3000:]


class Topology:
    """Starts and stops every process of the scale-out topology."""

    def __init__(self, tmp_path: Path, env: dict[str, str]) -> None:
        self.tmp_path = tmp_path
        self.env = env
        self.services: list[Service] = []

    def start(self, name: str, command: list[str], url: str = "") -> Service:
        log = self.tmp_path / f"{name}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                command, env=self.env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT
            )
        service = Service(name, process, log, url)
        self.services.append(service)
        return service

    def wait_until(self, service: Service, is_ready: Callable[[], bool]) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while not is_ready():
            if service.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"{service.name} did not start\n{self.logs()}")
            time.sleep(0.3)

    def logs(self) -> str:
        return "\n".join(service.tail() for service in self.services)

    def stop(self) -> None:
        for service in self.services:
            service.process.terminate()
        for service in self.services:
            try:
                service.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                service.process.kill()


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code < 500
    except requests.RequestException:
        return False


def _skip_without_services() -> None:
    reason = ""
    if not settings.REDIS_URL:
        reason = "REDIS_URL is not set"
    elif connection.vendor != "postgresql":
        reason = "the processes need the PostgreSQL test database (set DATABASE_URL)"
    if reason:
        if os.environ.get("REQUIRE_WORKER"):
            pytest.fail(f"REQUIRE_WORKER is set but {reason}")
        pytest.skip(reason)


@pytest.fixture
def topology(transactional_db: None, tmp_path: Path) -> Iterator[dict[str, object]]:
    """moto (S3), two gunicorn instances and two Celery workers on shared services."""
    _skip_without_services()
    import boto3

    database = urlsplit(os.environ["DATABASE_URL"])
    redis = urlsplit(settings.REDIS_URL)
    s3_port, port_a, port_b = _free_port(), _free_port(), _free_port()
    bucket = f"scaleout-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DATABASE_URL": urlunsplit(database._replace(path="/" + connection.settings_dict["NAME"])),
        "REDIS_URL": urlunsplit(redis._replace(path=f"/{REDIS_DB}")),
        "TESTING": "true",
        "DEBUG": "false",
        "SECRET_KEY": settings.SECRET_KEY,
        "SITE_URL": f"http://127.0.0.1:{port_a}",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "EMAIL_URL": f"filemail:///{tmp_path / 'mail'}",
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{s3_port}",
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "scaleout",
        "AWS_SECRET_ACCESS_KEY": "scaleout-secret",
        "LOG_LEVEL": "INFO",
    }
    (tmp_path / "mail").mkdir()
    processes = Topology(tmp_path, env)
    try:
        s3 = processes.start(
            "s3",
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(s3_port)],
            url=env["AWS_S3_ENDPOINT_URL"],
        )
        processes.wait_until(s3, lambda: _answers(s3.url + "/moto-api/"))
        client = boto3.client(
            "s3",
            endpoint_url=s3.url,
            region_name="us-east-1",
            aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        )
        client.create_bucket(Bucket=bucket)
        instances = []
        for name, port in (("web-a", port_a), ("web-b", port_b)):
            instance = processes.start(
                name,
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "config.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "1",
                    "--threads",
                    "2",
                    "--timeout",
                    "60",
                ],
                url=f"http://127.0.0.1:{port}",
            )
            instances.append(instance)
        workers = [
            processes.start(
                name,
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
                    "-n",
                    f"{name}@%h",
                    "-l",
                    "INFO",
                ],
            )
            for name in ("worker-1", "worker-2")
        ]
        for instance in instances:
            processes.wait_until(instance, lambda i=instance: _answers(i.url + "/healthz"))
        for worker in workers:
            processes.wait_until(worker, lambda w=worker: "ready." in w.log.read_text())
        yield {"a": instances[0].url, "b": instances[1].url, "s3": client, "bucket": bucket}
    except BaseException:
        print(processes.logs())
        raise
    finally:
        processes.stop()


def _session_for(learner: object) -> requests.Session:
    """An HTTP session logged in as `learner` (sessions live in the shared database)."""
    client = Client()
    client.force_login(learner)
    session = requests.Session()
    session.cookies.set(
        settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value
    )
    return session


def _csrf(session: requests.Session, url: str) -> str:
    """Load a form page so Django sets the CSRF cookie, and return the token."""
    response = session.get(url, timeout=30)
    assert response.status_code == 200, response.text[:500]
    return session.cookies[settings.CSRF_COOKIE_NAME]


def _wait_for_pdf(url: str) -> requests.Response:
    deadline = time.monotonic() + RENDER_TIMEOUT
    while time.monotonic() < deadline:
        response = requests.get(url, timeout=30)
        if response.status_code == 200:
            return response
        assert response.status_code == 202, response.text[:500]
        time.sleep(0.5)
    pytest.fail(f"the transcript was not rendered within {RENDER_TIMEOUT:.0f} s")


def test_one_instance_serves_what_another_stored_and_a_worker_rendered(topology):
    a, b = topology["a"], topology["b"]
    learner = make_learner("ada@example.org")
    session = _session_for(learner)
    original = json.dumps(
        did_key_issuer().signed(name="Distributed systems", subject_id="mailto:ada@example.org")
    ).encode()

    token = _csrf(session, f"{a}/wallet/import/")
    uploaded = session.post(
        f"{a}/wallet/import/",
        data={"source": "upload"},
        files={"upload-file": ("badge.json", original, "application/json")},
        headers={"X-CSRFToken": token, "Referer": f"{a}/wallet/import/"},
        timeout=60,
        allow_redirects=False,
    )
    assert uploaded.status_code == 302, uploaded.text[:1000]
    credential_path = urlsplit(uploaded.headers["Location"]).path
    credential_uuid = credential_path.strip("/").split("/")[-1]

    downloaded = session.get(f"{b}{credential_path}original/", timeout=30)
    assert downloaded.status_code == 200
    assert downloaded.content == original

    token = _csrf(session, f"{a}/share/new/")
    created = session.post(
        f"{a}/share/new/",
        data={
            "title": "For Example Corp",
            "message": "",
            "credentials": [credential_uuid],
            "expiry": "30",
            "language": "en",
            "show_evidence": "on",
            "allow_transcript": "on",
            "allow_download": "on",
        },
        headers={"X-CSRFToken": token, "Referer": f"{a}/share/new/"},
        timeout=60,
        allow_redirects=False,
    )
    assert created.status_code == 302, created.text[:2000]
    link_path = urlsplit(created.headers["Location"]).path
    detail = session.get(f"{a}{link_path}", timeout=30)
    match = re.search(rf"/s/({TOKEN_PATTERN})/", detail.text)
    assert match, "the link page shows the employer's address"
    share_token = match.group(1)

    asked = session.post(
        f"{a}{link_path}transcript/",
        headers={"X-CSRFToken": session.cookies[settings.CSRF_COOKIE_NAME], "Referer": a},
        timeout=60,
        allow_redirects=False,
    )
    assert asked.status_code == 302, asked.text[:1000]

    employer_page = requests.get(f"{b}/s/{share_token}/", timeout=30)
    assert employer_page.status_code == 200
    assert "Distributed systems" in employer_page.text

    pdf = _wait_for_pdf(f"{b}/s/{share_token}/transcript.pdf")
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")

    stored = topology["s3"].list_objects_v2(Bucket=topology["bucket"])
    keys = [item["Key"] for item in stored.get("Contents", [])]
    assert any(key.endswith(".pdf") for key in keys), keys
    assert len(keys) >= 2, "the original and the transcript are both in the bucket"
