"""The verdict: one table, read top to bottom, the first matching row wins."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from credentials.verification.checks import (
    UNDECIDED_CODES,
    CheckName,
    CheckResult,
    CheckStatus,
    Code,
)

RETRY_WITHIN = _("We will try again within 24 hours.")


class Verdict(models.TextChoices):
    """The overall result of verifying a credential."""

    VERIFIED = "verified", _("verified")
    VERIFIED_WITH_WARNINGS = "verified_with_warnings", _("verified with warnings")
    EXPIRED = "expired", _("expired")
    REVOKED = "revoked", _("revoked")
    FAILED = "failed", _("failed")
    UNVERIFIABLE = "unverifiable", _("unverifiable")
    # Outside the table: self-entered learning is never verified, only stored.
    SELF_REPORTED = "self_reported", _("self-reported")


Predicate = Callable[[Sequence[CheckResult]], bool]
# Failures that lead to their own rows further down rather than to `failed`.
_NOT_A_FAILURE = {Code.REVOKED, Code.SUSPENDED, Code.EXPIRED, Code.STATUS_LIST_INVALID}


def _failed(checks: Sequence[CheckResult]) -> bool:
    """A check failed for a reason that condemns the credential."""
    return any(
        check.status == CheckStatus.FAILED and check.code not in _NOT_A_FAILURE for check in checks
    )


def _proof_not_passed(checks: Sequence[CheckResult]) -> bool:
    """No proof check passed."""
    return not any(
        check.name == CheckName.PROOF and check.status == CheckStatus.PASSED for check in checks
    )


def _has(*codes: Code) -> Predicate:
    """A predicate: a check failed with one of these codes."""
    return lambda checks: any(
        check.code in codes and check.status == CheckStatus.FAILED for check in checks
    )


def _could_not_run(checks: Sequence[CheckResult]) -> bool:
    """A check could not run, or its source could not be trusted."""
    return any(check.is_transient or check.code == Code.STATUS_LIST_INVALID for check in checks)


def _cannot_tell(checks: Sequence[CheckResult]) -> bool:
    """A check could not be judged: a suite, key, context or format this wallet lacks."""
    return any(
        check.status == CheckStatus.NOT_CHECKED and check.code in UNDECIDED_CODES
        for check in checks
    )


def _warned(checks: Sequence[CheckResult]) -> bool:
    """A check ended with a warning."""
    return any(check.status == CheckStatus.WARNING for check in checks)


def _always(checks: Sequence[CheckResult]) -> bool:
    """The last row matches whatever is left."""
    return True


@dataclass(frozen=True)
class Row:
    """One row of the verdict table."""

    verdict: Verdict
    when: Predicate
    meaning: str


VERDICT_TABLE: tuple[Row, ...] = (
    Row(
        Verdict.FAILED,
        _failed,
        "proof invalid or missing, malformed structure, undefined JSON-LD term, not yet valid",
    ),
    Row(Verdict.REVOKED, _has(Code.REVOKED, Code.SUSPENDED), "revoked or suspended"),
    Row(Verdict.EXPIRED, _has(Code.EXPIRED), "past its expiry date"),
    Row(
        Verdict.UNVERIFIABLE,
        _could_not_run,
        "a check could not run (issuer offline, status list unreachable or untrustworthy)",
    ),
    Row(
        Verdict.UNVERIFIABLE,
        _cannot_tell,
        "a signature suite, DID method, JSON-LD context or format this wallet cannot check",
    ),
    # A hosted badge the issuer withdrew (HTTP 410) has no proof left to check, yet is revoked;
    # that is why this guard sits below the revoked row and not in the first one.
    Row(Verdict.FAILED, _proof_not_passed, "nothing proves the credential authentic"),
    Row(
        Verdict.VERIFIED_WITH_WARNINGS,
        _warned,
        "recipient not confirmed, issuer not in the registry, key not linked to the issuer",
    ),
    Row(Verdict.VERIFIED, _always, "every check that matters passed"),
)


def decide(checks: Sequence[CheckResult]) -> Verdict:
    """The verdict of the first table row whose condition holds."""
    for row in VERDICT_TABLE:
        if row.when(checks):
            return row.verdict
    return Verdict.FAILED


# Issuer findings that prove integrity but not who the issuer is.
_UNCONFIRMED_ISSUER = {
    Code.ISSUER_SELF_ASSERTED,
    Code.ISSUER_DOMAIN,
    Code.KEY_NOT_LINKED,
    Code.ISSUER_UNKNOWN,
}


def explain(verdict: Verdict, checks: Sequence[CheckResult]) -> str:
    """One sentence a learner understands for the verdict."""
    if verdict == Verdict.REVOKED:
        if any(c.code == Code.SUSPENDED and c.status == CheckStatus.FAILED for c in checks):
            return str(_("The issuer has suspended this credential."))
        return str(_("The issuer has revoked this credential."))
    if verdict == Verdict.UNVERIFIABLE:
        if _could_not_run(checks):
            return str(
                _("Part of the verification could not run. %(retry)s") % {"retry": RETRY_WITHIN}
            )
        return str(
            _(
                "This wallet cannot tell whether this credential is genuine: it uses a kind "
                "of signature, key or format the wallet cannot check."
            )
        )
    if verdict == Verdict.FAILED and any(
        c.code == Code.ISSUER_IMPERSONATION and c.status == CheckStatus.FAILED for c in checks
    ):
        return str(_("This credential claims an issuer’s name that is not its own."))
    if verdict == Verdict.VERIFIED_WITH_WARNINGS and any(
        c.name == CheckName.ISSUER and c.code in _UNCONFIRMED_ISSUER for c in checks
    ):
        # Never "authentic" when nothing but the credential itself says who issued it.
        return str(
            _("The signature holds and the data is unchanged, but who issued it is not confirmed.")
        )
    messages = {
        Verdict.FAILED: _("This credential did not pass verification."),
        Verdict.EXPIRED: _("This credential has expired."),
        Verdict.VERIFIED_WITH_WARNINGS: _("The credential is authentic, with reservations."),
        Verdict.VERIFIED: _("This credential is authentic and current."),
        Verdict.SELF_REPORTED: _("Entered by the learner; not verified."),
    }
    return str(messages[verdict])
