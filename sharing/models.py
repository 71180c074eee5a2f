import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from credentials.encryption import InvalidToken, decrypt
from credentials.models import Credential, Job, JobStatus


class ShareLinkQuerySet(models.QuerySet["ShareLink"]):
    def owned_by(self, user: models.Model) -> "ShareLinkQuerySet":
        return self.filter(owner=user)

    def active(self, now: datetime | None = None) -> "ShareLinkQuerySet":
        """Links an employer can open now: not revoked, not expired."""
        now = now or timezone.now()
        return self.filter(is_revoked=False).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )

    def including(self, credential: Credential) -> "ShareLinkQuerySet":
        """Links whose selection holds this credential: directly, by collection or by skill."""
        return self.filter(
            models.Q(credentials=credential)
            | models.Q(collections__credentials=credential)
            | models.Q(skills__credentials=credential)
        ).distinct()


class ShareLink(models.Model):
    """What a learner gives an employer: a selection, options, an expiry, maybe a passcode.

    The token in the URL is kept only as its SHA-256 (for lookup) and encrypted
    (so the learner can copy the link again): a database dump alone opens nothing.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="share_links",
        verbose_name=_("learner"),
    )
    title = models.CharField(_("title"), max_length=120)
    message = models.TextField(_("message to the reader"), max_length=2000, blank=True)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    token_encrypted = models.TextField(_("encrypted token"), editable=False)
    passcode_hash = models.CharField(_("passcode hash"), max_length=256, blank=True)
    # Shorter than the minimum that new passcodes need; None for one set before the minimum
    # existed, whose length is learned the next time a reader types it right.
    has_short_passcode = models.BooleanField(_("short passcode"), null=True, default=False)
    # When the learner was last told that someone is guessing the passcode.
    passcode_guessed_at = models.DateTimeField(_("passcode guessed at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("link expires"), null=True, blank=True)
    is_revoked = models.BooleanField(_("revoked"), default=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    language = models.CharField(
        _("language of the transcript"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    show_public_descriptions = models.BooleanField(_("show public descriptions"), default=True)
    show_evidence = models.BooleanField(_("show evidence"), default=True)
    show_email = models.BooleanField(_("show my email address"), default=False)
    allow_transcript = models.BooleanField(_("offer the PDF transcript"), default=True)
    allow_download = models.BooleanField(_("offer the machine-readable download"), default=True)
    # A signed original cannot be edited: one that names the learner's address in the clear
    # is left out of the downloads (its verification result stays) unless the learner says so.
    include_originals_with_email = models.BooleanField(
        _("include originals that show my email address"), default=False
    )
    is_linkedin = models.BooleanField(_("made for LinkedIn"), default=False)

    credentials = models.ManyToManyField(
        Credential, blank=True, related_name="share_links", verbose_name=_("credentials")
    )
    collections = models.ManyToManyField(
        "wallet.Collection", blank=True, related_name="share_links", verbose_name=_("collections")
    )
    skills = models.ManyToManyField(
        "wallet.Skill", blank=True, related_name="share_links", verbose_name=_("skills")
    )

    view_count = models.PositiveIntegerField(_("views"), default=0)
    last_viewed_at = models.DateTimeField(_("last viewed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("share link")
        verbose_name_plural = _("share links")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "is_revoked", "expires_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("sharing:link_detail", kwargs={"link_uuid": self.uuid})

    @property
    def has_passcode(self) -> bool:
        return bool(self.passcode_hash)

    @property
    def needs_longer_passcode(self) -> bool:
        """A passcode that may be short: its owner is asked to choose a longer one."""
        return self.has_passcode and self.has_short_passcode is not False

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return not self.is_revoked and not self.is_expired

    @property
    def state_label(self) -> str:
        if self.is_revoked:
            return str(_("revoked"))
        if self.is_expired:
            return str(_("expired"))
        return str(_("active"))

    def reveal_token(self) -> str:
        """The token from its encrypted copy; empty when no configured key can read it."""
        try:
            return decrypt(self.token_encrypted)
        except (InvalidToken, ValueError):
            return ""

    def public_url(self) -> str:
        """The absolute address an employer opens, built from SITE_URL."""
        token = self.reveal_token()
        if not token:
            return ""
        return settings.SITE_URL + reverse("sharing:public_page", kwargs={"token": token})


class ShareLinkDay(models.Model):
    """How many times a link was opened on one day: a count, nothing about who."""

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="days")
    day = models.DateField(_("day"))
    views = models.PositiveIntegerField(_("views"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("daily views")
        verbose_name_plural = _("daily views")
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["link", "day"], name="unique_link_day")]

    def __str__(self) -> str:
        return f"{self.link} {self.day}: {self.views}"


# The render task's hard time limit; a transcript `running` for longer lost its worker.
RENDER_TIME_LIMIT = 180
RENDER_LIMIT = timedelta(seconds=RENDER_TIME_LIMIT)


def transcript_upload_to(transcript: "Transcript", filename: str) -> str:
    return transcript_file_name(transcript)


def transcript_file_name(transcript: "Transcript") -> str:
    """One name per link and content: a retry of the same content overwrites it."""
    link = transcript.link
    return f"transcripts/{link.owner.uuid}/{link.uuid}/{transcript.content_digest[:24]}.pdf"


class Transcript(Job):
    """The PDF rendered for a share link: one row per link, re-rendered when content changes."""

    link = models.OneToOneField(
        ShareLink, on_delete=models.CASCADE, related_name="transcript", verbose_name=_("link")
    )
    file = models.FileField(_("file"), upload_to=transcript_upload_to, blank=True, max_length=300)
    # The digest of what was asked for; the file is current when it matches the link's now.
    content_digest = models.CharField(_("content digest"), max_length=64, blank=True)
    rendered_digest = models.CharField(_("rendered digest"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("transcript")
        verbose_name_plural = _("transcripts")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.link} ({self.get_status_display()})"

    # The job registry's staleness hooks: a render lost its worker once it has run past the
    # task's hard limit, and a request with nothing asked for (no digest) is never queued.
    def is_stale(self, *, now: datetime | None = None, older_than: timedelta | None = None) -> bool:
        now = now or timezone.now()
        if self.status == JobStatus.RUNNING:
            return self.started_at is not None and self.started_at <= now - RENDER_LIMIT
        return bool(self.content_digest) and super().is_stale(now=now, older_than=older_than)

    @classmethod
    def stale_jobs(
        cls, *, now: datetime | None = None, older_than: timedelta | None = None
    ) -> models.QuerySet["Transcript"]:
        now = now or timezone.now()
        lost = models.Q(status=JobStatus.RUNNING, started_at__lte=now - RENDER_LIMIT)
        never_picked_up = models.Q(
            status=JobStatus.PENDING,
            updated_at__lt=now - (cls.stale_after if older_than is None else older_than),
        ) & ~models.Q(content_digest="")
        return cls.objects.filter(lost | never_picked_up)

    def abandoned_error(self) -> str:
        if self.status == JobStatus.RUNNING:
            return gettext("Rendering stopped before it finished; please try again.")
        return gettext("The transcript did not finish; please try again.")


class WithheldFields(models.Model):
    """The fields of one selective-disclosure credential a link leaves out, as JSON pointers.

    The employer receives a credential derived without them (`sharing.disclosure`); a
    credential of the link with no row is shared with nothing withheld, still derived.
    """

    link = models.ForeignKey(
        ShareLink, on_delete=models.CASCADE, related_name="withheld_fields", verbose_name=_("link")
    )
    credential = models.ForeignKey(
        Credential, on_delete=models.CASCADE, related_name="+", verbose_name=_("credential")
    )
    pointers = models.JSONField(_("withheld fields"), default=list)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("withheld fields")
        verbose_name_plural = _("withheld fields")
        constraints = [
            models.UniqueConstraint(
                fields=["link", "credential"], name="unique_withheld_fields_per_link"
            )
        ]

    def __str__(self) -> str:
        return f"{self.link}: {len(self.pointers)} withheld"
