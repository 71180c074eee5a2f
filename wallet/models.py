import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credentials.models import Job, choice_label


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account: a learner, and staff are users too."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("email address"), unique=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    privacy_accepted_at = models.DateTimeField(_("privacy notice accepted"), null=True, blank=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email


def photo_upload_to(wallet: "Wallet", filename: str) -> str:
    # A new name per upload so a cached old photo is never served for the new one.
    return f"photos/{wallet.user.uuid}/{uuid.uuid4()}.png"


class WalletQuerySet(models.QuerySet["Wallet"]):
    def owned_by(self, user: User) -> "WalletQuerySet":
        return self.filter(user=user)


class Wallet(models.Model):
    """The learner's space: their profile and everything they hold."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="wallet",
        verbose_name=_("learner"),
    )
    display_name = models.CharField(_("display name"), max_length=120, blank=True)
    headline = models.CharField(_("headline"), max_length=160, blank=True)
    bio = models.TextField(_("bio"), max_length=2000, blank=True)
    photo = models.FileField(_("photo"), upload_to=photo_upload_to, blank=True)
    content_revision = models.PositiveBigIntegerField(
        _("content revision"),
        default=0,
        editable=False,
        help_text=_("Changes whenever anything a share link could show changes."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = WalletQuerySet.as_manager()

    class Meta:
        verbose_name = _("wallet")
        verbose_name_plural = _("wallets")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.display_name or str(self.user)

    def get_absolute_url(self) -> str:
        return reverse("wallet:dashboard")


class TagQuerySet(models.QuerySet["Tag"]):
    def owned_by(self, user: User) -> "TagQuerySet":
        return self.filter(owner=user)


class Tag(models.Model):
    """A learner's own label, put on any number of credentials."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tags"
    )
    name = models.CharField(_("name"), max_length=60)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TagQuerySet.as_manager()

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="unique_tag")]

    def __str__(self) -> str:
        return self.name


class CurationQuerySet(models.QuerySet["Curation"]):
    def owned_by(self, user: User) -> "CurationQuerySet":
        return self.filter(credential__owner=user)


class Curation(models.Model):
    """What the learner adds to a credential: private note, public description,
    tags, pinned and hidden. One row per top-level credential, made on demand."""

    credential = models.OneToOneField(
        "credentials.Credential",
        on_delete=models.CASCADE,
        related_name="curation",
        verbose_name=_("credential"),
    )
    note = models.TextField(_("private note"), max_length=5000, blank=True)
    public_description = models.TextField(
        _("public description"),
        max_length=5000,
        blank=True,
        help_text=_("What you did to earn this; shown on share links only where you choose."),
    )
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    tags = models.ManyToManyField(Tag, blank=True, related_name="curations")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CurationQuerySet.as_manager()

    class Meta:
        verbose_name = _("curation")
        verbose_name_plural = _("curations")

    def __str__(self) -> str:
        return str(self.credential)


class CollectionQuerySet(models.QuerySet["Collection"]):
    def owned_by(self, user: User) -> "CollectionQuerySet":
        return self.filter(owner=user)


class Collection(models.Model):
    """A named, ordered group of credentials."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collections"
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    credentials = models.ManyToManyField(
        "credentials.Credential",
        through="CollectionItem",
        related_name="collections",
        blank=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CollectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("collection")
        verbose_name_plural = _("collections")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("wallet:collection_detail", kwargs={"collection_uuid": self.uuid})


class CollectionItem(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    credential = models.ForeignKey(
        "credentials.Credential", on_delete=models.CASCADE, related_name="collection_items"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("collection item")
        verbose_name_plural = _("collection items")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "credential"], name="unique_item")
        ]

    def __str__(self) -> str:
        return f"{self.collection} / {self.credential}"


class SkillQuerySet(models.QuerySet["Skill"]):
    def owned_by(self, user: User) -> "SkillQuerySet":
        return self.filter(owner=user)


class SkillSource(models.TextChoices):
    ALIGNMENT = "alignment", _("from the credential's alignments")
    LEARNER = "learner", _("added by the learner")


class Skill(models.Model):
    """A capability, backed by credentials as evidence.

    `key` merges duplicates: framework + code when there is a code, the
    normalised name otherwise.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skills"
    )
    key = models.CharField(_("merge key"), max_length=600)
    name = models.CharField(_("name"), max_length=300)
    framework = models.CharField(_("framework"), max_length=300, blank=True)
    code = models.CharField(_("code"), max_length=200, blank=True)
    url = models.URLField(_("web address"), max_length=2000, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=SkillSource.choices)
    credentials = models.ManyToManyField(
        "credentials.Credential", related_name="skills", blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SkillQuerySet.as_manager()

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="unique_skill")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("wallet:skill_detail", kwargs={"skill_uuid": self.uuid})

    @property
    def source_label(self) -> str:
        return choice_label(SkillSource, self.source)


