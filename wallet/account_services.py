"""Account actions admins take for learners (support, lost devices, abuse)."""

from allauth.mfa.models import Authenticator
from django.db import transaction

from credentials import i18n
from credentials.services import record_audit_event
from wallet.audit import AccountAction
from wallet.models import User
from wallet.services import end_sessions


@transaction.atomic
def disable_account(*, user: User, actor: User) -> None:
    """Stop an account at once: no login, its sessions end, its share links stop."""
    if not user.is_active:
        return
    user.is_active = False
    user.save(update_fields=["is_active"])
    end_sessions(user)
    record_audit_event(action=AccountAction.ACCOUNT_DISABLED, actor=actor, target=user)


@transaction.atomic
def reset_mfa(*, user: User, actor: User) -> int:
    """Remove every authenticator (TOTP, recovery codes, keys) after a lost device."""
    removed, _ = Authenticator.objects.filter(user=user).delete()
    end_sessions(user)
    record_audit_event(
        action=AccountAction.MFA_RESET,
        actor=actor,
        target=user,
        detail=i18n.ngettext(
            "%(count)d authenticator removed", "%(count)d authenticators removed", removed
        )
        % {"count": removed},
    )
    return removed
