"""The status check: bitstring status lists, revocation lists, and what goes wrong with them."""

from datetime import UTC, datetime

import pytest

from credentials.verification.checks import CheckStatus, Code
from credentials.verification.status import (
    ListProof,
    StatusListError,
    check_status,
    decode_bitstring,
    read_status,
)
from tests.credentials.support import fixtures
from tests.credentials.support.issuer import site_fixture  # noqa: F401

AT = datetime(2025, 6, 1, tzinfo=UTC)
ISSUER = "did:key:z6MkIssuer"


def _proof_holds(status_list):
    # The list's own signature is verified for real in test_verify_vc; here only its content.
    return ListProof(ok=True)


def _credential(site, entry_index, *, purpose="revocation", revoked=(), list_issuer=ISSUER):
    url = site.add(
        f"/status/{purpose}",
        fixtures.status_list(
            site.url(f"/status/{purpose}"), list_issuer, revoked=set(revoked), purpose=purpose
        ),
    )
    return fixtures.achievement_credential(
        ISSUER, status=fixtures.status_entry(url, entry_index, purpose)
    )


def _check(document, verify=_proof_holds):
    return check_status(document, issuer_id=ISSUER, at=AT, verify_proof=verify)


def test_a_set_bit_means_revoked(site):
    result = _check(_credential(site, "42", revoked={42}))
    assert (result.status, result.code) == (CheckStatus.FAILED, Code.REVOKED)


def test_an_unset_bit_passes(site):
    assert _check(_credential(site, "41", revoked={42})).status == CheckStatus.PASSED


def test_a_numeric_index_is_accepted(site):
    assert _check(_credential(site, 42, revoked={42})).code == Code.REVOKED


def test_suspension_is_told_apart_from_revocation(site):
    result = _check(_credential(site, "7", purpose="suspension", revoked={7}))
    assert result.code == Code.SUSPENDED
    assert "suspended" in result.message


def test_no_status_entry_is_not_checked_and_no_failure():
    result = _check(fixtures.achievement_credential(ISSUER))
    assert (result.status, result.code) == (CheckStatus.NOT_CHECKED, Code.NO_STATUS)
    assert not result.is_transient


def test_an_unreachable_list_is_transient(site):
    document = fixtures.achievement_credential(
        ISSUER, status=fixtures.status_entry(site.url("/missing"), "1")
    )
    result = _check(document)
    assert result.status == CheckStatus.NOT_CHECKED
    assert result.is_transient


def test_a_list_published_by_someone_else_is_not_trusted(site):
    result = _check(_credential(site, "1", list_issuer="did:key:z6MkSomeoneElse"))
    assert result.code == Code.STATUS_LIST_INVALID
    assert "did:key:z6MkSomeoneElse" in result.message


def test_a_list_whose_proof_fails_is_not_trusted(site):
    result = _check(
        _credential(site, "1"), verify=lambda doc: ListProof(ok=False, reason="tampered")
    )
    assert result.code == Code.STATUS_LIST_INVALID
    assert "tampered" in result.message


def test_an_index_outside_the_list_is_reported(site):
    assert _check(_credential(site, "999999999")).code == Code.STATUS_LIST_INVALID


def test_a_one_edtech_revocation_list_is_consulted(site):
    document = fixtures.achievement_credential(ISSUER)
    url = site.add("/revocations", {"revokedCredentials": [{"id": document["id"]}]})
    document["credentialStatus"] = {"id": url, "type": "1EdTechRevocationList"}
    assert _check(document).code == Code.REVOKED


def test_bitstrings_read_left_most_bit_first_and_multi_bit_entries():
    bits = bytes([0b1000_0000, 0b0000_0011])
    assert read_status(bits, 0, 1) == 1
    assert read_status(bits, 1, 1) == 0
    assert read_status(bits, 7, 2) == 3


def test_plain_base64url_lists_without_multibase_prefix_decode():
    encoded = fixtures.encode_bitstring({3}, multibase=False)
    assert read_status(decode_bitstring(encoded), 3, 1) == 1


def test_a_list_that_inflates_beyond_the_cap_is_refused():
    import base64
    import gzip

    bomb = base64.urlsafe_b64encode(gzip.compress(b"\x00" * (17 * 1024 * 1024))).decode()
    with pytest.raises(StatusListError, match="larger than"):
        decode_bitstring(bomb)


def test_a_revoked_entry_outweighs_an_unreachable_one(site):
    document = _credential(site, "42", revoked={42})
    document["credentialStatus"] = [
        fixtures.status_entry(site.url("/unreachable"), "1"),
        document["credentialStatus"],
    ]
    assert _check(document).code == Code.REVOKED


def test_an_ob2_revocation_list_with_odd_entries_does_not_crash(site):
    from credentials.verification.status import check_ob2_revocation

    url = site.add("/revocations", {"revokedAssertions": [{"id": ["x"]}, 5, {"uid": {}}, "a:1"]})
    result = check_ob2_revocation({"id": "a:1", "uid": {"x": 1}}, {"revocationList": url}, AT)
    assert result.code == Code.REVOKED
