"""Selective disclosure with ecdsa-sd-2023: the holder's side of W3C vc-di-ecdsa.

An issuer signs a credential with a *base proof*: every statement signed on its own by a
proof-scoped key, the statements named by the issuer's mandatory pointers hashed under the
issuer's own signature, and the HMAC key that hides blank node labels. The base proof is
for the holder only (the HMAC key and every signature are in it). What anyone else gets is
a *derived proof* over a revealed document (createDisclosureData, serializeDerivedProofValue)
that leaves out the statements the holder withholds and still verifies against the issuer.

The learner names what to *withhold*; the algorithm asks what to *reveal*, so the reveal
pointers are the document's fields less the withheld ones. Deriving is deterministic: the
same base credential and pointers give the same derived credential, byte for byte, which
is what lets a derived credential be cached under the original's digest.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.utils.translation import gettext as _

from credentials.jsonld import JsonLdError
from credentials.models import Credential
from credentials.verification.proofs import verify_proofs
from credentials.verification.suites import ecdsa_sd
from credentials.verification.suites import sd_primitives as sd
from credentials.verification.suites.base import ProofError

MAX_WITHHELD = 100
MAX_POINTER_LENGTH = 500
# A field list for the page and the form; a credential with more is shown only this far.
MAX_FIELDS = 300
_PREVIEW_LENGTH = 80
# Revealed along with the object they name: the algorithm keeps a node's id and type.
_NODE_KEYS = ("id", "type")
# As long as the employer page's rendered list: a deleted credential's data lingers in the
# cache no longer than elsewhere, and deriving again costs tens of milliseconds.
_CACHE_SECONDS = 60 * 60
_CACHE_VERSION = 1


class DisclosureError(ValueError):
    """The learner's choice cannot be disclosed; the message says why, for the learner."""


@dataclass(frozen=True)
class Field:
    """One part of a credential a learner may see, as a JSON pointer and a readable path."""

    pointer: str
    label: str
    preview: str
    is_mandatory: bool


# --- which credentials, which fields --------------------------------------------------------


def _base_proof(document: Any) -> dict[str, Any] | None:
    """The document's one ecdsa-sd-2023 base proof, or None."""
    if not isinstance(document, dict):
        return None
    proof = document.get("proof")
    if not isinstance(proof, dict) or proof.get("cryptosuite") != ecdsa_sd.SUITE:
        return None
    if ecdsa_sd.proof_header(proof.get("proofValue")) != ecdsa_sd.BASE_HEADER:
        return None
    return proof


def is_base_credential(document: Any) -> bool:
    """Whether a credential JSON carries an ecdsa-sd-2023 base proof (the holder's copy)."""
    return _base_proof(document) is not None


def base_document(credential: Credential) -> dict[str, Any] | None:
    """The credential as it arrived, when that is JSON with an ecdsa-sd-2023 base proof.

    Read from the stored original (never changed); a credential baked into an image or
    held inside a presentation falls back to the document read from it.
    """
    if not credential.original or credential.is_self_reported:
        return None
    document: Any = None
    if credential.original_content_type == "application/json":
        with credential.original.open("rb") as handle:
            try:
                document = json.loads(handle.read())
            except ValueError:
                document = None
    if not is_base_credential(document):
        document = credential.document
    return copy.deepcopy(document) if is_base_credential(document) else None


def allows_selective_disclosure(credential: Credential) -> bool:
    """Whether the learner can withhold parts of this credential when sharing it."""
    return base_document(credential) is not None


def mandatory_pointers(document: dict[str, Any]) -> list[str]:
    """The pointers the issuer made mandatory in the base proof."""
    proof = _base_proof(document)
    if proof is None:
        return []
    try:
        return ecdsa_sd.parse_base_proof_value(proof["proofValue"]).mandatory_pointers
    except ProofError:
        return []


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def pointer_label(pointer: str) -> str:
    """A JSON pointer as the path a person reads, its steps joined by an arrow."""
    try:
        paths = sd.json_pointer_to_paths(pointer)
    except sd.SelectionError:
        return pointer
    return " › ".join(f"#{path + 1}" if isinstance(path, int) else path for path in paths)


def _covers(outer: str, inner: str) -> bool:
    """Whether `inner` is `outer` or lies inside it."""
    return inner == outer or inner.startswith(outer + "/")


def _preview(value: Any) -> str:
    if isinstance(value, dict):
        return ""
    if isinstance(value, list):
        return ""
    text = value if isinstance(value, str) else json.dumps(value)
    return text if len(text) <= _PREVIEW_LENGTH else text[: _PREVIEW_LENGTH - 1] + "…"


