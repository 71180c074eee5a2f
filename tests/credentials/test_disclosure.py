"""The holder's side of ecdsa-sd-2023: deriving what an employer receives from a base proof.

Checked three ways: against the W3C vc-di-ecdsa vectors (skipped when ../shared/vectors is
missing), by the wallet's own verifier, and by Digital Bazaar's independent verifier.
"""

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from credentials.disclosure import (
    DisclosureError,
    check_withheld,
    derive_credential,
    disclose,
    fields,
    is_base_credential,
    reveal_pointers,
)
from credentials.verification.proofs import verify_proofs
from credentials.verification.suites import ecdsa_sd
from tests.credentials.support import fixtures, signing
from tests.credentials.support.ecdsa_sd import create_base_proof
from tests.sharing.independent import assert_independently_verified, independently_verified

REPO_ROOT = Path(__file__).resolve().parents[2]
VECTORS = REPO_ROOT.parent / "shared" / "vectors" / "w3c-vc-di-ecdsa" / "TestVectors"
SD_VECTORS = VECTORS / "ecdsa-sd-2023"
# vector folder -> the selective pointers file beside the folders
EXAMPLES = {"employ": "employSelective.json", "prc": "prCredSelective.json"}
MANDATORY = ["/issuer", "/validFrom"]

pytestmark = pytest.mark.django_db

needs_vectors = pytest.mark.skipif(
    not SD_VECTORS.is_dir(), reason=f"W3C ecdsa-sd-2023 vectors not found at {SD_VECTORS}"
)


def vector(relative: str) -> Any:
    return json.loads((SD_VECTORS / relative).read_text(encoding="utf-8"))


def proof_ok(document: dict[str, Any]) -> bool:
    outcomes = verify_proofs(document)
    return bool(outcomes) and all(outcome.ok for outcome in outcomes)


@pytest.fixture(name="base")
def base_fixture() -> dict[str, Any]:
    """An OB 3.0 credential with a grade, two alignments and a base proof from a fresh key."""
    key = signing.new_p256_key()
    credential = fixtures.achievement_credential(signing.did_key_for(key.public_key()))
    achievement = credential["credentialSubject"]["achievement"]
    achievement["alignment"].append(
        {
            "type": ["Alignment"],
            "targetName": "Negotiation",
            "targetUrl": "https://example.org/frameworks/negotiation",
        }
    )
    credential["credentialSubject"]["result"] = [{"type": ["Result"], "value": "A+"}]
    return create_base_proof(
        credential, key, signing.verification_method_for(key.public_key()), MANDATORY
    )


# --- the vectors -------------------------------------------------------------------------------


@needs_vectors
@pytest.mark.parametrize("example", EXAMPLES)
def test_deriving_from_the_vector_base_reveals_the_vector_document(example):
    base = vector(f"{example}/addSignedSDBase.json")
    expected = vector(f"{example}/derivedRevealDocument.json")
    selective = json.loads((VECTORS / EXAMPLES[example]).read_text(encoding="utf-8"))

    derived = derive_credential(base, selective)

    assert proof_ok(derived)
    assert ecdsa_sd.unsecured(derived) == ecdsa_sd.unsecured(expected)
    # Nothing in the algorithm is random once the base proof exists: the proof is the same.
    assert derived["proof"] == expected["proof"]
    assert_independently_verified(derived, expected)


# --- withholding -------------------------------------------------------------------------------


def test_a_base_credential_is_recognised_and_a_derived_one_is_not(base):
    assert is_base_credential(base)
    assert not is_base_credential(derive_credential(base, []))


def test_withholding_a_string_leaves_it_out_and_still_verifies(base):
    derived = disclose(base, check_withheld(base, ["/credentialSubject/achievement/description"]))

    achievement = derived["credentialSubject"]["achievement"]
    assert "description" not in achievement
    assert achievement["name"] == "Teamwork"
    assert derived["credentialSubject"]["result"] == [{"type": ["Result"], "value": "A+"}]
    assert ecdsa_sd.proof_header(derived["proof"]["proofValue"]) == ecdsa_sd.DERIVED_HEADER
    assert_independently_verified(derived)


