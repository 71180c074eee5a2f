"""Credentials secured by embedded proofs (Data Integrity and the older LD signatures)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from credentials.formats.base import ParsedCredential, id_of, types_of
from credentials.i18n import gettext as _
from credentials.verification import checks, status
from credentials.verification.checks import CheckName, CheckResult, Code
from credentials.verification.families.common import (
    ProofFindings,
    Stop,
    expand_without_proof,
    issuer_of,
    link_for,
    not_yet_verified,
    proof_failed,
    proof_undecided,
    proof_unreachable,
    vc_dates,
)
from credentials.verification.issuer import KeyLink
from credentials.verification.proofs import verify_proofs

VC_CONTEXTS = ("https://www.w3.org/2018/credentials/v1", "https://www.w3.org/ns/credentials/v2")


def check_structure(document: dict[str, Any], at: datetime) -> None:
    """Refuse a VC that is not shaped like one."""
    context = document.get("@context")
    first = context[0] if isinstance(context, list) and context else context
    if first not in VC_CONTEXTS:
        raise proof_failed(
            Code.MALFORMED,
            _("Its first @context is not a Verifiable Credentials context."),
            at,
        )
    if "VerifiableCredential" not in types_of(document):
        raise proof_failed(Code.MALFORMED, _("Its type does not include VerifiableCredential."), at)
    if id_of(document.get("issuer")) is None:
        raise proof_failed(Code.MALFORMED, _("It does not name its issuer."), at)
    if not isinstance(document.get("credentialSubject"), dict | list):
        raise proof_failed(Code.MALFORMED, _("It has no credentialSubject."), at)
    # A credential with no proof at all is proven unauthenticated whatever its contexts.
    if not document.get("proof"):
        raise proof_failed(Code.PROOF_MISSING, _("It carries no proof (signature)."), at)
    expand_without_proof(document, at)


def _verify_embedded_proofs(document: dict[str, Any], at: datetime) -> tuple[CheckResult, KeyLink]:
    """Verify the embedded proofs and say how the key relates to the issuer.

    A proof proven wrong fails the credential; a proof that holds decides, and companions
    the wallet cannot judge (an unsupported suite, say) are noted beside it. With no proof
    that holds and none proven wrong, the wallet cannot tell: transient causes are retried.
    """
    issuer_id, _name = issuer_of(document)
    if not document.get("proof"):
        raise proof_failed(Code.PROOF_MISSING, _("It carries no proof (signature)."), at)
    every = verify_proofs(document, now=at)
    for outcome in every:
        if not outcome.ok and not outcome.is_undecided:
            raise proof_failed(
                Code.PROOF_INVALID,
                _("The proof does not hold: %(reason)s") % {"reason": outcome.reason},
                at,
            )
    held = [outcome for outcome in every if outcome.ok]
    undecided = [outcome for outcome in every if not outcome.ok]
    if not held:
        transient = next((outcome for outcome in undecided if outcome.transient), None)
        if transient is not None:
            raise proof_unreachable(
                _("The key could not be fetched: %(reason)s") % {"reason": transient.reason}, at
            )
        first = undecided[0]
        raise proof_undecided(
            first.code,
            _("This wallet cannot check its proof: %(reason)s") % {"reason": first.reason},
            at,
        )
    links = [link_for(outcome.key, issuer_id) for outcome in held]
    link = next((item for item in links if item.is_linked), links[0])
    suites = ", ".join(sorted({outcome.cryptosuite for outcome in held} - {""}))
    proof = checks.passed(
        CheckName.PROOF,
        _("The signature is valid (%(suites)s).") % {"suites": suites or _("embedded proof")},
        at,
        verification_methods=[outcome.verification_method for outcome in held],
        skipped_proofs=[outcome.reason for outcome in undecided],
    )
    return proof, link


def list_proof_at(at: datetime) -> status.ProofVerifier:
    """A verifier for status list proofs at the moment `at`."""

    def verify_list(status_list: dict[str, Any]) -> status.ListProof:
        """Whether the list's proofs hold and were made by its issuer's key."""
        outcomes = verify_proofs(status_list, now=at) if status_list.get("proof") else []
        if not outcomes:
            return status.ListProof(ok=False, reason=_("it carries no proof"))
        list_issuer = id_of(status_list.get("issuer"))
        for outcome in outcomes:
            if not outcome.ok:
                return status.ListProof(
                    ok=False, reason=outcome.reason, is_transient=outcome.transient
                )
            # A valid signature by a key the list's issuer does not control proves nothing.
            if outcome.key is None or not link_for(outcome.key, list_issuer).is_linked:
                return status.ListProof(
                    ok=False, reason=_("it is signed by a key its issuer does not control")
                )
        return status.ListProof(ok=True)

    return verify_list


def verify_data_integrity(parsed: ParsedCredential, at: datetime) -> ProofFindings:
    """Verify a JSON-LD credential with embedded proofs."""
    document = parsed.document
    issuer_id, issuer_name = issuer_of(document)
    starts, ends = vc_dates(document)
    findings = ProofFindings(
        proof=not_yet_verified(at),
        document=document,
        issuer_id=issuer_id,
        issuer_name=issuer_name,
        starts=starts,
        ends=ends,
    )
    try:
        check_structure(document, at)
        findings.proof, findings.link = _verify_embedded_proofs(document, at)
    except Stop as stop:
        findings.proof = stop.result
    return findings
