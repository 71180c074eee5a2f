"""Blockcerts certificates: v2 (an Open Badges 2.0 extension) and v3 (a VC).

Their proof is a Merkle proof anchored in a blockchain (MerkleProof2017/2019), which the
wallet does not check; they are recognised so that they are not mistaken for hosted
Open Badges or for Data Integrity credentials, and shown for what they say.
"""

from __future__ import annotations

from typing import Any

from credentials.formats.base import CredentialFormat, ParsedCredential, types_of

CONTEXT_HINTS = ("w3id.org/blockcerts/", "blockcerts.org/schema/")
BLOCKCERTS_TYPES = ("BlockcertsCredential",)
MERKLE_PROOF_TYPES = ("MerkleProof2017", "MerkleProof2019", "ChainedProof2021")


def _contexts(document: dict[str, Any]) -> list[str]:
    """The context URLs of a document."""
    context = document.get("@context")
    items = context if isinstance(context, list) else [context]
    return [item for item in items if isinstance(item, str)]


def is_certificate(document: dict[str, Any]) -> bool:
    """Whether a JSON object is a Blockcerts certificate (any version)."""
    if any(hint in item for item in _contexts(document) for hint in CONTEXT_HINTS):
        return True
    return any(kind in BLOCKCERTS_TYPES for kind in types_of(document))


def is_merkle_proof(proof: Any) -> bool:
    """Whether a proof is one of Blockcerts' blockchain-anchored Merkle proofs."""
    return any(kind in MERKLE_PROOF_TYPES for kind in types_of(proof))


def from_json(document: dict[str, Any], original: bytes) -> ParsedCredential:
    """A Blockcerts certificate as JSON."""
    return ParsedCredential(
        format=CredentialFormat.BLOCKCERTS, document=document, original=original
    )
