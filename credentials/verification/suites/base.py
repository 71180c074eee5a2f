"""What every proof suite shares: its error, its input, the registry it joins, and hashing.

A suite is one function registered under a proof `type` (and, for `DataIntegrityProof`,
a `cryptosuite`). It receives a `SuiteInput` whose common checks (purpose, dates,
verification method named) have already passed, and returns the key that made the
signature, or raises `ProofError`. A proof no suite is registered for is *unsupported*:
the verdict is `unverifiable`, never `failed` (`proofs.verify_proofs`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import rfc8785

from credentials.jsonld import JsonLdError, UnknownContextError, expand_strict
from credentials.jsonld.canon import canonicalize_expanded
from credentials.verification.keys import ResolvedKey


class ProofCode:
    """The machine codes a proof outcome carries (the check codes of `checks.Code`)."""

    OK = "ok"
    INVALID = "proof_invalid"
    UNSUPPORTED_SUITE = "proof_unsupported_suite"
    KEY_UNRESOLVABLE = "key_unresolvable"
    CONTEXT_UNKNOWN = "context_unknown"
    UNREACHABLE = "unreachable"


# Codes for what the wallet cannot tell, as opposed to what it proved wrong.
UNDECIDED_CODES = frozenset(
    {
        ProofCode.UNSUPPORTED_SUITE,
        ProofCode.KEY_UNRESOLVABLE,
        ProofCode.CONTEXT_UNKNOWN,
        ProofCode.UNREACHABLE,
    }
)


class ProofError(Exception):
    """One proof does not hold, or cannot be checked (`code` says which).

    `transient` is True when only fetching something failed, so trying later may succeed.
    """

    def __init__(
        self, reason: str, *, transient: bool = False, code: str = ProofCode.INVALID
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient
        self.code = ProofCode.UNREACHABLE if transient else code


@dataclass(frozen=True)
class SuiteInput:
    """One proof to check, with the document it secures."""

    document: dict[str, Any]
    proof: dict[str, Any]
    all_proofs: list[dict[str, Any]]
    method_id: str
    now: datetime


SuiteVerifier = Callable[[SuiteInput], ResolvedKey]


@dataclass(frozen=True)
class Suite:
    """A registered proof suite: its name as shown, and the function that verifies it."""

    name: str
    verify: SuiteVerifier


_REGISTRY: dict[tuple[str, str | None], Suite] = {}


def register(name: str, *, proof_type: str, cryptosuite: str | None = None):
    """Register a suite verifier under its proof type (and cryptosuite)."""

    def decorate(function: SuiteVerifier) -> SuiteVerifier:
        _REGISTRY[(proof_type, cryptosuite)] = Suite(name=name, verify=function)
        return function

    return decorate


def registered() -> dict[tuple[str, str | None], Suite]:
    """A copy of the registry: (proof type, cryptosuite) -> suite."""
    return dict(_REGISTRY)


def suite_name(proof: dict[str, Any]) -> str:
    """What the proof calls its suite: the cryptosuite of a DataIntegrityProof, else its type."""
    proof_type = proof.get("type")
    if proof_type == "DataIntegrityProof":
        suite = proof.get("cryptosuite")
        return suite if isinstance(suite, str) else ""
    return proof_type if isinstance(proof_type, str) else ""


def suite_for(proof: dict[str, Any]) -> Suite:
    """The registered suite for this proof; ProofError(unsupported) when there is none."""
    proof_type = proof.get("type")
    key = (proof_type, proof.get("cryptosuite") if proof_type == "DataIntegrityProof" else None)
    if isinstance(key[0], str) and (key[1] is None or isinstance(key[1], str)):
        suite = _REGISTRY.get(key)  # type: ignore[arg-type]
        if suite is not None:
            return suite
    shown = suite_name(proof) or repr(proof_type)
    raise ProofError(
        f"this wallet cannot check {shown[:80]} proofs", code=ProofCode.UNSUPPORTED_SUITE
    )


def context_list(context: Any) -> list[Any]:
    """Return a @context value as a list."""
    return context if isinstance(context, list) else [context]


def data_integrity_config(proof: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    """The proof options of a Data Integrity proof: the proof less its value, in the
    document's context; a proof `@context` must be the start of the document's."""
    config = {key: value for key, value in proof.items() if key != "proofValue"}
    document_context = document.get("@context")
    if "@context" in config:
        own = context_list(config["@context"])
        if context_list(document_context)[: len(own)] != own:
            raise ProofError("the proof's @context does not match the start of the document's")
    elif document_context is not None:
        config["@context"] = document_context
    return config


def secured_input(
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


def jsonld_error(error: JsonLdError, what: str) -> ProofError:
    """A JSON-LD failure as a proof error: unknown context cannot be told, the rest fails."""
    if isinstance(error, UnknownContextError):
        return ProofError(
            f"{what} uses a JSON-LD context this wallet does not have ({error.url})",
            code=ProofCode.CONTEXT_UNKNOWN,
        )
    return ProofError(f"{what}: {error.reason}")


def canonical_nquads(value: dict[str, Any], what: str) -> str:
    """The RDFC-1.0 canonical N-Quads, refusing data the contexts do not define."""
    try:
        # One expansion serves both the undefined-term check and the canonical form.
        return canonicalize_expanded(expand_strict(value))
    except JsonLdError as error:
        raise jsonld_error(error, what) from error


def rdfc_hash(value: dict[str, Any], what: str, algorithm: str = "sha256") -> bytes:
    """Hash the RDFC-1.0 canonical form with `algorithm` (sha256 or sha384)."""
    return hashlib.new(algorithm, canonical_nquads(value, what).encode("utf-8")).digest()


def jcs_hash(value: dict[str, Any], what: str, algorithm: str = "sha256") -> bytes:
    """Hash the RFC 8785 (JCS) form, refusing data the contexts do not define."""
    try:
        if "@context" in value:
            expand_strict(value)
        return hashlib.new(algorithm, rfc8785.dumps(value)).digest()
    except JsonLdError as error:
        raise jsonld_error(error, what) from error
    except (rfc8785.CanonicalizationError, ValueError, TypeError) as error:
        raise ProofError(f"{what} cannot be canonicalized as JSON ({error})") from error
