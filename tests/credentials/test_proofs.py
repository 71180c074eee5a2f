"""Data Integrity proofs: the suites, the rules around them, and hostile proofs."""

import copy
import hashlib
from typing import Any

import pytest

from credentials.jsonld import canonicalize
from credentials.verification.keys import base58_encode
from credentials.verification.proofs import ProofOutcome, verify_proofs
from tests.credentials.support.server import RemoteHosts, remote_hosts_fixture  # noqa: F401
from tests.credentials.support.signing import (
    did_document_for,
    new_ed25519_key,
    new_p256_key,
    sign_data_integrity,
    sign_ed25519_2020,
    verification_method_for,
)

pytestmark = pytest.mark.django_db(databases=[])

VC2 = "https://www.w3.org/ns/credentials/v2"
VC1 = "https://www.w3.org/2018/credentials/v1"
ED2020 = "https://w3id.org/security/suites/ed25519-2020/v1"
OB303 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def badge(**fields: Any) -> dict[str, Any]:
    """An Open Badges 3.0 credential, unsigned."""
    return {
        "@context": [VC2, OB303],
        "id": "urn:uuid:3c1a0b7e-5d2f-4a8e-9c1b-1f2e3d4c5b6a",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Teamwork",
        "issuer": {"id": "did:example:issuer", "type": ["Profile"], "name": "Example School"},
        "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "urn:uuid:6f2b1a1e-4b1d-4f39-9d1b-4a6c8e1f0b01",
                "type": ["Achievement"],
                "name": "Teamwork",
                "criteria": {"narrative": "Work together."},
                "description": "Works well with others.",
            },
        },
        **fields,
    }


def only(outcomes: list[ProofOutcome]) -> ProofOutcome:
    """Return the single outcome of a one-proof document."""
    assert len(outcomes) == 1
    return outcomes[0]


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_it_accepts_a_fresh_data_integrity_proof(suite: str):
    key = new_ed25519_key()
    method = verification_method_for(key.public_key())
    outcome = only(verify_proofs(sign_data_integrity(badge(), key, method, suite)))
    assert outcome.ok, outcome.reason
    assert outcome.cryptosuite == suite
    assert outcome.verification_method == method
    assert outcome.key is not None
    assert outcome.key.is_assertion_method


def test_it_accepts_a_legacy_ed25519_signature_2020():
    key = new_ed25519_key()
    doc = badge()
    doc["@context"] = [VC1, OB303, ED2020]
    doc["issuanceDate"] = doc.pop("validFrom")
    signed = sign_ed25519_2020(doc, key, verification_method_for(key.public_key()))
    outcome = only(verify_proofs(signed))
    assert outcome.ok, outcome.reason
    assert outcome.cryptosuite == "Ed25519Signature2020"


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_it_refuses_a_tampered_credential(suite: str):
    key = new_ed25519_key()
    signed = sign_data_integrity(badge(), key, verification_method_for(key.public_key()), suite)
    signed["credentialSubject"]["achievement"]["name"] = "Leadership"
    outcome = only(verify_proofs(signed))
    assert not outcome.ok
    assert not outcome.transient
    assert "does not match" in outcome.reason


def test_it_refuses_tampered_proof_options():
    key = new_ed25519_key()
    signed = sign_data_integrity(badge(), key, verification_method_for(key.public_key()))
    signed["proof"]["created"] = "2024-02-01T00:00:00Z"
    assert "does not match" in only(verify_proofs(signed)).reason


def test_it_refuses_a_signature_by_another_key():
    signer, other = new_ed25519_key(), new_ed25519_key()
    signed = sign_data_integrity(badge(), signer, verification_method_for(other.public_key()))
    assert "does not match" in only(verify_proofs(signed)).reason


def test_it_verifies_text_with_control_characters_as_jsonld_js_signs_it():
    key = new_ed25519_key()
    doc = badge(description="line\bone\fform\x01feed\x7fdel\ttab")
    signed = sign_data_integrity(doc, key, verification_method_for(key.public_key()))
    assert only(verify_proofs(signed)).ok
    assert "\\b" in canonicalize(doc)


