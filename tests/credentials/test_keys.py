"""Key resolution: did:key, did:jwk, did:web and https key documents."""

import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from credentials.verification.keys import (
    KeyResolutionError,
    base58_decode,
    base58_encode,
    did_web_url,
    public_key_from_jwk,
    resolve_key,
)
from tests.credentials.support.server import RemoteHosts, remote_hosts_fixture  # noqa: F401
from tests.credentials.support.signing import (
    b64url,
    did_document_for,
    did_jwk_for,
    did_key_for,
    jwk_for,
    multikey_for,
    new_ed25519_key,
    new_p256_key,
    new_rsa_key,
    pem_for,
    verification_method_for,
)

pytestmark = pytest.mark.django_db(databases=[])

ISSUER = "https://issuer.example"


def failure(method: Any) -> KeyResolutionError:
    """Resolve a key that must not resolve and return the error."""
    with pytest.raises(KeyResolutionError) as caught:
        resolve_key(method)
    return caught.value


def test_base58_round_trips_leading_zeros():
    data = b"\0\0\x01\x02\xff"
    assert base58_decode(base58_encode(data)) == data
    assert base58_encode(b"\0\0") == "11"


def test_a_did_key_resolves_to_its_own_assertion_method():
    public = new_ed25519_key().public_key()
    key = resolve_key(verification_method_for(public))
    assert isinstance(key.public_key, ed25519.Ed25519PublicKey)
    assert key.public_key.public_bytes_raw() == public.public_bytes_raw()
    assert key.controller == did_key_for(public)
    assert key.is_assertion_method
    assert key.controller_document is not None
    assert key.controller_document["assertionMethod"] == [key.id]


def test_a_did_key_without_a_fragment_names_its_only_key():
    public = new_ed25519_key().public_key()
    assert resolve_key(did_key_for(public)).id == verification_method_for(public)


def test_a_p256_did_key_resolves():
    public = new_p256_key().public_key()
    assert did_key_for(public).startswith("did:key:zDn")
    key = resolve_key(verification_method_for(public))
    assert isinstance(key.public_key, ec.EllipticCurvePublicKey)
    assert key.public_key.public_numbers() == public.public_numbers()


def test_a_did_key_fragment_must_repeat_the_key():
    did = did_key_for(new_ed25519_key().public_key())
    error = failure(f"{did}#other")
    assert "must repeat the key" in error.reason
    assert not error.transient


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("did:key:z6Mk0OIl", "not valid"),
        ("did:key:abc", "starting with 'z'"),
        ("did:key:z" + base58_encode(b"\x12\x00" + b"\x01" * 32), "unsupported key type"),
        ("did:key:z" + base58_encode(b"\xed\x01" + b"\x01" * 31), "wrong length for its type"),
    ],
)
def test_a_malformed_did_key_is_refused(method: str, expected: str):
    assert expected in failure(method).reason


@pytest.mark.parametrize("make", [new_ed25519_key, new_p256_key])
def test_a_did_jwk_resolves(make: Any):
    public = make().public_key()
    did = did_jwk_for(public)
    key = resolve_key(f"{did}#0")
    assert key.id == f"{did}#0"
    assert key.controller == did
    assert key.is_assertion_method


def test_a_did_jwk_with_a_private_key_or_garbage_is_refused():
    jwk = {**jwk_for(new_ed25519_key().public_key()), "d": "secret"}
    assert "private key" in failure("did:jwk:" + b64url(json.dumps(jwk).encode())).reason
    assert "not a base64url JWK" in failure("did:jwk:!!!#0").reason
    assert "only the key #0" in failure(did_jwk_for(new_p256_key().public_key()) + "#1").reason


def test_did_web_urls_follow_the_method_spec():
    assert did_web_url("did:web:issuer.example") == "https://issuer.example/.well-known/did.json"
    assert did_web_url("did:web:issuer.example:users:alice") == (
        "https://issuer.example/users/alice/did.json"
    )
    assert did_web_url("did:web:issuer.example%3A8443") == (
        "https://issuer.example:8443/.well-known/did.json"
    )
    with pytest.raises(KeyResolutionError):
        did_web_url("did:web:issuer.example:..:secret")
    with pytest.raises(KeyResolutionError):
        did_web_url("did:web:user@issuer.example")


