"""The LD Signatures suites before Data Integrity: Ed25519Signature2018, JsonWebSignature2020
(detached JWS) and Ed25519Signature2020, end to end with keys made here, plus two
credentials JFF published for its 2022 plugfest, signed by another implementation."""

import copy
import json
from pathlib import Path

import pytest

from credentials.verification.checks import CheckName, CheckStatus, Code
from credentials.verification.engine import verify_bytes
from credentials.verification.verdict import Verdict
from tests.credentials.support import fixtures, signing
from tests.credentials.support.issuer import (
    site_fixture,  # noqa: F401
    web_fixture,  # noqa: F401
)

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent / "data"
EXAMPLES_V1 = "https://www.w3.org/2018/credentials/examples/v1"
JWS_2020 = "https://w3id.org/security/suites/jws-2020/v1"
ED25519_2018 = "https://w3id.org/security/suites/ed25519-2018/v1"
VALID = (Verdict.VERIFIED, Verdict.VERIFIED_WITH_WARNINGS)

KEYS = {
    "Ed25519": signing.new_ed25519_key,
    "P-256": signing.new_p256_key,
    "P-384": signing.new_p384_key,
    "secp256k1": signing.new_secp256k1_key,
}


def alumni_credential(issuer_id, *, contexts=(), expires=None):
    """A VC 1.1 credential in the W3C examples vocabulary (which imports ODRL)."""
    credential = {
        "@context": [fixtures.VC1, EXAMPLES_V1, *contexts],
        "id": "urn:uuid:3f5a0c1e-8f0b-4c55-9a3e-7d1e2b4c6a80",
        "type": ["VerifiableCredential", "AlumniCredential"],
        "issuer": {"id": issuer_id, "name": "Example University"},
        "issuanceDate": "2024-01-01T00:00:00Z",
        "credentialSubject": {"id": fixtures.LEARNER_DID, "alumniOf": "Example University"},
    }
    if expires:
        credential["expirationDate"] = expires
    return credential


def signed_with(proof_type, key, **options):
    """A credential from the key's own did:key, signed by it with `proof_type`."""
    public_key = key.public_key()
    contexts = (JWS_2020,) if proof_type == "JsonWebSignature2020" else ()
    if proof_type == "Ed25519Signature2020":
        contexts = ("https://w3id.org/security/suites/ed25519-2020/v1",)
    credential = alumni_credential(
        signing.did_key_for(public_key), contexts=contexts, expires=options.pop("expires", None)
    )
    method = signing.verification_method_for(public_key)
    return signing.sign_linked_data(credential, key, method, proof_type, **options)


def _verify(document):
    [result] = verify_bytes(json.dumps(document).encode())
    return result


SUITES = [
    ("Ed25519Signature2018", "Ed25519"),
    ("Ed25519Signature2020", "Ed25519"),
    *[("JsonWebSignature2020", curve) for curve in KEYS],
]


@pytest.mark.parametrize(("proof_type", "curve"), SUITES)
def test_it_verifies_a_credential_signed_with_each_legacy_suite_and_key(proof_type, curve):
    result = _verify(signed_with(proof_type, KEYS[curve]()))
    assert result.verdict in VALID
    proof = result.check(CheckName.PROOF)
    assert proof.status == CheckStatus.PASSED
    assert proof_type in proof.message


@pytest.mark.parametrize(("proof_type", "curve"), SUITES)
def test_it_refuses_a_tampered_credential(proof_type, curve):
    signed = signed_with(proof_type, KEYS[curve]())
    signed["credentialSubject"]["alumniOf"] = "Another University"
    result = _verify(signed)
    assert result.verdict == Verdict.FAILED
    assert result.check(CheckName.PROOF).code == Code.PROOF_INVALID


@pytest.mark.parametrize(("proof_type", "curve"), SUITES)
def test_a_legacy_signed_credential_past_its_expiration_date_is_expired(proof_type, curve):
    signed = signed_with(proof_type, KEYS[curve](), expires="2024-06-01T00:00:00Z")
    result = _verify(signed)
    assert result.verdict == Verdict.EXPIRED
    assert result.check(CheckName.PROOF).status == CheckStatus.PASSED


def test_it_refuses_a_changed_proof_option():
    signed = signed_with("Ed25519Signature2018", signing.new_ed25519_key())
    signed["proof"]["created"] = "2024-02-01T00:00:00Z"
    assert _verify(signed).verdict == Verdict.FAILED


def test_a_jws_2020_signature_over_rsa_uses_ps256():
    key = signing.new_rsa_key()
    credential = alumni_credential(signing.did_jwk_for(key.public_key()), contexts=(JWS_2020,))
    method = f"{signing.did_jwk_for(key.public_key())}#0"
    signed = signing.sign_linked_data(credential, key, method, "JsonWebSignature2020")
    assert _verify(signed).verdict in VALID


