"""Connected platforms: issuers' platforms registered by OAuth 2.0, the learner's consent,
the codes and tokens they hold (only as SHA-256 hashes), and what each delivered."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wallet.hostapi import scopes
from wallet.hostapi.secrets import matches

# A registration that never led to a consent is dropped after this.
UNUSED_REGISTRATION_LIFETIME = timedelta(hours=24)
CODE_LIFETIME = timedelta(minutes=5)
ACCESS_TOKEN_SECONDS = 3600
REFRESH_TOKEN_LIFETIME = timedelta(days=90)


def logo_upload_to(client: "PlatformClient", filename: str) -> str:
    return f"platform-logos/{client.uuid}.png"


class PlatformClientQuerySet(models.QuerySet["PlatformClient"]):
    def usable(self) -> "PlatformClientQuerySet":
        """Registrations that were used, or are young enough to still be used."""
        cutoff = timezone.now() - UNUSED_REGISTRATION_LIFETIME
        return self.filter(
            models.Q(first_consent_at__isnull=False) | models.Q(created_at__gt=cutoff)
        )

    def expired_unused(self) -> "PlatformClientQuerySet":
        cutoff = timezone.now() - UNUSED_REGISTRATION_LIFETIME
        return self.filter(first_consent_at__isnull=True, created_at__lte=cutoff)


class PlatformClient(models.Model):
    """An issuer's platform as it registered itself (RFC 7591)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client_id = models.CharField(_("client id"), max_length=64, unique=True)
    # SHA-256 of the client secret; the secret itself is never stored.
    client_secret_hash = models.CharField(_("client secret hash"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    host = models.CharField(_("host"), max_length=253)
    client_uri = models.URLField(_("home page"), max_length=2000)
    logo_uri = models.URLField(_("logo address"), max_length=2000, blank=True)
    tos_uri = models.URLField(_("terms of service"), max_length=2000, blank=True)
    policy_uri = models.URLField(_("privacy policy"), max_length=2000, blank=True)
    software_id = models.CharField(_("software id"), max_length=200, blank=True)
    software_version = models.CharField(_("software version"), max_length=100, blank=True)
    redirect_uris = models.JSONField(_("redirect addresses"), default=list)
    scope = models.CharField(_("scopes"), max_length=1000)
    logo = models.FileField(_("logo"), upload_to=logo_upload_to, blank=True)
    first_consent_at = models.DateTimeField(_("first consent"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PlatformClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("platform registration")
        verbose_name_plural = _("platform registrations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.host})"

    # What Authlib asks of a client (authlib.oauth2.rfc6749.ClientMixin).
    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uris[0] if len(self.redirect_uris) == 1 else ""

    def get_allowed_scope(self, scope: str) -> str:
        allowed = set(scopes.split(self.scope))
        return " ".join(item for item in scopes.split(scope) if item in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return matches(client_secret, self.client_secret_hash)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == "client_secret_basic"

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in ("authorization_code", "refresh_token")


class PlatformConnectionQuerySet(models.QuerySet["PlatformConnection"]):
    def owned_by(self, user: models.Model) -> "PlatformConnectionQuerySet":
        return self.filter(owner=user)

    def active(self) -> "PlatformConnectionQuerySet":
        return self.filter(disconnected_at__isnull=True)


class PlatformConnection(models.Model):
    """A learner's consent for one platform: the scopes granted and what it may read."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="platform_connections",
        verbose_name=_("learner"),
    )
    client = models.ForeignKey(
        PlatformClient,
        on_delete=models.CASCADE,
        related_name="connections",
        verbose_name=_("platform"),
    )
    scope = models.CharField(_("scopes"), max_length=1000)
    # False: the platform reads only what it delivered. True: every credential not hidden.
    reads_all = models.BooleanField(_("reads every credential not hidden"), default=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    disconnected_at = models.DateTimeField(_("disconnected"), null=True, blank=True)
    created_at = models.DateTimeField(_("connected"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PlatformConnectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("connected platform")
        verbose_name_plural = _("connected platforms")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "client"],
                condition=models.Q(disconnected_at__isnull=True),
                name="one_active_connection_per_platform",
            )
        ]

    def __str__(self) -> str:
        return f"{self.client.name} → {self.owner}"

    def get_absolute_url(self) -> str:
        return reverse("wallet:connected_platforms")

    @property
    def is_active(self) -> bool:
        return self.disconnected_at is None

    def allows(self, scope: str) -> bool:
        return scope in scopes.split(self.scope)


class AuthorizationCode(models.Model):
    """A one-time code from the consent page, bound to its PKCE challenge."""

    code_hash = models.CharField(_("code hash"), max_length=64, unique=True)
    connection = models.ForeignKey(
        PlatformConnection, on_delete=models.CASCADE, related_name="codes"
    )
    redirect_uri = models.URLField(_("redirect address"), max_length=2000)
    scope = models.CharField(_("scopes"), max_length=1000)
    code_challenge = models.CharField(_("code challenge"), max_length=128)
    code_challenge_method = models.CharField(_("code challenge method"), max_length=8)
    expires_at = models.DateTimeField(_("expires"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("authorization code")
        verbose_name_plural = _("authorization codes")

    def __str__(self) -> str:
        return f"code for {self.connection_id}"

    # What Authlib asks of a code (AuthorizationCodeMixin).
    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class PlatformTokenQuerySet(models.QuerySet["PlatformToken"]):
    def live(self) -> "PlatformTokenQuerySet":
        return self.filter(revoked_at__isnull=True, connection__disconnected_at__isnull=True)


class PlatformToken(models.Model):
    """An access token and its refresh token, both kept only as SHA-256 hashes."""

    connection = models.ForeignKey(
        PlatformConnection, on_delete=models.CASCADE, related_name="tokens"
    )
    access_token_hash = models.CharField(_("access token hash"), max_length=64, unique=True)
    refresh_token_hash = models.CharField(
        _("refresh token hash"), max_length=64, unique=True, null=True, blank=True
    )
    scope = models.CharField(_("scopes"), max_length=1000)
    expires_in = models.PositiveIntegerField(_("lifetime in seconds"))
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PlatformTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("platform token")
        verbose_name_plural = _("platform tokens")

    def __str__(self) -> str:
        return f"token for {self.connection_id}"

    # What Authlib asks of a token (TokenMixin).
    def check_client(self, client: PlatformClient) -> bool:
        return self.connection.client_id == client.pk

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return self.expires_in

    def is_expired(self) -> bool:
        return self.issued_at + timedelta(seconds=self.expires_in) <= timezone.now()

    def is_refresh_expired(self) -> bool:
        return self.issued_at + REFRESH_TOKEN_LIFETIME <= timezone.now()

    def is_revoked(self) -> bool:
        return self.revoked_at is not None or self.connection.disconnected_at is not None

    def get_user(self) -> models.Model:
        return self.connection.owner

    def get_client(self) -> PlatformClient:
        return self.connection.client


class ProfileSuggestion(models.Model):
    """A platform's putProfile, kept until the learner applies or dismisses it."""

    connection = models.OneToOneField(
        PlatformConnection, on_delete=models.CASCADE, related_name="profile_suggestion"
    )
    name = models.CharField(_("display name"), max_length=120, blank=True)
    description = models.TextField(_("bio"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("suggested"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("profile suggestion")
        verbose_name_plural = _("profile suggestions")

    def __str__(self) -> str:
        return f"profile suggestion from {self.connection_id}"


class DeliveryKind(models.TextChoices):
    OB = "ob", _("Open Badges 3.0")
    CLR = "clr", _("CLR 2.0")


class Delivery(models.Model):
    """Which platform delivered a credential, under which issuer and credential ids."""

    credential = models.OneToOneField(
        "credentials.Credential",
        on_delete=models.CASCADE,
        related_name="platform_delivery",
        verbose_name=_("credential"),
    )
    # Kept when the platform's registration goes: the credential still says where it came from.
    client = models.ForeignKey(
        PlatformClient,
        on_delete=models.SET_NULL,
        null=True,
        related_name="deliveries",
        verbose_name=_("platform"),
    )
    platform_name = models.CharField(_("platform"), max_length=200)
    platform_host = models.CharField(_("platform host"), max_length=253)
    kind = models.CharField(_("kind"), max_length=8, choices=DeliveryKind.choices)
    issuer_ref = models.CharField(_("issuer id"), max_length=2000)
    credential_ref = models.CharField(_("credential id"), max_length=2000)
    replaced_at = models.DateTimeField(_("last replaced"), null=True, blank=True)
    created_at = models.DateTimeField(_("delivered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["client", "kind", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.platform_name}: {self.credential_ref}"
