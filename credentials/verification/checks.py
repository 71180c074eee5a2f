"""Check results: one named verification step, its status, and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy

from credentials.formats.base import parse_datetime
from credentials.i18n import When, source_of
from credentials.i18n import gettext as _


class CheckName(models.TextChoices):
    """The verification steps, in the order they are shown."""

    PROOF = "proof", gettext_lazy("proof")
    ISSUER = "issuer", gettext_lazy("issuer")
    RECIPIENT = "recipient", gettext_lazy("recipient")
    DATES = "dates", gettext_lazy("dates")
    STATUS = "status", gettext_lazy("status")


class CheckStatus(models.TextChoices):
    """What a check found; a check that did not run is `not_checked`, never `passed`."""

    PASSED = "passed", gettext_lazy("passed")
    FAILED = "failed", gettext_lazy("failed")
    WARNING = "warning", gettext_lazy("warning")
    NOT_CHECKED = "not_checked", gettext_lazy("not checked")


class Code(models.TextChoices):
    """Machine-readable reasons; the verdict table matches on these, never on messages."""

    OK = "ok", gettext_lazy("ok")
    PROOF_INVALID = "proof_invalid", gettext_lazy("signature invalid")
    PROOF_MISSING = "proof_missing", gettext_lazy("no proof")
    MALFORMED = "malformed", gettext_lazy("malformed")
    UNKNOWN_TERM = "unknown_term", gettext_lazy("undefined JSON-LD term")
    UNREACHABLE = "unreachable", gettext_lazy("could not be reached")
    KEY_NOT_LINKED = "key_not_linked", gettext_lazy("key not linked to the issuer")
    # No longer given (now `issuer_self_asserted` or `issuer_domain`); stored checks keep it.
    ISSUER_UNKNOWN = "issuer_unknown", gettext_lazy("issuer not in the registry")
    RECIPIENT_UNPROVEN = "recipient_unproven", gettext_lazy("recipient unproven")
    RECIPIENT_MISMATCH = "recipient_mismatch", gettext_lazy("recipient not on this account")
    NO_LEARNER = "no_learner", gettext_lazy("no learner to compare with")
    NOT_YET_VALID = "not_yet_valid", gettext_lazy("not yet valid")
    EXPIRED = "expired", gettext_lazy("expired")
    REVOKED = "revoked", gettext_lazy("revoked")
    SUSPENDED = "suspended", gettext_lazy("suspended")
    NO_STATUS = "no_status", gettext_lazy("no status information")
    STATUS_LIST_INVALID = "status_list_invalid", gettext_lazy("status list not trustworthy")
    SKIPPED = "skipped", gettext_lazy("skipped")
    # What the wallet cannot tell (the verdict is `unverifiable`, never `failed`).
    PROOF_UNSUPPORTED_SUITE = (
        "proof_unsupported_suite",
        gettext_lazy("signature kind not supported"),
    )
    KEY_UNRESOLVABLE = "key_unresolvable", gettext_lazy("key cannot be resolved")
    CONTEXT_UNKNOWN = "context_unknown", gettext_lazy("unknown JSON-LD context")
    # Who issued it, in levels of what is proven.
    ISSUER_REGISTERED = "issuer_registered", gettext_lazy("issuer in a trusted registry")
    ISSUER_DOMAIN = "issuer_domain", gettext_lazy("issuer bound to a web domain")
    ISSUER_SELF_ASSERTED = "issuer_self_asserted", gettext_lazy("issuer self-asserted")
    ISSUER_IMPERSONATION = "issuer_impersonation", gettext_lazy("issuer name borrowed")
    # Whose credential it is.
    RECIPIENT_CONFIRMED = "recipient_confirmed", gettext_lazy("recipient confirmed")
    RECIPIENT_NOT_STATED = "recipient_not_stated", gettext_lazy("recipient not stated")
    # Kinds of credential this wallet recognises but cannot verify.
    FORMAT_UNSUPPORTED = "format_unsupported", gettext_lazy("format not supported")


# Codes that say the wallet could not tell, for reasons that do not pass with time.
UNDECIDED_CODES = frozenset(
    {
        Code.PROOF_UNSUPPORTED_SUITE,
        Code.KEY_UNRESOLVABLE,
        Code.CONTEXT_UNKNOWN,
        Code.FORMAT_UNSUPPORTED,
    }
)


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


def passed(
    name: CheckName, message: str, at: datetime, *, code: Code = Code.OK, **details: Any
) -> CheckResult:
    """A passed check; `code` says how, when there is more than one way to pass."""
    return CheckResult(name, CheckStatus.PASSED, message, at, code, False, details)


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
    for _label, raw in starts:
        start = parse_datetime(raw)
        if start is not None and start - skew > at:
            return failed(
                CheckName.DATES,
                Code.NOT_YET_VALID,
                _("Not valid until %(date)s.") % {"date": When(start)},
                at,
            )
    for _label, raw in ends:
        end = parse_datetime(raw)
        if end is not None and end <= at:
            return failed(
                CheckName.DATES,
                Code.EXPIRED,
                _("Expired on %(date)s.") % {"date": When(end)},
                at,
            )
    if not any(raw is not None for _label, raw in ends):
        return passed(CheckName.DATES, _("Valid now, with no expiry date."), at)
    return passed(CheckName.DATES, _("Valid now and not expired."), at)
