"""Personal access tokens for the API: made, shown once, kept only as a hash, revoked."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from allauth.account.adapter import get_adapter
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from credentials import i18n
from credentials.services import record_audit_event
from wallet.audit import AccountAction
from wallet.models import ApiToken, ApiTokenScope

TOKEN_PREFIX = "swt_"  # noqa: S105 -- a label that makes leaked tokens easy to spot
TOKEN_BYTES = 32
MAX_ACTIVE_TOKENS = 20


@dataclass(frozen=True)
class NewApiToken:
    """A token just made: the row, and the only copy of the token the learner will see."""

    api_token: ApiToken
    token: str


def hash_token(token: str) -> str:
    """The SHA-256 a token is stored and looked up by."""
    return hashlib.sha256(token.encode()).hexdigest()


def _token_detail(scope: str, expires_at: datetime | None) -> i18n.Message:
    access = i18n.label(ApiTokenScope(scope).label)
    if expires_at is None:
        return access
    return i18n.gettext("%(access)s, expires on %(date)s") % {
        "access": access,
        "date": i18n.When(expires_at),
    }


def create_api_token(
    *,
    owner: models.Model,
    name: str,
    scope: str = ApiTokenScope.READ,
    expires_at: datetime | None = None,
) -> NewApiToken:
    """Make a named token with a scope and an optional expiry; returns the token once."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(
            _("Name the token after the script or tool that will use it."), code="required"
        )
    if len(name) > 100:
        raise ValidationError(_("Keep the name under 100 characters."), code="too_long")
    if scope not in ApiTokenScope.values:
        raise ValidationError(_("Choose read, or read and write."), code="scope")
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError(_("Choose an expiry date in the future."), code="expiry")
    token = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    with transaction.atomic():
        active = ApiToken.objects.owned_by(owner).filter(revoked_at__isnull=True)
        active = active.filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=timezone.now())
        )
        if active.count() >= MAX_ACTIVE_TOKENS:
            raise ValidationError(
                _("You have %(max)d active tokens; revoke one you no longer use first.")
                % {"max": MAX_ACTIVE_TOKENS},
                code="too_many_tokens",
            )
        api_token = ApiToken.objects.create(
            owner=owner,
            name=name,
            token_hash=hash_token(token),
            prefix=token[:12],
            scope=scope,
            expires_at=expires_at,
        )
        record_audit_event(
            action=AccountAction.TOKEN_CREATED,
            actor=owner,
            target=api_token,
            detail=_token_detail(scope, expires_at),
        )
    return NewApiToken(api_token=api_token, token=token)


def announce_api_token(*, request: HttpRequest, api_token: ApiToken) -> None:
    """Send the owner the security notice allauth sends for password and address changes."""
    get_adapter(request).send_notification_mail(
        "wallet/email/api_token_created",
        api_token.owner,
        {"token_name": api_token.name, "scope": ApiTokenScope(api_token.scope).label},
    )


def revoke_api_token(*, api_token: ApiToken, actor: models.Model) -> ApiToken:
    """Stop a token at once; revoking twice changes nothing."""
    if api_token.revoked_at is not None:
        return api_token
    with transaction.atomic():
        api_token.revoked_at = timezone.now()
        api_token.save(update_fields=["revoked_at", "updated_at"])
        record_audit_event(action=AccountAction.TOKEN_REVOKED, actor=actor, target=api_token)
    return api_token


def revoke_api_tokens(*, owner: models.Model, actor: models.Model) -> int:
    """Stop every token of a learner that still works; returns how many were stopped."""
    with transaction.atomic():
        active = ApiToken.objects.owned_by(owner).filter(revoked_at__isnull=True)
        stopped = list(active.select_for_update())
        for api_token in stopped:
            revoke_api_token(api_token=api_token, actor=actor)
    return len(stopped)
