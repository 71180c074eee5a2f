"""Compact JWS / JWT: the three accepted algorithms, key selection, and hostile tokens."""

import hashlib
import hmac
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization

from credentials.verification.jws import (
    MAX_TOKEN_LENGTH,
    JwsError,
    load_pem_public_key,
    parse_compact,
    verify_compact,
)
from tests.credentials.support.server import RemoteHosts, remote_hosts_fixture  # noqa: F401
from tests.credentials.support.signing import (
    b64url,
    did_jwk_for,
    did_key_for,
    jwk_for,
    make_jws,
    new_ed25519_key,
    new_p256_key,
    new_rsa_key,
    pem_for,
    verification_method_for,
)

pytestmark = pytest.mark.django_db(databases=[])

CLAIMS = {"iss": "https://issuer.example", "vc": {"type": ["VerifiableCredential"]}}


def refusal(token: Any, **options: Any) -> JwsError:
    """Verify a token that must fail and return the error."""
    with pytest.raises(JwsError) as caught:
        verify_compact(token, **options)
    return caught.value


def test_it_verifies_eddsa_with_a_did_key_kid():
    key = new_ed25519_key()
    method = verification_method_for(key.public_key())
    token = make_jws(CLAIMS, key, "EdDSA", {"kid": method})
    verified = verify_compact(token)
    assert verified.claims == CLAIMS
    assert verified.key_source == "kid"
    assert verified.key is not None
    assert verified.key.controller == did_key_for(key.public_key())


def test_it_verifies_es256_with_a_did_jwk_kid():
    key = new_p256_key()
    token = make_jws(CLAIMS, key, "ES256", {"kid": did_jwk_for(key.public_key()) + "#0"})
    assert verify_compact(token).algorithm == "ES256"


def test_a_relative_kid_is_resolved_against_a_did_issuer():
    key = new_ed25519_key()
    did = did_key_for(key.public_key())
    fragment = did.removeprefix("did:key:")
    token = make_jws({"iss": did}, key, "EdDSA", {"kid": f"#{fragment}"})
    assert verify_compact(token).key.id == f"{did}#{fragment}"


def test_a_did_key_issuer_names_the_key_when_there_is_no_kid():
    key = new_ed25519_key()
    token = make_jws({"iss": did_key_for(key.public_key())}, key, "EdDSA")
    assert verify_compact(token).key_source == "iss"


def test_it_verifies_rs256_with_a_caller_provided_pem_key():
    key = new_rsa_key()
    token = make_jws(b'{"id": "urn:uuid:1"}', key, "RS256")
    verified = verify_compact(token, key=load_pem_public_key(pem_for(key.public_key())))
    assert verified.key_source == "caller"
    assert verified.key is None
    assert verified.payload == b'{"id": "urn:uuid:1"}'


def test_a_header_jwk_proves_integrity_only_and_says_so():
    key = new_ed25519_key()
    token = make_jws(CLAIMS, key, "EdDSA", {"jwk": jwk_for(key.public_key())})
    verified = verify_compact(token)
    assert verified.key_source == "jwk-header"
    assert verified.key is None


def test_it_refuses_a_tampered_payload():
    key = new_ed25519_key()
    token = make_jws(CLAIMS, key, "EdDSA", {"kid": verification_method_for(key.public_key())})
    header, _payload, signature = token.split(".")
    forged = b64url(json.dumps({**CLAIMS, "iss": "https://forger.example"}).encode())
    error = refusal(f"{header}.{forged}.{signature}")
    assert "signature does not match" in error.reason
    assert not error.transient


def test_it_refuses_a_signature_by_another_key():
    signer, other = new_p256_key(), new_p256_key()
    token = make_jws(CLAIMS, signer, "ES256", {"jwk": jwk_for(other.public_key())})
    assert "signature does not match" in refusal(token).reason


@pytest.mark.parametrize("alg", ["none", "None", "NONE"])
def test_it_refuses_unsigned_tokens(alg: str):
    header = b64url(json.dumps({"alg": alg}).encode())
    token = f"{header}.{b64url(json.dumps(CLAIMS).encode())}."
    assert "alg: none" in refusal(token).reason


@pytest.mark.parametrize("alg", ["HS256", "RS512", "ES512", "PS384"])
def test_other_algorithms_are_refused_as_undecided_not_as_forgeries(alg: Any):
    header = b64url(json.dumps({"alg": alg}).encode())
    token = f"{header}.{b64url(b'{}')}.{b64url(b'x' * 64)}"
    error = refusal(token)
    assert "is not one this wallet checks (RS256, PS256, ES256, ES384, ES256K, EdDSA)" in (
        error.reason
    )
    assert error.undecided == "proof_unsupported_suite"


