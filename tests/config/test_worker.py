"""A task travels through Redis to a real Celery worker process."""

import time

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.conftest import make_learner


@pytest.mark.worker
def test_a_password_reset_mail_is_sent_by_a_real_worker(celery_worker_process):
    make_learner("worker@example.org")
    response = Client().post(reverse("account_reset_password"), {"email": "worker@example.org"})
    assert response.status_code == 302
    deadline = time.monotonic() + 30
    files = []
    while not files and time.monotonic() < deadline:
        files = list(celery_worker_process.mail_dir.glob("*.log"))
        time.sleep(0.2)
    assert files, celery_worker_process.log_path.read_text()[-3000:]
    sent = files[0].read_text()
    assert "To: worker@example.org" in sent
    assert "/accounts/password/reset/key/" in sent
    assert "text/html" in sent


@pytest.mark.worker
def test_the_worker_reads_the_test_database(celery_worker_process):
    from credentials.tasks import send_email

    user = make_learner("reader@example.org")
    with transaction.atomic():
        result = send_email.apply_async(
            args=[
                {
                    "subject": "Hello",
                    "body": f"learner {user.pk}",
                    "from_email": "wallet@example.org",
                    "to": [user.email],
                    "headers": {},
                    "alternatives": [],
                }
            ],
            ignore_result=False,
        )
    assert result.get(timeout=30) is None
    assert result.successful()
