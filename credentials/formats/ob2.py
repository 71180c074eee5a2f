"""Open Badges 2.0 assertions: hosted (JSON) and signed (compact JWS)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from credentials.formats.base import CredentialFormat, ParsedCredential, id_of, types_of

OB2_CONTEXT = "https://w3id.org/openbadges/v2"
OB2_CONTEXT_HINTS = ("w3id.org/openbadges/v2", "openbadgespec.org", "w3id.org/openbadges/v1")


def is_assertion(document: dict[str, Any]) -> bool:
    """Whether a JSON object is an OB 2.0 (or legacy 1.x) assertion."""
    if "Assertion" in types_of(document):
        return True
    context = document.get("@context")
    contexts = context if isinstance(context, list) else [context]
    is_ob2_context = any(
        isinstance(item, str) and any(hint in item for hint in OB2_CONTEXT_HINTS)
        for item in contexts
    )
    return is_ob2_context and "recipient" in document and "badge" in document


def verification_type(document: dict[str, Any]) -> str:
    """`hosted` or `signed`, read from the assertion's `verification` (legacy: `type`)."""
    verification = document.get("verification")
    if isinstance(verification, dict):
        kind = verification.get("type")
        if isinstance(kind, str):
            return kind.lower().replace("signedbadge", "signed").replace("hostedbadge", "hosted")
    return "hosted"


def from_json(document: dict[str, Any], original: bytes) -> ParsedCredential:
    """A JSON assertion; a `signed` one without its JWS still reads, and fails its proof later."""
    kind = verification_type(document)
    fmt = CredentialFormat.OB2_SIGNED if kind == "signed" else CredentialFormat.OB2_HOSTED
    return ParsedCredential(format=fmt, document=document, original=original)


def from_jws(token: str, payload: dict[str, Any], original: bytes) -> ParsedCredential:
    """A signed assertion given as compact JWS."""
    return ParsedCredential(
        format=CredentialFormat.OB2_SIGNED,
        document=payload,
        original=original,
        jws=token,
        claims=payload,
    )


def from_url(url: str, original: bytes) -> ParsedCredential:
    """A legacy baked badge holding only the assertion's address: verification fetches it."""
    return ParsedCredential(
        format=CredentialFormat.OB2_HOSTED,
        document={"id": url, "verification": {"type": "hosted"}},
        original=original,
        url=url,
    )


def structure_problem(document: dict[str, Any]) -> str | None:
    """Why an assertion is not a well-formed OB 2.0 assertion, or None when it is."""
    context = document.get("@context")
    contexts = context if isinstance(context, list) else [context]
    if OB2_CONTEXT not in contexts:
        return _("Its @context is not the Open Badges 2.0 context.")
    if "Assertion" not in types_of(document):
        return _("Its type is not Assertion.")
    recipient = document.get("recipient")
    if not isinstance(recipient, dict) or not isinstance(recipient.get("identity"), str):
        return _("It does not say who it was issued to.")
    if not document.get("badge") or not document.get("issuedOn"):
        return _("It lacks its badge or its issue date.")
    return None


def _as_strings(value: Any) -> list[str]:
    """The strings among a value that may be one string or a list."""
    items = value if isinstance(value, list) else [value]
    return [item for item in items if isinstance(item, str)]


def origin_allowed(assertion_id: str, issuer: dict[str, Any]) -> bool:
    """Whether a hosted assertion's address is one its issuer allows (by default its host)."""
    verification = issuer.get("verification")
    verification = verification if isinstance(verification, dict) else {}
    starts_with = _as_strings(verification.get("startsWith"))
    origins = [origin.lower() for origin in _as_strings(verification.get("allowedOrigins"))]
    host = (urlsplit(assertion_id).hostname or "").lower()
    if starts_with and not any(assertion_id.startswith(prefix) for prefix in starts_with):
        return False
    if origins:
        return host in origins or urlsplit(assertion_id).netloc.lower() in origins
    if starts_with:
        return True
    issuer_host = (urlsplit(id_of(issuer) or "").hostname or "").lower()
    return bool(host) and host == issuer_host


def key_listed(key_id: str, issuer: dict[str, Any]) -> bool:
    """Whether the issuer profile lists the key under `publicKey`."""
    listed = issuer.get("publicKey")
    items = listed if isinstance(listed, list) else [listed]
    return any(id_of(item) == key_id for item in items)
