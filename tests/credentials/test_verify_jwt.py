"""Verifying VC-JWTs (OB 3.0 section 8): signature, key source and the claims rules."""

import json
from datetime import UTC, datetime

import pytest

from credentials.verification.checks import CheckName, CheckStatus, Code
from credentials.verification.engine import verify_bytes
from credentials.verification.recipient import RecipientContext
from credentials.verification.verdict import Verdict
from tests.credentials.support import fixtures, signing
from tests.credentials.support.issuer import (
    did_key_issuer,
    did_web_issuer,
    site_fixture,  # noqa: F401
    web_fixture,  # noqa: F401
)

pytestmark = pytest.mark.django_db

ADA = RecipientContext(
    verified_emails={fixtures.LEARNER_EMAIL}, claimed_identifiers={fixtures.LEARNER_DID}
)


def _timestamp(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp())


def claims_for(credential: dict, **overrides) -> dict:
    """The VC-JWT claims OB 3.0 section 8 derives from a credential."""
    claims = {
        "vc": credential,
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        "sub": credential["credentialSubject"].get("id"),
        "nbf": _timestamp(credential["validFrom"].replace("Z", "")),
    }
    if "validUntil" in credential:
        claims["exp"] = _timestamp(credential["validUntil"].replace("Z", ""))
    claims.update(overrides)
    return claims


def _verify(token: str):
    [result] = verify_bytes(token.encode(), recipient=ADA)
    return result


@pytest.fixture
def issuer():
    return did_key_issuer()


def test_it_verifies_a_jwt_whose_kid_is_the_issuers_key(issuer):
    result = _verify(issuer.jwt(claims_for(issuer.credential())))
    assert result.check(CheckName.PROOF).status == CheckStatus.PASSED
    assert result.check(CheckName.ISSUER).code == Code.ISSUER_SELF_ASSERTED
    assert result.verdict == Verdict.VERIFIED_WITH_WARNINGS
    assert result.format == "ob3-jwt"


def test_it_verifies_an_rs256_jwt_whose_kid_is_a_did_web_key(web):
    rsa_key = signing.new_rsa_key()
    did = "did:web:rsa.example"
    document = {
        "@context": [
            "https://www.w3.org/ns/did/v1",
            "https://w3id.org/security/suites/jws-2020/v1",
        ],
        "id": did,
        "verificationMethod": [
            {
                "id": f"{did}#key-1",
                "type": "JsonWebKey2020",
                "controller": did,
                "publicKeyJwk": signing.jwk_for(rsa_key.public_key()),
            }
        ],
        "assertionMethod": [f"{did}#key-1"],
    }
    web.add_did_web(did, document)
    credential = fixtures.achievement_credential(did)
    token = signing.make_jws(claims_for(credential), rsa_key, "RS256", {"kid": f"{did}#key-1"})
    result = _verify(token)
    assert result.check(CheckName.PROOF).status == CheckStatus.PASSED
    assert result.check(CheckName.ISSUER).details["is_key_linked"] is True


def test_a_key_carried_in_the_jwk_header_proves_integrity_only(issuer):
    key = signing.new_ed25519_key()
    header = {"jwk": signing.jwk_for(key.public_key())}
    token = signing.make_jws(claims_for(issuer.credential()), key, "EdDSA", header)
    result = _verify(token)
    assert result.verdict == Verdict.VERIFIED_WITH_WARNINGS
    assert result.check(CheckName.ISSUER).code == Code.KEY_NOT_LINKED
    assert "inside the token" in result.check(CheckName.ISSUER).message


def test_it_refuses_a_tampered_payload(issuer):
    header, _payload, signature = issuer.jwt(claims_for(issuer.credential())).split(".")
    forged = claims_for(issuer.credential(name="Leadership"))
    payload = signing.b64url(json.dumps(forged).encode())
    result = _verify(f"{header}.{payload}.{signature}")
    assert result.verdict == Verdict.FAILED
    assert result.check(CheckName.PROOF).code == Code.PROOF_INVALID


def test_it_refuses_alg_none(issuer):
    header = signing.b64url(b'{"alg":"none","typ":"JWT"}')
    payload = signing.b64url(json.dumps(claims_for(issuer.credential())).encode())
    result = _verify(f"{header}.{payload}.")
    assert result.verdict == Verdict.FAILED
    assert "none" in result.check(CheckName.PROOF).message


@pytest.mark.parametrize(
    ("claim", "value"),
    [
        ("iss", "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"),
        ("jti", "urn:uuid:00000000-0000-0000-0000-000000000000"),
        ("sub", "did:example:mallory"),
        ("nbf", 1_600_000_000),
    ],
)
def test_claims_that_disagree_with_the_credential_fail(issuer, claim, value):
    result = _verify(issuer.jwt(claims_for(issuer.credential(), **{claim: value})))
    assert result.verdict == Verdict.FAILED
    assert claim in result.check(CheckName.PROOF).message


def test_an_exp_in_the_past_is_expired(issuer):
    credential = issuer.credential(valid_until="2025-01-01T00:00:00Z")
    assert _verify(issuer.jwt(claims_for(credential))).verdict == Verdict.EXPIRED


def test_an_nbf_in_the_future_fails(issuer):
    credential = issuer.credential(valid_from="2099-01-01T00:00:00Z")
    result = _verify(issuer.jwt(claims_for(credential)))
    assert result.verdict == Verdict.FAILED
    assert result.check(CheckName.DATES).code == Code.NOT_YET_VALID


def test_a_key_of_someone_else_named_by_kid_is_not_linked(issuer):
    stranger = did_key_issuer()
    result = _verify(stranger.jwt(claims_for(issuer.credential(), iss=None)))
    assert result.check(CheckName.ISSUER).code == Code.KEY_NOT_LINKED


