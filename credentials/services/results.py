"""How a verification result is recorded on a stored credential, and what makes two imports one."""

import hashlib

from credentials.models import Credential
from credentials.verification.checks import CheckName, CheckStatus
from credentials.verification.engine import VerificationResult
from credentials.verification.verdict import Verdict

RESULT_FIELDS = ("verdict", "verdict_message", "checks", "recipient_code")


def fingerprint_for(result: VerificationResult, *, original_sha256: str) -> str:
    """What makes two imports the same credential: its issuer id and credential id (as the
    1EdTech host API matches them) once a proof passed, else its exact bytes.

    An id no proof backs is only a claim: a tampered copy must never keep the genuine
    credential out of the wallet.
    """
    issuer = result.normalized.get("issuer")
    issuer_id = str(issuer.get("id") or "") if isinstance(issuer, dict) else ""
    credential_id = str(result.normalized.get("credential_id") or "")
    if issuer_id and credential_id and proof_passed(result):
        return "id:" + hashlib.sha256(f"{issuer_id}\n{credential_id}".encode()).hexdigest()
    return f"sha256:{original_sha256}"


def proof_passed(result: VerificationResult) -> bool:
    return any(
        check.name == CheckName.PROOF and check.status == CheckStatus.PASSED
        for check in result.checks
    )


def could_not_run(result: VerificationResult) -> bool:
    """The result says nothing new: a check could not run (issuer offline, list unreachable).

    A definitive result (revoked, expired, failed, verified) always replaces the stored one.
    """
    return result.verdict == Verdict.UNVERIFIABLE and any(
        check.is_transient for check in result.checks
    )


def apply_result(credential: Credential, result: VerificationResult) -> None:
    data = result.as_dict()
    credential.verdict = str(result.verdict)
    credential.verdict_message = str(result.message)[:500]
    credential.checks = data["checks"]
    recipient = next((c for c in result.checks if c.name == CheckName.RECIPIENT), None)
    credential.recipient_code = str(recipient.code) if recipient is not None else ""
    credential.verified_at = result.verified_at
    if could_not_run(result):
        return
    credential.last_verified_at = result.verified_at
    credential.recheck_failed_at = None
    credential.recheck_error = {}
    credential.recheck_failures = 0
