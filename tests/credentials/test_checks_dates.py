"""The dates check: not yet valid fails, past the end is expired."""

from datetime import UTC, datetime

from credentials.verification.checks import CheckStatus, Code, check_dates

AT = datetime(2025, 6, 1, tzinfo=UTC)


def test_a_credential_within_its_dates_passes():
    result = check_dates(
        [("validFrom", "2024-01-01T00:00:00Z")], [("validUntil", "2030-01-01")], AT
    )
    assert result.status == CheckStatus.PASSED


def test_a_credential_valid_from_the_future_fails():
    result = check_dates([("validFrom", "2026-01-01T00:00:00Z")], [], AT)
    assert (result.status, result.code) == (CheckStatus.FAILED, Code.NOT_YET_VALID)


def test_a_jwt_nbf_in_the_future_fails():
    result = check_dates([("nbf", int(datetime(2026, 1, 1, tzinfo=UTC).timestamp()))], [], AT)
    assert result.code == Code.NOT_YET_VALID


def test_a_minute_of_clock_skew_is_tolerated():
    result = check_dates([("issuedOn", "2025-06-01T00:00:30Z")], [], AT)
    assert result.status == CheckStatus.PASSED


def test_a_credential_past_its_expiry_is_expired():
    result = check_dates([], [("expirationDate", "2025-01-01T00:00:00+00:00")], AT)
    assert (result.status, result.code) == (CheckStatus.FAILED, Code.EXPIRED)
    assert result.message == "Expired on Jan. 1, 2025."


def test_an_unreadable_date_is_malformed():
    result = check_dates([("validFrom", "yesterday")], [], AT)
    assert result.code == Code.MALFORMED
