"""ecdsa-rdfc-2019 and ecdsa-jcs-2019: the W3C vc-di-ecdsa vectors, then credentials signed here.

The vectors live outside the repository (../shared/vectors/w3c-vc-di-ecdsa); without
them the vector tests are skipped, the rest still run.
"""

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from credentials.jsonld import canonicalize
from credentials.verification.checks import CheckName, Code
from credentials.verification.engine import verify_bytes
from credentials.verification.keys import (
    KeyResolutionError,
    base58_encode,
    multibase_decode,
    resolve_key,
)
from credentials.verification.proofs import verify_proofs
from credentials.verification.suites.ecdsa import hash_data
from credentials.verification.verdict import Verdict
from tests.credentials.support import fixtures, signing

REPO_ROOT = Path(__file__).resolve().parents[2]
VECTORS = REPO_ROOT.parent / "shared" / "vectors" / "w3c-vc-di-ecdsa" / "TestVectors"

# (cryptosuite, curve) -> (vector folder, file suffix, canonical form, hash, key pair file)
VECTOR_SETS = {
    ("ecdsa-rdfc-2019", "P-256"): ("ecdsa-rdfc-2019-p256", "ECDSAP256", "rdfc", "sha256"),
    ("ecdsa-rdfc-2019", "P-384"): ("ecdsa-rdfc-2019-p384", "ECDSAP384", "rdfc", "sha384"),
    ("ecdsa-jcs-2019", "P-256"): ("ecdsa-jcs-2019-p256", "JCSECDSAP256", "jcs", "sha256"),
    ("ecdsa-jcs-2019", "P-384"): ("ecdsa-jcs-2019-p384", "JCSECDSAP384", "jcs", "sha384"),
}
KEY_PAIRS = {"P-256": "p256KeyPair.json", "P-384": "p384KeyPair.json"}
SUITES = ["ecdsa-rdfc-2019", "ecdsa-jcs-2019"]
CURVE_KEYS = {"P-256": signing.new_p256_key, "P-384": signing.new_p384_key}

needs_vectors = pytest.mark.skipif(
    not VECTORS.is_dir(), reason=f"W3C ecdsa vectors not found at {VECTORS}"
)
pytestmark = pytest.mark.django_db


def load_json(relative: str) -> Any:
    """Read one vector JSON file."""
    return json.loads((VECTORS / relative).read_text(encoding="utf-8"))


def load_text(relative: str) -> str:
    """Read one vector text file as written (canonical forms end exactly as signed)."""
    return (VECTORS / relative).read_text(encoding="utf-8")


def vector(suite: str, curve: str, name: str, *, json_file: bool = False) -> Any:
    """Read `<name><suffix>` from the vector folder of one suite and curve."""
    folder, suffix, _how, _hash = VECTOR_SETS[(suite, curve)]
    if json_file:
        return load_json(f"{folder}/{name}{suffix}.json")
    return load_text(f"{folder}/{name}{suffix}.txt")


def canonical(value: dict[str, Any], how: str) -> str:
    """Canonicalize as the suite does: RDFC-1.0 N-Quads or RFC 8785 JSON."""
    return canonicalize(value) if how == "rdfc" else rfc8785.dumps(value).decode("utf-8")


def private_key_from(multibase: str) -> ec.EllipticCurvePrivateKey:
    """Decode a Multikey P-256 (0x1306) or P-384 (0x1307) secret key."""
    raw = multibase_decode(multibase)
    curve = {b"\x86\x26": ec.SECP256R1(), b"\x87\x26": ec.SECP384R1()}[raw[:2]]
    return ec.derive_private_key(int.from_bytes(raw[2:], "big"), curve)


vector_cases = pytest.mark.parametrize(
    ("suite", "curve"), [pytest.param(*key, marks=needs_vectors) for key in VECTOR_SETS]
)


@vector_cases
def test_the_canonical_document_and_its_hash_match_the_vector(suite: str, curve: str):
    _folder, _suffix, how, algorithm = VECTOR_SETS[(suite, curve)]
    signed = vector(suite, curve, "signed", json_file=True)
    unsigned = {key: value for key, value in signed.items() if key != "proof"}
    assert unsigned == load_json("unsigned.json")
    text = canonical(unsigned, how)
    assert text == vector(suite, curve, "canonDoc")
    digest = hashlib.new(algorithm, text.encode("utf-8")).hexdigest()
    assert digest == vector(suite, curve, "docHash").strip()


