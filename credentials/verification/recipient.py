"""The recipient check: was this credential issued to the learner importing it?"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from credentials.formats.base import CredentialFormat, ParsedCredential
from credentials.i18n import gettext as _
from credentials.verification import checks
from credentials.verification.checks import CheckName, CheckResult, Code

_HASHES = {"sha256": hashlib.sha256, "md5": hashlib.md5}


@dataclass(frozen=True)
class RecipientContext:
    """What the wallet knows about the learner: proven emails, identifiers they typed in,
    and the DIDs of holder keys they control."""

    verified_emails: set[str] = field(default_factory=set)
    claimed_identifiers: set[str] = field(default_factory=set)
    # A credential bound to one of these (its subject id) is proven the learner's, like a
    # verified email; the wallet's holder keys fill it (`recipient_context_for`).
    holder_dids: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Identity:
    """One way a credential names its recipient (plain or salted hash)."""

    kind: str
    value: str
    hashed: bool = False
    salt: str = ""
    # The subject's own id (credentialSubject.id, a JWT's `sub`): what a holder key binds.
    is_subject_id: bool = False


def _hash_matches(identity: Identity, candidate: str) -> bool:
    """Whether `candidate` plus the salt hashes to the identity."""
    algorithm, sep, digest = identity.value.partition("$")
    if not sep:
        algorithm, digest = "sha256", identity.value
    hasher = _HASHES.get(algorithm.lower())
    if hasher is None:
        return False
    computed = hasher((candidate + identity.salt).encode()).hexdigest()
    return hmac.compare_digest(computed, digest.lower())


def _variants(candidate: str, kind: str) -> list[str]:
    """The spellings of a learner identifier worth comparing."""
    if kind == "email":
        bare = candidate.removeprefix("mailto:")
        return [bare, bare.lower()]
    return [candidate]


def matches(identity: Identity, candidate: str) -> bool:
    """Whether one learner identifier is the identity named in the credential."""
    for variant in _variants(candidate, identity.kind):
        if identity.hashed:
            if _hash_matches(identity, variant):
                return True
        elif identity.kind == "email":
            if identity.value.removeprefix("mailto:").lower() == variant.lower():
                return True
        elif identity.value == variant:
            return True
    return False


def _kind_of_ob3(identity_type: str, value: str) -> str:
    """email, url, … from an OB 3.0 identityType or the value itself."""
    if identity_type.lower() in ("emailaddress", "email") or value.startswith("mailto:"):
        return "email"
    return identity_type or "url"


def identities(parsed: ParsedCredential, document: dict[str, Any]) -> list[Identity]:
    """Every way the credential names its recipient."""
    found: list[Identity] = []
    # Open Badges before 3.0 (Blockcerts v2 among them) name an identity object `recipient`.
    is_ob2_shaped = parsed.format in (
        CredentialFormat.OB2_HOSTED,
        CredentialFormat.OB2_SIGNED,
        CredentialFormat.OB1,
    ) or (parsed.format == CredentialFormat.BLOCKCERTS and "credentialSubject" not in document)
    if is_ob2_shaped:
        recipient = document.get("recipient")
        if isinstance(recipient, dict) and isinstance(recipient.get("identity"), str):
            found.append(
                Identity(
                    kind=str(recipient.get("type") or "email").lower(),
                    value=recipient["identity"],
                    hashed=bool(recipient.get("hashed")),
                    salt=str(recipient.get("salt") or ""),
                )
            )
        return found
    subject_claim = (parsed.claims or {}).get("sub")
    if isinstance(subject_claim, str):
        found.append(
            Identity(kind=_kind_of_ob3("", subject_claim), value=subject_claim, is_subject_id=True)
        )
    subjects = document.get("credentialSubject")
    for subject in subjects if isinstance(subjects, list) else [subjects]:
        if not isinstance(subject, dict):
            continue
        if isinstance(subject.get("id"), str):
            value = subject["id"]
            found.append(Identity(kind=_kind_of_ob3("", value), value=value, is_subject_id=True))
        nodes = subject.get("identifier")
        for node in nodes if isinstance(nodes, list) else [nodes]:
            if not isinstance(node, dict) or not isinstance(node.get("identityHash"), str):
                continue
            value = node["identityHash"]
            found.append(
                Identity(
                    kind=_kind_of_ob3(str(node.get("identityType") or ""), value),
                    value=value,
                    hashed=bool(node.get("hashed")),
                    salt=str(node.get("salt") or ""),
                )
            )
    return found


def _any_match(named: Iterable[Identity], candidates: Iterable[str]) -> bool:
    """Whether any named identity matches any candidate."""
    pool = list(candidates)
    return any(matches(identity, candidate) for identity in named for candidate in pool)


def _bound_to_holder(named: Iterable[Identity], holder_dids: Iterable[str]) -> str:
    """The learner's holder DID the subject id names (a key fragment aside), or ""."""
    dids = {did.partition("#")[0] for did in holder_dids}
    for identity in named:
        if identity.is_subject_id and identity.value.partition("#")[0] in dids:
            return identity.value.partition("#")[0]
    return ""


def _readable_email(named: Iterable[Identity]) -> str:
    """The first email the credential names in the clear; hashed ones cannot be read."""
    for identity in named:
        if identity.kind == "email" and not identity.hashed:
            return identity.value.removeprefix("mailto:")
    return ""


def check_recipient(
    parsed: ParsedCredential,
    document: dict[str, Any],
    context: RecipientContext | None,
    at: datetime,
) -> CheckResult:
    """Confirmed on a verified email or holder key, unproven on a typed identifier only,
    a mismatch when it names someone else, not stated when it names no one."""
    if context is None:
        return checks.not_checked(
            CheckName.RECIPIENT, Code.NO_LEARNER, _("No learner to compare the recipient with."), at
        )
    named = identities(parsed, document)
    if not named:
        return checks.warning(
            CheckName.RECIPIENT,
            Code.RECIPIENT_NOT_STATED,
            _("The credential does not say who it was issued to."),
            at,
        )
    if _any_match(named, context.verified_emails):
        return checks.passed(
            CheckName.RECIPIENT,
            _("Issued to an email address the learner has verified."),
            at,
            code=Code.RECIPIENT_CONFIRMED,
        )
    holder_key = _bound_to_holder(named, context.holder_dids)
    if holder_key:
        return checks.passed(
            CheckName.RECIPIENT,
            _("Issued to a key the learner holds."),
            at,
            code=Code.RECIPIENT_CONFIRMED,
            holder_key=holder_key,
        )
    if _any_match(named, context.claimed_identifiers):
        return checks.warning(
            CheckName.RECIPIENT,
            Code.RECIPIENT_UNPROVEN,
            _("Issued to an identifier the learner added but has not proven."),
            at,
        )
    # The address, when readable, lets the learner's page offer to add and verify it.
    email = _readable_email(named)
    return checks.warning(
        CheckName.RECIPIENT,
        Code.RECIPIENT_MISMATCH,
        _("Not issued to any address or identifier of the learner."),
        at,
        **({"email": email} if email else {}),
    )
