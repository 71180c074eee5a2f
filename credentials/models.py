import uuid
from collections.abc import Iterable
from datetime import timedelta
from types import SimpleNamespace
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credentials.formats.base import CredentialFormat
from credentials.verification.checks import CheckName, Code
from credentials.verification.verdict import Verdict, explain


def choice_label(choices: type[models.TextChoices], value: str) -> str:
    """The label of `value` in the active language, or the value itself when unknown.

    Django's `get_FOO_display` rebuilds a dict of every (lazy) choice on each call,
    which costs more than the rest of a list row; this is one enum lookup.
    """
    try:
        return str(choices(value).label)
    except ValueError:
        return value


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
    CREDENTIAL_IMPORTED = "credential.imported", _("Credential imported")
    CREDENTIAL_DELETED = "credential.deleted", _("Credential deleted")
    CREDENTIAL_REVERIFIED = "credential.reverified", _("Credential verified again")
    CREDENTIAL_HIDDEN = "credential.hidden", _("Credential hidden")
    SHARE_LINK_CREATED = "share_link.created", _("Share link created")
    SHARE_LINK_CHANGED = "share_link.changed", _("Share link changed")
    SHARE_LINK_REVOKED = "share_link.revoked", _("Share link revoked")
    SHARE_LINK_REGENERATED = "share_link.regenerated", _("Share link address regenerated")
    PASSCODE_LOCKOUT = "share_link.passcode_lockout", _("Share link passcode locked out")
    EXPORT_REQUESTED = "export.requested", _("Export requested")
    ACCOUNT_DELETED = "account.deleted", _("Account deleted")
    ACCOUNT_DISABLED = "account.disabled", _("Account disabled")
    LOGIN_RATE_LIMITED = "account.login_rate_limited", _("Too many login attempts")
    MFA_RESET = "mfa.reset", _("Two-factor authentication reset by an admin")
    ADMIN_CHANGE = "admin.change", _("Changed in admin")
    TOKEN_CREATED = "api_token.created", _("API token created")
    TOKEN_REVOKED = "api_token.revoked", _("API token revoked")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def about(self, user: models.Model) -> "AuditEventQuerySet":
        """What the user did, and what was done to their account."""
        return self.filter(
            models.Q(actor=user)
            | models.Q(target_type=user._meta.label_lower, target_id=str(user.uuid))
        )


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
        return f"{self.get_action_display()} — {self.created_at:%Y-%m-%d %H:%M} UTC"


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


class IssuerRegistryQuerySet(models.QuerySet["IssuerRegistry"]):
    def active(self) -> "IssuerRegistryQuerySet":
        return self.filter(is_active=True)


class IssuerRegistry(models.Model):
    """An external issuer registry the site trusts, fetched by URL and kept here.

    `entries` is the registry's own map, DID → {"name", "location", "url"}, in the Digital
    Credentials Consortium's format, as last fetched; verification reads only this copy.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("address"), max_length=2000, unique=True)
    is_active = models.BooleanField(_("trusted"), default=True)
    entries = models.JSONField(_("entries"), default=dict, blank=True)
    last_fetched_at = models.DateTimeField(_("last fetched"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = IssuerRegistryQuerySet.as_manager()

    class Meta:
        verbose_name = _("issuer registry")
        verbose_name_plural = _("issuer registries")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class JobStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    RUNNING = "running", _("running")
    READY = "ready", _("ready")
    FAILED = "failed", _("failed")


class Job(models.Model):
    """A background task's visible row: the UI reads it, the task moves it.

    `task_name` is the Celery task that runs a job given its primary key; the
    sweeper uses it to queue again jobs that never reached a worker.
    """

    task_name: ClassVar[str] = ""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    error = models.CharField(_("error"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_done(self) -> bool:
        return self.status in {JobStatus.READY, JobStatus.FAILED}


class RecipientIdentifierQuerySet(models.QuerySet["RecipientIdentifier"]):
    def owned_by(self, user: models.Model) -> "RecipientIdentifierQuerySet":
        return self.filter(owner=user)


class RecipientIdentifier(models.Model):
    """A DID or URL a learner says is theirs, for recipient matching.

    Typed in, never proven: a credential matched only on one of these gets a
    recipient warning, not a pass. (Verified email addresses live in allauth.)
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="recipient_identifiers",
        verbose_name=_("learner"),
    )
    value = models.CharField(_("identifier"), max_length=500)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RecipientIdentifierQuerySet.as_manager()

    class Meta:
        verbose_name = _("recipient identifier")
        verbose_name_plural = _("recipient identifiers")
        ordering = ["value"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "value"], name="unique_identifier_per_owner")
        ]

    def __str__(self) -> str:
        return self.value


