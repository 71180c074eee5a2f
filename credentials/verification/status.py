"""The status check: revocation and suspension through status lists and revocation lists."""

from __future__ import annotations

import base64
import binascii
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from credentials.fetcher import FetchError, fetch
from credentials.formats import safejson
from credentials.formats.base import CredentialFormatError, id_of, parse_datetime, types_of
from credentials.i18n import gettext as _
from credentials.verification import checks
from credentials.verification.checks import CheckName, CheckResult, Code

# 16 MiB holds 134 million one-bit entries; a larger list is refused, not inflated.
MAX_BITSTRING_BYTES = 16 * 1024 * 1024
BITSTRING_ENTRY_TYPES = ("BitstringStatusListEntry", "StatusList2021Entry")
BITSTRING_LIST_TYPES = ("BitstringStatusList", "StatusList2021")
BITSTRING_CREDENTIAL_TYPES = ("BitstringStatusListCredential", "StatusList2021Credential")
REVOCATION_LIST_TYPES = ("1EdTechRevocationList",)
PURPOSES = ("revocation", "suspension")

ProofVerifier = Callable[[dict[str, Any]], "ListProof"]


@dataclass(frozen=True)
class ListProof:
    """Whether a status list's own proof holds, and if not, whether to retry later."""

    ok: bool
    reason: str = ""
    is_transient: bool = False


class StatusListError(Exception):
    """The status could not be read; `is_transient` when retrying later may help."""

    def __init__(self, reason: str, *, is_transient: bool = False) -> None:
        """Keep the reason and whether retrying may help."""
        super().__init__(reason)
        self.reason = reason
        self.is_transient = is_transient


def decode_bitstring(encoded: str) -> bytes:
    """The bitstring of a list: multibase (`u`) or plain base64url of GZIP data, size-capped."""
    text = encoded.strip()
    if text.startswith("u"):
        text = text[1:]
    try:
        compressed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise StatusListError(_("The status list is not valid base64url.")) from exc
    inflater = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
    try:
        bits = inflater.decompress(compressed, MAX_BITSTRING_BYTES)
    except zlib.error as exc:
        raise StatusListError(_("The status list is not valid GZIP data.")) from exc
    if inflater.unconsumed_tail:
        raise StatusListError(_("The status list is larger than this wallet accepts."))
    return bits


