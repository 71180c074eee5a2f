"""Demo credentials for local development: signed by a demo issuer key so they
verify offline (did:key, no network). Only the seed_demo command uses this."""

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from credentials.verification.keys import base58_encode
from credentials.verification.proofs import signing_input

DEMO_ISSUER_NAME = "Skills Wallet Demo College"
VC2 = "https://www.w3.org/ns/credentials/v2"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

DEMO_BADGES = [
    ("Data Analysis Fundamentals", "Cleans, explores and charts data sets.", "DA-101", 400, None),
    ("Team Leadership", "Leads a project team through a full delivery cycle.", "TL-210", 200, None),
    ("Workplace Safety", "Completed the annual workplace safety training.", "WS-001", 800, 400),
]


def demo_issuer_key() -> Ed25519PrivateKey:
    """The demo issuer's key, derived from SECRET_KEY so every run signs alike."""
    seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"demo-issuer").derive(
        settings.SECRET_KEY.encode()
    )
    return Ed25519PrivateKey.from_private_bytes(seed)


def demo_issuer_did() -> str:
    raw = (
        demo_issuer_key()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    return "did:key:z" + base58_encode(b"\xed\x01" + raw)


def demo_credentials(email: str) -> list[bytes]:
    """Signed OB 3.0 credentials issued to `email` by the demo issuer."""
    now = datetime.now(UTC).replace(microsecond=0)
    return [
        _signed(_credential(email, name, description, code, now, issued_days, expires_days))
        for name, description, code, issued_days, expires_days in DEMO_BADGES
    ]


def _credential(
    email: str,
    name: str,
    description: str,
    code: str,
    now: datetime,
    issued_days: int,
    expires_days: int | None,
) -> dict[str, Any]:
    did = demo_issuer_did()
    document: dict[str, Any] = {
        "@context": [VC2, OB3],
        "id": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{email}/{code}')}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": did, "type": ["Profile"], "name": DEMO_ISSUER_NAME},
        "validFrom": _iso(now - timedelta(days=issued_days)),
        "name": name,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": email,
                    "identityType": "emailAddress",
                    "hashed": False,
                }
            ],
            "achievement": {
                "id": f"https://demo.example/achievements/{code.lower()}",
                "type": ["Achievement"],
                "name": name,
                "description": description,
                "criteria": {"narrative": f"Passed the {name} assessment."},
                "alignment": [
                    {
                        "type": ["Alignment"],
                        "targetName": name,
                        "targetUrl": f"https://demo.example/framework/{code.lower()}",
                        "targetFramework": "Demo Skills Framework",
                        "targetCode": code,
                    }
                ],
            },
        },
    }
    if expires_days is not None:
        document["validUntil"] = _iso(now - timedelta(days=issued_days - expires_days))
    return document


def _signed(document: dict[str, Any]) -> bytes:
    key = demo_issuer_key()
    did = demo_issuer_did()
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": document["validFrom"],
        "verificationMethod": f"{did}#{did.removeprefix('did:key:')}",
        "proofPurpose": "assertionMethod",
    }
    proof["proofValue"] = "z" + base58_encode(key.sign(signing_input(document, proof)))
    return json.dumps({**document, "proof": proof}, indent=2).encode()


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")
