"""W3C vc-di-eddsa test vectors: every intermediate value, the signatures, and tampered copies.

The vectors live outside the repository (../shared/vectors/w3c-vc-di-eddsa);
without them these tests are skipped.
"""

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from cryptography.hazmat.primitives.asymmetric import ed25519

from credentials.jsonld import canonicalize
from credentials.verification.keys import base58_encode, multibase_decode
from credentials.verification.proofs import signing_input, verify_proofs

REPO_ROOT = Path(__file__).resolve().parents[2]
VECTORS = REPO_ROOT.parent / "shared" / "vectors" / "w3c-vc-di-eddsa"

pytestmark = [
    pytest.mark.skipif(not VECTORS.is_dir(), reason=f"W3C eddsa vectors not found at {VECTORS}"),
    pytest.mark.django_db(databases=[]),
]

# suite folder -> (file suffix, canonical form of a JSON object)
SUITES = {
    "eddsa-rdfc-2022": ("DataInt", "rdfc"),
    "eddsa-jcs-2022": ("JCS", "jcs"),
    "Ed25519Signature2020": ("EdSig", "rdfc"),
}


def load_json(relative: str) -> Any:
    """Read one vector JSON file."""
    return json.loads((VECTORS / relative).read_text(encoding="utf-8"))


def load_text(relative: str) -> str:
    """Read one vector text file as written (canonical forms end exactly as signed)."""
    return (VECTORS / relative).read_text(encoding="utf-8")


def canonical(value: dict[str, Any], how: str) -> str:
    """Canonicalize as the suite does: RDFC-1.0 N-Quads or RFC 8785 JSON."""
    return canonicalize(value) if how == "rdfc" else rfc8785.dumps(value).decode("utf-8")


def private_key_from(multibase: str) -> ed25519.Ed25519PrivateKey:
    """Decode a Multikey Ed25519 secret key (multicodec 0x8026 + 32-byte seed)."""
    raw = multibase_decode(multibase)
    assert raw[:2] == b"\x80\x26"
    return ed25519.Ed25519PrivateKey.from_private_bytes(raw[2:])


@pytest.mark.parametrize("suite", SUITES)
def test_the_canonical_document_matches_the_vector(suite: str):
    suffix, how = SUITES[suite]
    unsigned = load_json("unsigned.json")
    assert canonical(unsigned, how) == load_text(f"{suite}/canonDoc{suffix}.txt")
    digest = hashlib.sha256(canonical(unsigned, how).encode("utf-8")).hexdigest()
    assert digest == load_text(f"{suite}/docHash{suffix}.txt").strip()


@pytest.mark.parametrize("suite", SUITES)
def test_the_canonical_proof_options_match_the_vector(suite: str):
    suffix, how = SUITES[suite]
    config = load_json(f"{suite}/proofConfig{suffix}.json")
    assert canonical(config, how) == load_text(f"{suite}/proofCanon{suffix}.txt")
    digest = hashlib.sha256(canonical(config, how).encode("utf-8")).hexdigest()
    assert digest == load_text(f"{suite}/proofHash{suffix}.txt").strip()


@pytest.mark.parametrize("suite", SUITES)
def test_the_signing_input_matches_the_combined_hash(suite: str):
    suffix, _how = SUITES[suite]
    signed = load_json(f"{suite}/signed{suffix}.json")
    combined = signing_input(signed, signed["proof"])
    assert combined.hex() == load_text(f"{suite}/combinedHash{suffix}.txt").strip()


@pytest.mark.parametrize("suite", SUITES)
def test_signing_with_the_vector_key_reproduces_the_signature(suite: str):
    suffix, _how = SUITES[suite]
    signed = load_json(f"{suite}/signed{suffix}.json")
    key = private_key_from(load_json("keyPair.json")["privateKeyMultibase"])
    signature = key.sign(signing_input(signed, signed["proof"]))
    assert signature.hex() == load_text(f"{suite}/sigHex{suffix}.txt").strip()
    assert "z" + base58_encode(signature) == load_text(f"{suite}/sigBTC58{suffix}.txt").strip()
    assert signed["proof"]["proofValue"] == "z" + base58_encode(signature)


@pytest.mark.parametrize("suite", SUITES)
def test_the_signed_vector_verifies(suite: str):
    suffix, _how = SUITES[suite]
    (outcome,) = verify_proofs(load_json(f"{suite}/signed{suffix}.json"))
    assert outcome.ok, outcome.reason
    assert outcome.cryptosuite == suite
    assert outcome.key is not None
    assert outcome.key.controller == "did:key:" + load_json("keyPair.json")["publicKeyMultibase"]
    assert outcome.key.is_assertion_method


def tampered_copies(signed: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Return copies of a signed document each changed in one signed place."""
    changes = []
    subject = copy.deepcopy(signed)
    subject["credentialSubject"]["alumniOf"] = "The School of Forgery"
    changes.append(("subject", subject))
    added = copy.deepcopy(signed)
    added["description"] = added["description"] + " "
    changes.append(("description", added))
    proofs = signed["proof"] if isinstance(signed["proof"], list) else [signed["proof"]]
    dated = copy.deepcopy(signed)
    first = dated["proof"][0] if isinstance(dated["proof"], list) else dated["proof"]
    first["created"] = "2023-02-25T23:36:38Z"
    changes.append(("proof created", dated))
    assert proofs
    return changes


@pytest.mark.parametrize("suite", SUITES)
def test_tampered_copies_of_the_vector_fail(suite: str):
    suffix, _how = SUITES[suite]
    for what, tampered in tampered_copies(load_json(f"{suite}/signed{suffix}.json")):
        outcomes = verify_proofs(tampered)
        assert not outcomes[0].ok, what
        assert not outcomes[0].transient
        assert "does not match" in outcomes[0].reason


@pytest.mark.parametrize(
    "name", ["signedProofSet1", "signedProofSet2", "signedProofChain1", "signedProofChain2"]
)
def test_proof_sets_and_chains_verify(name: str):
    outcomes = verify_proofs(load_json(f"proof-set-chain/{name}.json"))
    assert outcomes
    assert all(outcome.ok for outcome in outcomes), [o.reason for o in outcomes]


@pytest.mark.parametrize("name", ["signedProofSet2", "signedProofChain2"])
def test_a_tampered_proof_set_or_chain_fails_every_proof(name: str):
    signed = load_json(f"proof-set-chain/{name}.json")
    signed["name"] = "Forged Credential"
    assert not any(outcome.ok for outcome in verify_proofs(signed))


def test_a_chained_proof_covers_the_proofs_it_names():
    signed = load_json("proof-set-chain/signedProofChain2.json")
    signed["proof"][0]["created"] = "2023-02-24T23:36:39Z"
    outcomes = verify_proofs(signed)
    assert not outcomes[0].ok
    assert outcomes[1].ok
    assert not outcomes[2].ok, "the third proof chains to the first"
    # The fourth covers only the third proof's own bytes, which are intact; the
    # chain as a whole fails because the third proof does.
    assert outcomes[3].ok


def test_the_chain_temp_document_matches_what_the_chained_proof_covers():
    chain = load_json("proof-set-chain/signedProofChain2.json")
    temp = load_json("proof-set-chain/proofChainTempDoc2.json")
    fourth = chain["proof"][3]
    combined = signing_input(chain, fourth, chain["proof"])
    config = {k: v for k, v in fourth.items() if k != "proofValue"}
    config["@context"] = chain["@context"]
    expected = hashlib.sha256(canonicalize(config).encode()).digest()
    expected += hashlib.sha256(canonicalize(temp).encode()).digest()
    assert combined == expected