def read_status(bits: bytes, index: int, size: int) -> int:
    """The value of entry `index` (`size` bits wide, left-most bit first)."""
    start = index * size
    if index < 0 or start + size > len(bits) * 8:
        raise StatusListError(_("The status index lies outside the status list."))
    value = 0
    for position in range(start, start + size):
        value = (value << 1) | ((bits[position // 8] >> (7 - position % 8)) & 1)
    return value


def _as_int(value: Any, name: str) -> int:
    """A non-negative index or size given as a number or a string of digits."""
    if isinstance(value, bool):
        raise StatusListError(_("The status entry's %(name)s is not a number.") % {"name": name})
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit() and len(value) < 20:
        return int(value)
    raise StatusListError(_("The status entry's %(name)s is not a number.") % {"name": name})


def _fetch_document(url: Any) -> dict[str, Any]:
    """Fetch and parse a status or revocation list."""
    if not isinstance(url, str) or not url:
        raise StatusListError(_("The status entry does not say where its list is."))
    try:
        response = fetch(url)
    except FetchError as exc:
        raise StatusListError(
            _("The status list at %(url)s could not be reached: %(reason)s")
            % {"url": url, "reason": exc.reason},
            is_transient=exc.transient,
        ) from exc
    if response.status != 200:
        # A missing list may come back (a deploy, a moved file): retry rather than condemn.
        raise StatusListError(
            _("The status list at %(url)s answered HTTP %(status)d.")
            % {"url": url, "status": response.status},
            is_transient=True,
        )
    try:
        return safejson.loads(response.body)
    except CredentialFormatError as exc:
        raise StatusListError(
            _("The status list is not readable: %(reason)s") % {"reason": exc.reason}
        ) from exc


def _list_subject(status_list: dict[str, Any]) -> dict[str, Any]:
    """The BitstringStatusList subject of a status list credential."""
    if not any(kind in BITSTRING_CREDENTIAL_TYPES for kind in types_of(status_list)):
        raise StatusListError(_("The status list credential does not say it is a status list."))
    subject = status_list.get("credentialSubject")
    subject = subject[0] if isinstance(subject, list) and subject else subject
    if not isinstance(subject, dict) or not any(
        kind in BITSTRING_LIST_TYPES for kind in types_of(subject)
    ):
        raise StatusListError(_("The status list credential is not a bitstring status list."))
    return subject


def _validate_list(
    status_list: dict[str, Any], issuer_id: str | None, at: datetime, verify_proof: ProofVerifier
) -> None:
    """Refuse a list whose proof, issuer or validity period does not hold."""
    proof = verify_proof(status_list)
    if not proof.ok:
        raise StatusListError(
            _("The status list's own proof does not hold: %(reason)s") % {"reason": proof.reason},
            is_transient=proof.is_transient,
        )
    list_issuer = id_of(status_list.get("issuer"))
    if issuer_id is None or list_issuer != issuer_id:
        raise StatusListError(
            _("The status list was published by %(list)s, not by this credential's issuer.")
            % {"list": list_issuer or _("nobody named")}
        )
    starts = parse_datetime(status_list.get("validFrom") or status_list.get("issuanceDate"))
    ends = parse_datetime(status_list.get("validUntil") or status_list.get("expirationDate"))
    if (starts and starts > at) or (ends and ends <= at):
        raise StatusListError(
            _("The issuer's status list is outside its validity period."), is_transient=True
        )


def _bitstring_status(
    entry: dict[str, Any], issuer_id: str | None, at: datetime, verify_proof: ProofVerifier
) -> tuple[str, int]:
    """The purpose and value of a bitstring status entry."""
    purpose = str(entry.get("statusPurpose") or "revocation")
    index = _as_int(entry.get("statusListIndex"), "statusListIndex")
    size = _as_int(entry.get("statusSize", 1), "statusSize")
    if not 1 <= size <= 8:
        raise StatusListError(_("The status entry's statusSize is out of range."))
    status_list = _fetch_document(entry.get("statusListCredential"))
    subject = _list_subject(status_list)
    _validate_list(status_list, issuer_id, at, verify_proof)
    list_purpose = subject.get("statusPurpose")
    list_purposes = list_purpose if isinstance(list_purpose, list) else [list_purpose]
    if list_purpose is not None and purpose not in list_purposes:
        raise StatusListError(_("The status list serves another purpose than the entry says."))
    encoded = subject.get("encodedList")
    if not isinstance(encoded, str):
        raise StatusListError(_("The status list has no encoded list."))
    return purpose, read_status(decode_bitstring(encoded), index, size)


def _revocation_list_status(entry: dict[str, Any], credential_id: str | None) -> bool:
    """Whether a 1EdTechRevocationList lists the credential."""
    listing = _fetch_document(entry.get("id"))
    revoked = listing.get("revokedCredentials", listing.get("revokedAssertions", []))
    if not isinstance(revoked, list):
        raise StatusListError(_("The revocation list is malformed."))
    return credential_id is not None and any(id_of(item) == credential_id for item in revoked)


def _list_problem(exc: StatusListError, at: datetime) -> CheckResult:
    """The status check when a list could not be read or trusted."""
    if exc.is_transient:
        return checks.not_checked(
            CheckName.STATUS, Code.UNREACHABLE, exc.reason, at, is_transient=True
        )
    return checks.failed(CheckName.STATUS, Code.STATUS_LIST_INVALID, exc.reason, at)


def check_status(
    document: dict[str, Any],
    *,
    issuer_id: str | None,
    at: datetime,
    verify_proof: ProofVerifier,
) -> CheckResult:
    """Revoked/suspended from every `credentialStatus` entry; not_checked when there is none."""
    entries = document.get("credentialStatus")
    entries = entries if isinstance(entries, list) else [entries] if entries else []
    if not entries:
        return checks.not_checked(
            CheckName.STATUS, Code.NO_STATUS, _("The issuer publishes no status for it."), at
        )
    checked: list[str] = []
    problem: CheckResult | None = None
    for entry in entries:
        kinds = types_of(entry)
        try:
            if any(kind in BITSTRING_ENTRY_TYPES for kind in kinds):
                purpose, value = _bitstring_status(entry, issuer_id, at, verify_proof)
                if value and purpose == "suspension":
                    return checks.failed(
                        CheckName.STATUS, Code.SUSPENDED, _("The issuer has suspended it."), at
                    )
                if value and purpose == "revocation":
                    return checks.failed(
                        CheckName.STATUS, Code.REVOKED, _("The issuer has revoked it."), at
                    )
                checked.append(purpose)
            elif any(kind in REVOCATION_LIST_TYPES for kind in kinds):
                if _revocation_list_status(entry, id_of(document)):
                    return checks.failed(
                        CheckName.STATUS, Code.REVOKED, _("The issuer has revoked it."), at
                    )
                checked.append("revocation")
        except StatusListError as exc:
            # Another entry may still say "revoked", which outweighs a list that failed.
            problem = problem or _list_problem(exc, at)
    if problem is not None:
        return problem
    if not checked:
        return checks.not_checked(
            CheckName.STATUS,
            Code.NO_STATUS,
            _("Its status uses a method this wallet does not know."),
            at,
        )
    return checks.passed(
        CheckName.STATUS, _("Not revoked or suspended by the issuer."), at, purposes=checked
    )


def check_ob2_revocation(
    assertion: dict[str, Any], issuer_profile: dict[str, Any], at: datetime
) -> CheckResult:
    """An OB 2.0 signed assertion against its issuer's `revocationList`."""
    url = issuer_profile.get("revocationList")
    if not url:
        return checks.not_checked(
            CheckName.STATUS, Code.NO_STATUS, _("The issuer publishes no revocation list."), at
        )
    try:
        listing = _fetch_document(url)
    except StatusListError as exc:
        return _list_problem(exc, at)
    revoked = listing.get("revokedAssertions", [])
    wanted = {
        value for value in (assertion.get("id"), assertion.get("uid")) if isinstance(value, str)
    }
    for item in revoked if isinstance(revoked, list) else []:
        listed = (id_of(item), item.get("uid") if isinstance(item, dict) else None)
        if any(isinstance(value, str) and value in wanted for value in listed):
            reason = item.get("revocationReason", "") if isinstance(item, dict) else ""
            message = _("The issuer has revoked it.")
            if reason:
                message = _("The issuer has revoked it: %(reason)s") % {"reason": str(reason)[:200]}
            return checks.failed(CheckName.STATUS, Code.REVOKED, message, at)
    return checks.passed(CheckName.STATUS, _("Not on the issuer's revocation list."), at)
