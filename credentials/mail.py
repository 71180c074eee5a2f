"""Outgoing mail: rendered by the caller, sent by a task after the commit."""

import logging
import re
from collections.abc import Callable
from typing import Any

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

# A line of a text mail that starts an item of a list ("- IP address: …").
LIST_ITEM_RE = re.compile(r"^\s*[-•]\s+")


def render_html(*, subject: str, body: str) -> str:
    """The HTML part of a mail written as text, in the active language.

    The text is the mail's own wording, hard-wrapped as its template wrote it:
    blank lines separate paragraphs, and the single line breaks inside a
    paragraph are only wrapping, so they become spaces. Lines that start with
    "- " are the items of a list.
    """
    return render_to_string(
        "email/message.html", {"subject": " ".join(subject.split()), "blocks": text_blocks(body)}
    )


def text_blocks(body: str) -> list[dict[str, Any]]:
    """A text mail's paragraphs and lists: `{"text": …}` or `{"list": […]}` each."""
    blocks: list[dict[str, Any]] = []
    for paragraph in re.split(r"\n\s*\n", body.replace("\r\n", "\n").strip()):
        prose: list[str] = []
        items: list[list[str]] = []
        for line in paragraph.split("\n"):
            line = line.strip()
            if not line:
                continue
            if LIST_ITEM_RE.match(line):
                items.append([LIST_ITEM_RE.sub("", line)])
            elif items:
                items[-1].append(line)  # the item's wrapped continuation
            else:
                prose.append(line)
        if prose:
            blocks.append({"text": " ".join(prose)})
        if items:
            blocks.append({"list": [" ".join(item) for item in items]})
    return blocks


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


def mail_learner(
    *, learner: Any, templates: str, context: dict[str, Any] | Callable[[], dict[str, Any]]
) -> bool:
    """Queue `<templates>_subject.txt` / `_message.txt` to the learner's verified primary
    address, rendered in their language; False when they have no such address.

    `context` is a dict, or a callable called inside the learner's
    language, so labels built from lazy strings come out in it.
    """
    # Imported here: allauth's models need the app registry, this module does not.
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.utils import translation

    email = (
        EmailAddress.objects.filter(user=learner, primary=True, verified=True)
        .values_list("email", flat=True)
        .first()
    )
    if not email:
        return False
    with translation.override(learner.preferred_language):
        ctx = context() if callable(context) else context
        subject = render_to_string(f"{templates}_subject.txt", ctx)
        body = render_to_string(f"{templates}_message.txt", ctx).strip()
        html = render_html(subject=subject, body=body)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email],
    )
    message.attach_alternative(html, "text/html")
    queue_email(message=message)
    return True
