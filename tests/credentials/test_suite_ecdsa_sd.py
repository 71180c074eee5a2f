"""ecdsa-sd-2023: the W3C vc-di-ecdsa vectors step by step, and credentials made here with a
fresh P-256 did:key issuer (base proof), shown by a holder revealing a subset (derived proof).

The vectors live outside the repository (../shared/vectors/w3c-vc-di-ecdsa); without them
those tests are skipped. Their documents use the citizenship context; the steps that need
it are skipped while that context is not bundled.
"""

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from pyld.nquads import parse_nquads

from credentials.jsonld import known_contexts
from credentials.verification.engine import verify_bytes
from credentials.verification.keys import multibase_decode, resolve_key
from credentials.verification.proofs import verify_proofs
from credentials.verification.suites import ecdsa_sd
from credentials.verification.suites import sd_primitives as sd
from credentials.verification.suites.base import ProofCode, ProofError
from credentials.verification.verdict import Verdict
from tests.credentials.support import fixtures, signing
from tests.credentials.support.ecdsa_sd import create_base_proof, derive_proof

REPO_ROOT = Path(__file__).resolve().parents[2]
VECTORS = REPO_ROOT.parent / "shared" / "vectors" / "w3c-vc-di-ecdsa" / "TestVectors"
SD_VECTORS = VECTORS / "ecdsa-sd-2023"
CITIZENSHIP = "https://w3id.org/citizenship/v4rc1"
# vector folder -> (unsigned credential, mandatory pointers, selective pointers)
EXAMPLES = {
    "employ": ("employmentAuth.json", "employMandatory.json", "employSelective.json"),
    "prc": ("prCredUnsigned.json", "prCredMandatory.json", "prCredSelective.json"),
}

pytestmark = pytest.mark.django_db

needs_vectors = pytest.mark.skipif(
    not SD_VECTORS.is_dir(), reason=f"W3C ecdsa-sd-2023 vectors not found at {SD_VECTORS}"
)
needs_citizenship = pytest.mark.skipif(
    CITIZENSHIP not in known_contexts(),
    reason=f"the vectors' context {CITIZENSHIP} is not bundled",
)


def load(relative: str) -> Any:
    """Read one vector JSON file."""
    return json.loads((VECTORS / relative).read_text(encoding="utf-8"))


def vector(example: str, name: str) -> Any:
    """Read one ecdsa-sd-2023 vector file of an example."""
    path = SD_VECTORS / example / name
    text = path.read_text(encoding="utf-8")
    return text if path.suffix == ".txt" else json.loads(text)


def map_values(value: dict[str, Any]) -> dict[int, str]:
    """A vector's {"dataType": "Map", "value": [[k, v], …]} as a dict."""
    return {key: item for key, item in value["value"]}


def quads_of(nquads: list[str]) -> list[dict[str, Any]]:
    """Parse vector N-Quads (they hold no escapes, which pyld's parser mishandles)."""
    dataset = parse_nquads("".join(nquads))
    return [triple for triple in dataset["@default"]]


def issuer_key() -> Any:
    """The vectors' issuer key (SDKeyMaterial baseKeyPair), resolved as the verifier does."""
    multikey = vector(".", "SDKeyMaterial.json")["baseKeyPair"]["publicKeyMultibase"]
    return ecdsa_sd.issuer_p256_key(resolve_key(f"did:key:{multikey}#{multikey}"))


def hmac_key() -> bytes:
    return bytes.fromhex(vector(".", "SDKeyMaterial.json")["hmacKeyString"])


examples = pytest.mark.parametrize("example", EXAMPLES)


# --- the vectors, one step at a time ----------------------------------------------------------


@needs_vectors
@examples
def test_the_base_proof_value_parses_to_the_vector_components(example):
    proof_value = vector(example, "addSignedSDBase.json")["proof"]["proofValue"]
    parsed = ecdsa_sd.parse_base_proof_value(proof_value)
    raw = vector(example, "addRawBaseSignatureInfo.json")
    assert parsed.base_signature.hex() == raw["baseSignature"]
    assert parsed.public_key == multibase_decode(raw["publicKey"])
    assert [signature.hex() for signature in parsed.signatures] == raw["signatures"]
    assert parsed.hmac_key == hmac_key()
    assert (
        parsed.mandatory_pointers == vector(example, "addBaseTransform.json")["mandatoryPointers"]
    )
    assert ecdsa_sd.serialize_base_proof_value(parsed) == proof_value