class ExportJobQuerySet(models.QuerySet["ExportJob"]):
    def owned_by(self, user: User) -> "ExportJobQuerySet":
        return self.filter(owner=user)


def export_upload_to(job: "ExportJob", filename: str) -> str:
    return f"exports/{job.owner.uuid}/{job.uuid}.zip"


class ExportJob(Job):
    """The learner's "download everything" ZIP, built in the background."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs"
    )
    file = models.FileField(_("file"), upload_to=export_upload_to, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    expires_at = models.DateTimeField(_("deleted after"), null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.owner} {self.created_at:%Y-%m-%d}"


class SearchEntry(models.Model):
    """One credential's searchable text, accent-folded and case-folded.

    Denormalised so that search is a plain `LIKE` on SQLite and PostgreSQL
    alike; the wallet's services rewrite it whenever what it holds changes.
    A missing row means "not indexed yet": the backfill fills it in.
    """

    credential = models.OneToOneField(
        "credentials.Credential",
        on_delete=models.CASCADE,
        related_name="search_entry",
        verbose_name=_("credential"),
    )
    text = models.TextField(_("search text"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self) -> str:
        return str(self.credential_id)


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
        # Made in the credentials app and moved here with the user model: the table
        # keeps its name so that no deployment moves a row (migration 0011).
        db_table = "credentials_apitoken"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def can_write(self) -> bool:
        """Whether this token may change data, not only read it."""
        return self.scope == ApiTokenScope.READ_WRITE


class HolderKeyType(models.TextChoices):
    ED25519 = "ed25519", _("Ed25519 (did:key)")
    P256 = "p256", _("P-256 (did:jwk)")


class HolderKeyQuerySet(models.QuerySet["HolderKey"]):
    def owned_by(self, user: models.Model) -> "HolderKeyQuerySet":
        return self.filter(owner=user)

    def active(self) -> "HolderKeyQuerySet":
        return self.filter(retired_at__isnull=True)


class HolderKey(models.Model):
    """A key the learner controls, named by a DID, that issuers bind credentials to.

    The private key is encrypted with FIELD_ENCRYPTION_KEY and never leaves the wallet. A
    rotated key is retired: its private half is erased, its DID stays so that what was bound
    to it still reads as the learner's.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="holder_keys",
        verbose_name=_("learner"),
    )
    key_type = models.CharField(_("key type"), max_length=16, choices=HolderKeyType.choices)
    did = models.CharField(_("DID"), max_length=500, unique=True)
    private_key_encrypted = models.TextField(_("private key (encrypted)"), blank=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = HolderKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("holder key")
        verbose_name_plural = _("holder keys")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "key_type"],
                condition=models.Q(retired_at__isnull=True),
                name="one_active_holder_key_per_type",
            )
        ]

    def __str__(self) -> str:
        return self.did

    @property
    def is_active(self) -> bool:
        return self.retired_at is None


class OfferImportProtocol(models.TextChoices):
    OID4VCI = "oid4vci", _("OpenID for Verifiable Credential Issuance")
    VCAPI = "vcapi", _("VC-API exchange")


class OfferImport(models.Model):
    """The protocol side of an import job that receives from an issuer.

    The offer (a bearer secret: a pre-authorised code, an exchange link) and any
    transaction code are kept encrypted only while the job runs, and erased when it ends.
    """

    job = models.OneToOneField(
        "credentials.ImportJob",
        on_delete=models.CASCADE,
        related_name="offer_import",
        verbose_name=_("import job"),
    )
    protocol = models.CharField(_("protocol"), max_length=16, choices=OfferImportProtocol.choices)
    secret_encrypted = models.TextField(_("offer (encrypted)"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("offer import")
        verbose_name_plural = _("offer imports")

    def __str__(self) -> str:
        return f"{self.get_protocol_display()} ({self.job_id})"


# Connected platforms live in their own module; importing them here registers them with the app.
from wallet.hostapi.models import (  # noqa: E402
    AuthorizationCode,
    Delivery,
    PlatformClient,
    PlatformConnection,
    PlatformToken,
    ProfileSuggestion,
)

__all__ = [
    "AuthorizationCode",
    "Delivery",
    "PlatformClient",
    "PlatformConnection",
    "PlatformToken",
    "ProfileSuggestion",
]
