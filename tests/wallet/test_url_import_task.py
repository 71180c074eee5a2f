"""A URL import that cannot reach its address: retried by a worker, ended at once without one.

Under `make run` (no Redis) tasks run in the request, so a retry would be raised to
nobody and the job would say "Waiting for its turn…" for ever.
"""

import socket

import pytest
from django.urls import reverse

from credentials.fetcher import FetchError
from credentials.models import ImportJob, JobStatus
from wallet import imports

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_port(settings) -> str:
    """An address on loopback where nothing listens, which the fetcher may try."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.FETCH_ALLOWLIST = [f"127.0.0.1:{port}"]
    return f"http://127.0.0.1:{port}/badge.json"


def test_an_unreachable_address_fails_at_once_with_its_reason_when_tasks_run_in_process(
    learner_client, closed_port, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = learner_client.post(
            reverse("wallet:credential_import"), {"source": "url", "url-url": closed_port}
        )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert "could not reach" in job.error
    page = learner_client.get(response["Location"]).text
    assert "The import failed:" in page
    assert job.error in page
    assert "Waiting for its turn" not in page


def test_with_a_worker_a_transient_failure_waits_for_the_retry(learner, closed_port):
    job = ImportJob.objects.create(owner=learner, url=closed_port)
    with pytest.raises(FetchError):
        imports.run_url_import(job=job, will_retry=True)
    job.refresh_from_db()
    assert job.status == JobStatus.PENDING
    assert job.attempts == 1


def test_the_last_retry_fails_the_job_with_its_reason(learner, closed_port):
    job = ImportJob.objects.create(owner=learner, url=closed_port)
    imports.run_url_import(job=job, will_retry=False)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "could not reach" in job.error
