"""Credentials secured as a JWT (VC-JWT, OB 3.0 and CLR 2.0 `jwt_vc`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from credentials.formats import vc
from credentials.formats.base import ParsedCredential, types_of
from credentials.i18n import gettext as _
from credentials.verification import checks, jws
from credentials.verification.checks import CheckName, Code
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


def verify_jwt(parsed: ParsedCredential, at: datetime) -> ProofFindings:
    """Verify a VC-JWT: signature, key, claims and the credential inside."""
    document = parsed.document
    claims = parsed.claims or {}
    issuer_id, issuer_name = issuer_of(document)
    issuer_id = issuer_id or (claims.get("iss") if isinstance(claims.get("iss"), str) else None)
    starts, ends = vc_dates(document)
    findings = ProofFindings(
        proof=not_yet_verified(at),
        document=document,
        issuer_id=issuer_id,
        issuer_name=issuer_name,
        starts=[("nbf", claims.get("nbf")), *starts],
        ends=[("exp", claims.get("exp")), *ends],
    )
    try:
        findings.link = _verify_jws_signature(parsed.jws or "", issuer_id, at)
        problem = vc.claims_problem(claims, document)
        if problem:
            raise proof_failed(Code.MALFORMED, problem, at)
        _check_jwt_credential(document, at)
        findings.proof = checks.passed(
            CheckName.PROOF, _("The JWT signature is valid."), at, key_id=findings.link.key_id
        )
    except Stop as stop:
        findings.proof = stop.result
    return findings


def _check_jwt_credential(document: dict[str, Any], at: datetime) -> None:
    """Refuse a JWT whose `vc` is not a well-formed credential."""
    if "VerifiableCredential" not in types_of(document):
        raise proof_failed(Code.MALFORMED, _("Its type does not include VerifiableCredential."), at)
    expand_without_proof(document, at)


def _verify_jws_signature(token: str, issuer_id: str | None, at: datetime) -> KeyLink:
    """Verify the JWS and say how its key relates to the issuer."""
    try:
        verified = jws.verify_compact(token)
    except jws.JwsError as exc:
        if exc.transient:
            raise proof_unreachable(
                _("The key could not be fetched: %(reason)s") % {"reason": exc.reason}, at
            ) from exc
        if exc.undecided:
            raise proof_undecided(
                Code.KEY_UNRESOLVABLE
                if "algorithm" not in exc.reason
                else Code.PROOF_UNSUPPORTED_SUITE,
                _("This wallet cannot check its proof: %(reason)s") % {"reason": exc.reason},
                at,
            ) from exc
        raise proof_failed(
            Code.PROOF_INVALID,
            _("The JWT signature does not hold: %(reason)s") % {"reason": exc.reason},
            at,
        ) from exc
    if verified.key is None:
        return KeyLink(
            is_linked=False,
            key_id="jwk",
            how=_("the key came inside the token itself, not from the issuer"),
        )
    return link_for(verified.key, issuer_id)
