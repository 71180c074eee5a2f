"""The audit actions of the learner's account, registered with credentials' audit log."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountAction(models.TextChoices):
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
    CREDENTIAL_HIDDEN = "credential.hidden", _("Credential hidden")
    EXPORT_REQUESTED = "export.requested", _("Export requested")
    ACCOUNT_DELETED = "account.deleted", _("Account deleted")
    ACCOUNT_DISABLED = "account.disabled", _("Account disabled")
    LOGIN_RATE_LIMITED = "account.login_rate_limited", _("Too many login attempts")
    MFA_RESET = "mfa.reset", _("Two-factor authentication reset by an admin")
    TOKEN_CREATED = "api_token.created", _("API token created")
    TOKEN_REVOKED = "api_token.revoked", _("API token revoked")
    PLATFORM_REGISTERED = "platform.registered", _("Platform registered")
    PLATFORM_CONSENTED = "platform.consented", _("Platform connected")
    PLATFORM_REFUSED = "platform.refused", _("Platform refused")
    PLATFORM_DELIVERED = "platform.delivered", _("Credential delivered by a platform")
    PLATFORM_REPLACED = "platform.replaced", _("Credential replaced by a platform")
    PLATFORM_DELIVERY_REFUSED = "platform.delivery_refused", _("Delivery from a platform refused")
    PLATFORM_DISCONNECTED = "platform.disconnected", _("Platform disconnected")
    PLATFORM_PROFILE_SUGGESTED = (
        "platform.profile_suggested",
        _("Profile change suggested by a platform"),
    )
    PLATFORM_PROFILE_APPLIED = (
        "platform.profile_applied",
        _("Profile change from a platform applied"),
    )
    HOLDER_KEYS_ROTATED = "holder_keys.rotated", _("Holder keys replaced")