def _walk(value: Any, pointer: str, label: str) -> list[tuple[str, str, Any]]:
    """(pointer, label, value) of every field under `value`, parents before children."""
    found: list[tuple[str, str, Any]] = []
    if isinstance(value, dict):
        children = [(key, key) for key in value if isinstance(key, str)]
    elif isinstance(value, list):
        children = [(str(index), f"#{index + 1}") for index in range(len(value))]
    else:
        return found
    for key, name in children:
        if not pointer and key in ("@context", "proof"):
            continue
        child = value[int(key)] if isinstance(value, list) else value[key]
        child_pointer = f"{pointer}/{_escape(key)}"
        child_label = f"{label} › {name}" if label else name
        found.append((child_pointer, child_label, child))
        found.extend(_walk(child, child_pointer, child_label))
    return found


def _is_node_key(pointer: str) -> bool:
    return pointer.rsplit("/", 1)[-1] in _NODE_KEYS


def fields(document: dict[str, Any]) -> list[Field]:
    """The credential's fields, each marked mandatory when the issuer requires it shown.

    A field is mandatory when a mandatory pointer names it, lies inside it or contains it.
    Node ids and types are left out: they are revealed with the object they name.
    """
    mandatory = mandatory_pointers(document)
    listed = []
    for pointer, label, value in _walk(ecdsa_sd.unsecured(document), "", ""):
        if _is_node_key(pointer):
            continue
        is_mandatory = any(_covers(m, pointer) or _covers(pointer, m) for m in mandatory)
        listed.append(Field(pointer, label, _preview(value), is_mandatory))
        if len(listed) >= MAX_FIELDS:
            break
    return listed


# --- what may be withheld -------------------------------------------------------------------


def _resolves(document: Any, pointer: str) -> bool:
    try:
        paths = sd.json_pointer_to_paths(pointer)
    except sd.SelectionError:
        return False
    value = document
    for path in paths:
        if isinstance(value, dict) and str(path) in value:
            value = value[str(path)]
        elif isinstance(value, list) and isinstance(path, int) and path < len(value):
            value = value[path]
        else:
            return False
    return True


def check_withheld(document: dict[str, Any], pointers: Any) -> list[str]:
    """The learner's withheld pointers, checked against the base credential, in order.

    Raises DisclosureError naming the first pointer that cannot be withheld.
    """
    if not isinstance(pointers, list) or not all(isinstance(p, str) for p in pointers):
        raise DisclosureError(_("Withheld fields must be a list of JSON pointers."))
    if len(pointers) > MAX_WITHHELD:
        raise DisclosureError(
            _("At most %(count)d fields of one credential can be withheld.")
            % {"count": MAX_WITHHELD}
        )
    unsecured = ecdsa_sd.unsecured(document)
    mandatory = mandatory_pointers(document)
    checked: list[str] = []
    for pointer in pointers:
        shown = pointer[:MAX_POINTER_LENGTH]
        if len(pointer) > MAX_POINTER_LENGTH or not pointer.startswith("/"):
            raise DisclosureError(_("“%(pointer)s” is not a JSON pointer.") % {"pointer": shown})
        if pointer.split("/")[1] in ("@context", "proof") or not _resolves(unsecured, pointer):
            raise DisclosureError(
                _("“%(pointer)s” is not a field of this credential.") % {"pointer": shown}
            )
        if _is_node_key(pointer):
            raise DisclosureError(
                _(
                    "“%(pointer)s” is shown with the object it belongs to; withhold that "
                    "whole object instead."
                )
                % {"pointer": shown}
            )
        if any(_covers(m, pointer) or _covers(pointer, m) for m in mandatory):
            raise DisclosureError(
                _("The issuer requires “%(pointer)s” to be shown; it cannot be withheld.")
                % {"pointer": shown}
            )
        if pointer not in checked:
            checked.append(pointer)
    # One inside another withheld field adds nothing.
    return [p for p in checked if not any(o != p and _covers(o, p) for o in checked)]


def reveal_pointers(document: dict[str, Any], withheld: list[str]) -> list[str]:
    """The fewest pointers that select everything in the document but the withheld fields."""
    revealed: list[str] = []

    def visit(value: Any, pointer: str) -> None:
        if isinstance(value, dict):
            items = [(key, value[key]) for key in value]
        else:
            items = [(str(index), item) for index, item in enumerate(value)]
        for key, child in items:
            if not pointer and key == "@context":
                continue
            child_pointer = f"{pointer}/{_escape(key)}"
            if child_pointer in withheld:
                continue
            if any(w.startswith(child_pointer + "/") for w in withheld):
                visit(child, child_pointer)
            else:
                revealed.append(child_pointer)

    visit(ecdsa_sd.unsecured(document), "")
    return revealed


# --- deriving -------------------------------------------------------------------------------


