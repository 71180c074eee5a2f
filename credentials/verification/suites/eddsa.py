"""EdDSA over Ed25519: eddsa-rdfc-2022 and eddsa-jcs-2022 (W3C vc-di-eddsa).

The Ed25519Signature2020 suite that preceded them is in `legacy`: it signs the same bytes,
but takes a proof's own @context as it is, where Data Integrity wants the document's start."""

from __future__ import annotations

from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed25519

from credentials.verification.keys import ResolvedKey, multibase_decode, resolve_key
from credentials.verification.suites.base import (
    ProofError,
    SuiteInput,
    data_integrity_config,
    jcs_hash,
    rdfc_hash,
    register,
    secured_input,
)

JCS_SUITE = "eddsa-jcs-2022"


def signing_input(
    document: dict[str, Any], proof: dict[str, Any], all_proofs: list[dict[str, Any]] | None = None
) -> bytes:
    """Return the bytes an EdDSA proof signs: hash(proof options) || hash(document)."""
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    covered = secured_input(unsecured, proof, all_proofs or [proof])
    config = data_integrity_config(proof, document)
    hasher = jcs_hash if proof.get("cryptosuite") == JCS_SUITE else rdfc_hash
    return hasher(config, "the proof options") + hasher(covered, "the signed document")


def ed25519_signature(proof: dict[str, Any]) -> bytes:
    """Decode the proofValue: a base58btc multibase Ed25519 signature."""
    try:
        signature = multibase_decode(proof.get("proofValue"))
    except ValueError as error:
        raise ProofError(f"the proofValue is not valid ({error})") from error
    if len(signature) != 64:
        raise ProofError(
            f"the proofValue is {len(signature)} bytes, not a 64-byte Ed25519 signature"
        )
    return signature


def verify_ed25519(key: ResolvedKey, signature: bytes, data: bytes, suite: str) -> None:
    """Check an Ed25519 signature with a resolved key, or raise ProofError."""
    if not isinstance(key.public_key, ed25519.Ed25519PublicKey):
        raise ProofError(f"{suite} needs an Ed25519 key, but {key.id} is another type")
    try:
        key.public_key.verify(signature, data)
    except InvalidSignature as error:
        raise ProofError(
            "the signature does not match: the credential was changed after signing "
            "or was signed with another key"
        ) from error


def _verify(item: SuiteInput, suite: str) -> ResolvedKey:
    signature = ed25519_signature(item.proof)
    data = signing_input(item.document, item.proof, item.all_proofs)
    key = resolve_key(item.method_id)
    verify_ed25519(key, signature, data, suite)
    return key


@register("eddsa-rdfc-2022", proof_type="DataIntegrityProof", cryptosuite="eddsa-rdfc-2022")
def verify_eddsa_rdfc(item: SuiteInput) -> ResolvedKey:
    """eddsa-rdfc-2022: RDFC-1.0, SHA-256, Ed25519."""
    return _verify(item, "eddsa-rdfc-2022")


@register("eddsa-jcs-2022", proof_type="DataIntegrityProof", cryptosuite=JCS_SUITE)
def verify_eddsa_jcs(item: SuiteInput) -> ResolvedKey:
    """eddsa-jcs-2022: JCS, SHA-256, Ed25519."""
    return _verify(item, JCS_SUITE)
