"""ECDSA over P-256 and P-384: ecdsa-rdfc-2019 and ecdsa-jcs-2019 (W3C vc-di-ecdsa).

Both sign hash(proof configuration) || hash(document), the hash following the key's
curve: SHA-256 for P-256, SHA-384 for P-384. So the key is resolved before anything is
hashed. The proofValue is the raw r || s (64 or 96 bytes) in base58btc multibase.
"""

from __future__ import annotations

from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from credentials.verification.keys import ResolvedKey, multibase_decode, resolve_key
from credentials.verification.suites.base import (
    ProofError,
    SuiteInput,
    context_list,
    data_integrity_config,
    jcs_hash,
    rdfc_hash,
    register,
    secured_input,
)

RDFC_SUITE = "ecdsa-rdfc-2019"
JCS_SUITE = "ecdsa-jcs-2019"

# curve name -> (hash name for hashlib, hash for ECDSA, bytes of r and of s)
CURVES: dict[str, tuple[str, hashes.HashAlgorithm, int]] = {
    "secp256r1": ("sha256", hashes.SHA256(), 32),
    "secp384r1": ("sha384", hashes.SHA384(), 48),
}


def _jcs_parts(
    unsecured: dict[str, Any], proof: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The proof configuration and document of ecdsa-jcs-2019: the proof options as they
    are, and, when they carry an @context, the document under that same context."""
    config = {key: value for key, value in proof.items() if key != "proofValue"}
    if "@context" not in config:
        return config, unsecured
    own = context_list(config["@context"])
    if context_list(unsecured.get("@context"))[: len(own)] != own:
        raise ProofError("the proof's @context does not match the start of the document's")
    return config, {**unsecured, "@context": config["@context"]}


def hash_data(
    document: dict[str, Any],
    proof: dict[str, Any],
    all_proofs: list[dict[str, Any]] | None = None,
    *,
    algorithm: str = "sha256",
) -> bytes:
    """Return the bytes an ECDSA proof signs: hash(proof configuration) || hash(document)."""
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    if proof.get("cryptosuite") == JCS_SUITE:
        # Unlike RDFC, JCS proof options are hashed as they are: the document's @context
        # is added only by whoever signs, so a proof without one is hashed without one.
        config, unsecured = _jcs_parts(unsecured, proof)
        hasher = jcs_hash
    else:
        config, hasher = data_integrity_config(proof, document), rdfc_hash
    covered = secured_input(unsecured, proof, all_proofs or [proof])
    return hasher(config, "the proof options", algorithm) + hasher(
        covered, "the signed document", algorithm
    )


def ecdsa_key(
    key: ResolvedKey, suite: str
) -> tuple[ec.EllipticCurvePublicKey, str, hashes.HashAlgorithm, int]:
    """The key's EC public key with its curve's hash and r/s size; ProofError for another key."""
    public_key = key.public_key
    if not isinstance(public_key, ec.EllipticCurvePublicKey):
        raise ProofError(f"{suite} needs a P-256 or P-384 key, but {key.id} is another type")
    if public_key.curve.name not in CURVES:
        raise ProofError(
            f"{suite} needs a P-256 or P-384 key, but {key.id} is on {public_key.curve.name}"
        )
    return public_key, *CURVES[public_key.curve.name]


def ecdsa_signature(proof: dict[str, Any], size: int) -> bytes:
    """Decode the proofValue, a base58btc multibase r || s, into a DER signature."""
    try:
        raw = multibase_decode(proof.get("proofValue"))
    except ValueError as error:
        raise ProofError(f"the proofValue is not valid ({error})") from error
    if len(raw) != 2 * size:
        raise ProofError(
            f"the proofValue is {len(raw)} bytes, not a {2 * size}-byte ECDSA signature "
            "for this key's curve"
        )
    r, s = int.from_bytes(raw[:size], "big"), int.from_bytes(raw[size:], "big")
    return encode_dss_signature(r, s)


def _verify(item: SuiteInput, suite: str) -> ResolvedKey:
    key = resolve_key(item.method_id)
    public_key, algorithm, ecdsa_hash, size = ecdsa_key(key, suite)
    signature = ecdsa_signature(item.proof, size)
    data = hash_data(item.document, item.proof, item.all_proofs, algorithm=algorithm)
    try:
        public_key.verify(signature, data, ec.ECDSA(ecdsa_hash))
    except InvalidSignature as error:
        raise ProofError(
            "the signature does not match: the credential was changed after signing "
            "or was signed with another key"
        ) from error
    return key


@register(RDFC_SUITE, proof_type="DataIntegrityProof", cryptosuite=RDFC_SUITE)
def verify_ecdsa_rdfc(item: SuiteInput) -> ResolvedKey:
    """ecdsa-rdfc-2019: RDFC-1.0, SHA-256 or SHA-384, ECDSA on P-256 or P-384."""
    return _verify(item, RDFC_SUITE)


@register(JCS_SUITE, proof_type="DataIntegrityProof", cryptosuite=JCS_SUITE)
def verify_ecdsa_jcs(item: SuiteInput) -> ResolvedKey:
    """ecdsa-jcs-2019: JCS, SHA-256 or SHA-384, ECDSA on P-256 or P-384."""
    return _verify(item, JCS_SUITE)
