"""allauth adapters: where account events reach the wallet's services."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.http import HttpRequest
from django.utils import translation

from credentials import i18n
from credentials.encryption import decrypt, encrypt
from credentials.mail import queue_email, render_html
from credentials.services import record_audit_event
from credentials.verification.checks import Code
from wallet import services, tokens
from wallet.audit import AccountAction
from wallet.devices import device_label
from wallet.models import User

# allauth announces security events through notification mails; each one is
# also an audit event.
NOTIFICATION_AUDIT_ACTIONS = {
    "account/email/password_changed": AccountAction.PASSWORD_CHANGED,
    "account/email/password_set": AccountAction.PASSWORD_CHANGED,
    "account/email/password_reset": AccountAction.PASSWORD_RESET,
    "account/email/email_changed": AccountAction.EMAIL_CHANGED,
    "account/email/email_deleted": AccountAction.EMAIL_REMOVED,
    "mfa/email/totp_activated": AccountAction.MFA_TOTP_ENABLED,
    "mfa/email/totp_deactivated": AccountAction.MFA_TOTP_DISABLED,
    "mfa/email/recovery_codes_generated": AccountAction.MFA_RECOVERY_CODES,
    "mfa/email/webauthn_added": AccountAction.MFA_WEBAUTHN_ADDED,
    "mfa/email/webauthn_removed": AccountAction.MFA_WEBAUTHN_REMOVED,
}


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: User, form: Any, commit: bool = True) -> User:
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            services.register_learner(
                user=user,
                language=translation.get_language() or "",
                accepted_privacy=bool(form.cleaned_data.get("accept_privacy")),
            )
        return user

    def login(self, request: HttpRequest, user: User) -> None:
        super().login(request, user)
        services.ensure_wallet(user=user)
        record_audit_event(action=AccountAction.LOGIN, actor=user, target=user)

    def logout(self, request: HttpRequest) -> None:
        user = request.user if request.user.is_authenticated else None
        session_key = request.session.session_key
        super().logout(request)
        if session_key:
            services.forget_session(session_key)
        if user is not None:
            record_audit_event(action=AccountAction.LOGOUT, actor=user, target=user)

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        super().authentication_failed(request, **credentials)
        # Never the attempted password or address: only that it happened.
        record_audit_event(action=AccountAction.LOGIN_FAILED)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            # Too many failed logins for this address or client: a lockout.
            record_audit_event(
                action=AccountAction.LOGIN_RATE_LIMITED,
                detail=i18n.gettext("Too many failed logins"),
            )
            raise

    def confirm_email(self, request: HttpRequest, email_address: Any) -> bool:
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            record_audit_event(
                action=AccountAction.EMAIL_VERIFIED,
                actor=email_address.user,
                target=email_address.user,
            )
        return confirmed

    def send_notification_mail(
        self,
        template_prefix: str,
        user: User,
        context: dict[str, Any] | None = None,
        email: str | None = None,
    ) -> None:
        action = NOTIFICATION_AUDIT_ACTIONS.get(template_prefix)
        if action is not None:
            record_audit_event(action=action, actor=user, target=user)
        super().send_notification_mail(template_prefix, user, context, email)

    def get_http_user_agent(self, request: HttpRequest) -> str:
        """The browser behind a change, named as the sessions page names it."""
        return device_label(request.META.get("HTTP_USER_AGENT", "") if request else "")

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render in the recipient's language and hand the mail to a task."""
        # Some notices (two-factor changes) are sent from an on-commit callback,
        # once allauth's request context is gone: the adapter kept the request.
        request = allauth_context.request or self.request
        known = is_account_address(email)
        ctx = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request) if request is not None else None,
            "site_url": settings.SITE_URL,
            # Not yet on any account: a learner adding it to theirs (the
            # confirmation mail then speaks of adding, not of signing up).
            "new_address": not known,
        }
        ctx.update(context)
        language = services.language_for_email(email) if known else self._writer_language(request)
        with translation.override(language):
            message = self.render_mail(template_prefix, email, ctx)
        queue_email(message=message)

    @staticmethod
    def _writer_language(request: HttpRequest | None) -> str:
        """For an address no account has yet: the logged-in learner's language, else the page's."""
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.preferred_language:
            return user.preferred_language
        return translation.get_language() or settings.LANGUAGE_CODE

    def render_mail(
        self,
        template_prefix: str,
        email: str | list[str],
        context: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> EmailMessage:
        message = super().render_mail(template_prefix, email, context, headers)
        if isinstance(message, EmailMultiAlternatives) and not message.alternatives:
            # allauth ships text templates; every mail also goes out as HTML,
            # drawn from the same (escaped) text, its paragraphs rewrapped.
            message.attach_alternative(
                render_html(subject=message.subject, body=message.body), "text/html"
            )
        return message


def is_account_address(email: str) -> bool:
    """Whether an account already has this address (as its login or one of its addresses)."""
    return (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    )


def email_confirmed(sender: Any, email_address: EmailAddress, **kwargs: Any) -> None:
    """A newly verified address may be the one a credential was issued to: check those again."""
    services.recheck_recipients(
        learner=email_address.user, codes=[Code.RECIPIENT_MISMATCH, Code.RECIPIENT_UNPROVEN]
    )


def email_removed(sender: Any, user: User, email_address: EmailAddress, **kwargs: Any) -> None:
    """Credentials confirmed by the removed address may no longer be the learner's."""
    services.recheck_recipients(learner=user, codes=[Code.RECIPIENT_CONFIRMED])


def password_reset(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    """Whoever made the reset needed may hold a token too: a reset stops them all."""
    tokens.revoke_api_tokens(owner=user, actor=user)


def connect() -> None:
    """Wire allauth's address signals to the services; called once from the app's `ready`."""
    from allauth.account import signals

    signals.email_confirmed.connect(email_confirmed, dispatch_uid="wallet-email-confirmed")
    signals.email_removed.connect(email_removed, dispatch_uid="wallet-email-removed")
    signals.password_reset.connect(password_reset, dispatch_uid="wallet-password-reset")


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt(encrypted_text)
