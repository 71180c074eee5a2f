"""Open Badges 2.0: hosted assertions fetched from the issuer, and signed (JWS) ones."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from credentials.formats import ob1, ob2
from credentials.formats.base import ParsedCredential, id_of
from credentials.i18n import gettext as _
from credentials.verification import checks, jws, status
from credentials.verification.checks import CheckName, Code
from credentials.verification.families.common import (
    ProofFindings,
    Stop,
    confirm_hosted,
    fetch_issuer,
    fetch_json_status,
    fetch_node,
    fetch_published,
    fetch_status_stop,
    not_yet_verified,
    proof_failed,
)
from credentials.verification.families.ob1 import verify_ob1_hosted
from credentials.verification.issuer import KeyLink
from credentials.verification.registries import domain_of


def _ob2_dates(document: dict[str, Any]) -> tuple[list[tuple[str, Any]], list[tuple[str, Any]]]:
    """The start and end dates of an OB 2.0 assertion."""
    return [("issuedOn", document.get("issuedOn"))], [("expires", document.get("expires"))]


def _check_ob2_structure(document: dict[str, Any], at: datetime) -> None:
    """Refuse an assertion that is not shaped like OB 2.0."""
    problem = ob2.structure_problem(document)
    if problem:
        raise proof_failed(Code.MALFORMED, problem, at)


# Fields whose change would make a copy say something the issuer did not host.
_HOSTED_FIELDS = ("recipient", "badge", "issuedOn", "expires", "verification")


def verify_ob2_hosted(parsed: ParsedCredential, at: datetime) -> ProofFindings:
    """Verify a hosted assertion by fetching the issuer's copy."""
    url = parsed.url or id_of(parsed.document)
    starts, ends = _ob2_dates(parsed.document)
    findings = ProofFindings(
        proof=not_yet_verified(at),
        document=parsed.document,
        starts=starts,
        ends=ends,
    )
    try:
        code, hosted = fetch_json_status(url, _("hosted assertion"), at)
        # A baked address tells no version; what it serves may be an OB 1.0 assertion.
        if parsed.url is not None and hosted is not None and ob1.is_assertion(hosted):
            return verify_ob1_hosted(parsed, at, fetched=(code, hosted))
        if code == 410 or (hosted is not None and hosted.get("revoked") is True):
            findings.proof = checks.not_checked(
                CheckName.PROOF, Code.SKIPPED, _("The issuer no longer serves this badge."), at
            )
            findings.status = checks.failed(
                CheckName.STATUS, Code.REVOKED, _("The issuer has revoked it."), at
            )
            return findings
        if hosted is None:
            raise fetch_status_stop(code, _("hosted assertion"), at)
        if parsed.url is None:
            _check_ob2_structure(parsed.document, at)
        _check_ob2_structure(hosted, at)
        if id_of(hosted) != url:
            raise proof_failed(
                Code.MALFORMED, _("The hosted assertion gives another id than its address."), at
            )
        if parsed.url is None and any(
            parsed.document.get(name) != hosted.get(name) for name in _HOSTED_FIELDS
        ):
            raise proof_failed(
                Code.PROOF_INVALID, _("This copy differs from the one the issuer hosts."), at
            )
        findings.document = hosted
        findings.starts, findings.ends = _ob2_dates(hosted)
        badge = fetch_node(hosted.get("badge"), _("badge class"), at)
        issuer = fetch_issuer(badge, at)
        confirm_hosted(
            findings,
            url=url or "",
            badge=badge,
            issuer=issuer,
            is_allowed=ob2.origin_allowed(url or "", issuer),
            at=at,
        )
        # The profile came from its own address, and it allows the origin that hosts this.
        findings.issuer_domain = domain_of(findings.issuer_id)
    except Stop as stop:
        findings.proof = stop.result
    return findings


def verify_ob2_signed(parsed: ParsedCredential, at: datetime) -> ProofFindings:
    """Verify a signed assertion with the key its issuer profile lists."""
    document = parsed.document
    starts, ends = _ob2_dates(document)
    findings = ProofFindings(
        proof=not_yet_verified(at), document=document, starts=starts, ends=ends
    )
    try:
        if not parsed.jws:
            raise proof_failed(
                Code.PROOF_MISSING, _("A signed assertion arrived without its signature."), at
            )
        _check_ob2_structure(document, at)
        verification = document.get("verification")
        creator = verification.get("creator") if isinstance(verification, dict) else None
        key_document = fetch_published(creator, _("signing key"), at)
        try:
            jws.verify_compact(
                parsed.jws, key=jws.load_pem_public_key(key_document.get("publicKeyPem"))
            )
        except jws.JwsError as exc:
            raise proof_failed(
                Code.PROOF_INVALID,
                _("The signature does not hold: %(reason)s") % {"reason": exc.reason},
                at,
            ) from exc
        badge = fetch_node(document.get("badge"), _("badge class"), at)
        issuer = fetch_issuer(badge, at)
        findings.badge, findings.issuer_profile = badge, issuer
        findings.issuer_id, findings.issuer_name = id_of(issuer), str(issuer.get("name") or "")
        key_id = id_of(key_document) or str(creator)
        is_listed = ob2.key_listed(key_id, issuer) or ob2.key_listed(str(creator), issuer)
        is_linked = is_listed and key_document.get("owner") in (None, findings.issuer_id)
        findings.link = KeyLink(
            is_linked=is_linked,
            key_id=key_id,
            controller=str(key_document.get("owner") or ""),
            how="" if is_linked else _("the issuer profile does not list this key"),
        )
        if is_linked and domain_of(creator) == domain_of(findings.issuer_id):
            findings.issuer_domain = domain_of(findings.issuer_id)
        findings.proof = checks.passed(CheckName.PROOF, _("The signature is valid (RS256)."), at)
        findings.status = status.check_ob2_revocation(document, issuer, at)
    except Stop as stop:
        findings.proof = stop.result
    return findings
