"""State changes owned by the wallet app."""

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from credentials.models import AuditAction
from credentials.services import record_audit_event
from wallet.models import User, Wallet

logger = logging.getLogger(__name__)


def ensure_wallet(*, user: User) -> Wallet:
    """Return the learner's wallet, creating it once if it is missing."""
    wallet, _ = Wallet.objects.get_or_create(user=user)
    return wallet


@transaction.atomic
def register_learner(*, user: User, language: str, accepted_privacy: bool) -> Wallet:
    """Finish a new account: record consent and language, create its wallet."""
    fields = ["preferred_language"]
    user.preferred_language = _supported_language(language)
    if accepted_privacy:
        user.privacy_accepted_at = timezone.now()
        fields.append("privacy_accepted_at")
    user.save(update_fields=fields)
    wallet = ensure_wallet(user=user)
    record_audit_event(action=AuditAction.ACCOUNT_CREATED, actor=user, target=user)
    return wallet


def set_preferred_language(*, user: User, language: str) -> None:
    """Remember the language the learner reads the site and their mail in."""
    language = _supported_language(language)
    if user.preferred_language == language:
        return
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    record_audit_event(
        action=AuditAction.LANGUAGE_CHANGED, actor=user, target=user, detail=language
    )


def language_for_email(email: str) -> str:
    """The language to write to this address in: its account's, else the default."""
    from allauth.account.models import EmailAddress

    user_model = get_user_model()
    language = (
        user_model.objects.filter(email__iexact=email)
        .values_list("preferred_language", flat=True)
        .first()
    )
    if language is None:
        language = (
            EmailAddress.objects.filter(email__iexact=email)
            .values_list("user__preferred_language", flat=True)
            .first()
        )
    return language or settings.LANGUAGE_CODE


def queue_email(*, message: EmailMessage) -> None:
    """Send a rendered message from a background task once the transaction commits."""
    payload = _serialize(message)
    transaction.on_commit(lambda: _enqueue(payload))


def _enqueue(payload: dict[str, Any]) -> None:
    from wallet.tasks import send_email

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


def _supported_language(language: str) -> str:
    codes = {code for code, _ in settings.LANGUAGES}
    language = (language or "").lower()
    if language in codes:
        return language
    if language.startswith("fr"):
        return "fr-ca"
    return settings.LANGUAGE_CODE
