import uuid
from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    ACCOUNT_CREATED = "account.created", _("Account created")
    EMAIL_VERIFIED = "account.email_verified", _("Email address verified")
    EMAIL_ADDED = "account.email_added", _("Email address added")
    EMAIL_REMOVED = "account.email_removed", _("Email address removed")
    EMAIL_CHANGED = "account.email_changed", _("Primary email address changed")
    LOGIN = "account.login", _("Logged in")
    LOGIN_FAILED = "account.login_failed", _("Login failed")
    LOGOUT = "account.logout", _("Logged out")
    PASSWORD_CHANGED = "account.password_changed", _("Password changed")
    PASSWORD_RESET = "account.password_reset", _("Password reset")
    LANGUAGE_CHANGED = "account.language_changed", _("Language changed")
    MFA_TOTP_ENABLED = "mfa.totp_enabled", _("Authenticator app enabled")
    MFA_TOTP_DISABLED = "mfa.totp_disabled", _("Authenticator app removed")
    MFA_RECOVERY_CODES = "mfa.recovery_codes_generated", _("Recovery codes generated")
    MFA_WEBAUTHN_ADDED = "mfa.webauthn_added", _("Security key added")
    MFA_WEBAUTHN_REMOVED = "mfa.webauthn_removed", _("Security key removed")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def about(self, user: models.Model) -> "AuditEventQuerySet":
        return self.filter(actor=user)


class AuditEvent(models.Model):
    """An append-only record of a security-relevant action.

    Never holds a secret, token or passcode: `detail` is a short, plain
    description written by the code, not by the user.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    # Kept when the actor's account is deleted: a salted hash, never the email.
    actor_ref = models.CharField(_("actor reference"), max_length=64, blank=True)
    action = models.CharField(_("action"), max_length=64, choices=AuditAction.choices)
    target_type = models.CharField(_("target type"), max_length=64, blank=True)
    target_id = models.CharField(_("target"), max_length=64, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["action", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} @ {self.created_at:%Y-%m-%d %H:%M}"


class TrustedIssuerQuerySet(models.QuerySet["TrustedIssuer"]):
    def active(self) -> "TrustedIssuerQuerySet":
        return self.filter(is_active=True)

    def matching(self, identifiers: Iterable[str]) -> "TrustedIssuerQuerySet":
        """Active registry entries that list any of these identifiers."""
        wanted = {identifier for identifier in identifiers if identifier}
        if not wanted:
            return self.none()
        matched = [
            issuer.pk
            for issuer in self.active().only("pk", "identifiers")
            if wanted.intersection(issuer.identifiers or [])
        ]
        return self.filter(pk__in=matched)


class TrustedIssuer(models.Model):
    """An issuer the site vouches for: its DIDs, URLs and key ids."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    homepage = models.URLField(_("homepage"), blank=True)
    identifiers = models.JSONField(
        _("identifiers"),
        default=list,
        help_text=_("DIDs, issuer URLs and key ids that belong to this issuer."),
    )
    is_active = models.BooleanField(_("trusted"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TrustedIssuerQuerySet.as_manager()

    class Meta:
        verbose_name = _("trusted issuer")
        verbose_name_plural = _("trusted issuers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