def derive_credential(signed: dict[str, Any], selective_pointers: list[str]) -> dict[str, Any]:
    """The revealed document with a derived proof (createDisclosureData, then Add Derived
    Proof): the mandatory statements plus those `selective_pointers` select.

    Raises ProofError for a base proof that cannot be read, JsonLdError or
    sd.SelectionError for a document or pointer the algorithm cannot work with.
    """
    proof = _base_proof(signed)
    if proof is None:
        raise ProofError("the credential carries no ecdsa-sd-2023 base proof")
    document = ecdsa_sd.unsecured(signed)
    base = ecdsa_sd.parse_base_proof_value(proof["proofValue"])
    combined_pointers = [*base.mandatory_pointers, *selective_pointers]
    grouped = sd.canonicalize_and_group(
        document,
        sd.hmac_label_map_factory(base.hmac_key),
        {
            "mandatory": base.mandatory_pointers,
            "selective": selective_pointers,
            "combined": combined_pointers,
        },
    )
    mandatory = grouped.groups["mandatory"].matching
    selective = grouped.groups["selective"].matching
    combined = grouped.groups["combined"]
    # Positions among the revealed statements, which is what the verifier will see.
    mandatory_indexes = [
        relative for relative, absolute in enumerate(combined.matching) if absolute in mandatory
    ]
    # The base proof signs the non-mandatory statements in order; keep the selected ones.
    non_mandatory = [index for index in range(len(grouped.nquads)) if index not in mandatory]
    if len(non_mandatory) != len(base.signatures):
        raise ProofError("the base proof does not sign this document's statements")
    signatures = [
        signature
        for index, signature in zip(non_mandatory, base.signatures, strict=True)
        if index in selective
    ]
    reveal = sd.select_json_ld(combined_pointers, document) or {}
    # The verifier canonicalises the revealed statements afresh: map its labels to the HMAC
    # labels the statements were signed with.
    _canonical, id_map = sd.canonicalize_quads(combined.deskolemized_quads)
    label_map = {
        verifier_label: grouped.label_map[input_label]
        for input_label, verifier_label in id_map.items()
    }
    derived = ecdsa_sd.DerivedProofValue(
        base_signature=base.base_signature,
        public_key=base.public_key,
        signatures=signatures,
        label_map=label_map,
        mandatory_indexes=mandatory_indexes,
    )
    reveal["proof"] = {**proof, "proofValue": ecdsa_sd.serialize_derived_proof_value(derived)}
    return reveal


def disclose(signed: dict[str, Any], withheld: list[str]) -> dict[str, Any]:
    """The credential without the withheld fields, with a derived proof the wallet checked.

    `withheld` must have passed `check_withheld`. Raises DisclosureError when no derived
    credential can be made or the wallet's own verifier does not accept it.
    """
    try:
        derived = derive_credential(signed, reveal_pointers(signed, withheld))
    except (ProofError, JsonLdError, sd.SelectionError, KeyError) as error:
        raise DisclosureError(
            _("A credential to share could not be derived from this one: %(reason)s")
            % {"reason": str(error)[:300]}
        ) from error
    outcomes = verify_proofs(derived)
    if not outcomes or not all(outcome.ok for outcome in outcomes):
        reason = outcomes[0].reason if outcomes else ""
        raise DisclosureError(
            _("The derived credential did not verify: %(reason)s") % {"reason": reason[:300]}
        )
    return derived


def disclosed_credential(credential: Credential, withheld: list[str]) -> dict[str, Any] | None:
    """The derived credential an employer receives for `credential`, from the cache when it
    was made before; None when the credential holds no base proof.

    The key is the original's digest and the withheld pointers: deriving is deterministic,
    so a cached copy is the one deriving again would give.
    """
    key = disclosure_cache_key(credential, withheld)
    cached = cache.get(key)
    if cached is not None:
        # An empty dict records that the original holds no base proof.
        return cached or None
    signed = base_document(credential)
    if signed is None:
        cache.set(key, {}, _CACHE_SECONDS)
        return None
    derived = disclose(signed, check_withheld(signed, withheld))
    cache.set(key, derived, _CACHE_SECONDS)
    return derived


def disclosure_cache_key(credential: Credential, withheld: list[str]) -> str:
    """Where the derived credential for this original and these pointers is cached."""
    digest = hashlib.sha256(json.dumps(sorted(withheld)).encode()).hexdigest()[:32]
    return f"sd-derived:{_CACHE_VERSION}:{credential.pk}:{credential.original_sha256}:{digest}"


def cached_disclosures(
    requests: list[tuple[Credential, list[str]]],
) -> dict[str, dict[str, Any]]:
    """The cached derived credentials for several (credential, withheld) at once, by key
    (an empty dict for an original that holds no base proof)."""
    keys = [disclosure_cache_key(credential, withheld) for credential, withheld in requests]
    return cache.get_many(keys) if keys else {}
