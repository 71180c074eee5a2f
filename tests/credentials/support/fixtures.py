"""Small builders for credentials, issuer documents, status lists and baked images."""

from __future__ import annotations

import base64
import gzip
import struct
import zlib
from typing import Any

VC2 = "https://www.w3.org/ns/credentials/v2"
VC1 = "https://www.w3.org/2018/credentials/v1"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB2 = "https://w3id.org/openbadges/v2"
CLR2 = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"

LEARNER_EMAIL = "ada@example.org"
LEARNER_DID = "did:example:ada"


def achievement_credential(
    issuer_id: str,
    *,
    credential_id: str = "urn:uuid:8c7e6a1e-4f1a-4b8e-9d0a-1a2b3c4d5e6f",
    subject_id: str | None = LEARNER_DID,
    valid_from: str = "2024-01-01T00:00:00Z",
    valid_until: str | None = None,
    status: dict[str, Any] | None = None,
    name: str = "Teamwork",
    identifier: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An unsigned OB 3.0 OpenBadgeCredential (VCDM 2.0)."""
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "achievement": {
            "id": "https://example.org/achievements/teamwork",
            "type": ["Achievement"],
            "name": name,
            "description": "Works well with others.",
            "criteria": {"narrative": "Nominated by peers."},
            "image": {"id": "https://example.org/teamwork.png", "type": "Image"},
            "alignment": [
                {
                    "type": ["Alignment"],
                    "targetName": "Collaboration",
                    "targetUrl": "https://example.org/frameworks/collab",
                    "targetFramework": "Example Skills",
                    "targetCode": "C1",
                }
            ],
        },
    }
    if subject_id:
        subject["id"] = subject_id
    if identifier:
        subject["identifier"] = [identifier]
    credential: dict[str, Any] = {
        "@context": [VC2, OB3],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer_id, "type": ["Profile"], "name": "Example University"},
        "validFrom": valid_from,
        "name": name,
        "credentialSubject": subject,
    }
    if valid_until:
        credential["validUntil"] = valid_until
    if status:
        credential["credentialStatus"] = status
    return credential


def clr_credential(issuer_id: str, members: list[Any]) -> dict[str, Any]:
    """An unsigned CLR 2.0 ClrCredential holding `members`."""
    return {
        "@context": [VC2, CLR2, OB3],
        "id": "urn:uuid:2f1d6c52-0e33-4b35-9c6f-0a8b5d4e3c21",
        "type": ["VerifiableCredential", "ClrCredential"],
        "issuer": {"id": issuer_id, "type": ["Profile"], "name": "Example University"},
        "validFrom": "2024-01-01T00:00:00Z",
        "name": "Transcript",
        "credentialSubject": {
            "type": ["ClrSubject"],
            "id": LEARNER_DID,
            "verifiableCredential": members,
        },
    }


def presentation(members: list[Any]) -> dict[str, Any]:
    """An unsigned Verifiable Presentation of `members`."""
    return {"@context": [VC2], "type": ["VerifiablePresentation"], "verifiableCredential": members}


def encode_bitstring(set_bits: set[int], *, length: int = 131_072, multibase: bool = True) -> str:
    """A GZIP base64url bitstring with `set_bits` set (left-most bit is index 0)."""
    bits = bytearray(length // 8)
    for index in set_bits:
        bits[index // 8] |= 0x80 >> (index % 8)
    encoded = base64.urlsafe_b64encode(gzip.compress(bytes(bits))).decode().rstrip("=")
    return f"u{encoded}" if multibase else encoded


def status_list(
    list_url: str, issuer_id: str, *, revoked: set[int], purpose: str = "revocation"
) -> dict[str, Any]:
    """An unsigned BitstringStatusListCredential."""
    return {
        "@context": [VC2],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encode_bitstring(revoked),
        },
    }


def status_entry(list_url: str, index: int | str, purpose: str = "revocation") -> dict[str, Any]:
    """A BitstringStatusListEntry pointing at `index` of the list."""
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": index,
        "statusListCredential": list_url,
    }


def ob2_issuer(issuer_url: str, **extra: Any) -> dict[str, Any]:
    """An OB 2.0 Issuer profile."""
    return {
        "@context": OB2,
        "type": "Issuer",
        "id": issuer_url,
        "name": "Example College",
        "url": "https://example.org",
        "email": "badges@example.org",
        **extra,
    }


def ob2_badge(badge_url: str, issuer: str | dict[str, Any]) -> dict[str, Any]:
    """An OB 2.0 BadgeClass."""
    return {
        "@context": OB2,
        "type": "BadgeClass",
        "id": badge_url,
        "name": "Robotics",
        "description": "Built a robot.",
        "image": "https://example.org/robot.png",
        "criteria": {"narrative": "Build a robot that walks."},
        "issuer": issuer,
        "alignment": [{"targetName": "Engineering", "targetUrl": "https://example.org/eng"}],
    }


def ob2_assertion(
    assertion_url: str,
    badge: str | dict[str, Any],
    *,
    kind: str = "hosted",
    creator: str | None = None,
    email: str = LEARNER_EMAIL,
    hashed: bool = True,
    issued_on: str = "2024-01-01T00:00:00Z",
    expires: str | None = None,
) -> dict[str, Any]:
    """An OB 2.0 Assertion, hosted or signed, with a salted-hash email recipient by default."""
    import hashlib

    salt = "deadsea"
    identity = f"sha256${hashlib.sha256((email + salt).encode()).hexdigest()}" if hashed else email
    verification: dict[str, Any] = {"type": kind}
    if creator:
        verification["creator"] = creator
    assertion: dict[str, Any] = {
        "@context": OB2,
        "type": "Assertion",
        "id": assertion_url,
        "recipient": {"type": "email", "hashed": hashed, "identity": identity},
        "badge": badge,
        "issuedOn": issued_on,
        "verification": verification,
    }
    if hashed:
        assertion["recipient"]["salt"] = salt
    if expires:
        assertion["expires"] = expires
    return assertion


def png_chunk(kind: bytes, body: bytes) -> bytes:
    """One PNG chunk with its length and CRC."""
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png(*extra_chunks: bytes, width: int = 1, height: int = 1) -> bytes:
    """A tiny valid RGB PNG with `extra_chunks` before IEND."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", pixels)
        + b"".join(extra_chunks)
        + png_chunk(b"IEND", b"")
    )


def itxt(keyword: str, text: str, *, compressed: bool = False) -> bytes:
    """An iTXt chunk (optionally zlib-compressed)."""
    data = text.encode()
    if compressed:
        data = zlib.compress(data)
    body = keyword.encode() + b"\x00" + bytes([int(compressed), 0]) + b"\x00\x00" + data
    return png_chunk(b"iTXt", body)


def baked_png(payload: str, *, ob3: bool = True, compressed: bool = False) -> bytes:
    """A PNG with a credential baked in."""
    return png(itxt("openbadgecredential" if ob3 else "openbadges", payload, compressed=compressed))


def baked_svg(payload: str, *, ob3: bool = True, verify: str | None = None) -> bytes:
    """An SVG (with the usual DOCTYPE) with a credential baked in."""
    if ob3:
        namespace, element = "https://purl.imsglobal.org/ob/v3p0", "credential"
    else:
        namespace, element = "http://openbadges.org", "assertion"
    verify_attribute = f' verify="{verify}"' if verify else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="{namespace}" '
        'viewBox="0 0 10 10">'
        f"<openbadges:{element}{verify_attribute}><![CDATA[{payload}]]></openbadges:{element}>"
        '<rect width="10" height="10"/></svg>'
    ).encode()
