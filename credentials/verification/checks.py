"""Check results: one named verification step, its status, and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from credentials.formats.base import parse_datetime
from credentials.i18n import source_of


class CheckName(models.TextChoices):
    """The verification steps, in the order they are shown."""

    PROOF = "proof", _("proof")
    ISSUER = "issuer", _("issuer")
    RECIPIENT = "recipient", _("recipient")
    DATES = "dates", _("dates")
    STATUS = "status", _("status")


class CheckStatus(models.TextChoices):
    """What a check found; a check that did not run is `not_checked`, never `passed`."""

    PASSED = "passed", _("passed")
    FAILED = "failed", _("failed")
    WARNING = "warning", _("warning")
    NOT_CHECKED = "not_checked", _("not checked")


class Code(models.TextChoices):
    """Machine-readable reasons; the verdict table matches on these, never on messages."""

    OK = "ok", _("ok")
    PROOF_INVALID = "proof_invalid", _("signature invalid")
    PROOF_MISSING = "proof_missing", _("no proof")
    MALFORMED = "malformed", _("malformed")
    UNKNOWN_TERM = "unknown_term", _("undefined JSON-LD term")
    UNREACHABLE = "unreachable", _("could not be reached")
    KEY_NOT_LINKED = "key_not_linked", _("key not linked to the issuer")
    ISSUER_UNKNOWN = "issuer_unknown", _("issuer not in the registry")
    RECIPIENT_UNPROVEN = "recipient_unproven", _("recipient unproven")
    RECIPIENT_MISMATCH = "recipient_mismatch", _("recipient not on this account")
    NO_LEARNER = "no_learner", _("no learner to compare with")
    NOT_YET_VALID = "not_yet_valid", _("not yet valid")
    EXPIRED = "expired", _("expired")
    REVOKED = "revoked", _("revoked")
    SUSPENDED = "suspended", _("suspended")
    NO_STATUS = "no_status", _("no status information")
    STATUS_LIST_INVALID = "status_list_invalid", _("status list not trustworthy")
    SKIPPED = "skipped", _("skipped")


@dataclass
class CheckResult:
    """One check: its status, a message a learner understands, when it ran, and why."""

    name: CheckName
    status: CheckStatus
    message: str
    checked_at: datetime
    code: Code = Code.OK
    is_transient: bool = False
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-serialisable copy: the message in the active language, and its source
        so that pages can show it again in their reader's (`credentials.i18n`)."""
        return {
            "name": str(self.name),
            "status": str(self.status),
            "status_label": str(CheckStatus(self.status).label),
            "message": str(self.message),
            "message_source": source_of(self.message),
            "code": str(self.code),
            "checked_at": self.checked_at.isoformat(),
            "is_transient": self.is_transient,
            "details": self.details,
        }


def passed(name: CheckName, message: str, at: datetime, **details: Any) -> CheckResult:
    """A passed check."""
    return CheckResult(name, CheckStatus.PASSED, message, at, Code.OK, False, details)


def failed(name: CheckName, code: Code, message: str, at: datetime, **details: Any) -> CheckResult:
    """A failed check."""
    return CheckResult(name, CheckStatus.FAILED, message, at, code, False, details)


def warning(name: CheckName, code: Code, message: str, at: datetime, **details: Any) -> CheckResult:
    """A check that passed with a reservation the learner should know about."""
    return CheckResult(name, CheckStatus.WARNING, message, at, code, False, details)


def not_checked(
    name: CheckName,
    code: Code,
    message: str,
    at: datetime,
    *,
    is_transient: bool = False,
    **details: Any,
) -> CheckResult:
    """A check that did not run; transient when retrying later may succeed."""
    return CheckResult(name, CheckStatus.NOT_CHECKED, message, at, code, is_transient, details)


# Clocks of issuers and of this server drift a little; a minute is not "not yet valid".
CLOCK_SKEW_SECONDS = 60


def check_dates(
    starts: list[tuple[str, Any]], ends: list[tuple[str, Any]], at: datetime
) -> CheckResult:
    """Failed when not yet valid, expired when past its end, malformed when unreadable."""
    skew = timedelta(seconds=CLOCK_SKEW_SECONDS)
    for label, raw in starts + ends:
        if raw is not None and parse_datetime(raw) is None:
            return failed(
                CheckName.DATES,
                Code.MALFORMED,
                _("The date in “%(field)s” cannot be read.") % {"field": label},
                at,
            )
    for label, raw in starts:
        start = parse_datetime(raw)
        if start is not None and start - skew > at:
            return failed(
                CheckName.DATES,
                Code.NOT_YET_VALID,
                _("Not valid until %(date)s (%(field)s).")
                % {"date": start.isoformat(), "field": label},
                at,
            )
    for label, raw in ends:
        end = parse_datetime(raw)
        if end is not None and end <= at:
            return failed(
                CheckName.DATES,
                Code.EXPIRED,
                _("Expired on %(date)s (%(field)s).") % {"date": end.isoformat(), "field": label},
                at,
            )
    if not any(raw is not None for _label, raw in ends):
        return passed(CheckName.DATES, _("Valid now, with no expiry date."), at)
    return passed(CheckName.DATES, _("Valid now and not expired."), at)
