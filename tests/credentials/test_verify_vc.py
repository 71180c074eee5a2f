"""Verifying OB 3.0 / W3C VC credentials with embedded proofs, end to end, real signatures."""

import copy
import json

import pytest

from credentials.formats import read_credentials
from credentials.models import TrustedIssuer
from credentials.verification.checks import CheckName, CheckStatus, Code
from credentials.verification.engine import verify, verify_bytes
from credentials.verification.recipient import RecipientContext
from credentials.verification.verdict import Verdict
from tests.credentials.support import fixtures, signing
from tests.credentials.support.issuer import (
    did_key_issuer,
    did_web_issuer,
    site_fixture,  # noqa: F401
    web_fixture,  # noqa: F401
)

pytestmark = pytest.mark.django_db

ADA = RecipientContext(
    verified_emails={fixtures.LEARNER_EMAIL}, claimed_identifiers={fixtures.LEARNER_DID}
)


def _verify(document, recipient=ADA):
    [result] = verify_bytes(json.dumps(document).encode(), recipient=recipient)
    return result


def _trust(issuer_id):
    TrustedIssuer.objects.create(name="Example University", identifiers=[issuer_id])


@pytest.fixture
def issuer():
    return did_key_issuer()


def test_it_verifies_a_credential_from_a_trusted_issuer_to_a_verified_email(issuer):
    _trust(issuer.id)
    result = _verify(issuer.signed(subject_id="mailto:ada@example.org"))
    assert result.verdict == Verdict.VERIFIED
    assert [check.status for check in result.checks] == [
        CheckStatus.PASSED,
        CheckStatus.PASSED,
        CheckStatus.PASSED,
        CheckStatus.PASSED,
        CheckStatus.NOT_CHECKED,
    ]


def test_a_trusted_issuer_is_named_once_and_a_registry_name_only_when_it_differs(issuer):
    _trust(issuer.id)
    message = _verify(issuer.signed()).check(CheckName.ISSUER).message
    assert message == "Signed by Example University, a trusted issuer."
    TrustedIssuer.objects.update(name="Université Exemple (registre provincial)")
    message = _verify(issuer.signed()).check(CheckName.ISSUER).message
    assert message == (
        "Signed by Example University, trusted as “Université Exemple (registre provincial)”."
    )


def test_an_unknown_issuer_and_a_claimed_did_are_warnings_not_failures(issuer):
    result = _verify(issuer.signed())
    assert result.verdict == Verdict.VERIFIED_WITH_WARNINGS
    assert result.check(CheckName.ISSUER).code == Code.ISSUER_SELF_ASSERTED
    assert result.check(CheckName.RECIPIENT).code == Code.RECIPIENT_UNPROVEN


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("name",), "Leadership"),
        (("issuer", "id"), "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"),
        (("validFrom",), "2023-01-01T00:00:00Z"),
        (("credentialSubject", "id"), "did:example:mallory"),
        (("credentialSubject", "achievement", "name"), "Leadership"),
        (("credentialSubject", "achievement", "criteria", "narrative"), "Nothing."),
    ],
)
def test_it_refuses_a_tampered_signed_field(issuer, path, value):
    document = issuer.signed()
    node = document
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    result = _verify(document)
    assert result.verdict == Verdict.FAILED
    assert result.check(CheckName.PROOF).code == Code.PROOF_INVALID


def test_it_refuses_a_credential_without_proof(issuer):
    result = _verify(issuer.credential())
    assert result.verdict == Verdict.FAILED
    assert result.check(CheckName.PROOF).code == Code.PROOF_MISSING
    assert result.check(CheckName.ISSUER).status == CheckStatus.NOT_CHECKED


def test_it_refuses_a_term_no_context_defines(issuer):
    document = issuer.signed()
    document["credentialSubject"]["favouriteColour"] = "blue"
    result = _verify(document)
    assert result.verdict == Verdict.FAILED
    assert result.check(CheckName.PROOF).code == Code.UNKNOWN_TERM
    assert "favouriteColour" in result.check(CheckName.PROOF).message


def test_an_expired_credential_is_expired(issuer):
    result = _verify(issuer.signed(valid_until="2025-01-01T00:00:00Z"))
    assert result.verdict == Verdict.EXPIRED
    assert result.check(CheckName.DATES).code == Code.EXPIRED


