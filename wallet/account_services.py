"""Account actions admins take for learners (support, lost devices, abuse)."""

from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.db import transaction

from credentials.models import AuditAction
from credentials.services import record_audit_event
from wallet.models import User


@transaction.atomic
def disable_account(*, user: User, actor: User) -> None:
    """Stop an account at once: no login, its sessions end, its share links stop."""
    if not user.is_active:
        return
    user.is_active = False
    user.save(update_fields=["is_active"])
    _end_sessions(user)
    record_audit_event(action=AuditAction.ACCOUNT_DISABLED, actor=actor, target=user)


@transaction.atomic
def reset_mfa(*, user: User, actor: User) -> int:
    """Remove every authenticator (TOTP, recovery codes, keys) after a lost device."""
    removed, _ = Authenticator.objects.filter(user=user).delete()
    _end_sessions(user)
    record_audit_event(
        action=AuditAction.MFA_RESET, actor=actor, target=user, detail=f"{removed} removed"
    )
    return removed


def _end_sessions(user: User) -> None:
    # Sessions are in the database: end every one that belongs to this user.
    user_id = str(user.pk)
    stale = [
        session.pk
        for session in Session.objects.iterator()
        if session.get_decoded().get("_auth_user_id") == user_id
    ]
    Session.objects.filter(pk__in=stale).delete()
