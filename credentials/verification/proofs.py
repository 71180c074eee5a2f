"""Verify Data Integrity proofs: eddsa-rdfc-2022, eddsa-jcs-2022 and Ed25519Signature2020.

`verify_proofs(doc)` gives one `ProofOutcome` per proof (a proof set gives
several; a proof with `previousProof` is checked over the proofs it chains to).
A proof passes only when the key resolves, its purpose is `assertionMethod`,
its dates hold, every term of the signed data is defined by the contexts, and
the Ed25519 signature matches. Whether the key belongs to the issuer is the
issuer check's business: `ProofOutcome.key.is_assertion_method` and
`.controller` are there for it.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed25519

from credentials.jsonld import JsonLdError, expand_strict
from credentials.jsonld.canon import canonicalize_expanded
from credentials.verification.keys import (
    KeyResolutionError,
    ResolvedKey,
    multibase_decode,
    resolve_key,
)

RDFC_SUITES = frozenset({"eddsa-rdfc-2022", "Ed25519Signature2020"})
JCS_SUITE = "eddsa-jcs-2022"
CLOCK_SKEW = timedelta(minutes=5)
_MAX_PROOFS = 16


class ProofError(Exception):
    """One proof does not hold; `transient` is True when only fetching its key failed."""

    def __init__(self, reason: str, *, transient: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient


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


def _suite_of(proof: dict[str, Any]) -> str:
    """Name the suite: the cryptosuite of a DataIntegrityProof, or the legacy proof type."""
    proof_type = proof.get("type")
    if proof_type == "DataIntegrityProof":
        suite = proof.get("cryptosuite")
        if suite in RDFC_SUITES or suite == JCS_SUITE:
            return str(suite)
        raise ProofError(f"unsupported cryptosuite {suite!r} (eddsa-rdfc-2022, eddsa-jcs-2022)")
    if proof_type == "Ed25519Signature2020":
        return "Ed25519Signature2020"
    raise ProofError(
        f"unsupported proof type {proof_type!r} (DataIntegrityProof, Ed25519Signature2020)"
    )


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


def _context_list(context: Any) -> list[Any]:
    """Return a @context value as a list."""
    return context if isinstance(context, list) else [context]


def _proof_config(proof: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    """Build the signed proof options: the proof less its value, in the document's context."""
    config = {key: value for key, value in proof.items() if key != "proofValue"}
    document_context = document.get("@context")
    if "@context" in config:
        own = _context_list(config["@context"])
        if _context_list(document_context)[: len(own)] != own:
            raise ProofError("the proof's @context does not match the start of the document's")
    elif document_context is not None:
        config["@context"] = document_context
    return config


def _secured_input(
    unsecured: dict[str, Any], proof: dict[str, Any], all_proofs: list[dict[str, Any]]
) -> dict[str, Any]:
    """Return what the proof covers: the document, plus the proofs it chains to."""
    previous = proof.get("previousProof")
    if previous is None:
        return unsecured
    wanted = previous if isinstance(previous, list) else [previous]
    if not wanted or not all(isinstance(item, str) for item in wanted):
        raise ProofError("previousProof must name proofs by id")
    by_id = {item.get("id"): item for item in all_proofs if item.get("id")}
    missing = [item for item in wanted if item not in by_id]
    if missing:
        raise ProofError(f"the previous proof {missing[0]} is not in the document")
    return {**unsecured, "proof": [by_id[item] for item in wanted]}


def _rdfc_hash(value: dict[str, Any], what: str) -> bytes:
    """Hash the RDFC-1.0 canonical form, refusing data the contexts do not define."""
    try:
        # One expansion serves both the undefined-term check and the canonical form.
        expanded = expand_strict(value)
        return hashlib.sha256(canonicalize_expanded(expanded).encode("utf-8")).digest()
    except JsonLdError as error:
        raise ProofError(f"{what}: {error.reason}") from error


def _jcs_hash(value: dict[str, Any], what: str) -> bytes:
    """Hash the RFC 8785 (JCS) canonical form, refusing data the contexts do not define."""
    try:
        if "@context" in value:
            expand_strict(value)
        return hashlib.sha256(rfc8785.dumps(value)).digest()
    except JsonLdError as error:
        raise ProofError(f"{what}: {error.reason}") from error
    except (rfc8785.CanonicalizationError, ValueError, TypeError) as error:
        raise ProofError(f"{what} cannot be canonicalized as JSON ({error})") from error


def signing_input(
    document: dict[str, Any], proof: dict[str, Any], all_proofs: list[dict[str, Any]] | None = None
) -> bytes:
    """Return the bytes an Ed25519 proof signs: hash(proof options) || hash(document)."""
    suite = _suite_of(proof)
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    covered = _secured_input(unsecured, proof, all_proofs or [proof])
    config = _proof_config(proof, document)
    hasher: Callable[[dict[str, Any], str], bytes] = _jcs_hash if suite == JCS_SUITE else _rdfc_hash
    return hasher(config, "the proof options") + hasher(covered, "the signed document")


def _signature(proof: dict[str, Any]) -> bytes:
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
    suite = ""
    key: ResolvedKey | None = None
    try:
        suite = _suite_of(proof)
        if proof.get("proofPurpose") != "assertionMethod":
            raise ProofError(
                f"the proof purpose is {proof.get('proofPurpose')!r}, not 'assertionMethod'"
            )
        if not method_id:
            raise ProofError("the proof names no verificationMethod")
        _check_dates(proof, now)
        signature = _signature(proof)
        data = signing_input(document, proof, all_proofs)
        key = resolve_key(method_id)
        if not isinstance(key.public_key, ed25519.Ed25519PublicKey):
            raise ProofError(f"{suite} needs an Ed25519 key, but {method_id} is another type")
        try:
            key.public_key.verify(signature, data)
        except InvalidSignature as error:
            raise ProofError(
                "the signature does not match: the credential was changed after signing "
                "or was signed with another key"
            ) from error
    except KeyResolutionError as error:
        return ProofOutcome(False, error.reason, method_id, None, suite, error.transient, proof_id)
    except ProofError as error:
        return ProofOutcome(False, error.reason, method_id, key, suite, error.transient, proof_id)
    return ProofOutcome(True, "the signature is valid", method_id, key, suite, False, proof_id)


def verify_proofs(document: Any, *, now: datetime | None = None) -> list[ProofOutcome]:
    """Verify every Data Integrity proof on a JSON-LD document, one outcome per proof."""
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
