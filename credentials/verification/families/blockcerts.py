"""Blockcerts: anchored in a blockchain, which this wallet does not check.

A v3 certificate may carry, beside its MerkleProof2019, a proof the wallet does check
(a Data Integrity or Ed25519Signature2020 proof in a proof set): it is then verified as
any Data Integrity credential, the Merkle proof noted as one the wallet cannot judge.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from credentials.formats import blockcerts
from credentials.formats.base import ParsedCredential, id_of
from credentials.i18n import gettext as _
from credentials.verification import checks
from credentials.verification.checks import CheckName, Code
from credentials.verification.families.common import ProofFindings, issuer_of, vc_dates
from credentials.verification.families.data_integrity import verify_data_integrity


def _other_proofs(document: dict[str, Any]) -> list[Any]:
    """The proofs of a VC that are not Blockcerts' Merkle proofs."""
    if "credentialSubject" not in document:
        return []
    proofs = document.get("proof")
    proofs = proofs if isinstance(proofs, list) else [proofs] if proofs else []
    return [proof for proof in proofs if not blockcerts.is_merkle_proof(proof)]


def _issuer_and_dates(
    document: dict[str, Any],
) -> tuple[str | None, str, list[tuple[str, Any]], list[tuple[str, Any]]]:
    """Who issued it and when it holds, for v2 (an OB 2.0 Assertion) and v3 (a VC)."""
    if "credentialSubject" in document:
        issuer_id, issuer_name = issuer_of(document)
        starts, ends = vc_dates(document)
        return issuer_id, issuer_name, starts, ends
    badge = document.get("badge")
    issuer = badge.get("issuer") if isinstance(badge, dict) else None
    name = issuer.get("name") if isinstance(issuer, dict) else None
    return (
        id_of(issuer),
        name if isinstance(name, str) else "",
        [("issuedOn", document.get("issuedOn"))],
        [("expires", document.get("expires"))],
    )


def verify_blockcerts(parsed: ParsedCredential, at: datetime) -> ProofFindings:
    """A proof the wallet supports when there is one; otherwise unverifiable, said plainly."""
    document = parsed.document
    if _other_proofs(document):
        return verify_data_integrity(parsed, at)
    issuer_id, issuer_name, starts, ends = _issuer_and_dates(document)
    return ProofFindings(
        proof=checks.not_checked(
            CheckName.PROOF,
            Code.FORMAT_UNSUPPORTED,
            _(
                "Blockcerts certificates are anchored in a blockchain, which this wallet "
                "does not check."
            ),
            at,
        ),
        document=document,
        issuer_id=issuer_id,
        issuer_name=issuer_name,
        starts=starts,
        ends=ends,
    )
