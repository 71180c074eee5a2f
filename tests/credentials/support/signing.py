"""Test-only signers and key helpers to build signed fixtures (never used by the wallet).

Keys are `cryptography` objects made fresh in each test:

    key = new_ed25519_key()
    vm = verification_method_for(key.public_key())        # did:key:z6Mk…#z6Mk…
    signed = sign_data_integrity(credential, key, vm)      # eddsa-rdfc-2022
    signed = sign_ecdsa(credential, new_p384_key(), …)     # ecdsa-rdfc-2019 (or -jcs-)
    token = make_jws({"iss": did_key_for(key.public_key())}, key, "EdDSA", {"kid": vm})
"""

import base64
import copy
import json
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from credentials.verification.keys import base58_encode
from credentials.verification.proofs import signing_input
from credentials.verification.suites.ecdsa import CURVES, JCS_SUITE, hash_data
from credentials.verification.suites.legacy import verify_data

PrivateKey = ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
PublicKey = ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey | rsa.RSAPublicKey

CREATED = "2024-01-01T00:00:00Z"


def new_ed25519_key() -> ed25519.Ed25519PrivateKey:
    """Make a fresh Ed25519 private key."""
    return ed25519.Ed25519PrivateKey.generate()


def new_p256_key() -> ec.EllipticCurvePrivateKey:
    """Make a fresh P-256 private key."""
    return ec.generate_private_key(ec.SECP256R1())


def new_p384_key() -> ec.EllipticCurvePrivateKey:
    """Make a fresh P-384 private key."""
    return ec.generate_private_key(ec.SECP384R1())


def new_secp256k1_key() -> ec.EllipticCurvePrivateKey:
    """Make a fresh secp256k1 private key (a curve the ECDSA cryptosuites do not use)."""
    return ec.generate_private_key(ec.SECP256K1())


