"""verify(): run every check on a parsed credential and decide its verdict. Stores nothing.

The proof is verified by the family the credential's format belongs to (`FAMILIES`, one
module each under `credentials.verification.families`); the issuer, recipient, dates and
status checks and the verdict table are the same for every family.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone

from credentials.formats import read_credentials
from credentials.formats.base import CredentialFormat, ParsedCredential
from credentials.formats.normalize import normalize
from credentials.i18n import gettext as _
from credentials.verification import checks, status
from credentials.verification.checks import CheckName, CheckResult, Code
from credentials.verification.families import blockcerts, data_integrity, jwt, ob1, ob2
from credentials.verification.families.common import ProofFindings
from credentials.verification.issuer import check_issuer, claimed_url
from credentials.verification.recipient import RecipientContext, check_recipient
from credentials.verification.verdict import Verdict, decide, explain

# Open Badges before 3.0: no VC-JWT claims, and the family decides the status itself.
OB2_FORMATS = (CredentialFormat.OB2_HOSTED, CredentialFormat.OB2_SIGNED, CredentialFormat.OB1)


@dataclass
class VerificationResult:
    """What verifying one credential found; CLR results carry their nested credentials."""

    verdict: Verdict
    message: str
    checks: list[CheckResult]
    normalized: dict[str, Any]
    format: CredentialFormat
    index: int
    verified_at: datetime
    children: list[VerificationResult] = field(default_factory=list)

    def check(self, name: CheckName) -> CheckResult:
        """The check with this name."""
        return next(check for check in self.checks if check.name == name)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-serialisable copy, ready to store."""
        return {
            "verdict": str(self.verdict),
            "message": str(self.message),
            "format": str(self.format),
            "index": self.index,
            "verified_at": self.verified_at.isoformat(),
            "checks": [check.as_dict() for check in self.checks],
            "normalized": self.normalized,
            "children": [child.as_dict() for child in self.children],
        }


Family = Callable[[ParsedCredential, datetime], ProofFindings]

# Format -> the family that verifies its proof. A JSON-LD format arriving as a JWT is
# verified as a JWT whatever its format (`parsed.jws`).
FAMILIES: dict[CredentialFormat, Family] = {
    CredentialFormat.OB2_HOSTED: ob2.verify_ob2_hosted,
    CredentialFormat.OB2_SIGNED: ob2.verify_ob2_signed,
    CredentialFormat.OB1: ob1.verify_ob1,
    CredentialFormat.BLOCKCERTS: blockcerts.verify_blockcerts,
}


def _find_proof(parsed: ParsedCredential, at: datetime) -> ProofFindings:
    """Verify the proof the way the credential's format requires."""
    family = FAMILIES.get(parsed.format)
    if family is not None:
        return family(parsed, at)
    if parsed.jws:
        return jwt.verify_jwt(parsed, at)
    return data_integrity.verify_data_integrity(parsed, at)


def _status_check(parsed: ParsedCredential, findings: ProofFindings, at: datetime) -> CheckResult:
    """The status check, once the proof is known to hold."""
    if findings.status is not None:
        return findings.status
    if findings.proof.status != checks.CheckStatus.PASSED:
        return checks.not_checked(
            CheckName.STATUS, Code.SKIPPED, _("Not checked: the proof did not pass."), at
        )
    if parsed.format in OB2_FORMATS:
        return checks.not_checked(
            CheckName.STATUS, Code.NO_STATUS, _("The issuer publishes no status for it."), at
        )
    return status.check_status(
        findings.document,
        issuer_id=findings.issuer_id,
        at=at,
        verify_proof=data_integrity.list_proof_at(at),
    )


def verify(
    parsed: ParsedCredential,
    *,
    recipient: RecipientContext | None,
    now: datetime | None = None,
) -> VerificationResult:
    """Run the proof, issuer, recipient, dates and status checks and decide the verdict."""
    at = now or timezone.now()
    findings = _find_proof(parsed, at)
    proof_passed = findings.proof.status == checks.CheckStatus.PASSED
    result_checks = [
        findings.proof,
        check_issuer(
            issuer_id=findings.issuer_id,
            issuer_name=findings.issuer_name,
            link=findings.link if proof_passed else None,
            at=at,
            issuer_url=claimed_url(findings.issuer_profile or findings.document.get("issuer")),
            issuer_domain=findings.issuer_domain,
        ),
        check_recipient(parsed, findings.document, recipient, at),
        checks.check_dates(findings.starts, findings.ends, at),
        _status_check(parsed, findings, at),
    ]
    verdict = decide(result_checks)
    fmt = findings.format or parsed.format
    return VerificationResult(
        verdict=verdict,
        message=explain(verdict, result_checks),
        checks=result_checks,
        normalized=normalize(
            findings.document,
            format=fmt,
            badge=findings.badge,
            issuer=findings.issuer_profile,
            claims=parsed.claims if fmt not in OB2_FORMATS else None,
        ),
        format=fmt,
        index=parsed.index,
        verified_at=at,
        children=[verify(child, recipient=recipient, now=at) for child in parsed.children],
    )


def verify_bytes(
    data: bytes,
    *,
    filename: str | None = None,
    recipient: RecipientContext | None = None,
    now: datetime | None = None,
) -> list[VerificationResult]:
    """Read every credential in the bytes and verify each; raises CredentialFormatError."""
    return [
        verify(parsed, recipient=recipient, now=now)
        for parsed in read_credentials(data, filename=filename)
    ]
