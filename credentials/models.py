import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models.expressions import Combinable
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credentials.audit import AUDIT_ACTIONS, AuditEventQuerySet, audit_action_choices
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
    action = models.CharField(_("action"), max_length=64, choices=audit_action_choices)
    target_type = models.CharField(_("target type"), max_length=64, blank=True)
    target_id = models.CharField(_("target"), max_length=64, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    # {"msgid", "params"} from `credentials.i18n`: the history renders it in the reader's
    # language. Empty on rows written before it existed.
    detail_data = models.JSONField(_("detail data"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["action", "created_at"])]

    def __str__(self) -> str:
        return f"{self.action_label} — {self.created_at:%Y-%m-%d %H:%M} UTC"

    @property
    def action_label(self) -> str:
        """The action in the active language, or its value when no app registers it."""
        return AUDIT_ACTIONS.label(self.action)


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

    The verbs below are the whole lifecycle (pending → running → ready or failed, back to
    pending for another attempt); the sweeper in `credentials.jobs` finds stale rows
    through `stale_jobs` / `is_stale`, which a job with its own rule overrides.
    """

    # Attempts after which the sweeper marks a stranded job failed instead of queueing it.
    max_attempts: ClassVar[int] = 5
    stale_after: ClassVar[timedelta] = timedelta(minutes=10)

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

    def _move(self, **fields: object) -> int:
        # An UPDATE, not save(): a task and the sweeper may hold the same row at once, and
        # the attempts counter must count both.
        fields.setdefault("updated_at", timezone.now())
        updated = type(self)._default_manager.filter(pk=self.pk).update(**fields)
        for name, value in fields.items():
            if not isinstance(value, Combinable):
                setattr(self, name, value)
        return updated

    def start(self, **fields: object) -> None:
        """Mark the job running: one more attempt, its clock started."""
        self._move(
            status=JobStatus.RUNNING,
            started_at=timezone.now(),
            attempts=models.F("attempts") + 1,
            **fields,
        )
        self.attempts += 1

    def finish(self, **fields: object) -> bool:
        """Mark the job ready, with what the task filled in (file, progress); False when the
        row is gone (deleted while the task ran)."""
        return bool(
            self._move(status=JobStatus.READY, error="", finished_at=timezone.now(), **fields)
        )

    def fail(self, error: str, **fields: object) -> bool:
        """Mark the job failed with a message the learner can act on."""
        return bool(
            self._move(
                status=JobStatus.FAILED,
                error=str(error)[:500],
                finished_at=timezone.now(),
                **fields,
            )
        )

    def retry(self, *, fresh: bool = False, **fields: object) -> None:
        """Put the job back to pending for another attempt; `fresh` forgets the attempts made
        (a person asked again), else the sweeper still counts them."""
        if fresh:
            fields["attempts"] = 0
        self._move(status=JobStatus.PENDING, error="", started_at=None, finished_at=None, **fields)

    def is_stale(self, *, now: datetime | None = None, older_than: timedelta | None = None) -> bool:
        """Left pending (the broker was down) or running (the worker was lost) for too long."""
        cutoff = (now or timezone.now()) - (self.stale_after if older_than is None else older_than)
        return self.status in {JobStatus.PENDING, JobStatus.RUNNING} and self.updated_at < cutoff

    @classmethod
    def stale_jobs(
        cls, *, now: datetime | None = None, older_than: timedelta | None = None
    ) -> models.QuerySet:
        """The rows `is_stale` is true of, as a query the sweeper walks."""
        cutoff = (now or timezone.now()) - (cls.stale_after if older_than is None else older_than)
        return cls._default_manager.filter(
            status__in=[JobStatus.PENDING, JobStatus.RUNNING], updated_at__lt=cutoff
        )

    def abandoned_error(self) -> str:
        """What a job the sweeper gives up on says to the learner."""
        return str(_("The task did not finish; please try again."))


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
    PLATFORM = "platform", _("delivered by the issuer's platform")
    ISSUER = "issuer", _("received from the issuer")
    DEMO = "demo", _("demo credential")


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