def test_a_did_web_key_resolves_from_its_did_document(remote_hosts: RemoteHosts):
    public = new_ed25519_key().public_key()
    did = "did:web:issuer.example"
    remote_hosts.serve(f"{ISSUER}/.well-known/did.json", did_document_for(did, public))
    key = resolve_key(f"{did}#key-1")
    assert key.controller == did
    assert key.type == "Multikey"
    assert key.is_assertion_method
    assert key.public_key.public_bytes_raw() == public.public_bytes_raw()


def test_a_did_web_key_with_a_path_resolves(remote_hosts: RemoteHosts):
    public = new_ed25519_key().public_key()
    did = "did:web:issuer.example:schools:north"
    remote_hosts.serve(f"{ISSUER}/schools/north/did.json", did_document_for(did, public))
    assert resolve_key(f"{did}#key-1").controller == did


def test_a_did_web_key_not_listed_for_assertions_says_so(remote_hosts: RemoteHosts):
    did = "did:web:issuer.example"
    document = did_document_for(did, new_ed25519_key().public_key(), assertion=False)
    remote_hosts.serve(f"{ISSUER}/.well-known/did.json", document)
    assert not resolve_key(f"{did}#key-1").is_assertion_method


def test_a_did_web_document_without_the_key_is_a_permanent_failure(remote_hosts: RemoteHosts):
    did = "did:web:issuer.example"
    remote_hosts.serve(
        f"{ISSUER}/.well-known/did.json", did_document_for(did, new_ed25519_key().public_key())
    )
    error = failure(f"{did}#key-2")
    assert "lists no key did:web:issuer.example#key-2" in error.reason
    assert not error.transient


def test_a_did_web_document_for_another_did_is_refused(remote_hosts: RemoteHosts):
    other = did_document_for("did:web:elsewhere.example", new_ed25519_key().public_key())
    remote_hosts.serve(f"{ISSUER}/.well-known/did.json", other)
    assert "names a different id" in failure("did:web:issuer.example#key-1").reason


def test_an_unreachable_did_web_host_is_transient(remote_hosts: RemoteHosts):
    remote_hosts.serve(f"{ISSUER}/.well-known/did.json", b"", status=503)
    error = failure("did:web:issuer.example#key-1")
    assert error.transient
    assert "could not fetch the DID document" in error.reason
    unknown = failure("did:web:nowhere.example#key-1")
    assert unknown.transient
    assert "does not resolve" in unknown.reason


def test_a_missing_did_web_document_is_permanent(remote_hosts: RemoteHosts):
    remote_hosts.serve(f"{ISSUER}/.well-known/did.json", b"", status=404)
    error = failure("did:web:issuer.example#key-1")
    assert not error.transient
    assert "404" in error.reason


def test_an_https_multikey_resolves_through_its_controller(remote_hosts: RemoteHosts):
    public = new_ed25519_key().public_key()
    key_id = f"{ISSUER}/keys/1"
    remote_hosts.serve(
        key_id,
        {
            "@context": "https://w3id.org/security/multikey/v1",
            "id": key_id,
            "type": "Multikey",
            "controller": f"{ISSUER}/issuer",
            "publicKeyMultibase": multikey_for(public),
        },
    )
    remote_hosts.serve(f"{ISSUER}/issuer", {"id": f"{ISSUER}/issuer", "assertionMethod": [key_id]})
    key = resolve_key(key_id)
    assert key.controller == f"{ISSUER}/issuer"
    assert key.is_assertion_method


