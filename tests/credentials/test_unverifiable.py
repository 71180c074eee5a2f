"""`failed` only for what is proven wrong; `unverifiable` when the wallet cannot tell."""

import json

import pytest

from credentials.verification.checks import CheckName, CheckStatus, Code
from credentials.verification.engine import verify_bytes
from credentials.verification.suites import registered
from credentials.verification.verdict import Verdict
from tests.credentials.support import fixtures, signing
from tests.credentials.support.issuer import did_key_issuer

pytestmark = pytest.mark.django_db

BBS_PROOF = {
    "type": "DataIntegrityProof",
    "cryptosuite": "bbs-2023",
    "verificationMethod": "did:key:zUC7Ef#zUC7Ef",
    "proofPurpose": "assertionMethod",
    "proofValue": "u2V0ChVhA",
}


def _verify(document):
    [result] = verify_bytes(json.dumps(document).encode())
    return result


def test_every_suite_the_wallet_verifies_is_registered_once():
    names = [suite.name for suite in registered().values()]
    assert {"eddsa-rdfc-2022", "eddsa-jcs-2022", "Ed25519Signature2020"} <= set(names)
    assert len(names) == len(set(names))


def test_a_credential_signed_only_with_an_unsupported_suite_is_unverifiable_not_failed():
    issuer = did_key_issuer()
    document = {**issuer.credential(), "proof": BBS_PROOF}
    result = _verify(document)
    assert result.verdict == Verdict.UNVERIFIABLE
    proof = result.check(CheckName.PROOF)
    assert (proof.status, proof.code) == (CheckStatus.NOT_CHECKED, Code.PROOF_UNSUPPORTED_SUITE)
    assert "bbs-2023" in proof.message
    # A permanent cause: nothing promises the learner a retry that would change it.
    assert "try again" not in result.message
    assert not proof.is_transient


def test_a_supported_proof_decides_and_an_unsupported_companion_is_only_noted():
    issuer = did_key_issuer()
    signed = issuer.signed()
    signed["proof"] = [signed["proof"], BBS_PROOF]
    result = _verify(signed)
    assert result.verdict in (Verdict.VERIFIED, Verdict.VERIFIED_WITH_WARNINGS)
    proof = result.check(CheckName.PROOF)
    assert proof.status == CheckStatus.PASSED
    assert any("bbs-2023" in note for note in proof.details["skipped_proofs"])


def test_a_proof_proven_wrong_fails_even_beside_an_unsupported_one():
    issuer = did_key_issuer()
    signed = issuer.signed()
    signed["name"] = "Changed after signing"
    signed["proof"] = [signed["proof"], BBS_PROOF]
    assert _verify(signed).verdict == Verdict.FAILED


def test_a_key_from_a_did_method_the_wallet_cannot_resolve_is_unverifiable():
    key = signing.new_ed25519_key()
    document = fixtures.achievement_credential("did:example:issuer")
    signed = signing.sign_data_integrity(document, key, "did:example:issuer#key-1")
    result = _verify(signed)
    assert result.verdict == Verdict.UNVERIFIABLE
    assert result.check(CheckName.PROOF).code == Code.KEY_UNRESOLVABLE


def test_a_context_the_wallet_does_not_have_is_unverifiable():
    issuer = did_key_issuer()
    signed = issuer.signed()
    signed["@context"] = [*signed["@context"], "https://contexts.example/unknown/v1"]
    result = _verify(signed)
    assert result.verdict == Verdict.UNVERIFIABLE
    proof = result.check(CheckName.PROOF)
    assert proof.code == Code.CONTEXT_UNKNOWN
    assert "https://contexts.example/unknown/v1" in proof.message


def test_a_term_no_known_context_defines_still_fails():
    issuer = did_key_issuer()
    signed = issuer.signed()
    signed["credentialSubject"]["madeUpTerm"] = "nobody defines me"
    result = _verify(signed)
    assert result.verdict == Verdict.FAILED
    assert result.check(CheckName.PROOF).code == Code.UNKNOWN_TERM


def test_a_credential_with_no_proof_fails_even_with_an_unknown_context():
    document = fixtures.achievement_credential("did:example:issuer")
    document["@context"] = [*document["@context"], "https://contexts.example/unknown/v1"]
    result = _verify(document)
    assert result.verdict == Verdict.FAILED
    assert result.check(CheckName.PROOF).code == Code.PROOF_MISSING


def test_a_self_asserted_issuer_is_never_called_authentic():
    issuer = did_key_issuer()
    result = _verify(issuer.signed())
    assert result.verdict == Verdict.VERIFIED_WITH_WARNINGS
    assert result.check(CheckName.ISSUER).code == Code.ISSUER_SELF_ASSERTED
    assert "authentic" not in result.message
    assert "who issued it is not confirmed" in result.message


def test_an_unverifiable_verdict_claims_nothing_about_the_data():
    issuer = did_key_issuer()
    result = _verify({**issuer.credential(), "proof": BBS_PROOF})
    # Nothing was checked: the sentence may not suggest the data is intact.
    assert "changed" not in result.message
    assert "genuine" in result.message
