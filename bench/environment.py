"""Production-like settings for the benchmark process and the servers it starts.

The benchmarks run with DEBUG off (as production does) on their own PostgreSQL
database, `<name>_bench` next to the one DATABASE_URL names (never that one),
created when missing, migrated and emptied at the start of each run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/skills_wallet"
BENCH_SECRET_KEY = "skills-wallet-benchmarks-only-not-a-secret-0123456789abcdef"  # noqa: S105
BENCH_FIELD_KEY = "YmVuY2htYXJrcy1vbmx5LW5vdC1hLXNlY3JldC0wMTI="


def bench_database_url() -> str:
    """The benchmark database: DATABASE_URL's server, its name with `_bench` appended."""
    parts = urlsplit(os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)
    if not parts.scheme.startswith("postgres"):
        raise SystemExit("the benchmarks need PostgreSQL: set DATABASE_URL to a postgres:// URL")
    name = parts.path.lstrip("/") or "skills_wallet"
    return urlunsplit(parts._replace(path=f"/{name}_bench"))


def production_env(media_root: Path) -> dict[str, str]:
    """Environment variables for production settings on loopback (no TLS in front)."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "TESTING": "false",
        # Fixed keys: the benchmark database holds nothing but generated data.
        "SECRET_KEY": BENCH_SECRET_KEY,
        "FIELD_ENCRYPTION_KEY": BENCH_FIELD_KEY,
        "SITE_URL": "http://127.0.0.1:8000",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "ADMIN_REQUIRES_MFA": "false",
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": bench_database_url(),
        "MEDIA_ROOT": str(media_root),
        "PYTHONPATH": str(REPO),
    }


def ensure_database(url: str) -> None:
    """Create the benchmark database when it does not exist yet."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if found is None:
            connection.execute(f'CREATE DATABASE "{name}"')


def _static_is_current() -> bool:
    """Whether collected static files (with their manifest) are newer than every source."""
    manifest = REPO / "var" / "static" / "staticfiles.json"
    if not manifest.exists():
        return False
    built = manifest.stat().st_mtime
    return all(path.stat().st_mtime <= built for path in (REPO / "static").rglob("*"))


def configure(media_root: Path) -> dict[str, str]:
    """Set the production-like environment, prepare the database and static files, set up Django."""
    env = production_env(media_root)
    # Benchmarks run tasks in-process: the Celery worker is the scale-out test's business.
    os.environ.pop("REDIS_URL", None)
    os.environ.update(env)
    ensure_database(env["DATABASE_URL"])
    manage = [sys.executable, str(REPO / "manage.py")]
    # Migrating an up-to-date database and emptying it is much faster than a new one.
    for command in (["migrate", "--noinput", "-v0"], ["flush", "--noinput", "-v0"]):
        subprocess.run([*manage, *command], check=True, cwd=REPO)
    subprocess.run([*manage, "createcachetable"], check=True, cwd=REPO)
    # Production settings serve hashed, compressed static files: collect them once (slow).
    if not _static_is_current():
        subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], check=True, cwd=REPO)
    import django

    django.setup()
    return env


def analyze() -> None:
    """Refresh PostgreSQL's statistics after generating data, as autovacuum would in time.

    Without them the planner guesses a freshly filled table is far larger than it is,
    and a cost that high makes PostgreSQL JIT-compile a millisecond query for a second
    and more (see docs/performance.md).
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