def test_it_reports_a_document_without_a_proof():
    outcome = only(verify_proofs(badge()))
    assert not outcome.ok
    assert outcome.reason == "the document carries no proof"


def test_it_refuses_a_proof_for_another_purpose():
    key = new_ed25519_key()
    method = verification_method_for(key.public_key())
    signed = sign_data_integrity(badge(), key, method, proof_purpose="authentication")
    assert "not 'assertionMethod'" in only(verify_proofs(signed)).reason


def test_an_unknown_cryptosuite_or_proof_type_is_undecided_not_wrong():
    key = new_ed25519_key()
    method = verification_method_for(key.public_key())
    signed = sign_data_integrity(badge(), key, method)
    signed["proof"]["cryptosuite"] = "bbs-2023"
    outcome = only(verify_proofs(signed))
    assert "cannot check bbs-2023 proofs" in outcome.reason
    assert (outcome.ok, outcome.code, outcome.is_undecided) == (
        False,
        "proof_unsupported_suite",
        True,
    )
    signed["proof"]["type"] = "RsaSignature2018"
    outcome = only(verify_proofs(signed))
    assert "cannot check RsaSignature2018 proofs" in outcome.reason
    assert outcome.code == "proof_unsupported_suite"


def test_it_refuses_an_expired_proof():
    key = new_ed25519_key()
    method = verification_method_for(key.public_key())
    signed = sign_data_integrity(badge(), key, method, extra={"expires": "2024-06-01T00:00:00Z"})
    assert "expired on 2024-06-01" in only(verify_proofs(signed)).reason


def test_it_refuses_a_proof_created_in_the_future():
    key = new_ed25519_key()
    method = verification_method_for(key.public_key())
    signed = sign_data_integrity(badge(), key, method, created="2999-01-01T00:00:00Z")
    assert "created in the future" in only(verify_proofs(signed)).reason


def test_it_refuses_an_undefined_term_even_when_the_signature_matches():
    key = new_ed25519_key()
    method = verification_method_for(key.public_key())
    doc = badge(secretGrade="A+")
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2024-01-01T00:00:00Z",
        "verificationMethod": method,
        "proofPurpose": "assertionMethod",
    }
    # Sign the way a lax signer would: the undefined term is silently dropped.
    data = hashlib.sha256(canonicalize({**proof, "@context": doc["@context"]}).encode()).digest()
    data += hashlib.sha256(canonicalize(doc).encode()).digest()
    proof["proofValue"] = "z" + base58_encode(key.sign(data))
    outcome = only(verify_proofs({**doc, "proof": proof}))
    assert not outcome.ok
    assert "'secretGrade'" in outcome.reason


def test_it_refuses_proof_terms_the_document_context_does_not_define():
    key = new_ed25519_key()
    doc = badge()
    doc["@context"] = [VC1, OB303, ED2020]
    doc["issuanceDate"] = doc.pop("validFrom")
    signed = sign_ed25519_2020(doc, key, verification_method_for(key.public_key()))
    signed["@context"] = [VC1, OB303]
    outcome = only(verify_proofs(signed))
    assert not outcome.ok
    assert "the proof options" in outcome.reason


def test_a_proof_context_must_match_the_start_of_the_document_context():
    key = new_ed25519_key()
    method = verification_method_for(key.public_key())
    signed = sign_data_integrity(badge(), key, method, "eddsa-jcs-2022")
    signed["proof"]["@context"] = [OB303]
    assert "does not match the start" in only(verify_proofs(signed)).reason


def test_a_proof_set_gives_one_outcome_per_proof():
    first, second = new_ed25519_key(), new_ed25519_key()
    signed = sign_data_integrity(badge(), first, verification_method_for(first.public_key()))
    signed = sign_data_integrity(
        signed, second, verification_method_for(second.public_key()), "eddsa-jcs-2022"
    )
    outcomes = verify_proofs(signed)
    assert [outcome.ok for outcome in outcomes] == [True, True]
    broken = copy.deepcopy(signed)
    broken["proof"][1]["proofValue"] = signed["proof"][0]["proofValue"]
    assert [outcome.ok for outcome in verify_proofs(broken)] == [True, False]