@vector_cases
def test_the_canonical_proof_configuration_and_its_hash_match_the_vector(suite: str, curve: str):
    _folder, _suffix, how, algorithm = VECTOR_SETS[(suite, curve)]
    config = vector(suite, curve, "proofConfig", json_file=True)
    text = canonical(config, how)
    assert text == vector(suite, curve, "proofCanon")
    digest = hashlib.new(algorithm, text.encode("utf-8")).hexdigest()
    assert digest == vector(suite, curve, "proofHash").strip()


@vector_cases
def test_the_hash_data_matches_the_combined_hash(suite: str, curve: str):
    _folder, _suffix, _how, algorithm = VECTOR_SETS[(suite, curve)]
    signed = vector(suite, curve, "signed", json_file=True)
    combined = hash_data(signed, signed["proof"], algorithm=algorithm)
    assert len(combined) == (64 if curve == "P-256" else 96)
    assert combined.hex() == vector(suite, curve, "combinedHash").strip()


@vector_cases
def test_the_proof_value_is_the_raw_r_and_s_of_the_vector_signature(suite: str, curve: str):
    signed = vector(suite, curve, "signed", json_file=True)
    raw = multibase_decode(signed["proof"]["proofValue"])
    assert len(raw) == (64 if curve == "P-256" else 96)
    assert raw.hex() == vector(suite, curve, "sigHex").strip()
    assert signed["proof"]["proofValue"] == vector(suite, curve, "sigBTC58").strip()


@vector_cases
def test_the_vector_key_pair_is_one_key(suite: str, curve: str):
    pair = load_json(KEY_PAIRS[curve])
    private_key = private_key_from(pair["secretKeyMultibase"])
    assert signing.multikey_for(private_key.public_key()) == pair["publicKeyMultibase"]


@vector_cases
def test_it_verifies_the_w3c_signed_vector(suite: str, curve: str):
    signed = vector(suite, curve, "signed", json_file=True)
    (outcome,) = verify_proofs(signed)
    assert outcome.ok, outcome.reason
    assert outcome.cryptosuite == suite
    assert outcome.key is not None
    assert outcome.key.controller == "did:key:" + load_json(KEY_PAIRS[curve])["publicKeyMultibase"]
    assert outcome.key.is_assertion_method


@vector_cases
def test_a_signature_made_with_the_vector_key_verifies(suite: str, curve: str):
    # ECDSA signatures are randomised, so a fresh one differs from the vector's yet holds.
    signed = vector(suite, curve, "signed", json_file=True)
    unsigned = {key: value for key, value in signed.items() if key != "proof"}
    private_key = private_key_from(load_json(KEY_PAIRS[curve])["secretKeyMultibase"])
    options = {"created": signed["proof"]["created"]}
    resigned = signing.sign_ecdsa(
        unsigned, private_key, signed["proof"]["verificationMethod"], suite, **options
    )
    assert resigned["proof"]["proofValue"] != signed["proof"]["proofValue"]
    assert {**resigned["proof"], "proofValue": ""} == {**signed["proof"], "proofValue": ""}
    (outcome,) = verify_proofs(resigned)
    assert outcome.ok, outcome.reason