def test_a_did_web_key_offline_makes_the_jwt_unverifiable(web):
    issuer = did_web_issuer(web, did="did:web:flaky.example")
    web.add("https://flaky.example/.well-known/did.json", b"", status=502)
    result = _verify(issuer.jwt(claims_for(issuer.credential())))
    assert result.verdict == Verdict.UNVERIFIABLE


def test_a_jwt_baked_into_an_svg_verifies(issuer):
    token = issuer.jwt(claims_for(issuer.credential()))
    [result] = verify_bytes(fixtures.baked_svg(token), recipient=ADA)
    assert result.check(CheckName.PROOF).status == CheckStatus.PASSED


@pytest.mark.parametrize(
    ("claim", "value"),
    [
        ("name", "Leadership"),
        ("issuer", {"id": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"}),
        ("validFrom", "2023-01-01T00:00:00Z"),
        ("credentialSubject", {"id": "did:example:mallory"}),
    ],
)
def test_it_refuses_each_tampered_field_of_the_vc_claim(issuer, claim, value):
    header, _payload, signature = issuer.jwt(claims_for(issuer.credential())).split(".")
    forged = claims_for(issuer.credential())
    forged["vc"][claim] = value
    payload = signing.b64url(json.dumps(forged).encode())
    assert _verify(f"{header}.{payload}.{signature}").verdict == Verdict.FAILED


@pytest.mark.parametrize(
    ("purpose", "word"), [("revocation", "revoked"), ("suspension", "suspended")]
)
def test_a_jwt_on_its_status_list_is_revoked_or_suspended(issuer, site, purpose, word):
    list_url = site.url(f"/lists/{purpose}")
    status_list = fixtures.status_list(list_url, issuer.id, revoked={3}, purpose=purpose)
    site.add(f"/lists/{purpose}", issuer.sign(status_list))
    credential = issuer.credential(status=fixtures.status_entry(list_url, 3, purpose))
    result = _verify(issuer.jwt(claims_for(credential)))
    assert result.verdict == Verdict.REVOKED
    assert word in result.message


def test_a_jwt_for_someone_else_warns(issuer):
    credential = issuer.credential(subject_id="did:example:grace")
    result = _verify(issuer.jwt(claims_for(credential)))
    assert result.check(CheckName.RECIPIENT).code == Code.RECIPIENT_MISMATCH


def test_a_did_jwk_issuer_signing_with_its_own_key_is_linked():
    key = signing.new_ed25519_key()
    did = signing.did_jwk_for(key.public_key())
    credential = fixtures.achievement_credential(did)
    token = signing.make_jws(claims_for(credential), key, "EdDSA", {"kid": f"{did}#0"})
    result = _verify(token)
    assert result.check(CheckName.PROOF).status == CheckStatus.PASSED
    assert result.check(CheckName.ISSUER).details["is_key_linked"] is True


def _jwt_signed_with(private_key, alg: str, kid: str, claims: dict) -> str:
    header = {"alg": alg, "kid": kid, "typ": "JWT"}
    head = signing.b64url(json.dumps(header).encode())
    body = signing.b64url(json.dumps(claims).encode())
    signature = signing._jws_sign(private_key, alg, f"{head}.{body}".encode())
    return f"{head}.{body}.{signing.b64url(signature)}"


@pytest.mark.parametrize(
    ("make_key", "alg"),
    [
        (signing.new_p384_key, "ES384"),
        (signing.new_secp256k1_key, "ES256K"),
    ],
)
def test_it_verifies_jwts_signed_with_the_other_ecdsa_curves(make_key, alg):
    key = make_key()
    did = signing.did_key_for(key.public_key())
    credential = fixtures.achievement_credential(did)
    token = _jwt_signed_with(
        key, alg, signing.verification_method_for(key.public_key()), claims_for(credential)
    )
    result = _verify(token)
    assert result.check(CheckName.PROOF).status == CheckStatus.PASSED
    assert result.verdict == Verdict.VERIFIED_WITH_WARNINGS
    tampered = token.split(".")
    tampered[2] = tampered[2][:-4] + ("AAAA" if not tampered[2].endswith("AAAA") else "BBBB")
    assert _verify(".".join(tampered)).verdict == Verdict.FAILED


def test_it_verifies_a_ps256_jwt_from_a_did_jwk():
    key = signing.new_rsa_key()
    did = signing.did_jwk_for(key.public_key())
    credential = fixtures.achievement_credential(did)
    token = _jwt_signed_with(key, "PS256", f"{did}#0", claims_for(credential))
    assert _verify(token).check(CheckName.PROOF).status == CheckStatus.PASSED


def test_a_shared_secret_jwt_is_unverifiable_not_failed(issuer):
    claims = claims_for(issuer.credential())
    head = signing.b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = signing.b64url(json.dumps(claims).encode())
    result = _verify(f"{head}.{body}.{signing.b64url(b'x' * 32)}")
    assert result.verdict == Verdict.UNVERIFIABLE
    assert result.check(CheckName.PROOF).code == Code.PROOF_UNSUPPORTED_SUITE


def test_a_jwt_whose_key_uses_a_did_method_the_wallet_cannot_resolve_is_unverifiable():
    key = signing.new_ed25519_key()
    credential = fixtures.achievement_credential("did:ion:EiAabc")
    token = _jwt_signed_with(key, "EdDSA", "did:ion:EiAabc#key-1", claims_for(credential))
    result = _verify(token)
    assert result.verdict == Verdict.UNVERIFIABLE
    assert result.check(CheckName.PROOF).code == Code.KEY_UNRESOLVABLE