def test_a_credential_not_yet_valid_fails(issuer):
    result = _verify(issuer.signed(valid_from="2099-01-01T00:00:00Z"))
    assert result.verdict == Verdict.FAILED
    assert result.check(CheckName.DATES).code == Code.NOT_YET_VALID


def test_a_credential_for_someone_else_warns(issuer):
    result = _verify(issuer.signed(subject_id="did:example:grace"))
    assert result.verdict == Verdict.VERIFIED_WITH_WARNINGS
    message = result.check(CheckName.RECIPIENT).message
    assert message == "Not issued to any address or identifier of the learner."


def test_a_key_the_issuer_does_not_control_proves_integrity_only(issuer):
    stranger = did_key_issuer()
    result = _verify(stranger.sign(issuer.credential(subject_id="mailto:ada@example.org")))
    assert result.verdict == Verdict.VERIFIED_WITH_WARNINGS
    check = result.check(CheckName.ISSUER)
    assert check.code == Code.KEY_NOT_LINKED
    assert check.message.startswith("Key not linked to Example University")


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022", "Ed25519Signature2020"])
def test_it_verifies_each_supported_suite(issuer, suite):
    document = issuer.credential()
    if suite == "Ed25519Signature2020":
        document["@context"].append("https://w3id.org/security/suites/ed25519-2020/v1")
        signed = issuer.sign(document, suite=suite)
    else:
        signed = issuer.sign(document, cryptosuite=suite)
    assert _verify(signed).check(CheckName.PROOF).status == CheckStatus.PASSED


def test_it_verifies_a_did_web_issuer_served_locally(web):
    issuer = did_web_issuer(web)
    _trust(issuer.id)
    result = _verify(issuer.signed(subject_id="mailto:ada@example.org"))
    assert result.verdict == Verdict.VERIFIED


def test_a_did_web_issuer_offline_is_unverifiable_and_retried(web):
    issuer = did_web_issuer(web, did="did:web:down.example")
    web.add("https://down.example/.well-known/did.json", b"", status=503)
    result = _verify(issuer.signed())
    assert result.verdict == Verdict.UNVERIFIABLE
    assert result.check(CheckName.PROOF).is_transient
    assert "24 hours" in result.message


def _with_status(issuer, site, *, revoked=(), purpose="revocation", index="5", list_signer=None):
    list_url = site.url(f"/status/{purpose}")
    status_list = fixtures.status_list(list_url, issuer.id, revoked=set(revoked), purpose=purpose)
    site.add(f"/status/{purpose}", (list_signer or issuer).sign(status_list))
    return issuer.signed(status=fixtures.status_entry(list_url, index, purpose))


def test_a_credential_on_its_status_list_is_revoked(issuer, site):
    result = _verify(_with_status(issuer, site, revoked={5}))
    assert result.verdict == Verdict.REVOKED
    assert "revoked" in result.message


def test_a_suspended_credential_says_suspended(issuer, site):
    result = _verify(_with_status(issuer, site, revoked={5}, purpose="suspension"))
    assert result.verdict == Verdict.REVOKED
    assert "suspended" in result.message


def test_a_credential_not_on_its_status_list_passes_the_status_check(issuer, site):
    result = _verify(_with_status(issuer, site, revoked={4, 6}))
    assert result.check(CheckName.STATUS).status == CheckStatus.PASSED


def test_a_status_list_signed_by_another_key_is_not_trusted(issuer, site):
    result = _verify(_with_status(issuer, site, revoked={5}, list_signer=did_key_issuer()))
    assert result.check(CheckName.STATUS).code == Code.STATUS_LIST_INVALID
    assert result.verdict == Verdict.UNVERIFIABLE


def test_an_unreachable_status_list_makes_it_unverifiable(issuer, site):
    result = _verify(issuer.signed(status=fixtures.status_entry(site.url("/gone"), "1")))
    assert result.verdict == Verdict.UNVERIFIABLE
    assert result.check(CheckName.STATUS).is_transient


def test_a_clr_is_verified_with_each_nested_credential_on_its_own(issuer):
    good = issuer.signed(name="Algebra")
    bad = issuer.signed(name="Geometry")
    bad["name"] = "Calculus"
    clr = issuer.sign(fixtures.clr_credential(issuer.id, [good, bad]))
    [result] = verify_bytes(json.dumps(clr).encode(), recipient=ADA)
    assert result.verdict == Verdict.VERIFIED_WITH_WARNINGS
    assert [(child.index, child.verdict) for child in result.children] == [
        (1, Verdict.VERIFIED_WITH_WARNINGS),
        (2, Verdict.FAILED),
    ]


