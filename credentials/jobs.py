"""The job registry and the one sweeper over it.

Each app that owns a concrete `Job` registers it here, with the Celery task that runs one
given its primary key, in its `AppConfig.ready()`: credentials never names a model or a
task of the apps above it. The lifecycle itself (start, finish, fail, retry, is_stale) is
on the abstract `Job`.
"""

import logging
from datetime import datetime, timedelta
from typing import Any

from credentials.models import Job

logger = logging.getLogger(__name__)

# Kept for callers that read the old module-level limit; each model says its own.
MAX_JOB_ATTEMPTS = Job.max_attempts

_TASKS: dict[type[Job], Any] = {}


def register_job(model: type[Job], *, task: Any) -> None:
    """Say which Celery task runs `model`'s rows; the sweeper then watches them too."""
    _TASKS[model] = task


def job_models() -> list[type[Job]]:
    """Every registered job model, in registration order."""
    return list(_TASKS)


def task_for(job: Job) -> Any:
    """The Celery task that runs this job."""
    model = job._meta.concrete_model
    try:
        return _TASKS[model]
    except KeyError:
        raise LookupError(f"no task registered for {model._meta.label}") from None


def queue_job(job: Job) -> None:
    """Hand a job to Celery; if the broker is down the row stays pending for the sweeper."""
    task = task_for(job)
    try:
        task.delay(job.pk)
    except Exception as exc:  # any broker failure leaves the job pending, never a 500
        logger.warning("could not queue %s %s: %s", job._meta.label, job.uuid, exc)


def requeue_stale_jobs(*, older_than: timedelta | None = None, now: datetime | None = None) -> int:
    """Queue again every registered job left pending (broker down) or running (worker lost).

    A job that has used up its attempts is marked failed instead, so a person can ask again.
    Returns how many jobs were queued.
    """
    count = 0
    for model in job_models():
        for job in model.stale_jobs(now=now, older_than=older_than):
            if job.attempts >= job.max_attempts:
                job.fail(job.abandoned_error())
                continue
            job.retry()
            queue_job(job)
            count += 1
    return count