@needs_vectors
@examples
def test_the_derived_proof_value_parses_to_the_vector_components(example):
    proof_value = vector(example, "derivedRevealDocument.json")["proof"]["proofValue"]
    parsed = ecdsa_sd.parse_derived_proof_value(proof_value)
    expected = vector(example, "verifyDerivedProofValue.json")
    assert parsed.base_signature.hex() == expected["baseSignature"]
    assert parsed.public_key == multibase_decode(expected["publicKey"])
    assert [signature.hex() for signature in parsed.signatures] == expected["signatures"]
    assert parsed.label_map == dict(expected["labelMap"])
    assert parsed.mandatory_indexes == expected["mandatoryIndexes"]
    assert ecdsa_sd.serialize_derived_proof_value(parsed) == proof_value


@needs_vectors
@examples
def test_hmac_relabelling_gives_the_vector_canonical_form(example):
    canonical = vector(example, "addBaseDocCanon.json")
    nquads, label_map = sd.label_replacement_canonicalize(
        quads_of(canonical), sd.hmac_label_map_factory(hmac_key())
    )
    assert nquads == vector(example, "addBaseDocHMACCanon.json")
    assert set(label_map) == {f"c14n{index}" for index in range(len(label_map))}


@needs_vectors
@examples
def test_the_hashes_match_the_vector(example):
    hashes = vector(example, "addHashData.json")
    proof_canon = vector(example, "addProofConfigCanon.txt")
    assert hashlib.sha256(proof_canon.encode()).hexdigest() == hashes["proofHash"]
    mandatory = map_values(vector(example, "addBaseTransform.json")["mandatory"])
    assert sd.hash_mandatory(mandatory.values()).hex() == hashes["mandatoryHash"]


def base_verify_data(example: str) -> ecdsa_sd.VerifyData:
    """VerifyData for the vector's base proof, from the vector's own intermediate values."""
    raw = vector(example, "addRawBaseSignatureInfo.json")
    hashes = vector(example, "addHashData.json")
    return ecdsa_sd.VerifyData(
        base_signature=bytes.fromhex(raw["baseSignature"]),
        proof_hash=bytes.fromhex(hashes["proofHash"]),
        public_key=multibase_decode(raw["publicKey"]),
        signatures=[bytes.fromhex(item) for item in raw["signatures"]],
        non_mandatory=list(
            map_values(vector(example, "addBaseTransform.json")["nonMandatory"]).values()
        ),
        mandatory_hash=bytes.fromhex(hashes["mandatoryHash"]),
    )


@needs_vectors
@examples
def test_the_vector_base_signatures_verify_and_a_changed_statement_does_not(example):
    data = base_verify_data(example)
    ecdsa_sd.check_signatures(issuer_key(), data)
    changed = [*data.non_mandatory]
    changed[0] = changed[0].replace("<", "<x", 1)
    with pytest.raises(ProofError, match="does not match its signature"):
        ecdsa_sd.check_signatures(
            issuer_key(), data.__class__(**{**vars(data), "non_mandatory": changed})
        )


@needs_vectors
@examples
def test_the_label_map_restores_the_signed_labels_of_the_revealed_statements(example):
    expected = vector(example, "verifyNQuads.json")
    label_map = dict(vector(example, "verifyDerivedProofValue.json")["labelMap"])
    back = {signed: c14n for c14n, signed in label_map.items()}
    as_verifier_sees = sd.relabel_blank_nodes(quads_of(expected), back)
    nquads, _labels = sd.label_replacement_canonicalize(
        quads_of(as_verifier_sees), sd.label_map_factory(label_map)
    )
    assert nquads == expected


