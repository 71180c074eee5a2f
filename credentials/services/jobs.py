"""The URL-import jobs a person asks to run again (the lifecycle is `credentials.jobs`)."""

from collections.abc import Iterable

from django.db import transaction

from credentials.jobs import queue_job
from credentials.models import ImportJob


def retry_import_jobs(*, jobs: Iterable[ImportJob]) -> int:
    """Queue failed URL imports again from a clean state."""
    count = 0
    for job in jobs:
        job.retry(fresh=True)
        transaction.on_commit(lambda job=job: queue_job(job))
        count += 1
    return count
