"""Blockcerts: recognised and shown, anchored in a blockchain the wallet does not check."""

import json
from typing import Any

import pytest

from credentials.formats import read_credentials
from credentials.jsonld.loader import known_contexts
from credentials.models import CredentialSource
from credentials.services import import_credential
from credentials.verification.checks import CheckName, CheckStatus, Code
from credentials.verification.engine import verify_bytes
from credentials.verification.recipient import RecipientContext
from credentials.verification.verdict import Verdict
from tests.credentials.support import fixtures
from tests.credentials.support.issuer import did_key_issuer

pytestmark = pytest.mark.django_db

ADA = RecipientContext(verified_emails={fixtures.LEARNER_EMAIL}, claimed_identifiers=set())
BLOCKCERTS_V2 = "https://w3id.org/blockcerts/v2"
BLOCKCERTS_V3 = "https://w3id.org/blockcerts/v3"
MERKLE_2019 = {
    "type": "MerkleProof2019",
    "created": "2024-01-01T00:00:00Z",
    "proofValue": "z7veGu1qoKR3AS5Aw2kWrYJNj7zyU5DpBE4pb5TwMqEG5fBnMqUqwWJpXcdBrBBDyd1hhbKwgXKvH",
    "proofPurpose": "assertionMethod",
    "verificationMethod": "https://issuer.example/issuer.json#key-1",
}


def _verify(data: bytes):
    [result] = verify_bytes(data, recipient=ADA)
    return result


def blockcerts_v2() -> dict[str, Any]:
    """A Blockcerts v2 certificate: an OB 2.0 Assertion signed by a Merkle proof."""
    return {
        "@context": [fixtures.OB2, BLOCKCERTS_V2],
        "type": "Assertion",
        "id": "urn:uuid:bbba8553-8ec1-445f-82c9-a57251dd731c",
        "recipient": {"type": "email", "hashed": False, "identity": fixtures.LEARNER_EMAIL},
        "recipientProfile": {"type": ["RecipientProfile", "Extension"], "name": "Ada Lovelace"},
        "issuedOn": "2024-01-01T00:00:00Z",
        "badge": {
            "type": "BadgeClass",
            "id": "urn:uuid:82a4c9f2-3588-457b-80ea-da695571b8fc",
            "name": "Master of Engineering",
            "description": "Awarded on completion of the programme.",
            "image": "data:image/png;base64,iVBORw0KGgo=",
            "criteria": {"narrative": "Complete every course."},
            "issuer": {
                "type": "Profile",
                "id": "https://issuer.example/issuer.json",
                "name": "Example Institute",
                "url": "https://issuer.example",
                "email": "registrar@issuer.example",
            },
        },
        "verification": {"type": ["MerkleProofVerification2017", "Extension"]},
        "signature": {
            "type": ["MerkleProof2017", "Extension"],
            "targetHash": "637ec732fa4b7b56f4c15a6a12680519a17a9e9eade09f5b424a48eb0e6f5ad0",
            "merkleRoot": "637ec732fa4b7b56f4c15a6a12680519a17a9e9eade09f5b424a48eb0e6f5ad0",
            "anchors": [
                {"sourceId": "d75b7a5bdb3d5244b753e6b84e987267cfa4ffa7", "type": "ETHData"}
            ],
            "proof": [],
        },
    }


def blockcerts_v3(issuer: str = "https://issuer.example/issuer.json") -> dict[str, Any]:
    """A Blockcerts v3 certificate: a VC whose proof is a MerkleProof2019."""
    return {
        "@context": [fixtures.VC1, BLOCKCERTS_V3],
        "id": "urn:uuid:bbba8553-8ec1-445f-82c9-a57251dd731c",
        "type": ["VerifiableCredential", "BlockcertsCredential"],
        "issuer": issuer,
        "issuanceDate": "2024-01-01T00:00:00Z",
        "credentialSubject": {
            "id": fixtures.LEARNER_DID,
            "name": "Ada Lovelace",
            "claim": {"name": "Master of Engineering", "description": "Completed the programme."},
        },
        "proof": MERKLE_2019,
    }


def test_a_blockcerts_v2_certificate_is_recognised_not_read_as_a_hosted_badge():
    [parsed] = read_credentials(json.dumps(blockcerts_v2()).encode())
    assert parsed.format == "blockcerts"


def test_a_blockcerts_v2_certificate_is_unverifiable_and_says_why():
    result = _verify(json.dumps(blockcerts_v2()).encode())
    assert result.format == "blockcerts"
    assert result.verdict == Verdict.UNVERIFIABLE
    proof = result.check(CheckName.PROOF)
    assert proof.status == CheckStatus.NOT_CHECKED
    assert proof.code == Code.FORMAT_UNSUPPORTED
    assert "blockchain" in proof.message
    assert not proof.is_transient


def test_a_blockcerts_v2_certificate_shows_what_it_says():
    result = _verify(json.dumps(blockcerts_v2()).encode())
    view = result.normalized
    assert view["name"] == "Master of Engineering"
    assert view["issuer"]["name"] == "Example Institute"
    assert view["recipient"]["name"] == "Ada Lovelace"
    assert view["issued_on"] == "2024-01-01T00:00:00+00:00"
    assert result.check(CheckName.RECIPIENT).status == CheckStatus.PASSED


def test_a_blockcerts_v3_certificate_is_unverifiable_and_says_why():
    result = _verify(json.dumps(blockcerts_v3()).encode())
    assert result.format == "blockcerts"
    assert result.verdict == Verdict.UNVERIFIABLE
    assert result.check(CheckName.PROOF).code == Code.FORMAT_UNSUPPORTED
    view = result.normalized
    assert view["name"] == "Master of Engineering"
    assert view["description"] == "Completed the programme."
    assert view["issuer"]["id"] == "https://issuer.example/issuer.json"
    assert view["recipient"]["name"] == "Ada Lovelace"
    assert view["issued_on"] == "2024-01-01T00:00:00+00:00"


def test_an_expired_blockcerts_certificate_is_still_only_unverifiable_not_failed():
    certificate = {**blockcerts_v3(), "expirationDate": "2024-06-01T00:00:00Z"}
    assert _verify(json.dumps(certificate).encode()).verdict in (
        Verdict.UNVERIFIABLE,
        Verdict.EXPIRED,
    )


@pytest.mark.skipif(
    BLOCKCERTS_V3 not in known_contexts(), reason="the Blockcerts v3 context is not bundled yet"
)
def test_a_blockcerts_v3_certificate_with_a_supported_proof_beside_its_merkle_proof_verifies():
    issuer = did_key_issuer()
    certificate = blockcerts_v3(issuer.id)
    certificate["@context"].append("https://w3id.org/security/data-integrity/v2")
    del certificate["proof"]
    signed = issuer.sign(certificate, cryptosuite="eddsa-jcs-2022")
    certificate["proof"] = [MERKLE_2019, signed["proof"]]
    result = _verify(json.dumps(certificate).encode())
    proof = result.check(CheckName.PROOF)
    assert proof.status == CheckStatus.PASSED
    assert proof.details["skipped_proofs"]
    assert result.format == "blockcerts"


def test_importing_a_blockcerts_certificate_shows_its_name_on_its_page(learner, learner_client):
    data = json.dumps(blockcerts_v2()).encode()
    [credential] = import_credential(
        learner=learner, data=data, source=CredentialSource.UPLOAD
    ).created
    assert credential.format == "blockcerts"
    assert credential.verdict == Verdict.UNVERIFIABLE
    page = learner_client.get(credential.get_absolute_url())
    assert page.status_code == 200
    assert "Master of Engineering" in page.text