@pytest.mark.parametrize("alg", [None, 7, ""])
def test_a_header_without_an_algorithm_is_refused(alg: Any):
    header = b64url(json.dumps({"alg": alg}).encode())
    token = f"{header}.{b64url(b'{}')}.{b64url(b'x' * 64)}"
    error = refusal(token)
    assert "names no algorithm" in error.reason
    assert not error.undecided


def test_it_refuses_an_hmac_token_keyed_with_the_rsa_public_key():
    key = new_rsa_key()
    pem = pem_for(key.public_key())
    header = b64url(json.dumps({"alg": "HS256"}).encode())
    payload = b64url(json.dumps(CLAIMS).encode())
    mac = hmac.new(pem.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    error = refusal(f"{header}.{payload}.{b64url(mac)}", key=load_pem_public_key(pem))
    assert "'HS256' is not one this wallet checks" in error.reason


@pytest.mark.parametrize(
    ("make_key", "alg"),
    [(new_ed25519_key, "ES256"), (new_p256_key, "EdDSA"), (new_ed25519_key, "RS256")],
)
def test_it_refuses_an_algorithm_that_does_not_match_the_key_type(make_key: Any, alg: str):
    key = make_key()
    header = b64url(json.dumps({"alg": alg, "jwk": jwk_for(key.public_key())}).encode())
    token = f"{header}.{b64url(b'{}')}.{b64url(b'x' * 64)}"
    assert f"algorithm {alg} does not match the key type" in refusal(token).reason


def test_an_es256_signature_must_be_raw_r_and_s():
    key = new_p256_key()
    header = b64url(json.dumps({"alg": "ES256", "jwk": jwk_for(key.public_key())}).encode())
    token = f"{header}.{b64url(b'{}')}.{b64url(b'x' * 70)}"
    assert "must be 64 bytes" in refusal(token).reason


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("abc", "has 3 parts separated by dots, this one has 1"),
        ("a.b", "this one has 2"),
        ("a.b.c.d.e", "encrypted tokens (JWE) are not supported"),
        ("!!!.e30.e30", "header is not valid base64url"),
        ("e30=.e30.e30", "header is not valid base64url"),
        (b64url(b"not json") + ".e30.e30", "header is not JSON"),
        (b64url(b"[1]") + ".e30.e30", "header is not a JSON object"),
        (b64url(b'{"alg":"EdDSA"}') + ".@@@.e30", "payload is not valid base64url"),
        (b64url(b'{"alg":"EdDSA"}') + ".e30.***", "signature is not valid base64url"),
        (42, "the token is not text"),
        (b"\xff\xfe", "not ASCII"),
        ("a" * (MAX_TOKEN_LENGTH + 1), "larger than"),
    ],
)
def test_malformed_tokens_get_a_clear_reason(token: Any, expected: str):
    assert expected in refusal(token).reason


def test_critical_header_extensions_are_refused():
    key = new_ed25519_key()
    token = make_jws(CLAIMS, key, "EdDSA", {"crit": ["b64"], "b64": False})
    assert "header extensions" in refusal(token).reason


def test_a_token_without_any_key_is_refused():
    key = new_ed25519_key()
    assert "names no key" in refusal(make_jws(CLAIMS, key, "EdDSA")).reason


def test_a_header_jwk_with_private_material_is_refused():
    key = new_ed25519_key()
    private = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    jwk = {**jwk_for(key.public_key()), "d": b64url(private)}
    assert "private key" in refusal(make_jws(CLAIMS, key, "EdDSA", {"jwk": jwk})).reason


def test_an_unresolvable_kid_is_a_clear_failure():
    key = new_ed25519_key()
    token = make_jws(CLAIMS, key, "EdDSA", {"kid": "did:example:123#k"})
    error = refusal(token)
    assert "unsupported DID method" in error.reason
    assert (
        "relative and its issuer is not a DID"
        in refusal(make_jws(CLAIMS, key, "EdDSA", {"kid": "#k"})).reason
    )


def test_an_unreachable_kid_is_transient(remote_hosts: RemoteHosts):
    remote_hosts.serve("https://issuer.example/.well-known/did.json", b"", status=503)
    key = new_ed25519_key()
    token = make_jws(CLAIMS, key, "EdDSA", {"kid": "did:web:issuer.example#key-1"})
    assert refusal(token).transient


def test_load_pem_public_key_refuses_garbage():
    with pytest.raises(JwsError, match="not a valid PEM public key"):
        load_pem_public_key("-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----")


def test_parse_compact_exposes_header_and_claims_before_verification():
    key = new_ed25519_key()
    parsed = parse_compact(make_jws(CLAIMS, key, "EdDSA", {"kid": "x"}))
    assert parsed.header == {"alg": "EdDSA", "kid": "x"}
    assert parsed.claims == CLAIMS