@needs_vectors
@examples
def test_the_revealed_statements_split_and_verify_as_the_vector_says(example):
    nquads = vector(example, "verifyNQuads.json")
    expected = vector(example, "verifyCreateVerifyData.json")
    indexes = set(vector(example, "verifyDerivedProofValue.json")["mandatoryIndexes"])
    non_mandatory = [nq for index, nq in enumerate(nquads) if index not in indexes]
    mandatory = [nq for index, nq in enumerate(nquads) if index in indexes]
    assert non_mandatory == expected["nonMandatory"]
    assert sd.hash_mandatory(mandatory).hex() == expected["mandatoryHash"]
    data = ecdsa_sd.VerifyData(
        base_signature=bytes.fromhex(expected["baseSignature"]),
        proof_hash=bytes.fromhex(expected["proofHash"]),
        public_key=multibase_decode(expected["publicKey"]),
        signatures=[bytes.fromhex(item) for item in expected["signatures"]],
        non_mandatory=non_mandatory,
        mandatory_hash=sd.hash_mandatory(mandatory),
    )
    ecdsa_sd.check_signatures(issuer_key(), data)


@needs_vectors
@examples
def test_selecting_the_pointers_gives_the_vector_reveal_document(example):
    unsigned_file, mandatory_file, selective_file = EXAMPLES[example]
    pointers = [*load(mandatory_file), *load(selective_file)]
    selection = sd.select_json_ld(pointers, load(unsigned_file))
    assert selection == vector(example, "derivedUnsignedReveal.json")


@needs_vectors
def test_json_pointers_follow_rfc_6901():
    assert sd.json_pointer_to_paths("/a/0/b~1c/~0d") == ["a", 0, "b/c", "~d"]
    with pytest.raises(sd.SelectionError):
        sd.select_json_ld(["/credentialSubject/nope"], load("employmentAuth.json"))


# --- the vectors through the JSON-LD steps (need the citizenship context) ---------------------


@needs_vectors
@needs_citizenship
@examples
def test_canonicalize_and_group_gives_the_vector_groups(example):
    unsigned = ecdsa_sd.unsecured(vector(example, "addSignedSDBase.json"))
    pointers = vector(example, "addBaseTransform.json")["mandatoryPointers"]
    grouped = sd.canonicalize_and_group(
        unsigned, sd.hmac_label_map_factory(hmac_key()), {"mandatory": pointers}
    )
    assert grouped.nquads == vector(example, "addBaseDocHMACCanon.json")
    transform = vector(example, "addBaseTransform.json")
    assert grouped.groups["mandatory"].matching == map_values(transform["mandatory"])
    assert grouped.groups["mandatory"].non_matching == map_values(transform["nonMandatory"])


@needs_vectors
@needs_citizenship
@examples
def test_the_vector_documents_verify(example):
    for name in ("derivedRevealDocument.json", "addSignedSDBase.json"):
        [outcome] = verify_proofs(vector(example, name))
        assert outcome.ok, (name, outcome.reason)


@needs_vectors
@needs_citizenship
@examples
def test_deriving_from_the_vector_base_gives_the_vector_derived_proof(example):
    selective = load(EXAMPLES[example][2])
    derived = derive_proof(vector(example, "addSignedSDBase.json"), selective)
    assert derived == vector(example, "derivedRevealDocument.json")


@needs_vectors
@needs_citizenship
@examples
def test_a_changed_revealed_value_in_a_vector_document_fails(example):
    document = vector(example, "derivedRevealDocument.json")
    document["validUntil"] = "2099-12-03T00:00:00Z"
    [outcome] = verify_proofs(document)
    assert not outcome.ok
    assert outcome.code == ProofCode.INVALID


# --- credentials issued and shown here --------------------------------------------------------


@pytest.fixture(name="issuer")
def issuer_fixture() -> dict[str, Any]:
    """A fresh P-256 did:key issuer."""
    key = signing.new_p256_key()
    return {
        "key": key,
        "id": signing.did_key_for(key.public_key()),
        "method": signing.verification_method_for(key.public_key()),
    }


MANDATORY = ["/issuer", "/validFrom"]
SHOWN = ["/credentialSubject/achievement/name", "/credentialSubject/achievement/type"]


@pytest.fixture(name="base")
def base_fixture(issuer) -> dict[str, Any]:
    """An OB 3.0 credential with an ecdsa-sd-2023 base proof, as the holder receives it."""
    credential = fixtures.achievement_credential(issuer["id"])
    return create_base_proof(credential, issuer["key"], issuer["method"], MANDATORY)


@pytest.fixture(name="shown")
def shown_fixture(base) -> dict[str, Any]:
    """The same credential as a verifier sees it: only the achievement's name revealed."""
    return derive_proof(base, SHOWN)


def the_outcome(document: dict[str, Any]) -> Any:
    [outcome] = verify_proofs(document)
    return outcome