def test_withholding_an_object_leaves_out_all_of_it(base):
    derived = disclose(base, check_withheld(base, ["/credentialSubject/achievement/criteria"]))

    assert "criteria" not in derived["credentialSubject"]["achievement"]
    assert "Nominated by peers." not in json.dumps(derived)
    assert_independently_verified(derived)


def test_withholding_an_array_element_keeps_the_others(base):
    derived = disclose(base, check_withheld(base, ["/credentialSubject/achievement/alignment/1"]))

    alignments = derived["credentialSubject"]["achievement"]["alignment"]
    assert [alignment["targetName"] for alignment in alignments] == ["Collaboration"]
    assert "Negotiation" not in json.dumps(derived)
    assert_independently_verified(derived)


def test_withholding_a_grade(base):
    derived = disclose(base, check_withheld(base, ["/credentialSubject/result"]))

    assert "result" not in derived["credentialSubject"]
    assert "A+" not in json.dumps(derived)
    assert_independently_verified(derived)


def test_withholding_nothing_still_gives_a_derived_proof(base):
    derived = disclose(base, [])

    assert ecdsa_sd.unsecured(derived) == ecdsa_sd.unsecured(base)
    assert derived["proof"]["proofValue"] != base["proof"]["proofValue"]
    hmac_key = ecdsa_sd.parse_base_proof_value(base["proof"]["proofValue"]).hmac_key
    assert hmac_key.hex() not in json.dumps(derived)
    assert_independently_verified(derived)


def test_the_reveal_pointers_are_everything_but_the_withheld(base):
    pointers = reveal_pointers(base, ["/credentialSubject/achievement/alignment/1"])

    assert "/credentialSubject/achievement/alignment/0" in pointers
    assert "/credentialSubject/achievement/name" in pointers
    assert "/credentialSubject/achievement/alignment/1" not in pointers
    assert "/@context" not in pointers
    assert "/proof" not in pointers


# --- refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pointer", "message"),
    [
        ("/validFrom", "requires"),
        ("/issuer/name", "requires"),
        ("/credentialSubject/nothing", "not a field"),
        ("/proof", "not a field"),
        ("/@context", "not a field"),
        ("credentialSubject", "not a JSON pointer"),
        ("/credentialSubject/achievement/id", "whole object"),
    ],
)
def test_it_refuses_a_field_that_cannot_be_withheld(base, pointer, message):
    with pytest.raises(DisclosureError, match=message):
        check_withheld(base, [pointer])


def test_it_refuses_too_many_or_malformed_choices(base):
    with pytest.raises(DisclosureError):
        check_withheld(base, "/credentialSubject/result")
    with pytest.raises(DisclosureError):
        check_withheld(base, ["/credentialSubject/result"] * 101)


def test_a_withheld_field_inside_another_adds_nothing(base):
    assert check_withheld(
        base,
        ["/credentialSubject/achievement/criteria/narrative", "/credentialSubject/achievement"],
    ) == ["/credentialSubject/achievement"]


def test_the_field_list_marks_what_the_issuer_made_mandatory(base):
    listed = {field.pointer: field for field in fields(base)}

    assert listed["/issuer"].is_mandatory
    assert listed["/issuer/name"].is_mandatory
    assert listed["/validFrom"].is_mandatory
    assert not listed["/credentialSubject/result"].is_mandatory
    assert listed["/credentialSubject/result/0/value"].preview == "A+"
    assert "/credentialSubject/achievement/id" not in listed


def test_a_tampered_base_is_not_disclosed(base):
    tampered = copy.deepcopy(base)
    tampered["credentialSubject"]["achievement"]["name"] = "Leadership"
    with pytest.raises(DisclosureError):
        disclose(tampered, [])


def test_the_independent_verifier_refuses_a_changed_derived_credential(base):
    derived = disclose(base, check_withheld(base, ["/credentialSubject/result"]))
    tampered = copy.deepcopy(derived)
    tampered["credentialSubject"]["achievement"]["name"] = "Leadership"

    [intact, changed] = independently_verified([derived, tampered])

    assert intact["verified"], intact["error"]
    assert not changed["verified"]
