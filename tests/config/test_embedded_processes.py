"""The embedded default (`make run`: SQLite, no Redis) shared by several processes.

Gunicorn's workers are separate processes: a limit counted by one must hold in the
others, and their writes to one SQLite file must wait for each other rather than fail
with "database is locked". The in-memory test database and PostgreSQL would show
neither, so these tests run real processes on a SQLite file.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def embedded(tmp_path):
    """Runs `manage.py shell -c` under `make run`'s settings on a migrated SQLite file."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"TESTING", "REDIS_URL", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DEBUG="true",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
        LOG_LEVEL="WARNING",
    )

    def start(*args: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def run(*args: str) -> str:
        process = start(*args)
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err[-3000:]
        return out

    run("migrate", "--noinput", "-v0")
    run("createcachetable")
    run.start = start
    return run


def test_without_redis_the_cache_is_the_database_shared_by_every_process(embedded):
    counted = (
        "from django.core.cache import caches\n"
        "print(type(caches['default']).__name__)\n"
        "cache = caches['default']\n"
        "cache.add('share-passcode:client:x:count', 0, timeout=900)\n"
        "for _ in range(5): cache.incr('share-passcode:client:x:count')\n"
    )
    assert embedded("shell", "--no-imports", "-c", counted).split() == ["DatabaseCache"]
    seen = "from django.core.cache import cache; print(cache.get('share-passcode:client:x:count'))"
    assert embedded("shell", "--no-imports", "-c", seen).strip() == "5"


WRITES = """
import time
from django.contrib.auth.models import Group
from django.db import transaction

for n in range(15):
    # Read, then write in the same transaction: the upgrade a deferred transaction
    # cannot wait for.
    with transaction.atomic():
        Group.objects.count()
        time.sleep(0.01)
        Group.objects.create(name=f"{WORKER}-{n}")
print("done")
"""


def test_concurrent_writes_to_sqlite_from_separate_processes_all_succeed(embedded):
    processes = [
        embedded.start("shell", "--no-imports", "-c", WRITES.replace("{WORKER}", f"w{worker}"))
        for worker in range(4)
    ]
    results = [process.communicate(timeout=120) for process in processes]
    for process, (out, err) in zip(processes, results, strict=True):
        assert process.returncode == 0, err[-3000:]
        assert out.strip() == "done"
    count = "from django.contrib.auth.models import Group; print(Group.objects.count())"
    assert embedded("shell", "--no-imports", "-c", count).strip() == "60"
    mode = (
        "from django.db import connection\n"
        "print(connection.cursor().execute('PRAGMA journal_mode').fetchone()[0])"
    )
    assert embedded("shell", "--no-imports", "-c", mode).strip() == "wal"
