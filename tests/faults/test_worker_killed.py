"""A worker killed in the middle of a render: after a restart the transcript is
rendered, and exactly one file is stored."""

import pytest

from tests.conftest import PASSWORD
from tests.faults.processes import (
    PrivatePostgres,
    PrivateRedis,
    WorkerProcess,
    manage,
    service_env,
    wait_for,
)
from tests.faults.test_redis_down import CREATE_LEARNER, SHARE

pytestmark = pytest.mark.faults

REQUEST = (
    "from sharing.models import ShareLink;"
    "from sharing.services.transcripts import request_transcript;"
    "print(request_transcript(link=ShareLink.objects.get()).status)"
)
STATUS = "from sharing.models import Transcript;print(Transcript.objects.get().status)"
RECOVER = (
    "from datetime import timedelta;"
    "from django.utils import timezone;"
    "from sharing.models import Transcript;"
    "from credentials.jobs import requeue_stale_jobs;"
    "hour_ago = timezone.now() - timedelta(hours=1);"
    "Transcript.objects.update(updated_at=hour_ago, started_at=hour_ago);"
    "print(requeue_stale_jobs())"
)


def last_line(*args: str, env: dict[str, str]) -> str:
    return manage(*args, env=env).stdout.strip().splitlines()[-1]


def test_a_worker_killed_mid_render_loses_no_request(tmp_path):
    redis = PrivateRedis()
    database = PrivatePostgres()
    database.create()
    database.start()
    redis.start()
    media = tmp_path / "media"
    env = service_env(DATABASE_URL=database.url, REDIS_URL=redis.url, MEDIA_ROOT=str(media))
    first = WorkerProcess(env, tmp_path / "first.log")
    second = WorkerProcess(env, tmp_path / "second.log")
    try:
        manage("migrate", "--noinput", "-v0", env=env)
        manage("shell", "-c", CREATE_LEARNER.format(password=PASSWORD), env=env)
        manage("shell", "-c", SHARE, env=env)
        first.start()
        assert last_line("shell", "-c", REQUEST, env=env) == "pending"
        wait_for(
            lambda: (
                "render_transcript" in first.log.read_text() and "received" in first.log.read_text()
            ),
            what="the render to start",
            timeout=30,
        )
        first.kill()
        assert last_line("shell", "-c", STATUS, env=env) in {"pending", "running"}

        second.start()
        assert last_line("shell", "-c", RECOVER, env=env) == "1"
        wait_for(
            lambda: last_line("shell", "-c", STATUS, env=env) == "ready",
            what="the render",
            timeout=120,
        )
        files = [path for path in media.rglob("*.pdf") if "transcripts" in path.parts]
        assert len(files) == 1
        assert files[0].read_bytes().startswith(b"%PDF")
    finally:
        first.stop()
        second.stop()
        redis.stop()
        database.destroy()