def tampered_copies(signed: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Return copies of a signed document each changed in one signed place."""
    subject = copy.deepcopy(signed)
    subject["credentialSubject"]["alumniOf"] = "The School of Forgery"
    described = copy.deepcopy(signed)
    described["description"] += " "
    dated = copy.deepcopy(signed)
    dated["proof"]["created"] = "2023-02-25T23:36:38Z"
    return [("subject", subject), ("description", described), ("proof created", dated)]


@vector_cases
def test_tampered_copies_of_the_vector_fail(suite: str, curve: str):
    for what, tampered in tampered_copies(vector(suite, curve, "signed", json_file=True)):
        (outcome,) = verify_proofs(tampered)
        assert not outcome.ok, what
        assert not outcome.is_undecided, what
        assert "does not match" in outcome.reason, what


@pytest.mark.parametrize("curve", [pytest.param(curve, marks=needs_vectors) for curve in KEY_PAIRS])
def test_the_vector_did_keys_resolve_offline(curve: str):
    multikey = load_json(KEY_PAIRS[curve])["publicKeyMultibase"]
    key = resolve_key(f"did:key:{multikey}#{multikey}")
    assert isinstance(key.public_key, ec.EllipticCurvePublicKey)
    assert key.public_key.curve.name == {"P-256": "secp256r1", "P-384": "secp384r1"}[curve]
    assert key.type == "Multikey"


def test_a_p384_did_key_starts_with_z82_and_resolves():
    public = signing.new_p384_key().public_key()
    assert signing.did_key_for(public).startswith("did:key:z82")
    key = resolve_key(signing.verification_method_for(public))
    assert key.public_key.public_numbers() == public.public_numbers()


def test_a_p384_multikey_in_a_controller_document_resolves(web):
    public = signing.new_p384_key().public_key()
    web.add_did_web(
        "did:web:issuer.example", signing.did_document_for("did:web:issuer.example", public)
    )
    key = resolve_key("did:web:issuer.example#key-1")
    assert key.public_key.public_numbers() == public.public_numbers()
    assert key.is_assertion_method


def test_a_secp256k1_did_key_resolves():
    public = signing.new_secp256k1_key().public_key()
    key = resolve_key(signing.verification_method_for(public))
    assert key.public_key.public_numbers() == public.public_numbers()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"\x81\x24" + b"\x02" * 33, "wrong length"),
        (b"\x81\x24\x02" + b"\xff" * 48, "not a valid P-384 point"),
        (b"\x80\x24" + b"\x02" * 49, "wrong length"),
    ],
)
def test_a_malformed_ec_multikey_is_refused_as_bad_not_unsupported(raw: bytes, expected: str):
    with pytest.raises(KeyResolutionError) as caught:
        resolve_key("did:key:z" + base58_encode(raw))
    assert expected in caught.value.reason
    assert not caught.value.unsupported


def test_an_unknown_multicodec_stays_unsupported():
    # 0x1202 (p521-pub) is a real multicodec this wallet does not read.
    with pytest.raises(KeyResolutionError) as caught:
        resolve_key("did:key:z" + base58_encode(b"\x82\x24" + b"\x02" * 67))
    assert caught.value.unsupported
    assert "unsupported key type" in caught.value.reason


# Credentials made here with fresh keys, verified end to end from their bytes.


def ecdsa_credential(suite: str, curve: str, **options: Any) -> dict[str, Any]:
    """An OB 3.0 credential issued by the did:key of a fresh key, signed with `suite`."""
    private_key = CURVE_KEYS[curve]()
    public_key = private_key.public_key()
    credential = fixtures.achievement_credential(signing.did_key_for(public_key), **options)
    return signing.sign_ecdsa(
        credential, private_key, signing.verification_method_for(public_key), suite
    )


def verify_document(document: dict[str, Any]):
    """Verify a document from its JSON bytes, as an upload is."""
    [result] = verify_bytes(json.dumps(document).encode("utf-8"))
    return result


@pytest.mark.parametrize("curve", CURVE_KEYS)
@pytest.mark.parametrize("suite", SUITES)
def test_it_verifies_a_credential_signed_with_each_suite_and_curve(suite: str, curve: str):
    result = verify_document(ecdsa_credential(suite, curve))
    assert result.verdict in (Verdict.VERIFIED, Verdict.VERIFIED_WITH_WARNINGS)
    assert result.check(CheckName.PROOF).code == Code.OK


@pytest.mark.parametrize("curve", CURVE_KEYS)
@pytest.mark.parametrize("suite", SUITES)
def test_it_refuses_a_credential_changed_after_signing(suite: str, curve: str):
    document = ecdsa_credential(suite, curve)
    document["credentialSubject"]["achievement"]["name"] = "Leadership"
    result = verify_document(document)
    assert result.verdict == Verdict.FAILED
    assert result.check(CheckName.PROOF).code == Code.PROOF_INVALID


@pytest.mark.parametrize("curve", CURVE_KEYS)
@pytest.mark.parametrize("suite", SUITES)
def test_a_credential_past_its_valid_until_is_expired(suite: str, curve: str):
    result = verify_document(ecdsa_credential(suite, curve, valid_until="2025-01-01T00:00:00Z"))
    assert result.verdict == Verdict.EXPIRED
    assert result.check(CheckName.DATES).code == Code.EXPIRED


@pytest.mark.parametrize("suite", SUITES)
@pytest.mark.parametrize(
    ("signer", "named"),
    [
        pytest.param(signing.new_p384_key, signing.new_p256_key, id="P-384 signature, P-256 key"),
        pytest.param(signing.new_p256_key, signing.new_p384_key, id="P-256 signature, P-384 key"),
    ],
)
def test_a_signature_made_on_another_curve_than_the_key_fails(suite: str, signer, named):
    private_key, public_key = signer(), named().public_key()
    credential = fixtures.achievement_credential(signing.did_key_for(public_key))
    signed = signing.sign_ecdsa(
        credential, private_key, signing.verification_method_for(public_key), suite
    )
    (outcome,) = verify_proofs(signed)
    assert not outcome.ok
    assert not outcome.is_undecided
    assert "byte ECDSA signature" in outcome.reason
    assert verify_document(signed).verdict == Verdict.FAILED


@pytest.mark.parametrize("suite", SUITES)
def test_a_secp256k1_key_is_refused_by_the_nist_curve_suites(suite: str):
    private_key = signing.new_secp256k1_key()
    method = signing.verification_method_for(private_key.public_key())
    credential = fixtures.achievement_credential(signing.did_key_for(private_key.public_key()))
    (outcome,) = verify_proofs(signing.sign_ecdsa(credential, private_key, method, suite))
    assert not outcome.ok
    assert not outcome.is_undecided
    assert "needs a P-256 or P-384 key" in outcome.reason
    assert "secp256k1" in outcome.reason


@pytest.mark.parametrize("suite", SUITES)
def test_an_ecdsa_proof_naming_an_ed25519_key_fails(suite: str):
    ed_public = signing.new_ed25519_key().public_key()
    credential = fixtures.achievement_credential(signing.did_key_for(ed_public))
    signed = signing.sign_ecdsa(
        credential, signing.new_p256_key(), signing.verification_method_for(ed_public), suite
    )
    (outcome,) = verify_proofs(signed)
    assert not outcome.ok
    assert "needs a P-256 or P-384 key" in outcome.reason
    assert verify_document(signed).verdict == Verdict.FAILED


def test_an_ecdsa_proof_hashed_with_sha256_under_a_p384_key_fails():
    private_key = signing.new_p384_key()
    method = signing.verification_method_for(private_key.public_key())
    credential = fixtures.achievement_credential(signing.did_key_for(private_key.public_key()))
    signed = signing.sign_ecdsa(credential, private_key, method)
    proof = {key: value for key, value in signed["proof"].items() if key != "proofValue"}
    data = hash_data(credential, proof, algorithm="sha256")
    r, s = decode_dss_signature(private_key.sign(data, ec.ECDSA(hashes.SHA384())))
    signed["proof"]["proofValue"] = "z" + base58_encode(
        r.to_bytes(48, "big") + s.to_bytes(48, "big")
    )
    (outcome,) = verify_proofs(signed)
    assert not outcome.ok
    assert "does not match" in outcome.reason


@pytest.mark.parametrize("suite", SUITES)
def test_a_jcs_or_rdfc_proof_checked_as_the_other_suite_fails(suite: str):
    signed = ecdsa_credential(suite, "P-256")
    other = "ecdsa-jcs-2019" if suite == "ecdsa-rdfc-2019" else "ecdsa-rdfc-2019"
    signed["proof"]["cryptosuite"] = other
    (outcome,) = verify_proofs(signed)
    assert not outcome.ok


def test_a_jcs_proof_whose_context_is_not_the_documents_fails():
    signed = ecdsa_credential("ecdsa-jcs-2019", "P-256")
    signed["proof"]["@context"] = ["https://www.w3.org/ns/credentials/examples/v2"]
    (outcome,) = verify_proofs(signed)
    assert not outcome.ok
    assert "@context" in outcome.reason


@pytest.mark.parametrize("suite", SUITES)
def test_a_proof_chain_of_ecdsa_and_eddsa_verifies(suite: str):
    p384 = signing.new_p384_key()
    ed = signing.new_ed25519_key()
    credential = fixtures.achievement_credential(signing.did_key_for(p384.public_key()))
    first = signing.sign_ecdsa(
        credential,
        p384,
        signing.verification_method_for(p384.public_key()),
        suite,
        proof_id="urn:uuid:first",
    )
    second = signing.sign_data_integrity(
        first,
        ed,
        signing.verification_method_for(ed.public_key()),
        proof_id="urn:uuid:second",
    )
    third_key = signing.new_p256_key()
    third = signing.sign_ecdsa(
        second,
        third_key,
        signing.verification_method_for(third_key.public_key()),
        suite,
        previous_proof="urn:uuid:second",
    )
    outcomes = verify_proofs(third)
    assert [outcome.ok for outcome in outcomes] == [True, True, True], [
        outcome.reason for outcome in outcomes
    ]
    third["proof"][1]["created"] = "2024-01-02T00:00:00Z"
    assert [outcome.ok for outcome in verify_proofs(third)] == [True, False, False]