def test_a_proof_chain_covers_the_earlier_proof():
    first, second = new_ed25519_key(), new_ed25519_key()
    signed = sign_data_integrity(
        badge(), first, verification_method_for(first.public_key()), proof_id="urn:uuid:proof-1"
    )
    signed = sign_data_integrity(
        signed,
        second,
        verification_method_for(second.public_key()),
        previous_proof="urn:uuid:proof-1",
    )
    assert all(outcome.ok for outcome in verify_proofs(signed))
    signed["proof"][1]["previousProof"] = "urn:uuid:missing"
    assert (
        "previous proof urn:uuid:missing is not in the document" in verify_proofs(signed)[1].reason
    )


def test_an_unreachable_key_is_a_transient_failure(remote_hosts: RemoteHosts):
    key = new_ed25519_key()
    remote_hosts.serve("https://issuer.example/.well-known/did.json", b"", status=503)
    signed = sign_data_integrity(badge(), key, "did:web:issuer.example#key-1")
    outcome = only(verify_proofs(signed))
    assert not outcome.ok
    assert outcome.transient


def test_a_did_web_key_not_listed_for_assertions_is_reported(remote_hosts: RemoteHosts):
    key = new_ed25519_key()
    did = "did:web:issuer.example"
    document = did_document_for(did, key.public_key(), assertion=False)
    remote_hosts.serve("https://issuer.example/.well-known/did.json", document)
    outcome = only(verify_proofs(sign_data_integrity(badge(), key, f"{did}#key-1")))
    assert outcome.ok
    assert outcome.key is not None
    assert outcome.key.controller == did
    assert not outcome.key.is_assertion_method


def test_an_eddsa_proof_needs_an_ed25519_key():
    ed_key, p256 = new_ed25519_key(), new_p256_key()
    signed = sign_data_integrity(badge(), ed_key, verification_method_for(p256.public_key()))
    assert "needs an Ed25519 key" in only(verify_proofs(signed)).reason


@pytest.mark.parametrize(
    ("proof", "expected"),
    [
        ("not a proof", "must be a JSON object"),
        ({"type": "DataIntegrityProof"}, "cannot check 'DataIntegrityProof' proofs"),
        (
            {
                "type": "DataIntegrityProof",
                "cryptosuite": "eddsa-rdfc-2022",
                "proofPurpose": "assertionMethod",
            },
            "names no verificationMethod",
        ),
        (
            {
                "type": "DataIntegrityProof",
                "cryptosuite": "eddsa-rdfc-2022",
                "proofPurpose": "assertionMethod",
                "verificationMethod": "did:key:z6Mk",
                "created": "yesterday",
            },
            "not a date and time",
        ),
        (
            {
                "type": "DataIntegrityProof",
                "cryptosuite": "eddsa-rdfc-2022",
                "proofPurpose": "assertionMethod",
                "verificationMethod": "did:key:z6Mk",
                "proofValue": "zz0OIl",
            },
            "proofValue is not valid",
        ),
        (
            {
                "type": "DataIntegrityProof",
                "cryptosuite": "eddsa-rdfc-2022",
                "proofPurpose": "assertionMethod",
                "verificationMethod": "did:key:z6Mk",
                "proofValue": "z" + base58_encode(b"\x01" * 10),
            },
            "not a 64-byte Ed25519 signature",
        ),
    ],
)
def test_hostile_proofs_get_a_clear_reason(proof: Any, expected: str):
    outcome = only(verify_proofs({**badge(), "proof": proof}))
    assert not outcome.ok
    assert expected in outcome.reason


def test_hostile_documents_get_a_clear_reason():
    assert not only(verify_proofs("not a document")).ok
    assert not only(verify_proofs({**badge(), "proof": []})).ok
    assert "more than 16 proofs" in only(verify_proofs({**badge(), "proof": [{}] * 17})).reason
    key = new_ed25519_key()
    signed = sign_data_integrity(badge(), key, verification_method_for(key.public_key()))
    signed["@context"] = [VC2, "https://evil.example/ctx"]
    outcome = only(verify_proofs(signed))
    assert "context this wallet does not have (https://evil.example/ctx)" in outcome.reason
    assert outcome.code == "context_unknown"
