"""Open Badges 1.0 and 0.5 (the Mozilla Backpack era), upgraded to the OB 2.0 shape.

These assertions carry no `@context`. They are upgraded the way 1EdTech's validator does
it, so that the rest of the wallet reads them as OB 2.0: an assertion takes the address
it is hosted at as its id (a signed one `uid:` and its uid), `verify` becomes
`verification`, unix timestamps become ISO 8601 dates; a BadgeClass or Issuer takes the
address it was fetched from as its id; 0.5's plain recipient, `issued_on` and embedded
issuer (`origin`, `contact`, `org`) are renamed. The bytes as they arrived are kept
beside the upgrade (`ParsedCredential.original`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from credentials.formats.base import CredentialFormat, ParsedCredential

OB2_CONTEXT = "https://w3id.org/openbadges/v2"
_VERIFICATION_TYPES = {"hosted": "HostedBadge", "signed": "SignedBadge"}
# OB 1.0 alignment terms and the OB 2.0 names the validator gives them.
_ALIGNMENT_TERMS = (
    ("url", "targetUrl"),
    ("name", "targetName"),
    ("description", "targetDescription"),
)


def is_backpack_assertion(document: dict[str, Any]) -> bool:
    """Whether a JSON object is an OB 0.5 assertion: a plain recipient, the badge embedded."""
    return (
        "@context" not in document
        and isinstance(document.get("recipient"), str)
        and isinstance(document.get("badge"), dict)
    )


def is_assertion(document: dict[str, Any]) -> bool:
    """Whether a JSON object is an OB 1.0 (or 0.5) assertion."""
    if "@context" in document or "recipient" not in document or "badge" not in document:
        return False
    return isinstance(document.get("verify"), dict) or is_backpack_assertion(document)


def verification_type(document: dict[str, Any]) -> str:
    """`hosted` or `signed`, read from an upgraded assertion."""
    verification = document.get("verification")
    kind = verification.get("type") if isinstance(verification, dict) else None
    return (
        "signed"
        if isinstance(kind, str) and kind.lower() in ("signed", "signedbadge")
        else "hosted"
    )


def verification_url(document: dict[str, Any]) -> str | None:
    """The hosted assertion's address, or the signing key's, of an upgraded assertion."""
    verification = document.get("verification")
    url = verification.get("url") if isinstance(verification, dict) else None
    return url if isinstance(url, str) else None


def upgrade_datetime(value: Any) -> Any:
    """An ISO 8601 date from a unix timestamp, an ISO date or a bare day; else as it was."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float) or (isinstance(value, str) and _is_number(value)):
        try:
            return datetime.fromtimestamp(float(value), tz=UTC).isoformat()
        except (OverflowError, OSError, ValueError):
            return value
    if not isinstance(value, str) or len(value) > 64:
        return value
    try:
        parsed = datetime.fromisoformat(value.strip().replace("z", "Z"))
    except ValueError:
        return value
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).isoformat()


def _is_number(value: str) -> bool:
    """Whether a string is a plain (unix timestamp) number."""
    try:
        float(value)
    except ValueError:
        return False
    return value.strip().replace(".", "", 1).isdigit()


def _recipient(document: dict[str, Any]) -> Any:
    """The recipient as an OB 2.0 identity object (0.5 gave a plain email or hash)."""
    recipient = document.get("recipient")
    if not isinstance(recipient, str):
        return recipient
    upgraded: dict[str, Any] = {
        "type": "email",
        "identity": recipient,
        "hashed": "@" not in recipient,
    }
    if isinstance(document.get("salt"), str):
        upgraded["salt"] = document["salt"]
    return upgraded


def upgrade_assertion(document: dict[str, Any], *, url: str | None = None) -> dict[str, Any]:
    """An OB 1.0/0.5 assertion in the OB 2.0 shape; `url` is where it was fetched from."""
    data = {key: value for key, value in document.items() if key not in ("verify", "salt")}
    verify = document.get("verify")
    verify = verify if isinstance(verify, dict) else {}
    kind = str(verify.get("type") or "hosted").lower()
    verification: dict[str, Any] = {"type": _VERIFICATION_TYPES.get(kind, verify.get("type"))}
    if isinstance(verify.get("url"), str):
        verification["url"] = verify["url"]
    elif url and kind == "hosted":
        verification["url"] = url
    if "issued_on" in data and "issuedOn" not in data:
        data["issuedOn"] = data.pop("issued_on")
    node_id = url or data.get("id")
    if not node_id and kind == "hosted":
        node_id = verification.get("url")
    if not node_id and data.get("uid") is not None:
        node_id = f"uid:{data['uid']}"
    if node_id:
        data["id"] = node_id
    data.update(
        {
            "@context": OB2_CONTEXT,
            "type": "Assertion",
            "recipient": _recipient(document),
            "verification": verification,
        }
    )
    for name in ("issuedOn", "expires"):
        if name in data:
            data[name] = upgrade_datetime(data[name])
    if isinstance(data.get("badge"), dict):
        data["badge"] = upgrade_badge_class(data["badge"])
    return data


def upgrade_badge_class(document: dict[str, Any], *, url: str | None = None) -> dict[str, Any]:
    """An OB 1.0/0.5 BadgeClass in the OB 2.0 shape; `url` is where it was fetched from."""
    data = dict(document)
    data.pop("version", None)
    if url:
        data["id"] = url
    data.setdefault("@context", OB2_CONTEXT)
    data.setdefault("type", "BadgeClass")
    alignments = data.get("alignment")
    if isinstance(alignments, list):
        data["alignment"] = [_upgrade_alignment(item) for item in alignments]
    elif isinstance(alignments, dict):
        data["alignment"] = _upgrade_alignment(alignments)
    if isinstance(data.get("issuer"), dict):
        data["issuer"] = upgrade_issuer(data["issuer"])
    return data


def _upgrade_alignment(node: Any) -> Any:
    """One alignment with the OB 2.0 target* names."""
    if not isinstance(node, dict):
        return node
    upgraded = dict(node)
    for term, new_term in _ALIGNMENT_TERMS:
        if term in upgraded and new_term not in upgraded:
            upgraded[new_term] = upgraded.pop(term)
    return upgraded


def upgrade_issuer(document: dict[str, Any], *, url: str | None = None) -> dict[str, Any]:
    """An OB 1.0 IssuerOrganization (or 0.5 issuer) as an OB 2.0 Issuer."""
    data = dict(document)
    if url:
        data["id"] = url
    data.setdefault("@context", OB2_CONTEXT)
    data.setdefault("type", "Issuer")
    for term, new_term in (("contact", "email"), ("origin", "url")):
        if term in data and new_term not in data:
            data[new_term] = data.pop(term)
    if isinstance(data.get("name"), str) and isinstance(data.get("org"), str):
        data["name"] = f"{data['name']}: {data.pop('org')}"
    return data


def from_json(document: dict[str, Any], original: bytes) -> ParsedCredential:
    """A JSON assertion, hosted or (without its JWS, failing its proof later) signed."""
    return ParsedCredential(
        format=CredentialFormat.OB1, document=upgrade_assertion(document), original=original
    )


def from_jws(token: str, payload: dict[str, Any], original: bytes) -> ParsedCredential:
    """A signed assertion given as compact JWS."""
    return ParsedCredential(
        format=CredentialFormat.OB1,
        document=upgrade_assertion(payload),
        original=original,
        jws=token,
        claims=payload,
    )
