"""Signed credentials made fresh for each run: OB 3.0 (eddsa-rdfc-2022), OB 2.0 signed, CLR.

The signing helpers are the test suite's (tests/credentials/support), so the
benchmarks verify exactly what the tests prove correct.
"""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa

from tests.credentials.support import fixtures, signing
from tests.credentials.support.issuer import SigningIssuer, did_key_issuer
from tests.credentials.support.server import LocalServer

# A 1x1 PNG, the way many OB 3.0 issuers embed the badge image.
IMAGE_DATA_URI = "data:image/png;base64," + base64.b64encode(fixtures.png()).decode()


def _urn(prefix: int, index: int) -> str:
    """A distinct, stable credential id."""
    return f"urn:uuid:{uuid.UUID(int=(prefix << 64) | index)}"


def ob3_credentials(
    count: int,
    *,
    issuers: list[SigningIssuer],
    prefix: int,
    subject: str = fixtures.LEARNER_DID,
    skill_areas: int = 1,
) -> list[dict[str, Any]]:
    """`count` distinct signed OpenBadgeCredentials, spread over `issuers` and skill areas."""
    signed = []
    for index in range(count):
        issuer = issuers[index % len(issuers)]
        document = fixtures.achievement_credential(
            issuer.id,
            credential_id=_urn(prefix, index),
            subject_id=subject,
            name=f"Skill {prefix}-{index}",
        )
        document["credentialSubject"]["achievement"]["id"] = (
            f"https://example.org/achievements/{prefix}-{index}"
        )
        document["credentialSubject"]["achievement"]["image"]["id"] = IMAGE_DATA_URI
        alignment = document["credentialSubject"]["achievement"]["alignment"][0]
        area = index % skill_areas
        alignment["targetName"] = f"Skill area {area}" if skill_areas > 1 else "Collaboration"
        alignment["targetCode"] = f"A{area}"
        # Each proof made at its own second, as real issuers do: no two proof configs alike.
        created = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(seconds=prefix * 100_000 + index)
        signed.append(issuer.sign(document, created=created.strftime("%Y-%m-%dT%H:%M:%SZ")))
    return signed


def new_issuers(count: int) -> list[SigningIssuer]:
    """Issuers identified by the did:key of their own Ed25519 key."""
    return [did_key_issuer() for _ in range(count)]


def clr(issuer: SigningIssuer, members: list[dict[str, Any]], *, prefix: int) -> bytes:
    """A signed ClrCredential holding `members`, as the bytes a learner uploads."""
    document = fixtures.clr_credential(issuer.id, members)
    document["id"] = _urn(prefix, 0xFFFF)
    return json.dumps(issuer.sign(document)).encode()


@dataclass
class Ob2Issuer:
    """An OB 2.0 issuer site on loopback: profile, RSA key, badge class, revocation list."""

    server: LocalServer
    key: rsa.RSAPrivateKey
    key_url: str
    badge_url: str

    def assertions(self, count: int, *, prefix: int) -> list[str]:
        """`count` distinct signed assertions (compact JWS, RS256)."""
        tokens = []
        for index in range(count):
            assertion = fixtures.ob2_assertion(
                _urn(prefix, index), self.badge_url, kind="signed", creator=self.key_url
            )
            tokens.append(signing.make_jws(assertion, self.key, "RS256"))
        return tokens


def ob2_issuer_site() -> Ob2Issuer:
    """Start a loopback site serving an OB 2.0 issuer (the caller stops `server`)."""
    server = LocalServer()
    server.start()
    key = signing.new_rsa_key()
    key_url, issuer_url = server.url("/keys/1"), server.url("/issuer")
    server.add(
        "/keys/1",
        {
            "@context": fixtures.OB2,
            "type": "CryptographicKey",
            "id": key_url,
            "owner": issuer_url,
            "publicKeyPem": signing.pem_for(key.public_key()),
        },
    )
    server.add(
        "/issuer",
        fixtures.ob2_issuer(issuer_url, publicKey=key_url, revocationList=server.url("/revoked")),
    )
    server.add("/revoked", {"type": "RevocationList", "revokedAssertions": []})
    badge_url = server.add("/badge", fixtures.ob2_badge(server.url("/badge"), issuer_url))
    return Ob2Issuer(server=server, key=key, key_url=key_url, badge_url=badge_url)


def presentation(members: list[dict[str, Any]]) -> bytes:
    """An unsigned Verifiable Presentation of `members`, as uploaded bytes."""
    return json.dumps(fixtures.presentation(members)).encode()