def new_rsa_key(bits: int = 2048) -> rsa.RSAPrivateKey:
    """Make a fresh RSA private key."""
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def b64url(data: bytes) -> str:
    """Encode bytes as unpadded base64url."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


# Multicodec varints of compressed EC public keys: p256-pub, p384-pub, secp256k1-pub.
_EC_MULTICODECS = {"secp256r1": b"\x80\x24", "secp384r1": b"\x81\x24", "secp256k1": b"\xe7\x01"}


def _raw(public_key: ed25519.Ed25519PublicKey) -> bytes:
    """Return the 32 raw bytes of an Ed25519 public key."""
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def multikey_for(public_key: PublicKey) -> str:
    """Return the publicKeyMultibase of an Ed25519, P-256, P-384 or secp256k1 public key."""
    if isinstance(public_key, ed25519.Ed25519PublicKey):
        return "z" + base58_encode(b"\xed\x01" + _raw(public_key))
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        point = public_key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint
        )
        return "z" + base58_encode(_EC_MULTICODECS[public_key.curve.name] + point)
    raise TypeError("multikeys are made for Ed25519 and EC keys only")


def did_key_for(public_key: PublicKey) -> str:
    """Return the did:key of an Ed25519 (z6Mk…), P-256 (zDn…) or P-384 (z82…) public key."""
    return f"did:key:{multikey_for(public_key)}"


def verification_method_for(public_key: PublicKey) -> str:
    """Return the did:key verification method id (did:key:z…#z…)."""
    multikey = multikey_for(public_key)
    return f"did:key:{multikey}#{multikey}"


def jwk_for(public_key: PublicKey) -> dict[str, str]:
    """Return the public JWK of a key."""
    if isinstance(public_key, ed25519.Ed25519PublicKey):
        return {"kty": "OKP", "crv": "Ed25519", "x": b64url(_raw(public_key))}
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        numbers = public_key.public_numbers()
        size = (public_key.curve.key_size + 7) // 8
        crv = {"secp256r1": "P-256", "secp384r1": "P-384"}[public_key.curve.name]
        return {
            "kty": "EC",
            "crv": crv,
            "x": b64url(numbers.x.to_bytes(size, "big")),
            "y": b64url(numbers.y.to_bytes(size, "big")),
        }
    numbers = public_key.public_numbers()
    return {
        "kty": "RSA",
        "n": b64url(numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")),
        "e": b64url(numbers.e.to_bytes((numbers.e.bit_length() + 7) // 8, "big")),
    }


def did_jwk_for(public_key: PublicKey) -> str:
    """Return the did:jwk of a public key."""
    return "did:jwk:" + b64url(json.dumps(jwk_for(public_key)).encode("utf-8"))


def pem_for(public_key: PublicKey) -> str:
    """Return a public key as SubjectPublicKeyInfo PEM text."""
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def did_document_for(
    did: str, public_key: PublicKey, *, fragment: str = "key-1", assertion: bool = True
) -> dict[str, Any]:
    """Return a DID document (e.g. for did:web) listing one Multikey."""
    method_id = f"{did}#{fragment}"
    document: dict[str, Any] = {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [
            {
                "id": method_id,
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": multikey_for(public_key),
            }
        ],
    }
    if assertion:
        document["assertionMethod"] = [method_id]
    return document


def _sign_ed25519(private_key: ed25519.Ed25519PrivateKey, data: bytes) -> str:
    """Sign and encode as a base58btc multibase proofValue."""
    return "z" + base58_encode(private_key.sign(data))


def _add_proof(doc: dict[str, Any], proof: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of `doc` with `proof` added (a second proof makes a proof set)."""
    signed = copy.deepcopy(doc)
    existing = signed.get("proof")
    if existing is None:
        signed["proof"] = proof
    else:
        signed["proof"] = [*(existing if isinstance(existing, list) else [existing]), proof]
    return signed


def sign_data_integrity(
    doc: dict[str, Any],
    private_key: ed25519.Ed25519PrivateKey,
    verification_method: str,
    cryptosuite: str = "eddsa-rdfc-2022",
    *,
    created: str | None = CREATED,
    proof_purpose: str = "assertionMethod",
    proof_id: str | None = None,
    previous_proof: str | list[str] | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Add a DataIntegrityProof (eddsa-rdfc-2022 or eddsa-jcs-2022) to a copy of `doc`."""
    proof: dict[str, Any] = {"type": "DataIntegrityProof", "cryptosuite": cryptosuite}
    if proof_id:
        proof["id"] = proof_id
    if created:
        proof["created"] = created
    proof |= {"verificationMethod": verification_method, "proofPurpose": proof_purpose}
    if previous_proof:
        proof["previousProof"] = previous_proof
    proof |= extra or {}
    if cryptosuite == "eddsa-jcs-2022" and "@context" in doc:
        proof["@context"] = doc["@context"]
    existing = doc.get("proof")
    all_proofs = existing if isinstance(existing, list) else [existing] if existing else []
    data = signing_input(doc, proof, [*all_proofs, proof])
    proof["proofValue"] = _sign_ed25519(private_key, data)
    return _add_proof(doc, proof)


def sign_ecdsa(
    doc: dict[str, Any],
    private_key: ec.EllipticCurvePrivateKey,
    verification_method: str,
    cryptosuite: str = "ecdsa-rdfc-2019",
    *,
    created: str | None = CREATED,
    proof_purpose: str = "assertionMethod",
    proof_id: str | None = None,
    previous_proof: str | list[str] | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Add an ecdsa-rdfc-2019 or ecdsa-jcs-2019 DataIntegrityProof to a copy of `doc`,
    hashing with the hash of the key's curve (SHA-256 for P-256, SHA-384 for P-384)."""
    proof: dict[str, Any] = {"type": "DataIntegrityProof", "cryptosuite": cryptosuite}
    if proof_id:
        proof["id"] = proof_id
    if created:
        proof["created"] = created
    proof |= {"verificationMethod": verification_method, "proofPurpose": proof_purpose}
    if previous_proof:
        proof["previousProof"] = previous_proof
    proof |= extra or {}
    if cryptosuite == JCS_SUITE and "@context" in doc:
        proof["@context"] = doc["@context"]
    existing = doc.get("proof")
    all_proofs = existing if isinstance(existing, list) else [existing] if existing else []
    # A secp256k1 key signs as P-256 would, so tests can show the suites refuse its curve.
    algorithm, ecdsa_hash, size = CURVES.get(private_key.curve.name, CURVES["secp256r1"])
    data = hash_data(doc, proof, [*all_proofs, proof], algorithm=algorithm)
    r, s = decode_dss_signature(private_key.sign(data, ec.ECDSA(ecdsa_hash)))
    proof["proofValue"] = "z" + base58_encode(r.to_bytes(size, "big") + s.to_bytes(size, "big"))
    return _add_proof(doc, proof)


def sign_ed25519_2020(
    doc: dict[str, Any],
    private_key: ed25519.Ed25519PrivateKey,
    verification_method: str,
    *,
    created: str | None = CREATED,
    proof_purpose: str = "assertionMethod",
) -> dict[str, Any]:
    """Add a legacy Ed25519Signature2020 proof to a copy of `doc`."""
    proof: dict[str, Any] = {"type": "Ed25519Signature2020"}
    if created:
        proof["created"] = created
    proof |= {"verificationMethod": verification_method, "proofPurpose": proof_purpose}
    proof["proofValue"] = _sign_ed25519(private_key, signing_input(doc, proof))
    return _add_proof(doc, proof)


def now_iso() -> str:
    """Return the current UTC time as an XML Schema dateTime."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def make_jws(
    payload: dict[str, Any] | bytes,
    key: PrivateKey,
    alg: str,
    headers: dict[str, Any] | None = None,
) -> str:
    """Sign a compact JWS (RS256, ES256, EdDSA, or any alg name with a matching key)."""
    header = {"alg": alg, **(headers or {})}
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode("utf-8")
    signing_bytes = f"{b64url(json.dumps(header).encode())}.{b64url(body)}".encode("ascii")
    if isinstance(key, ed25519.Ed25519PrivateKey):
        signature = key.sign(signing_bytes)
    elif isinstance(key, ec.EllipticCurvePrivateKey):
        r, s = decode_dss_signature(key.sign(signing_bytes, ec.ECDSA(hashes.SHA256())))
        signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    else:
        signature = key.sign(signing_bytes, padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_bytes.decode('ascii')}.{b64url(signature)}"


# JWS alg of each key type, for the detached-JWS suites (Ed25519Signature2018,
# JsonWebSignature2020).
_JWS_ALG_BY_CURVE = {"secp256r1": "ES256", "secp384r1": "ES384", "secp256k1": "ES256K"}
_JWS_HASHES = {"ES256": hashes.SHA256(), "ES384": hashes.SHA384(), "ES256K": hashes.SHA256()}


def jws_alg_for(private_key: PrivateKey) -> str:
    """Return the JWS alg a key signs with: EdDSA, ES256, ES384, ES256K or PS256 (RSA)."""
    if isinstance(private_key, ed25519.Ed25519PrivateKey):
        return "EdDSA"
    if isinstance(private_key, ec.EllipticCurvePrivateKey):
        return _JWS_ALG_BY_CURVE[private_key.curve.name]
    return "PS256"


def _jws_sign(private_key: PrivateKey, alg: str, data: bytes) -> bytes:
    """Sign as JWS does: Ed25519, ECDSA as raw r || s, or RSA-PSS."""
    if isinstance(private_key, ed25519.Ed25519PrivateKey):
        return private_key.sign(data)
    if isinstance(private_key, ec.EllipticCurvePrivateKey):
        size = (private_key.curve.key_size + 7) // 8
        r, s = decode_dss_signature(private_key.sign(data, ec.ECDSA(_JWS_HASHES[alg])))
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
    return private_key.sign(data, pss, hashes.SHA256())


def sign_linked_data(
    doc: dict[str, Any],
    private_key: PrivateKey,
    verification_method: str,
    proof_type: str = "Ed25519Signature2018",
    *,
    alg: str | None = None,
    created: str | None = CREATED,
    proof_purpose: str = "assertionMethod",
    proof_context: Any = None,
    header: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Add a legacy LD proof to a copy of `doc`: Ed25519Signature2018 or JsonWebSignature2020
    (a detached JWS; `alg` defaults to the key's) or Ed25519Signature2020 (a proofValue).
    `proof_context` gives the proof its own @context, as DIDKit does; `header` overrides
    the JWS header (to make malformed ones)."""
    proof: dict[str, Any] = {"@context": proof_context} if proof_context is not None else {}
    proof["type"] = proof_type
    if created:
        proof["created"] = created
    proof |= {"verificationMethod": verification_method, "proofPurpose": proof_purpose}
    data = verify_data(doc, proof)
    if proof_type == "Ed25519Signature2020":
        proof["proofValue"] = _sign_ed25519(private_key, data)  # type: ignore[arg-type]
        return _add_proof(doc, proof)
    alg = alg or jws_alg_for(private_key)
    fields = header if header is not None else {"alg": alg, "b64": False, "crit": ["b64"]}
    encoded = b64url(json.dumps(fields).encode("utf-8"))
    signature = _jws_sign(private_key, alg, f"{encoded}.".encode("ascii") + data)
    proof["jws"] = f"{encoded}..{b64url(signature)}"
    return _add_proof(doc, proof)
