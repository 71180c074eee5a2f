"""bbs-2023: no maintained Python implementation exists, so its proofs are `unverifiable`.

PyPI offers no kept BBS+ (BLS12-381 pairing) library for Python; writing the pairing
arithmetic by hand is not this product's own work. A BBS proof is therefore reported as
a suite the wallet cannot check, never as a forgery (W3C vc-di-bbs vectors, read from
../shared/vectors when present).
"""

import json
from pathlib import Path

import pytest

from credentials.verification.checks import CheckName, CheckStatus, Code
from credentials.verification.engine import verify_bytes
from credentials.verification.verdict import Verdict

pytestmark = pytest.mark.django_db

VECTORS = Path(__file__).resolve().parents[2].parent / "shared" / "vectors" / "w3c-vc-di-bbs"


@pytest.mark.parametrize("name", ["addSignedSDBase.json", "derivedRevealDocument.json"])
def test_the_w3c_bbs_2023_vectors_read_unverifiable_with_their_code(name):
    path = VECTORS / "TestVectors" / name
    if not path.exists():
        pytest.skip(f"{path} is not there: the shared vectors are not laid beside the checkout")
    [result] = verify_bytes(path.read_bytes())
    assert result.verdict == Verdict.UNVERIFIABLE
    proof = result.check(CheckName.PROOF)
    assert (proof.status, proof.code) == (CheckStatus.NOT_CHECKED, Code.PROOF_UNSUPPORTED_SUITE)
    assert "bbs-2023" in proof.message
    assert not proof.is_transient


def test_a_bbs_2023_proof_with_its_value_changed_is_still_only_unverifiable():
    path = VECTORS / "TestVectors" / "derivedRevealDocument.json"
    if not path.exists():
        pytest.skip(f"{path} is not there: the shared vectors are not laid beside the checkout")
    document = json.loads(path.read_text())
    document["proof"]["proofValue"] = "u" + "A" * 40
    [result] = verify_bytes(json.dumps(document).encode())
    # The wallet cannot tell a changed BBS proof from a genuine one: it says so, it does
    # not call either a forgery.
    assert result.verdict == Verdict.UNVERIFIABLE
