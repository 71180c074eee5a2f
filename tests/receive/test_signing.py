"""The wallet's own signatures: checked against the W3C vectors and the wallet's verifier."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from credentials.signing import jws_algorithm, sign_data_integrity, sign_jwt
from credentials.verification.jws import verify_compact
from credentials.verification.keys import multibase_decode
from credentials.verification.proofs import verify_proofs
from tests.credentials.support import fixtures
from tests.credentials.support.signing import did_key_for, verification_method_for

VECTORS = Path(__file__).resolve().parents[2].parent / "shared" / "vectors" / "w3c-vc-di-eddsa"


@pytest.mark.skipif(not VECTORS.is_dir(), reason="W3C eddsa vectors not found")
def test_signing_the_w3c_vector_with_its_key_gives_its_proof_value():
    keys = json.loads((VECTORS / "keyPair.json").read_text())
    seed = multibase_decode(keys["privateKeyMultibase"])[2:]
    key = ed25519.Ed25519PrivateKey.from_private_bytes(seed)
    expected = json.loads((VECTORS / "eddsa-rdfc-2022" / "signedDataInt.json").read_text())
    unsigned = json.loads((VECTORS / "unsigned.json").read_text())
    signed = sign_data_integrity(
        unsigned,
        key,
        verification_method=expected["proof"]["verificationMethod"],
        proof_purpose="assertionMethod",
        created=datetime(2023, 2, 24, 23, 36, 38, tzinfo=UTC),
    )
    assert signed == expected


@pytest.mark.django_db
def test_a_credential_the_wallet_signs_passes_the_wallets_verifier():
    key = ed25519.Ed25519PrivateKey.generate()
    issuer = did_key_for(key.public_key())
    signed = sign_data_integrity(
        fixtures.achievement_credential(issuer),
        key,
        verification_method=verification_method_for(key.public_key()),
        proof_purpose="assertionMethod",
    )
    (outcome,) = verify_proofs(signed)
    assert outcome.ok, outcome.reason
    signed["name"] = "Changed"
    (tampered,) = verify_proofs(signed)
    assert not tampered.ok


@pytest.mark.parametrize(
    "key", [ed25519.Ed25519PrivateKey.generate(), ec.generate_private_key(ec.SECP256R1())]
)
def test_a_jwt_the_wallet_signs_verifies_with_its_public_key(key):
    token = sign_jwt(key, {"typ": "openid4vci-proof+jwt"}, {"nonce": "n-1"})
    verified = verify_compact(token, key=key.public_key())
    assert verified.header["alg"] == jws_algorithm(key)
    assert verified.claims == {"nonce": "n-1"}


def test_a_key_the_wallet_does_not_use_is_refused():
    with pytest.raises(TypeError):
        sign_jwt(ec.generate_private_key(ec.SECP384R1()), {}, {})
