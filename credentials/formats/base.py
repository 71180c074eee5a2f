"""The shape every format reader returns: one ParsedCredential per credential found."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


class CredentialFormat(StrEnum):
    """How a credential is encoded; the word stored and shown for it."""

    OB2_HOSTED = "ob2-hosted"
    OB2_SIGNED = "ob2-signed"
    OB3_VC = "ob3-vc"
    OB3_JWT = "ob3-jwt"
    CLR = "clr"
    OB1 = "ob1"
    BLOCKCERTS = "blockcerts"


class CredentialFormatError(ValueError):
    """The bytes are not a readable credential; `reason` says why in plain words."""

    def __init__(self, reason: str) -> None:
        """Keep the reason for people to read."""
        super().__init__(reason)
        self.reason = reason


@dataclass
class ParsedCredential:
    """One credential found in a file, as read (nothing verified yet).

    - `document`: the credential JSON (for a VC-JWT the credential in its `vc` claim; for a
      signed OB 2.0 assertion the JWS payload);
    - `jws`: the compact JWS/JWT when it arrived signed that way, `claims` its payload;
    - `original`: the exact bytes it arrived as (the whole file when the file is this one
      credential; for a member of a presentation or CLR, its JWT text or compact JSON);
    - `baked_image`: the PNG/SVG it was baked into;
    - `media_type`: what `original` is, as the reader parsed it (`application/json`,
      `application/jwt`, `image/png`, `image/svg+xml`), never guessed from its first bytes;
    - `url`: where a hosted OB 2.0 assertion lives when only its address was baked;
    - `children`: the credentials nested in a CLR;
    - `index`: the position inside the file, in reading order (a CLR before its members).
    """

    format: CredentialFormat
    document: dict[str, Any]
    original: bytes
    index: int = 0
    jws: str | None = None
    claims: dict[str, Any] | None = None
    baked_image: bytes | None = None
    media_type: str = "application/json"
    url: str | None = None
    children: list[ParsedCredential] = field(default_factory=list)

    def walk(self) -> list[ParsedCredential]:
        """This credential followed by every nested one, in reading order."""
        found = [self]
        for child in self.children:
            found.extend(child.walk())
        return found


def types_of(node: Any) -> list[str]:
    """The `type` (or `@type`) values of a JSON-LD node as a list of strings."""
    if not isinstance(node, dict):
        return []
    value = node.get("type", node.get("@type"))
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


def id_of(node: Any) -> str | None:
    """The id of a node given as a string or as an object with `id`."""
    if isinstance(node, str):
        return node
    if isinstance(node, dict):
        value = node.get("id", node.get("@id"))
        if isinstance(value, str):
            return value
    return None


def parse_datetime(value: Any) -> datetime | None:
    """An aware datetime from an ISO 8601 string or a JWT NumericDate; None when unreadable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(value, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("z", "Z"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