def test_an_https_key_its_controller_does_not_list_is_not_an_assertion_method(
    remote_hosts: RemoteHosts,
):
    key_id = f"{ISSUER}/keys/2"
    remote_hosts.serve(
        key_id,
        {
            "id": key_id,
            "type": "Ed25519VerificationKey2020",
            "controller": f"{ISSUER}/issuer",
            "publicKeyMultibase": multikey_for(new_ed25519_key().public_key()),
        },
    )
    remote_hosts.serve(f"{ISSUER}/issuer", {"id": f"{ISSUER}/issuer", "assertionMethod": []})
    key = resolve_key(key_id)
    assert key.type == "Ed25519VerificationKey2020"
    assert not key.is_assertion_method


def test_a_json_web_key_2020_inside_a_controller_document_resolves(remote_hosts: RemoteHosts):
    public = new_p256_key().public_key()
    key_id = f"{ISSUER}/issuer#jwk-1"
    remote_hosts.serve(
        f"{ISSUER}/issuer",
        {
            "id": f"{ISSUER}/issuer",
            "verificationMethod": [
                {"id": "#jwk-1", "type": "JsonWebKey2020", "publicKeyJwk": jwk_for(public)}
            ],
            "assertionMethod": ["#jwk-1"],
        },
    )
    key = resolve_key(key_id)
    assert key.type == "JsonWebKey2020"
    assert key.controller == f"{ISSUER}/issuer"
    assert key.is_assertion_method


def test_an_open_badges_2_cryptographic_key_resolves_with_its_owner(remote_hosts: RemoteHosts):
    public = new_rsa_key().public_key()
    key_id = f"{ISSUER}/keys/ob2"
    remote_hosts.serve(
        key_id,
        {
            "@context": "https://w3id.org/openbadges/v2",
            "type": "CryptographicKey",
            "id": key_id,
            "owner": f"{ISSUER}/profile",
            "publicKeyPem": pem_for(public),
        },
    )
    remote_hosts.serve(
        f"{ISSUER}/profile", {"id": f"{ISSUER}/profile", "type": "Issuer", "publicKey": key_id}
    )
    key = resolve_key(key_id)
    assert isinstance(key.public_key, rsa.RSAPublicKey)
    assert key.controller == f"{ISSUER}/profile"
    assert key.is_assertion_method


def test_a_short_rsa_key_is_refused(remote_hosts: RemoteHosts):
    key_id = f"{ISSUER}/keys/weak"
    remote_hosts.serve(
        key_id, {"id": key_id, "publicKeyPem": pem_for(new_rsa_key(1024).public_key())}
    )
    assert "1024 bits is too short" in failure(key_id).reason


def test_a_key_document_without_key_material_is_refused(remote_hosts: RemoteHosts):
    key_id = f"{ISSUER}/keys/empty"
    remote_hosts.serve(key_id, {"id": key_id, "type": "Multikey"})
    assert "carries no public key" in failure(key_id).reason


def test_a_key_document_that_is_not_an_object_is_refused(remote_hosts: RemoteHosts):
    key_id = f"{ISSUER}/keys/list"
    remote_hosts.serve(key_id, [1, 2, 3])
    assert "not a JSON object" in failure(key_id).reason


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        (None, "not an id string"),
        (42, "not an id string"),
        ("", "not an id string"),
        ("did:example:123#key", "unsupported DID method 'example'"),
        ("urn:uuid:1234", "not a DID or https URL"),
        ("did:key:z" + "1" * 5000, "too long"),
        ("http://issuer.example/key", "must be fetched over https"),
    ],
)
def test_ids_that_cannot_name_a_key_are_refused(method: Any, expected: str):
    assert expected in failure(method).reason


def test_a_secp256k1_jwk_resolves_for_json_web_signature_2020():
    private = ec.generate_private_key(ec.SECP256K1())
    numbers = private.public_key().public_numbers()
    jwk = {
        "kty": "EC",
        "crv": "secp256k1",
        "x": b64url(numbers.x.to_bytes(32, "big")),
        "y": b64url(numbers.y.to_bytes(32, "big")),
    }
    key = public_key_from_jwk(jwk)
    assert isinstance(key, ec.EllipticCurvePublicKey)
    assert key.curve.name == "secp256k1"
    assert key.public_numbers() == numbers
