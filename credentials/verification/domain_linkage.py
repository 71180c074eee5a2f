"""DIF Well-Known DID Configuration: does a web origin say that a DID is its own?

The origin publishes `https://<host>/.well-known/did-configuration.json`, whose `linked_dids`
holds Domain Linkage Credentials: VCs issued by the DID about itself, naming the origin
(`credentialSubject.origin`), signed as a JWT or with an embedded proof. One that holds,
signed by a key the DID lists for assertions, binds the DID to that origin's domain.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from credentials.fetcher import FetchError, fetch_json
from credentials.formats.base import id_of, parse_datetime, types_of
from credentials.verification import jws
from credentials.verification.proofs import verify_proofs

CONFIGURATION_PATH = "/.well-known/did-configuration.json"
_MAX_LINKED_DIDS = 20


@dataclass(frozen=True)
class DomainLinkage:
    """What the origin's DID configuration showed: linked or not, and why not."""

    is_linked: bool
    origin: str
    reason: str = ""
    is_transient: bool = False


def origin_of(url: Any) -> str:
    """The `scheme://host[:port]` of a web address, lower-cased; "" for anything else."""
    if not isinstance(url, str):
        return ""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return ""
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return ""
    default = {"https": 443, "http": 80}[parts.scheme]
    suffix = f":{port}" if port and port != default else ""
    return f"{parts.scheme}://{parts.hostname.lower()}{suffix}"


def _subject(credential: dict[str, Any]) -> dict[str, Any]:
    subject = credential.get("credentialSubject")
    return subject if isinstance(subject, dict) else {}


def _names_the_link(credential: dict[str, Any], did: str, origin: str, at: datetime) -> bool:
    """A Domain Linkage Credential by `did` about `did`, naming `origin`, valid at `at`."""
    subject = _subject(credential)
    if "DomainLinkageCredential" not in types_of(credential):
        return False
    if id_of(credential.get("issuer")) != did or subject.get("id") != did:
        return False
    named = subject.get("origin")
    # The spec's own JWT example leaves out the scheme; https is then meant.
    if isinstance(named, str) and "://" not in named:
        named = f"https://{named}"
    if origin_of(named) != origin:
        return False
    for name in ("expirationDate", "validUntil"):
        end = parse_datetime(credential.get(name)) if credential.get(name) else None
        if end is not None and end <= at:
            return False
    return True


def _jwt_links(token: str, did: str, origin: str, at: datetime) -> bool:
    """A JWT linkage credential: signed by the DID's own key, `iss` and `sub` the DID."""
    verified = jws.verify_compact(token)
    claims = verified.claims or {}
    key = verified.key
    if key is None or key.controller != did or not key.is_assertion_method:
        return False
    if claims.get("iss") != did or claims.get("sub") != did:
        return False
    expires = claims.get("exp")
    if isinstance(expires, int | float) and expires <= at.timestamp():
        return False
    credential = claims.get("vc")
    return isinstance(credential, dict) and _names_the_link(
        {**credential, "issuer": credential.get("issuer", did)}, did, origin, at
    )


def _ld_links(credential: dict[str, Any], did: str, origin: str, at: datetime) -> bool:
    """An embedded-proof linkage credential whose every proof holds with the DID's key."""
    if not _names_the_link(credential, did, origin, at):
        return False
    outcomes = verify_proofs(credential, now=at)
    for outcome in outcomes:
        if outcome.transient:
            raise FetchError(outcome.reason, transient=True)
    return bool(outcomes) and all(
        outcome.ok
        and outcome.key is not None
        and outcome.key.controller == did
        and outcome.key.is_assertion_method
        for outcome in outcomes
    )


def check_domain_linkage(did: str, url: str, *, at: datetime | None = None) -> DomainLinkage:
    """Whether the origin of `url` publishes a DID configuration linking it to `did`."""
    moment = at or datetime.now(UTC)
    origin = origin_of(url)
    if not origin or not did.startswith("did:"):
        return DomainLinkage(is_linked=False, origin=origin, reason="no web origin")
    try:
        document = fetch_json(origin + CONFIGURATION_PATH, cache=True)
    except FetchError as error:
        return DomainLinkage(False, origin, error.reason, is_transient=error.transient)
    linked = document.get("linked_dids") if isinstance(document, dict) else None
    if not isinstance(linked, list):
        return DomainLinkage(False, origin, "the DID configuration has no linked_dids")
    reasons = []
    for item in linked[:_MAX_LINKED_DIDS]:
        try:
            if isinstance(item, str) and _jwt_links(item, did, origin, moment):
                return DomainLinkage(True, origin)
            if isinstance(item, dict) and _ld_links(item, did, origin, moment):
                return DomainLinkage(True, origin)
        except jws.JwsError as error:
            if error.transient:
                return DomainLinkage(False, origin, error.reason, is_transient=True)
            reasons.append(error.reason)
        except FetchError as error:
            return DomainLinkage(False, origin, error.reason, is_transient=True)
    reason = reasons[0] if reasons else f"no linkage credential for {did}"
    return DomainLinkage(False, origin, reason)
