"""The recipient check against the learner's verified emails and claimed identifiers."""

import hashlib
from datetime import UTC, datetime

from credentials.formats.base import CredentialFormat, ParsedCredential
from credentials.verification.checks import CheckStatus, Code
from credentials.verification.recipient import RecipientContext, check_recipient
from tests.credentials.support import fixtures

AT = datetime(2025, 1, 1, tzinfo=UTC)
ADA = RecipientContext(verified_emails={"Ada@Example.org"}, claimed_identifiers={"did:example:ada"})


def _check(document, fmt=CredentialFormat.OB3_VC, context=ADA):
    parsed = ParsedCredential(format=fmt, document=document, original=b"")
    return check_recipient(parsed, document, context, AT)


def _ob2(**kwargs):
    return fixtures.ob2_assertion("https://e.org/a", "https://e.org/b", **kwargs)


def test_a_hashed_ob2_email_matching_a_verified_address_passes():
    assert _check(_ob2(), CredentialFormat.OB2_HOSTED).status == CheckStatus.PASSED


def test_emails_compare_case_insensitively():
    result = _check(_ob2(email="ADA@example.ORG", hashed=False), CredentialFormat.OB2_HOSTED)
    assert result.status == CheckStatus.PASSED


def test_an_ob2_assertion_for_someone_else_warns():
    result = _check(_ob2(email="eve@example.org"), CredentialFormat.OB2_HOSTED)
    assert (result.status, result.code) == (CheckStatus.WARNING, Code.RECIPIENT_MISMATCH)
    assert "Not issued to any address or identifier of the learner" in result.message


def test_an_ob3_subject_id_only_claimed_by_the_learner_is_unproven():
    result = _check(fixtures.achievement_credential("did:key:z1"))
    assert (result.status, result.code) == (CheckStatus.WARNING, Code.RECIPIENT_UNPROVEN)
    assert result.message == "Issued to an identifier the learner added but has not proven."


def test_a_salted_ob3_identity_hash_of_a_verified_email_passes():
    salt = "pepper"
    identifier = {
        "type": "IdentityObject",
        "identityType": "emailAddress",
        "hashed": True,
        "salt": salt,
        "identityHash": "sha256$" + hashlib.sha256(("ada@example.org" + salt).encode()).hexdigest(),
    }
    document = fixtures.achievement_credential("did:key:z1", subject_id=None, identifier=identifier)
    assert _check(document).status == CheckStatus.PASSED


def test_a_plain_ob3_mailto_subject_passes():
    document = fixtures.achievement_credential("did:key:z1", subject_id="mailto:ada@example.org")
    assert _check(document).status == CheckStatus.PASSED


def test_a_credential_that_names_no_recipient_warns_that_it_is_not_stated():
    document = fixtures.achievement_credential("did:key:z1", subject_id=None)
    result = _check(document)
    assert (result.status, result.code) == (CheckStatus.WARNING, Code.RECIPIENT_NOT_STATED)
    assert result.message == "The credential does not say who it was issued to."


def test_a_plain_email_of_a_verified_address_is_confirmed():
    result = _check(_ob2(email="ada@example.org", hashed=False), CredentialFormat.OB2_HOSTED)
    assert (result.status, result.code) == (CheckStatus.PASSED, Code.RECIPIENT_CONFIRMED)


def test_a_hashed_email_with_salt_of_a_verified_address_is_confirmed():
    result = _check(_ob2(), CredentialFormat.OB2_HOSTED)
    assert (result.status, result.code) == (CheckStatus.PASSED, Code.RECIPIENT_CONFIRMED)


def test_a_plain_email_of_someone_else_is_a_mismatch_that_names_the_address():
    result = _check(_ob2(email="eve@example.org", hashed=False), CredentialFormat.OB2_HOSTED)
    assert (result.status, result.code) == (CheckStatus.WARNING, Code.RECIPIENT_MISMATCH)
    assert result.details == {"email": "eve@example.org"}


def test_a_hashed_email_of_someone_else_is_a_mismatch_with_no_address_to_offer():
    result = _check(_ob2(email="eve@example.org"), CredentialFormat.OB2_HOSTED)
    assert (result.status, result.code) == (CheckStatus.WARNING, Code.RECIPIENT_MISMATCH)
    assert result.details == {}


def test_a_url_subject_id_the_learner_typed_in_is_unproven():
    context = RecipientContext(claimed_identifiers={"https://ada.example.org/"})
    result = _check(
        fixtures.achievement_credential("did:key:z1", subject_id="https://ada.example.org/"),
        context=context,
    )
    assert (result.status, result.code) == (CheckStatus.WARNING, Code.RECIPIENT_UNPROVEN)


def test_a_did_subject_id_of_no_identifier_of_the_learner_is_a_mismatch():
    result = _check(fixtures.achievement_credential("did:key:z1", subject_id="did:example:eve"))
    assert (result.status, result.code) == (CheckStatus.WARNING, Code.RECIPIENT_MISMATCH)
    assert result.details == {}


def test_a_subject_id_bound_to_a_holder_key_of_the_learner_is_confirmed():
    context = RecipientContext(holder_dids={"did:jwk:ada#0"})
    result = _check(
        fixtures.achievement_credential("did:key:z1", subject_id="did:jwk:ada"), context=context
    )
    assert (result.status, result.code) == (CheckStatus.PASSED, Code.RECIPIENT_CONFIRMED)


def test_a_holder_key_never_confirms_an_identifier_that_is_not_the_subject_id():
    identifier = {"type": "IdentityObject", "identityType": "did", "identityHash": "did:jwk:ada"}
    document = fixtures.achievement_credential("did:key:z1", subject_id=None, identifier=identifier)
    result = _check(document, context=RecipientContext(holder_dids={"did:jwk:ada"}))
    assert result.code == Code.RECIPIENT_MISMATCH


def test_without_a_learner_the_recipient_is_not_checked():
    result = _check(fixtures.achievement_credential("did:key:z1"), context=None)
    assert result.status == CheckStatus.NOT_CHECKED


def test_a_vc_jwt_sub_claim_names_the_recipient():
    document = fixtures.achievement_credential("did:key:z1", subject_id=None)
    parsed = ParsedCredential(
        format=CredentialFormat.OB3_JWT,
        document=document,
        original=b"",
        claims={"sub": "mailto:ada@example.org"},
    )
    assert check_recipient(parsed, document, ADA, AT).status == CheckStatus.PASSED