class CredentialSource(models.TextChoices):
    UPLOAD = "upload", _("file upload")
    PASTE = "paste", _("pasted text")
    URL = "url", _("web address")
    SELF_REPORTED = "self_reported", _("entered by the learner")
    COMMAND = "command", _("imported by an administrator")


SELF_REPORTED_FORMAT = "self-reported"
FORMAT_CHOICES = [
    (CredentialFormat.OB2_HOSTED.value, _("Open Badges 2.0 (hosted)")),
    (CredentialFormat.OB2_SIGNED.value, _("Open Badges 2.0 (signed)")),
    (CredentialFormat.OB3_VC.value, _("Open Badges 3.0 / Verifiable Credential")),
    (CredentialFormat.OB3_JWT.value, _("Open Badges 3.0 / VC-JWT")),
    (CredentialFormat.CLR.value, _("Comprehensive Learner Record 2.0")),
    (CredentialFormat.OB1.value, _("Open Badges 1.0")),
    (CredentialFormat.BLOCKCERTS.value, _("Blockcerts")),
    (SELF_REPORTED_FORMAT, _("Self-reported")),
]


# The issuer check's details an employer, the API and the JSON download are shown.
ISSUER_IDENTITY_KEYS = (
    "issuer_id",
    "domain",
    "vouched_by",
    "vouched_by_url",
    "registered_name",
    "impersonated_name",
)


def original_upload_to(credential: "Credential", filename: str) -> str:
    return f"originals/{credential.owner.uuid}/{credential.uuid}/{filename}"


def image_upload_to(credential: "Credential", filename: str) -> str:
    return f"images/{credential.owner.uuid}/{credential.uuid}.png"


def evidence_upload_to(credential: "Credential", filename: str) -> str:
    return f"evidence/{credential.owner.uuid}/{credential.uuid}/{filename}"


class CredentialQuerySet(models.QuerySet["Credential"]):
    def owned_by(self, user: models.Model) -> "CredentialQuerySet":
        return self.filter(owner=user)

    def top_level(self) -> "CredentialQuerySet":
        """Credentials the learner imported, not those nested inside a CLR."""
        return self.filter(parent__isnull=True)

    def verifiable(self) -> "CredentialQuerySet":
        return self.exclude(verdict=Verdict.SELF_REPORTED)

    def with_unseen_changes(self) -> "CredentialQuerySet":
        return self.filter(has_unseen_change=True)

    def shareable(self) -> "CredentialQuerySet":
        """What may reach an employer: never a credential issued to someone else."""
        return self.exclude(recipient_code=Code.RECIPIENT_MISMATCH)

    def recipient_mismatched(self) -> "CredentialQuerySet":
        """Credentials that name someone other than the learner (kept, never shared)."""
        return self.filter(recipient_code=Code.RECIPIENT_MISMATCH)


