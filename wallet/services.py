"""State changes owned by the wallet app."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
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


def _supported_language(language: str) -> str:
    codes = {code for code, _ in settings.LANGUAGES}
    language = (language or "").lower()
    if language in codes:
        return language
    if language.startswith("fr"):
        return "fr-ca"
    return settings.LANGUAGE_CODE


def mark_changes_seen(*, user: User) -> None:
    """The learner has seen the credentials whose status changed since their last visit."""
    from credentials.models import Credential

    Credential.objects.owned_by(user).with_unseen_changes().update(has_unseen_change=False)
