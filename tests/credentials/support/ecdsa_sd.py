"""Test-only ecdsa-sd-2023 issuer: make a base proof; the holder's side is the product's.

    issuer_key = signing.new_p256_key()
    base = create_base_proof(credential, issuer_key, method_id, ["/issuer"])
    shown = derive_proof(base, ["/credentialSubject/achievement/name"])

Add Base Proof follows the W3C vc-di-ecdsa algorithm with the wallet's own
selective-disclosure primitives; `derive_proof` is the wallet's `credentials.disclosure`,
so the vectors and the independent verifier are what check both sides.
"""

from __future__ import annotations

import copy
import os
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from credentials.disclosure import derive_credential as derive_proof  # noqa: F401  (re-exported)
from credentials.verification.suites import ecdsa_sd
from credentials.verification.suites import sd_primitives as sd
from tests.credentials.support.signing import CREATED


def raw_sign(private_key: ec.EllipticCurvePrivateKey, data: bytes) -> bytes:
    """An ES256 signature as the 64 bytes r || s."""
    r, s = decode_dss_signature(private_key.sign(data, ec.ECDSA(hashes.SHA256())))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def multikey_bytes(public_key: ec.EllipticCurvePublicKey) -> bytes:
    """The P-256 multikey: multicodec header and compressed point."""
    point = public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint
    )
    return ecdsa_sd.P256_MULTIKEY_HEADER + point


def create_base_proof(
    document: dict[str, Any],
    issuer_key: ec.EllipticCurvePrivateKey,
    verification_method: str,
    mandatory_pointers: list[str],
    *,
    created: str | None = CREATED,
    hmac_key: bytes | None = None,
) -> dict[str, Any]:
    """A copy of `document` with an ecdsa-sd-2023 base proof (what the holder receives)."""
    proof: dict[str, Any] = {"type": "DataIntegrityProof", "cryptosuite": ecdsa_sd.SUITE}
    if created:
        proof["created"] = created
    proof |= {"verificationMethod": verification_method, "proofPurpose": "assertionMethod"}
    hmac_key = hmac_key or os.urandom(32)
    grouped = sd.canonicalize_and_group(
        document, sd.hmac_label_map_factory(hmac_key), {"mandatory": mandatory_pointers}
    )
    mandatory = grouped.groups["mandatory"]
    scoped_key = ec.generate_private_key(ec.SECP256R1())
    public_key = multikey_bytes(scoped_key.public_key())
    signatures = [
        raw_sign(scoped_key, nq.encode("utf-8")) for nq in mandatory.non_matching.values()
    ]
    to_sign = ecdsa_sd.serialize_sign_data(
        ecdsa_sd.proof_hash(proof, document),
        public_key,
        sd.hash_mandatory(mandatory.matching.values()),
    )
    proof["proofValue"] = ecdsa_sd.serialize_base_proof_value(
        ecdsa_sd.BaseProofValue(
            base_signature=raw_sign(issuer_key, to_sign),
            public_key=public_key,
            hmac_key=hmac_key,
            signatures=signatures,
            mandatory_pointers=mandatory_pointers,
        )
    )
    return {**copy.deepcopy(document), "proof": proof}