def test_a_tampered_clr_fails_while_its_members_still_verify(issuer):
    clr = issuer.sign(fixtures.clr_credential(issuer.id, [issuer.signed()]))
    clr["name"] = "Forged transcript"
    [result] = verify_bytes(json.dumps(clr).encode(), recipient=ADA)
    assert result.verdict == Verdict.FAILED
    assert result.children[0].verdict == Verdict.VERIFIED_WITH_WARNINGS


def test_a_presentation_yields_one_result_per_credential(issuer):
    members = [issuer.signed(name="One"), issuer.credential(name="Two")]
    results = verify_bytes(json.dumps(fixtures.presentation(members)).encode(), recipient=ADA)
    assert [(r.index, r.verdict) for r in results] == [
        (0, Verdict.VERIFIED_WITH_WARNINGS),
        (1, Verdict.FAILED),
    ]


@pytest.mark.parametrize("bake", [fixtures.baked_png, fixtures.baked_svg])
def test_a_baked_credential_verifies_like_its_json(issuer, bake):
    [parsed] = read_credentials(bake(json.dumps(issuer.signed())))
    assert verify(parsed, recipient=ADA).verdict == Verdict.VERIFIED_WITH_WARNINGS


def test_without_a_learner_the_recipient_is_not_checked(issuer):
    result = _verify(issuer.signed(), recipient=None)
    assert result.check(CheckName.RECIPIENT).status == CheckStatus.NOT_CHECKED


def test_the_result_is_json_serialisable_with_its_normalized_view(issuer):
    result = _verify(issuer.signed())
    data = json.loads(json.dumps(result.as_dict()))
    assert data["verdict"] == "verified_with_warnings"
    assert data["normalized"]["name"] == "Teamwork"
    assert [check["name"] for check in data["checks"]] == [
        "proof",
        "issuer",
        "recipient",
        "dates",
        "status",
    ]


def test_verification_does_not_change_the_document(issuer):
    document = issuer.signed()
    before = copy.deepcopy(document)
    _verify(document)
    assert document == before
    assert signing.did_key_for(issuer.private_key.public_key()) == issuer.id


def test_a_key_the_registry_lists_vouches_for_an_issuer_that_does_not_control_it(issuer):
    stranger = did_key_issuer()
    TrustedIssuer.objects.create(name="Stranger College", identifiers=[stranger.id])
    result = _verify(stranger.sign(issuer.credential(subject_id="mailto:ada@example.org")))
    assert result.verdict == Verdict.VERIFIED
    assert "Stranger College" in result.check(CheckName.ISSUER).message


def test_a_registered_issuer_id_does_not_vouch_for_a_key_it_does_not_control(issuer):
    _trust(issuer.id)
    result = _verify(did_key_issuer().sign(issuer.credential()))
    # Its id and name are the registered issuer's, the key is not: an impostor.
    assert result.check(CheckName.ISSUER).code == Code.ISSUER_IMPERSONATION
    assert result.check(CheckName.ISSUER).details["is_trusted"] is False
    assert result.verdict == Verdict.FAILED


def test_an_https_issuer_whose_controller_document_lists_the_key_is_linked(site):
    key = signing.new_ed25519_key()
    issuer_url = site.url("/issuers/1")
    document = signing.did_document_for(issuer_url, key.public_key())
    site.add("/issuers/1", document)
    credential = fixtures.achievement_credential(issuer_url)
    signed = signing.sign_data_integrity(credential, key, f"{issuer_url}#key-1")
    result = _verify(signed)
    assert result.check(CheckName.PROOF).status == CheckStatus.PASSED
    assert result.check(CheckName.ISSUER).details["is_key_linked"] is True


def test_an_https_key_not_listed_for_assertions_is_not_linked(site):
    key = signing.new_ed25519_key()
    issuer_url = site.url("/issuers/2")
    site.add("/issuers/2", signing.did_document_for(issuer_url, key.public_key(), assertion=False))
    credential = fixtures.achievement_credential(issuer_url)
    result = _verify(signing.sign_data_integrity(credential, key, f"{issuer_url}#key-1"))
    assert result.verdict == Verdict.VERIFIED_WITH_WARNINGS
    assert result.check(CheckName.ISSUER).code == Code.KEY_NOT_LINKED
    assert "assertionMethod" in result.check(CheckName.ISSUER).message