def the_verdict(document: dict[str, Any]) -> Verdict:
    [result] = verify_bytes(json.dumps(document).encode())
    return result.verdict


def test_the_holder_can_check_the_base_proof(base):
    assert the_outcome(base).ok


def test_a_derived_proof_reveals_only_what_the_holder_chose(shown):
    assert shown["credentialSubject"]["achievement"] == {
        "id": "https://example.org/achievements/teamwork",
        "type": ["Achievement"],
        "name": "Teamwork",
    }
    assert "description" not in shown["credentialSubject"]["achievement"]
    outcome = the_outcome(shown)
    assert outcome.ok, outcome.reason
    assert outcome.cryptosuite == "ecdsa-sd-2023"


def test_a_derived_credential_verifies_end_to_end(shown):
    assert the_verdict(shown) in (Verdict.VERIFIED, Verdict.VERIFIED_WITH_WARNINGS)


def test_a_holder_may_reveal_only_the_mandatory_statements(base):
    outcome = the_outcome(derive_proof(base, []))
    assert outcome.ok, outcome.reason


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("credentialSubject", "achievement", "name"), "Leadership"),
        (("validFrom",), "2023-01-01T00:00:00Z"),
        (("issuer", "name"), "Mallory University"),
    ],
)
def test_it_refuses_a_changed_revealed_value(shown, path, value):
    tampered = copy.deepcopy(shown)
    target = tampered
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    outcome = the_outcome(tampered)
    assert not outcome.ok
    assert outcome.code == ProofCode.INVALID
    assert the_verdict(tampered) == Verdict.FAILED


def test_it_refuses_a_statement_the_issuer_did_not_sign(shown):
    tampered = copy.deepcopy(shown)
    tampered["credentialSubject"]["achievement"]["description"] = "Added by the holder."
    assert not the_outcome(tampered).ok
    assert the_verdict(tampered) == Verdict.FAILED


def test_it_refuses_a_dropped_mandatory_statement(shown):
    tampered = copy.deepcopy(shown)
    del tampered["validFrom"]
    assert the_outcome(tampered).code == ProofCode.INVALID


def test_it_refuses_a_changed_base_proof_document(base):
    tampered = copy.deepcopy(base)
    tampered["credentialSubject"]["achievement"]["description"] = "Changed."
    outcome = the_outcome(tampered)
    assert not outcome.ok
    assert outcome.code == ProofCode.INVALID


def test_it_refuses_a_proof_signed_by_another_key(issuer, shown):
    other = signing.new_p256_key()
    forged = create_base_proof(
        fixtures.achievement_credential(issuer["id"]), other, issuer["method"], MANDATORY
    )
    assert not the_outcome(forged).ok
    assert not the_outcome(derive_proof(forged, SHOWN)).ok


def test_it_refuses_an_issuer_key_of_another_type(issuer):
    key = signing.new_ed25519_key()
    method = signing.verification_method_for(key.public_key())
    credential = fixtures.achievement_credential(signing.did_key_for(key.public_key()))
    document = create_base_proof(credential, issuer["key"], method, MANDATORY)
    outcome = the_outcome(document)
    assert outcome.code == ProofCode.INVALID
    assert "P-256" in outcome.reason


@pytest.mark.parametrize(
    "proof_value",
    ["z3vL", "u", "u2V0C", "uAAAA", "u2V0BgA", "u2V0BhQAAAAAA"],
)
def test_it_refuses_a_malformed_proof_value(shown, proof_value):
    broken = copy.deepcopy(shown)
    broken["proof"]["proofValue"] = proof_value
    outcome = the_outcome(broken)
    assert not outcome.ok
    assert outcome.code == ProofCode.INVALID


def test_it_refuses_a_derived_proof_with_a_signature_removed(shown):
    parsed = ecdsa_sd.parse_derived_proof_value(shown["proof"]["proofValue"])
    fewer = ecdsa_sd.DerivedProofValue(
        parsed.base_signature,
        parsed.public_key,
        parsed.signatures[1:],
        parsed.label_map,
        parsed.mandatory_indexes,
    )
    broken = copy.deepcopy(shown)
    broken["proof"]["proofValue"] = ecdsa_sd.serialize_derived_proof_value(fewer)
    assert "signs" in the_outcome(broken).reason
