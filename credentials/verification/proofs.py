"""Verify the embedded proofs of a JSON-LD document, whatever their suite.

`verify_proofs(doc)` gives one `ProofOutcome` per proof (a proof set gives several; a
proof with `previousProof` is checked over the proofs it chains to). The checks every
suite shares run here: the purpose is `assertionMethod`, a verification method is named,
the proof's dates hold. The suite itself (`credentials.verification.suites`, found by the
proof's `type` and `cryptosuite`) canonicalises, hashes, resolves the key and checks the
signature. Whether the key belongs to the issuer is the issuer check's business:
`ProofOutcome.key.is_assertion_method` and `.controller` are there for it.

An outcome's `code` tells a proof proven wrong (`proof_invalid`) from one the wallet
cannot judge: an unsupported suite, a key it cannot resolve, a context it does not have,
or an issuer it cannot reach (`credentials.verification.suites.base.UNDECIDED_CODES`).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from credentials.verification.keys import KeyResolutionError, ResolvedKey
from credentials.verification.suites import ProofCode, ProofError, SuiteInput, suite_for
from credentials.verification.suites.base import UNDECIDED_CODES, suite_name
from credentials.verification.suites.eddsa import signing_input

__all__ = ["ProofError", "ProofOutcome", "parse_datetime", "signing_input", "verify_proofs"]

CLOCK_SKEW = timedelta(minutes=5)
_MAX_PROOFS = 16


@dataclass(frozen=True)
class ProofOutcome:
    """The result of checking one proof, with the key it was checked against."""

    ok: bool
    reason: str
    verification_method: str
    key: ResolvedKey | None
    cryptosuite: str
    transient: bool = False
    proof_id: str | None = None
    code: str = ProofCode.INVALID

    @property
    def is_undecided(self) -> bool:
        """True when the wallet could not tell whether this proof holds."""
        return not self.ok and self.code in UNDECIDED_CODES

    @property
    def is_supported(self) -> bool:
        """False when no suite of this wallet checks this kind of proof."""
        return self.code != ProofCode.UNSUPPORTED_SUITE


def parse_datetime(value: Any, name: str) -> datetime:
    """Parse an XML Schema dateTime; one without a zone is taken as UTC."""
    if not isinstance(value, str) or len(value) > 64:
        raise ProofError(f"the proof's {name} is not a date and time")
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError as error:
        raise ProofError(f"the proof's {name} {value!r} is not a date and time") from error
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _check_dates(proof: dict[str, Any], now: datetime) -> None:
    """Refuse a proof created in the future or past its own expiry."""
    if "created" in proof:
        created = parse_datetime(proof["created"], "created")
        if created > now + CLOCK_SKEW:
            raise ProofError(f"the proof was created in the future ({proof['created']})")
    if "expires" in proof:
        expires = parse_datetime(proof["expires"], "expires")
        if expires <= now:
            raise ProofError(f"the proof expired on {proof['expires']}")


def _key_error_code(error: KeyResolutionError) -> str:
    """What a key that did not resolve means for the verdict."""
    if error.transient:
        return ProofCode.UNREACHABLE
    if error.unsupported:
        return ProofCode.KEY_UNRESOLVABLE
    return ProofCode.INVALID


def _verify_one(
    document: dict[str, Any], proof: Any, all_proofs: list[dict[str, Any]], now: datetime
) -> ProofOutcome:
    """Check one proof and describe the result."""
    if not isinstance(proof, dict):
        return ProofOutcome(False, "a proof must be a JSON object", "", None, "")
    method = proof.get("verificationMethod")
    method_id = method.get("id") if isinstance(method, dict) else method
    method_id = method_id if isinstance(method_id, str) else ""
    proof_id = proof.get("id") if isinstance(proof.get("id"), str) else None
    name = suite_name(proof)[:80]
    key: ResolvedKey | None = None
    try:
        suite = suite_for(proof)
        name = suite.name
        if proof.get("proofPurpose") != "assertionMethod":
            raise ProofError(
                f"the proof purpose is {proof.get('proofPurpose')!r}, not 'assertionMethod'"
            )
        if not method_id:
            raise ProofError("the proof names no verificationMethod")
        _check_dates(proof, now)
        key = suite.verify(SuiteInput(document, proof, all_proofs, method_id, now))
    except KeyResolutionError as error:
        code = _key_error_code(error)
        return ProofOutcome(
            False, error.reason, method_id, None, name, error.transient, proof_id, code
        )
    except ProofError as error:
        return ProofOutcome(
            False, error.reason, method_id, key, name, error.transient, proof_id, error.code
        )
    return ProofOutcome(True, "the signature is valid", method_id, key, name, False, proof_id, "ok")


def verify_proofs(document: Any, *, now: datetime | None = None) -> list[ProofOutcome]:
    """Verify every embedded proof on a JSON-LD document, one outcome per proof."""
    if not isinstance(document, dict) or "proof" not in document:
        return [ProofOutcome(False, "the document carries no proof", "", None, "")]
    raw = document["proof"]
    proofs = raw if isinstance(raw, list) else [raw]
    if not proofs:
        return [ProofOutcome(False, "the document carries no proof", "", None, "")]
    if len(proofs) > _MAX_PROOFS:
        return [ProofOutcome(False, f"more than {_MAX_PROOFS} proofs", "", None, "")]
    moment = now or datetime.now(UTC)
    usable = [proof for proof in proofs if isinstance(proof, dict)]
    return [_verify_one(document, proof, usable, moment) for proof in proofs]