def test_it_verifies_a_json_web_key_2020_published_in_a_did_web_document(web):
    did = "did:web:issuer.example"
    documents = {}
    for fragment, make_key in (("ed", signing.new_ed25519_key), ("p256", signing.new_p256_key)):
        key = make_key()
        documents[fragment] = key
    web.add_did_web(
        did,
        {
            "@context": ["https://www.w3.org/ns/did/v1", JWS_2020],
            "id": did,
            "verificationMethod": [
                {
                    "id": f"{did}#{fragment}",
                    "type": "JsonWebKey2020",
                    "controller": did,
                    "publicKeyJwk": signing.jwk_for(key.public_key()),
                }
                for fragment, key in documents.items()
            ],
            "assertionMethod": [f"{did}#{fragment}" for fragment in documents],
        },
    )
    for fragment, key in documents.items():
        credential = alumni_credential(did, contexts=(JWS_2020,))
        signed = signing.sign_linked_data(
            credential, key, f"{did}#{fragment}", "JsonWebSignature2020"
        )
        result = _verify(signed)
        assert result.verdict in VALID, fragment
        assert result.check(CheckName.PROOF).status == CheckStatus.PASSED
        assert result.check(CheckName.ISSUER).status != CheckStatus.FAILED


@pytest.mark.parametrize(
    ("proof_type", "proof_context"),
    [
        ("Ed25519Signature2018", ["https://w3id.org/security/v2"]),
        ("Ed25519Signature2018", [ED25519_2018]),
        ("JsonWebSignature2020", [fixtures.VC1, JWS_2020]),
        ("Ed25519Signature2020", ["https://w3id.org/security/suites/ed25519-2020/v1"]),
    ],
)
def test_a_proof_is_read_under_its_own_context_when_it_differs_from_the_documents(
    proof_type, proof_context
):
    # As DIDKit and LearnCard sign: the document does not define the proof's terms itself.
    key = signing.new_ed25519_key()
    credential = alumni_credential(signing.did_key_for(key.public_key()))
    method = signing.verification_method_for(key.public_key())
    signed = signing.sign_linked_data(
        credential, key, method, proof_type, proof_context=proof_context
    )
    assert signed["@context"][: len(proof_context)] != proof_context
    assert _verify(signed).verdict in VALID


def test_a_proof_whose_own_context_was_removed_is_refused():
    key = signing.new_p256_key()
    credential = alumni_credential(signing.did_key_for(key.public_key()))
    method = signing.verification_method_for(key.public_key())
    signed = signing.sign_linked_data(
        credential, key, method, "JsonWebSignature2020", proof_context=[fixtures.VC1, JWS_2020]
    )
    del signed["proof"]["@context"]
    # The document's context does not define JsonWebSignature2020: nothing to check against.
    result = _verify(signed)
    assert result.verdict == Verdict.FAILED
    assert "undefined term" in result.check(CheckName.PROOF).message


def test_a_jws_with_an_algorithm_the_wallet_does_not_know_is_unverifiable():
    key = signing.new_p256_key()
    header = {"alg": "ES512", "b64": False, "crit": ["b64"]}
    signed = signed_with("JsonWebSignature2020", key, alg="ES256", header=header)
    result = _verify(signed)
    assert result.verdict == Verdict.UNVERIFIABLE
    proof = result.check(CheckName.PROOF)
    assert proof.code == Code.PROOF_UNSUPPORTED_SUITE
    assert "ES512" in proof.message


@pytest.mark.parametrize(
    ("proof_type", "make_key", "alg"),
    [
        # Ed25519Signature2018 is EdDSA only.
        ("Ed25519Signature2018", signing.new_p256_key, "ES256"),
        # The alg must be the key's: a P-384 key does not make ES256 signatures.
        ("JsonWebSignature2020", signing.new_p384_key, "ES256"),
    ],
)
def test_it_refuses_an_algorithm_that_does_not_fit_the_suite_or_key(proof_type, make_key, alg):
    key = make_key()
    credential = alumni_credential(signing.did_key_for(key.public_key()), contexts=(JWS_2020,))
    method = signing.verification_method_for(key.public_key())
    signed = signing.sign_linked_data(credential, key, method, proof_type, alg=alg)
    assert _verify(signed).verdict == Verdict.FAILED


@pytest.mark.parametrize(
    "header",
    [
        {"alg": "EdDSA"},
        {"alg": "EdDSA", "b64": True, "crit": ["b64"]},
        {"alg": "EdDSA", "b64": False, "crit": ["b64", "exp"]},
    ],
)
def test_it_refuses_a_jws_whose_payload_is_not_detached_unencoded(header):
    signed = signed_with("Ed25519Signature2018", signing.new_ed25519_key(), header=header)
    result = _verify(signed)
    assert result.verdict == Verdict.FAILED
    assert "jws header" in result.check(CheckName.PROOF).message


def test_it_refuses_a_jws_that_carries_its_payload():
    signed = signed_with("Ed25519Signature2018", signing.new_ed25519_key())
    header, _, signature = signed["proof"]["jws"].split(".")
    signed["proof"]["jws"] = f"{header}.e30.{signature}"
    assert _verify(signed).verdict == Verdict.FAILED


@pytest.mark.parametrize("name", ["jff-plugfest-1-ex-1.json", "jff-plugfest-1-ex-2.json"])
def test_it_verifies_a_published_ed25519_signature_2018_credential(name):
    # Signed with a did:key by a plugfest participant (see data/README.md), not by us.
    document = json.loads((DATA / name).read_text(encoding="utf-8"))
    result = _verify(document)
    assert result.verdict in VALID
    assert result.check(CheckName.PROOF).status == CheckStatus.PASSED
    tampered = copy.deepcopy(document)
    tampered["credentialSubject"]["achievement"]["name"] = "Something else"
    assert _verify(tampered).verdict == Verdict.FAILED
