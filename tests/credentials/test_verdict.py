"""The verdict table: the first matching row wins."""

from datetime import UTC, datetime

import pytest

from credentials.verification import checks
from credentials.verification.checks import CheckName, CheckStatus, Code
from credentials.verification.verdict import VERDICT_TABLE, Verdict, decide, explain

AT = datetime(2025, 1, 1, tzinfo=UTC)


def _all_good() -> dict[CheckName, checks.CheckResult]:
    return {
        CheckName.PROOF: checks.passed(CheckName.PROOF, "ok", AT),
        CheckName.ISSUER: checks.passed(CheckName.ISSUER, "ok", AT),
        CheckName.RECIPIENT: checks.passed(CheckName.RECIPIENT, "ok", AT),
        CheckName.DATES: checks.passed(CheckName.DATES, "ok", AT),
        CheckName.STATUS: checks.not_checked(CheckName.STATUS, Code.NO_STATUS, "none", AT),
    }


def _with(**changes: checks.CheckResult) -> list[checks.CheckResult]:
    result = _all_good()
    for name, check in changes.items():
        result[CheckName(name)] = check
    return list(result.values())


FAILED_PROOF = checks.failed(CheckName.PROOF, Code.PROOF_INVALID, "bad", AT)
MISSING_PROOF = checks.failed(CheckName.PROOF, Code.PROOF_MISSING, "none", AT)
UNKNOWN_TERM = checks.failed(CheckName.PROOF, Code.UNKNOWN_TERM, "term", AT)
NOT_YET = checks.failed(CheckName.DATES, Code.NOT_YET_VALID, "later", AT)
EXPIRED = checks.failed(CheckName.DATES, Code.EXPIRED, "past", AT)
REVOKED = checks.failed(CheckName.STATUS, Code.REVOKED, "revoked", AT)
SUSPENDED = checks.failed(CheckName.STATUS, Code.SUSPENDED, "suspended", AT)
UNREACHABLE = checks.not_checked(
    CheckName.STATUS, Code.UNREACHABLE, "offline", AT, is_transient=True
)
KEY_OFFLINE = checks.not_checked(
    CheckName.PROOF, Code.UNREACHABLE, "offline", AT, is_transient=True
)
BAD_LIST = checks.failed(CheckName.STATUS, Code.STATUS_LIST_INVALID, "tampered list", AT)
UNLINKED = checks.warning(CheckName.ISSUER, Code.KEY_NOT_LINKED, "not linked", AT)
UNKNOWN_ISSUER = checks.warning(CheckName.ISSUER, Code.ISSUER_UNKNOWN, "unknown", AT)
UNPROVEN = checks.warning(CheckName.RECIPIENT, Code.RECIPIENT_UNPROVEN, "claimed", AT)
NO_LEARNER = checks.not_checked(CheckName.RECIPIENT, Code.NO_LEARNER, "none", AT)


@pytest.mark.parametrize(
    ("changes", "verdict"),
    [
        ({}, Verdict.VERIFIED),
        ({"recipient": NO_LEARNER}, Verdict.VERIFIED),
        ({"proof": FAILED_PROOF}, Verdict.FAILED),
        ({"proof": MISSING_PROOF}, Verdict.FAILED),
        ({"proof": UNKNOWN_TERM}, Verdict.FAILED),
        ({"dates": NOT_YET}, Verdict.FAILED),
        ({"proof": FAILED_PROOF, "status": REVOKED}, Verdict.FAILED),
        ({"status": REVOKED}, Verdict.REVOKED),
        ({"status": SUSPENDED}, Verdict.REVOKED),
        ({"status": REVOKED, "dates": EXPIRED}, Verdict.REVOKED),
        ({"dates": EXPIRED}, Verdict.EXPIRED),
        ({"dates": EXPIRED, "status": UNREACHABLE}, Verdict.EXPIRED),
        ({"status": UNREACHABLE}, Verdict.UNVERIFIABLE),
        ({"proof": KEY_OFFLINE}, Verdict.UNVERIFIABLE),
        ({"status": BAD_LIST}, Verdict.UNVERIFIABLE),
        ({"status": UNREACHABLE, "recipient": UNPROVEN}, Verdict.UNVERIFIABLE),
        ({"issuer": UNLINKED}, Verdict.VERIFIED_WITH_WARNINGS),
        ({"issuer": UNKNOWN_ISSUER}, Verdict.VERIFIED_WITH_WARNINGS),
        ({"recipient": UNPROVEN}, Verdict.VERIFIED_WITH_WARNINGS),
    ],
)
def test_the_first_matching_row_decides(changes, verdict):
    assert decide(_with(**changes)) == verdict


def test_a_proof_that_did_not_run_never_verifies():
    skipped = checks.not_checked(CheckName.PROOF, Code.SKIPPED, "gone", AT)
    assert decide(_with(proof=skipped)) == Verdict.FAILED


def test_a_withdrawn_hosted_badge_is_revoked_even_without_a_proof():
    skipped = checks.not_checked(CheckName.PROOF, Code.SKIPPED, "gone", AT)
    assert decide(_with(proof=skipped, status=REVOKED)) == Verdict.REVOKED


def test_the_table_ends_with_verified_and_never_mentions_self_reported():
    assert VERDICT_TABLE[-1].verdict == Verdict.VERIFIED
    assert Verdict.SELF_REPORTED not in {row.verdict for row in VERDICT_TABLE}


def test_the_revoked_message_says_suspended_when_suspended():
    assert "suspended" in explain(Verdict.REVOKED, _with(status=SUSPENDED))
    assert "revoked" in explain(Verdict.REVOKED, _with(status=REVOKED))


def test_unverifiable_says_when_it_will_be_retried():
    assert "24 hours" in explain(Verdict.UNVERIFIABLE, _with(status=UNREACHABLE))


def test_a_check_serialises_with_its_display_label():
    data = NO_LEARNER.as_dict()
    assert data["status"] == CheckStatus.NOT_CHECKED == "not_checked"
    assert data["status_label"] == "not checked"
    assert data["checked_at"] == AT.isoformat()


def test_a_verdict_label_is_in_the_readers_language_and_an_unknown_value_shows_as_is():
    from django.utils import translation

    from credentials.models import Credential

    credential = Credential(verdict="revoked")
    with translation.override("fr-ca"):
        assert credential.verdict_label == "révoqué"
    with translation.override("en"):
        assert credential.verdict_label == "revoked"
    assert Credential(verdict="no-such-verdict").verdict_label == "no-such-verdict"
