"""Background work for the wallet app."""

from smtplib import SMTPException
from typing import Any

from celery import shared_task

from wallet.services import deliver_email


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
    time_limit=60,
    soft_time_limit=45,
)
def send_email(payload: dict[str, Any]) -> None:
    """Send one rendered email."""
    deliver_email(payload=payload)