class Credential(models.Model):
    """One thing a learner holds, with its original bytes and its verdict."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="credentials",
        verbose_name=_("learner"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("inside"),
    )
    position = models.PositiveIntegerField(_("position in the file"), default=0)
    format = models.CharField(_("format"), max_length=32, choices=FORMAT_CHOICES)
    source = models.CharField(_("source"), max_length=16, choices=CredentialSource.choices)
    source_url = models.URLField(_("imported from"), max_length=2000, blank=True)

    original = models.FileField(_("original"), upload_to=original_upload_to, blank=True)
    original_sha256 = models.CharField(_("SHA-256 of the original"), max_length=64, blank=True)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    original_content_type = models.CharField(_("original content type"), max_length=100)
    # What makes two imports "the same credential": its issuer id and credential id once a
    # proof passed, else its bytes (`credentials.services.fingerprint_for`).
    fingerprint = models.CharField(_("fingerprint"), max_length=600)
    # Another copy of the same credential the learner holds, verified; this one is offered
    # for deletion (never deleted without the learner).
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("copy of"),
    )

    document = models.JSONField(_("credential data"), default=dict)
    normalized = models.JSONField(_("normalized view"), default=dict)
    name = models.CharField(_("name"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    issuer_name = models.CharField(_("issuer"), max_length=500, blank=True)
    issuer_id = models.CharField(_("issuer id"), max_length=2000, blank=True)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    image = models.FileField(_("image"), upload_to=image_upload_to, blank=True)
    evidence_url = models.URLField(_("evidence link"), max_length=2000, blank=True)
    evidence_file = models.FileField(_("evidence file"), upload_to=evidence_upload_to, blank=True)

    verdict = models.CharField(_("verdict"), max_length=32, choices=Verdict.choices)
    verdict_message = models.CharField(_("verdict message"), max_length=500, blank=True)
    checks = models.JSONField(_("checks"), default=list)
    # The recipient check's code, copied from `checks` so that "never share a credential
    # issued to someone else" is one indexed filter on every database.
    recipient_code = models.CharField(_("recipient check"), max_length=32, blank=True)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verdict_changed_at = models.DateTimeField(_("verdict changed"), null=True, blank=True)
    # Freshness: when a check last ran to the end, and since when and why none could run
    # (issuer offline, list unreachable); the verdict then stays as it was.
    last_verified_at = models.DateTimeField(_("last checked successfully"), null=True, blank=True)
    recheck_failed_at = models.DateTimeField(_("not checked again since"), null=True, blank=True)
    recheck_error = models.JSONField(_("why it was not checked again"), default=dict, blank=True)
    recheck_failures = models.PositiveIntegerField(_("checks that could not run"), default=0)
    has_unseen_change = models.BooleanField(_("change not yet seen"), default=False)

    created_at = models.DateTimeField(_("imported"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CredentialQuerySet.as_manager()

    class Meta:
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")
        ordering = ["-issued_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "fingerprint"],
                condition=models.Q(parent__isnull=True),
                name="unique_credential_per_owner",
            )
        ]
        indexes = [
            models.Index(fields=["owner", "verdict"]),
            models.Index(fields=["owner", "issuer_name"]),
            models.Index(fields=["owner", "recipient_code"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("wallet:credential_detail", kwargs={"credential_uuid": self.uuid})

    @property
    def is_self_reported(self) -> bool:
        return self.verdict == Verdict.SELF_REPORTED

    @property
    def is_verdict_stale(self) -> bool:
        """No check ran to the end for `VERDICT_STALE_AFTER_DAYS`: the verdict may be outdated."""
        if self.is_self_reported or self.last_verified_at is None:
            return False
        age = timezone.now() - self.last_verified_at
        return age > timedelta(days=settings.VERDICT_STALE_AFTER_DAYS)

    @property
    def verdict_label(self) -> str:
        return choice_label(Verdict, self.verdict)

    @property
    def is_recipient_mismatch(self) -> bool:
        """Issued to someone else, as far as the learner's addresses and identifiers tell."""
        return self.recipient_code == Code.RECIPIENT_MISMATCH

    @property
    def is_shareable(self) -> bool:
        return not self.is_recipient_mismatch

    @property
    def recipient_email(self) -> str:
        """The address a mismatched credential names in the clear; empty when hashed or none."""
        for check in self.checks if isinstance(self.checks, list) else []:
            if isinstance(check, dict) and check.get("name") == CheckName.RECIPIENT:
                details = check.get("details")
                return str(details.get("email") or "") if isinstance(details, dict) else ""
        return ""

    @property
    def issuer_identity(self) -> dict[str, str]:
        """What the issuer check proved about who issued it; empty before any such check."""
        for check in self.checks if isinstance(self.checks, list) else []:
            if not (isinstance(check, dict) and check.get("name") == CheckName.ISSUER):
                continue
            details = check.get("details")
            details = details if isinstance(details, dict) else {}
            found = {key: str(details.get(key) or "") for key in ISSUER_IDENTITY_KEYS}
            found["level"] = str(details.get("identity_level") or "")
            found["issuer_id"] = found["issuer_id"] or self.issuer_id
            return found
        return {}

    @property
    def verdict_explanation(self) -> str:
        """The verdict's sentence in the reader's language, from the stored checks' codes."""
        try:
            verdict = Verdict(self.verdict)
        except ValueError:
            return self.verdict_message
        stored = self.checks if isinstance(self.checks, list) else []
        checks = [
            SimpleNamespace(
                name=check.get("name"),
                code=check.get("code"),
                status=check.get("status"),
                is_transient=bool(check.get("is_transient")),
            )
            for check in stored
            if isinstance(check, dict)
        ]
        return explain(verdict, checks)


class ImportJob(Job):
    """A URL import waiting for, or done by, a background task."""

    task_name = "credentials.tasks.import_from_url"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="import_jobs",
        verbose_name=_("learner"),
    )
    url = models.URLField(_("web address"), max_length=2000)
    credentials = models.ManyToManyField(Credential, blank=True, related_name="+")

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.url} ({self.get_status_display()})"


class ApiTokenScope(models.TextChoices):
    READ = "read", _("read only")
    READ_WRITE = "read_write", _("read and write")


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def owned_by(self, user: models.Model) -> "ApiTokenQuerySet":
        return self.filter(owner=user)


class ApiToken(models.Model):
    """A learner's personal access token for the API: shown once, stored as a hash."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("learner"),
    )
    name = models.CharField(_("name"), max_length=100)
    # SHA-256 of the token; the token itself is never stored.
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    prefix = models.CharField(_("first characters"), max_length=12)
    scope = models.CharField(
        _("scope"), max_length=16, choices=ApiTokenScope.choices, default=ApiTokenScope.READ
    )
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
