"""Outgoing mail: rendered by the caller, sent by a task after the commit."""

import logging
from typing import Any

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction

logger = logging.getLogger(__name__)


def queue_email(*, message: EmailMessage) -> None:
    """Send a rendered message from a background task once the transaction commits."""
    payload = _serialize(message)
    transaction.on_commit(lambda: _enqueue(payload))


def _enqueue(payload: dict[str, Any]) -> None:
    from credentials.tasks import send_email

    try:
        send_email.delay(payload)
    except Exception as exc:  # any broker failure: the mail must not be lost
        # The broker is down: a learner waiting for a code must still get it.
        logger.warning("mail queue unavailable (%s); sending in the request", exc)
        deliver_email(payload=payload)


def deliver_email(*, payload: dict[str, Any]) -> None:
    """Send a serialized message through the configured mail backend."""
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["body"],
        from_email=payload["from_email"],
        to=payload["to"],
        headers=payload["headers"],
    )
    for content, mimetype in payload["alternatives"]:
        message.attach_alternative(content, mimetype)
    message.send()


def _serialize(message: EmailMessage) -> dict[str, Any]:
    alternatives = [
        (alt.content, alt.mimetype) for alt in getattr(message, "alternatives", []) or []
    ]
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": str(message.from_email),
        "to": [str(address) for address in message.to],
        "headers": {str(k): str(v) for k, v in (message.extra_headers or {}).items()},
        "alternatives": alternatives,
    }
