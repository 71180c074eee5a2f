"""The transcript rendered by a real Celery worker, through Redis, on the test database."""

import time

import pytest

from credentials.models import JobStatus
from sharing import services
from sharing.models import Transcript
from tests.conftest import make_learner
from tests.sharing.conftest import import_signed, make_link
from tests.sharing.pdf_support import pdf_attachments, pdf_text, qr_codes_per_page


def wait_for(transcript: Transcript, worker, *, timeout: float = 90) -> Transcript:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        transcript.refresh_from_db()
        if transcript.is_done:
            return transcript
        time.sleep(0.3)
    pytest.fail("the transcript never finished:\n" + worker.log_path.read_text()[-3000:])


@pytest.mark.worker
def test_a_real_worker_renders_the_transcript(celery_worker_process):
    learner = make_learner("worker-transcript@example.org")
    credentials = [import_signed(learner, name=name) for name in ("Teamwork", "Robotics")]
    link = make_link(learner, credentials, include_originals_with_email=True)
    transcript = services.request_transcript(link=link)
    transcript = wait_for(transcript, celery_worker_process)
    assert transcript.status == JobStatus.READY, transcript.error
    assert transcript.attempts == 1
    with transcript.file.open("rb") as handle:
        data = handle.read()
    assert "Teamwork" in pdf_text(data) and "Robotics" in pdf_text(data)
    assert all(codes == [link.public_url()] for codes in qr_codes_per_page(data))
    assert len(pdf_attachments(data)) == 2
    assert services.current_transcript(link=link) == transcript
