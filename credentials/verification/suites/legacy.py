"""The Linked Data Signatures suites that came before Data Integrity: Ed25519Signature2018
and JsonWebSignature2020 (a detached JWS in `jws`), and Ed25519Signature2020 (a multibase
`proofValue`).

All three sign hash(canonical proof options) || hash(canonical document), RDFC-1.0 and
SHA-256 whatever the key. Their proof options are the proof less its signature, under the
proof's own `@context` when it has one (DIDKit and LearnCard write one that need not match
the document's), else under the document's. A detached JWS (RFC 7797, `b64: false`) signs
ASCII(header + ".") followed by those 64 bytes.
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from credentials.verification.keys import ResolvedKey, b64url_decode, resolve_key
from credentials.verification.suites.base import (
    ProofCode,
    ProofError,
    SuiteInput,
    rdfc_hash,
    register,
)
from credentials.verification.suites.eddsa import ed25519_signature, verify_ed25519

ED25519_2018 = "Ed25519Signature2018"
ED25519_2020 = "Ed25519Signature2020"
JWS_2020 = "JsonWebSignature2020"

_SIGNATURE_FIELDS = ("jws", "proofValue", "signatureValue")
_MAX_JWS_LENGTH = 4096

# JWS alg -> (EC curve name, hash, bytes of r and of s); EdDSA and PS256 are handled apart.
_ECDSA_ALGORITHMS: dict[str, tuple[str, hashes.HashAlgorithm, int]] = {
    "ES256": ("secp256r1", hashes.SHA256(), 32),
    "ES384": ("secp384r1", hashes.SHA384(), 48),
    "ES256K": ("secp256k1", hashes.SHA256(), 32),
}
JWS_ALGORITHMS = ("EdDSA", *_ECDSA_ALGORITHMS, "PS256")

_MISMATCH = (
    "the signature does not match: the credential was changed after signing "
    "or was signed with another key"
)


def proof_options(proof: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    """The proof less its signature, under its own @context or else the document's."""
    options = {key: value for key, value in proof.items() if key not in _SIGNATURE_FIELDS}
    if "@context" not in options and document.get("@context") is not None:
        options["@context"] = document["@context"]
    return options


def verify_data(document: dict[str, Any], proof: dict[str, Any]) -> bytes:
    """Return hash(canonical proof options) || hash(canonical document), 64 bytes."""
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    return rdfc_hash(proof_options(proof, document), "the proof options") + rdfc_hash(
        unsecured, "the signed document"
    )


def detached_jws(proof: dict[str, Any]) -> tuple[dict[str, Any], bytes, bytes]:
    """Split the proof's `jws` into its header, the bytes that precede the payload in the
    signing input, and the signature; refuse anything but an unencoded-payload JWS."""
    jws = proof.get("jws")
    if not isinstance(jws, str) or len(jws) > _MAX_JWS_LENGTH:
        raise ProofError("the proof has no jws")
    parts = jws.split(".")
    if len(parts) != 3 or parts[1]:
        raise ProofError("the jws is not a detached JWS (header..signature)")
    try:
        header = json.loads(b64url_decode(parts[0]))
        signature = b64url_decode(parts[2])
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise ProofError("the jws is not valid base64url JSON") from error
    if not isinstance(header, dict):
        raise ProofError("the jws header is not a JSON object")
    crit = header.get("crit")
    if header.get("b64") is not False or not isinstance(crit, list) or "b64" not in crit:
        raise ProofError('the jws header must carry "b64": false, marked critical (RFC 7797)')
    if any(name != "b64" for name in crit):
        raise ProofError(f"the jws header marks parameters this wallet does not know: {crit}")
    return header, f"{parts[0]}.".encode("ascii"), signature


def _verify_ecdsa(
    public_key: Any, algorithm: str, key: ResolvedKey, signature: bytes, data: bytes
) -> None:
    """Check a JWS ECDSA signature: raw r || s, converted to DER for `cryptography`."""
    curve, ecdsa_hash, size = _ECDSA_ALGORITHMS[algorithm]
    if not isinstance(public_key, ec.EllipticCurvePublicKey) or public_key.curve.name != curve:
        raise ProofError(f"a {algorithm} signature needs a {curve} key, but {key.id} is not one")
    if len(signature) != 2 * size:
        raise ProofError(
            f"the signature is {len(signature)} bytes, not the {2 * size} of {algorithm}"
        )
    r, s = int.from_bytes(signature[:size], "big"), int.from_bytes(signature[size:], "big")
    try:
        public_key.verify(encode_dss_signature(r, s), data, ec.ECDSA(ecdsa_hash))
    except InvalidSignature as error:
        raise ProofError(_MISMATCH) from error


def verify_jws_signature(
    algorithm: str, key: ResolvedKey, signature: bytes, data: bytes, suite: str
) -> None:
    """Check a JWS signature made with one of `JWS_ALGORITHMS`, only with a key of its type."""
    public_key = key.public_key
    if algorithm == "EdDSA":
        if len(signature) != 64:
            raise ProofError(f"the signature is {len(signature)} bytes, not 64 of EdDSA")
        verify_ed25519(key, signature, data, suite)
    elif algorithm in _ECDSA_ALGORITHMS:
        _verify_ecdsa(public_key, algorithm, key, signature, data)
    else:
        if not isinstance(public_key, rsa.RSAPublicKey):
            raise ProofError(f"a PS256 signature needs an RSA key, but {key.id} is not one")
        pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
        try:
            public_key.verify(signature, data, pss, hashes.SHA256())
        except InvalidSignature as error:
            raise ProofError(_MISMATCH) from error


def _verify_jws(item: SuiteInput, suite: str, allowed: tuple[str, ...]) -> ResolvedKey:
    header, signed_prefix, signature = detached_jws(item.proof)
    algorithm = header.get("alg")
    shown = algorithm[:20] if isinstance(algorithm, str) else repr(algorithm)[:20]
    if algorithm not in JWS_ALGORITHMS:
        raise ProofError(
            f"this wallet cannot check JWS signatures made with {shown!r}",
            code=ProofCode.UNSUPPORTED_SUITE,
        )
    if algorithm not in allowed:
        raise ProofError(f"{suite} signatures use {' or '.join(allowed)}, not {shown!r}")
    data = signed_prefix + verify_data(item.document, item.proof)
    key = resolve_key(item.method_id)
    verify_jws_signature(algorithm, key, signature, data, suite)
    return key


@register(ED25519_2018, proof_type=ED25519_2018)
def verify_ed25519_2018(item: SuiteInput) -> ResolvedKey:
    """Ed25519Signature2018: a detached EdDSA JWS over the RDFC-1.0 hashes."""
    return _verify_jws(item, ED25519_2018, ("EdDSA",))


@register(JWS_2020, proof_type=JWS_2020)
def verify_json_web_signature_2020(item: SuiteInput) -> ResolvedKey:
    """JsonWebSignature2020: a detached JWS (EdDSA, ES256, ES384, ES256K or PS256)."""
    return _verify_jws(item, JWS_2020, JWS_ALGORITHMS)


@register(ED25519_2020, proof_type=ED25519_2020)
def verify_ed25519_2020(item: SuiteInput) -> ResolvedKey:
    """Ed25519Signature2020: a multibase Ed25519 signature over the RDFC-1.0 hashes."""
    signature = ed25519_signature(item.proof)
    data = verify_data(item.document, item.proof)
    key = resolve_key(item.method_id)
    verify_ed25519(key, signature, data, ED25519_2020)
    return key
