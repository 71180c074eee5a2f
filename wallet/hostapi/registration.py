"""Dynamic registration of an issuer's platform (RFC 7591): the checks, the logo, the row."""

import hashlib
import hmac
import logging
from typing import Any
from urllib.parse import urlsplit

from authlib.oauth2.rfc7591.errors import InvalidClientMetadataError, InvalidRedirectURIError
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpRequest

from credentials import i18n
from credentials.clients import client_address
from credentials.fetcher import FetchError, fetch
from credentials.images import ImageError, to_png
from credentials.services import record_audit_event
from wallet.audit import AccountAction
from wallet.hostapi import scopes
from wallet.hostapi.models import PlatformClient
from wallet.hostapi.secrets import hash_secret

logger = logging.getLogger(__name__)

REGISTRATIONS_PER_HOUR = 10
MAX_REDIRECT_URIS = 10
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def registration_allowed(request: HttpRequest) -> bool:
    """Count one registration for the client's address; False past the hourly limit."""
    address = client_address(request)
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256)
    key = f"hostapi-register:{digest.hexdigest()[:32]}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3600)
        count = 1
    return count <= REGISTRATIONS_PER_HOUR


STRING_FIELDS = (
    "client_name",
    "client_uri",
    "logo_uri",
    "tos_uri",
    "policy_uri",
    "software_id",
    "software_version",
    "scope",
    "token_endpoint_auth_method",
)
LIST_FIELDS = ("redirect_uris", "grant_types", "response_types", "contacts")


def shape_error(metadata: dict[str, Any]) -> str | None:
    """Why the metadata's shape is wrong (a field of the wrong type), or None.

    Checked before Authlib's claims, which expect each field to have its registered type.
    """
    for name in STRING_FIELDS:
        if name in metadata and not isinstance(metadata[name], str):
            return f"{name} must be a string."
    for name in LIST_FIELDS:
        value = metadata.get(name, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            return f"{name} must be a list of strings."
    for name in ("jwks", "jwks_uri", "software_statement"):
        if name in metadata:
            return f"{name} is not accepted: this server uses client_secret_basic."
    return None


def _checked_url(value: Any, field: str, host: str | None) -> str:
    """An https address (http only on an allow-listed loopback host) on the platform's host."""
    if not isinstance(value, str) or not value or len(value) > 2000:
        raise InvalidClientMetadataError(f"{field} must be an address.")
    parts = urlsplit(value)
    hostname = (parts.hostname or "").lower()
    error = InvalidRedirectURIError if field == "redirect_uris" else InvalidClientMetadataError
    try:
        parts.port  # noqa: B018 (raises ValueError for a port that is not 0 to 65535)
    except ValueError:
        raise error(f"{field} has a port that is not a number from 0 to 65535.") from None
    secure = parts.scheme == "https" or (parts.scheme == "http" and _loopback_allowed(parts))
    if not secure or not hostname or parts.fragment or parts.username or parts.password:
        raise error(f"{field} must be an https address without a fragment.")
    if host is not None and hostname != host:
        raise error(f"{field} must be on {host}, the host of client_uri.")
    return value


def _loopback_allowed(parts: Any) -> bool:
    # Plain http only where the operator allowed the fetcher to reach a loopback host:
    # a local test platform, never a deployment's real clients.
    hostname = (parts.hostname or "").lower()
    if hostname not in LOOPBACK_HOSTS:
        return False
    allowed = {entry.strip().lower() for entry in settings.FETCH_ALLOWLIST}
    return hostname in allowed or f"{hostname}:{parts.port}" in allowed


def _text(metadata: dict[str, Any], field: str, limit: int, *, required: bool = False) -> str:
    value = metadata.get(field, "")
    if not isinstance(value, str) or len(value) > limit or (required and not value.strip()):
        raise InvalidClientMetadataError(f"{field} must be text of at most {limit} characters.")
    return " ".join(value.split())


def _logo_png(logo_uri: str) -> bytes | None:
    """The platform's logo, fetched through the guarded fetcher and re-encoded as PNG."""
    try:
        response = fetch(logo_uri, accept="image/png,image/*", max_bytes=settings.IMPORT_MAX_BYTES)
        if response.status != 200:
            return None
        return to_png(response.body)
    except (FetchError, ImageError) as exc:
        logger.info("platform logo skipped: %s", exc)
        return None


def register_platform(*, client_info: dict[str, Any], metadata: dict[str, Any]) -> PlatformClient:
    """Check a registration request and store the platform; its secret only as a hash."""
    name = _text(metadata, "client_name", 200, required=True)
    client_uri = _checked_url(metadata.get("client_uri"), "client_uri", None)
    host = (urlsplit(client_uri).hostname or "").lower()
    redirect_uris = metadata.get("redirect_uris")
    if not isinstance(redirect_uris, list) or not 0 < len(redirect_uris) <= MAX_REDIRECT_URIS:
        raise InvalidRedirectURIError(f"Give 1 to {MAX_REDIRECT_URIS} redirect_uris.")
    redirect_uris = [_checked_url(uri, "redirect_uris", host) for uri in redirect_uris]
    optional = {
        field: _checked_url(metadata[field], field, host) if metadata.get(field) else ""
        for field in ("logo_uri", "tos_uri", "policy_uri")
    }
    requested = scopes.split(metadata.get("scope"))
    if not requested or not set(requested) <= set(scopes.SUPPORTED):
        raise InvalidClientMetadataError(
            "scope must name scopes of the service description document."
        )
    method = metadata.get("token_endpoint_auth_method", "client_secret_basic")
    if method != "client_secret_basic":
        raise InvalidClientMetadataError("token_endpoint_auth_method must be client_secret_basic.")
    logo = _logo_png(optional["logo_uri"]) if optional["logo_uri"] else None
    written = ""
    try:
        with transaction.atomic():
            for stale in PlatformClient.objects.expired_unused():
                if stale.logo:
                    transaction.on_commit(lambda name=stale.logo.name: default_storage.delete(name))
                stale.delete()
            client = PlatformClient(
                client_id=client_info["client_id"],
                client_secret_hash=hash_secret(client_info["client_secret"]),
                name=name,
                host=host,
                client_uri=client_uri,
                software_id=_text(metadata, "software_id", 200),
                software_version=_text(metadata, "software_version", 100),
                redirect_uris=redirect_uris,
                scope=" ".join(requested),
                **optional,
            )
            if logo:
                client.logo.save("logo.png", ContentFile(logo), save=False)
                written = client.logo.name
            client.save()
            record_audit_event(
                action=AccountAction.PLATFORM_REGISTERED,
                target=client,
                detail=i18n.gettext("%(name)s (%(host)s)") % {"name": name, "host": host},
            )
    except BaseException:
        # The row rolled back; the logo it pointed at must go too.
        if written:
            default_storage.delete(written)
        raise
    return client
