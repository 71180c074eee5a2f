"""Signing what the wallet itself asserts: JWTs (a proof of possession) and presentations.

The verifier in `credentials/verification` checks what others signed; this module makes the
wallet's own signatures with a holder key, in the same encodings the verifier reads: compact
JWS with ES256 (P-256) or EdDSA (Ed25519), and Data Integrity `eddsa-rdfc-2022` proofs.
"""

import base64
import json
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from credentials.verification.keys import base58_encode
from credentials.verification.suites.eddsa import signing_input

PrivateKey = ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey

# Multicodec prefix of an Ed25519 public key in a did:key / Multikey.
_ED25519_MULTICODEC = b"\xed\x01"


def b64url(data: bytes) -> str:
    """Unpadded base64url, as JOSE writes it."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def jws_algorithm(private_key: PrivateKey) -> str:
    """The JOSE algorithm a key signs with: EdDSA for Ed25519, ES256 for P-256."""
    if isinstance(private_key, ed25519.Ed25519PrivateKey):
        return "EdDSA"
    if isinstance(private_key, ec.EllipticCurvePrivateKey) and private_key.curve.name == (
        "secp256r1"
    ):
        return "ES256"
    raise TypeError("the wallet signs with Ed25519 and P-256 keys only")


def public_jwk(private_key: PrivateKey) -> dict[str, str]:
    """The public half of a key as a JWK (never the private `d`)."""
    public_key = private_key.public_key()
    if isinstance(public_key, ed25519.Ed25519PublicKey):
        raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw)}
    numbers = public_key.public_numbers()
    return {
        "kty": "EC",
        "crv": "P-256",
        "x": b64url(numbers.x.to_bytes(32, "big")),
        "y": b64url(numbers.y.to_bytes(32, "big")),
    }


def ed25519_multikey(public_key: ed25519.Ed25519PublicKey) -> str:
    """The publicKeyMultibase of an Ed25519 key (z6Mk…), which is also its did:key."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + base58_encode(_ED25519_MULTICODEC + raw)


def sign_jwt(private_key: PrivateKey, header: dict[str, Any], claims: dict[str, Any]) -> str:
    """A compact JWS over `claims`; `alg` comes from the key, the rest of the header from you."""
    protected = {**header, "alg": jws_algorithm(private_key)}
    encoded = b64url(json.dumps(protected, separators=(",", ":")).encode())
    payload = b64url(json.dumps(claims, separators=(",", ":")).encode())
    data = f"{encoded}.{payload}".encode("ascii")
    if isinstance(private_key, ed25519.Ed25519PrivateKey):
        signature = private_key.sign(data)
    else:
        # JOSE wants r || s, each 32 bytes, not the DER that cryptography returns.
        r, s = decode_dss_signature(private_key.sign(data, ec.ECDSA(hashes.SHA256())))
        signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return f"{encoded}.{payload}.{b64url(signature)}"


def sign_data_integrity(
    document: dict[str, Any],
    private_key: ed25519.Ed25519PrivateKey,
    *,
    verification_method: str,
    proof_purpose: str,
    challenge: str = "",
    domain: str = "",
    created: datetime | None = None,
) -> dict[str, Any]:
    """A copy of `document` with an `eddsa-rdfc-2022` DataIntegrityProof made with the key."""
    moment = (created or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    proof: dict[str, Any] = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": moment.isoformat().replace("+00:00", "Z"),
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    if challenge:
        proof["challenge"] = challenge
    if domain:
        proof["domain"] = domain
    unsigned = {key: value for key, value in document.items() if key != "proof"}
    data = signing_input(unsigned, proof, [proof])
    proof["proofValue"] = "z" + base58_encode(private_key.sign(data))
    return {**unsigned, "proof": proof}
