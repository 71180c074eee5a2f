"""Verifying Open Badges 2.0: hosted assertions re-fetched, signed assertions (RS256)."""

import json

import pytest

from credentials.models import TrustedIssuer
from credentials.verification.checks import CheckName, CheckStatus, Code
from credentials.verification.engine import verify_bytes
from credentials.verification.recipient import RecipientContext
from credentials.verification.verdict import Verdict
from tests.credentials.support import fixtures, signing
from tests.credentials.support.issuer import site_fixture, web_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

ADA = RecipientContext(verified_emails={fixtures.LEARNER_EMAIL}, claimed_identifiers=set())


def _verify(data: bytes, recipient=ADA):
    [result] = verify_bytes(data, recipient=recipient)
    return result


@pytest.fixture
def hosted(site):
    """A hosted assertion with its BadgeClass and Issuer served by the issuer's site."""
    issuer = site.add("/issuer", fixtures.ob2_issuer(site.url("/issuer")))
    badge = site.add("/badge", fixtures.ob2_badge(site.url("/badge"), issuer))
    assertion = fixtures.ob2_assertion(site.url("/assertions/1"), badge)
    site.add("/assertions/1", assertion)
    return assertion


def test_it_verifies_a_hosted_assertion_by_fetching_it_again(hosted):
    result = _verify(json.dumps(hosted).encode())
    assert result.verdict == Verdict.VERIFIED_WITH_WARNINGS
    assert result.check(CheckName.PROOF).status == CheckStatus.PASSED
    assert result.check(CheckName.RECIPIENT).status == CheckStatus.PASSED
    assert result.check(CheckName.ISSUER).code == Code.ISSUER_DOMAIN
    assert result.normalized["name"] == "Robotics"
    assert result.normalized["issuer"]["name"] == "Example College"


def test_a_hosted_assertion_answering_410_is_revoked(hosted, site):
    site.add("/assertions/1", b"", status=410)
    result = _verify(json.dumps(hosted).encode())
    assert result.verdict == Verdict.REVOKED
    assert result.check(CheckName.PROOF).status == CheckStatus.NOT_CHECKED


def test_a_hosted_assertion_marked_revoked_is_revoked(hosted, site):
    site.add("/assertions/1", {**hosted, "revoked": True, "revocationReason": "cheating"})
    assert _verify(json.dumps(hosted).encode()).verdict == Verdict.REVOKED


def test_a_copy_that_differs_from_the_hosted_one_fails(hosted):
    forged = {**hosted, "issuedOn": "2020-01-01T00:00:00Z"}
    result = _verify(json.dumps(forged).encode())
    assert result.verdict == Verdict.FAILED
    assert "differs" in result.check(CheckName.PROOF).message


def test_an_assertion_hosted_outside_the_allowed_origins_fails(hosted, site):
    issuer = fixtures.ob2_issuer(
        site.url("/issuer"), verification={"startsWith": "https://badges.example.org/"}
    )
    site.add("/issuer", issuer)
    result = _verify(json.dumps(hosted).encode())
    assert result.verdict == Verdict.FAILED
    assert "does not allow" in result.check(CheckName.PROOF).message


def test_a_hosted_assertion_whose_server_is_down_is_unverifiable(hosted, site):
    site.add("/assertions/1", b"", status=503)
    assert _verify(json.dumps(hosted).encode()).verdict == Verdict.UNVERIFIABLE


def test_an_expired_hosted_assertion_is_expired(site):
    issuer = site.add("/issuer", fixtures.ob2_issuer(site.url("/issuer")))
    badge = site.add("/badge", fixtures.ob2_badge(site.url("/badge"), issuer))
    assertion = fixtures.ob2_assertion(site.url("/a/2"), badge, expires="2024-06-01T00:00:00Z")
    site.add("/a/2", assertion)
    assert _verify(json.dumps(assertion).encode()).verdict == Verdict.EXPIRED


def test_a_hosted_assertion_for_another_email_warns(site):
    issuer = site.add("/issuer", fixtures.ob2_issuer(site.url("/issuer")))
    badge = site.add("/badge", fixtures.ob2_badge(site.url("/badge"), issuer))
    assertion = fixtures.ob2_assertion(site.url("/a/3"), badge, email="eve@example.org")
    site.add("/a/3", assertion)
    result = _verify(json.dumps(assertion).encode())
    assert result.check(CheckName.RECIPIENT).code == Code.RECIPIENT_MISMATCH


def test_a_legacy_baked_png_holding_only_the_url_is_fetched(hosted):
    image = fixtures.png(fixtures.png_chunk(b"tEXt", b"openbadges\x00" + hosted["id"].encode()))
    result = _verify(image)
    assert result.check(CheckName.PROOF).status == CheckStatus.PASSED
    assert result.normalized["credential_id"] == hosted["id"]


@pytest.fixture
def signed_issuer(site):
    """An OB 2.0 issuer with an RSA key and an empty revocation list."""
    key = signing.new_rsa_key()
    key_url = site.url("/keys/1")
    issuer_url = site.url("/issuer")
    site.add(
        "/keys/1",
        {
            "@context": fixtures.OB2,
            "type": "CryptographicKey",
            "id": key_url,
            "owner": issuer_url,
            "publicKeyPem": signing.pem_for(key.public_key()),
        },
    )
    site.add(
        "/issuer",
        fixtures.ob2_issuer(issuer_url, publicKey=key_url, revocationList=site.url("/revoked")),
    )
    site.add("/revoked", {"type": "RevocationList", "revokedAssertions": []})
    site.add("/badge", fixtures.ob2_badge(site.url("/badge"), issuer_url))
    return key, key_url


def _signed(site, key, key_url, **options) -> tuple[dict, str]:
    assertion = fixtures.ob2_assertion(
        "urn:uuid:0f3c1d7e-3a1b-4c8e-9d2a-6b5e4f3a2c1d",
        site.url("/badge"),
        kind="signed",
        creator=key_url,
        **options,
    )
    return assertion, signing.make_jws(assertion, key, "RS256")


def test_it_verifies_a_signed_assertion_with_the_issuers_key(site, signed_issuer):
    _assertion, token = _signed(site, *signed_issuer)
    result = _verify(token.encode())
    assert result.format == "ob2-signed"
    assert result.check(CheckName.PROOF).status == CheckStatus.PASSED
    assert result.check(CheckName.ISSUER).details["is_key_linked"] is True
    assert result.check(CheckName.STATUS).status == CheckStatus.PASSED
    assert result.verdict == Verdict.VERIFIED_WITH_WARNINGS


def test_it_refuses_a_tampered_signed_assertion(site, signed_issuer):
    assertion, token = _signed(site, *signed_issuer)
    header, _payload, signature = token.split(".")
    forged = {**assertion, "issuedOn": "2019-01-01T00:00:00Z"}
    payload = signing.b64url(json.dumps(forged).encode())
    result = _verify(f"{header}.{payload}.{signature}".encode())
    assert result.verdict == Verdict.FAILED


def test_a_signed_assertion_on_the_revocation_list_is_revoked(site, signed_issuer):
    assertion, token = _signed(site, *signed_issuer)
    site.add(
        "/revoked",
        {"revokedAssertions": [{"id": assertion["id"], "revocationReason": "Issued in error"}]},
    )
    result = _verify(token.encode())
    assert result.verdict == Verdict.REVOKED
    assert "Issued in error" in result.check(CheckName.STATUS).message


def test_a_key_the_issuer_profile_does_not_list_is_not_linked(site, signed_issuer):
    site.add("/issuer", fixtures.ob2_issuer(site.url("/issuer"), publicKey=[]))
    _assertion, token = _signed(site, *signed_issuer)
    result = _verify(token.encode())
    assert result.check(CheckName.ISSUER).code == Code.KEY_NOT_LINKED


def test_a_signed_assertion_baked_into_a_png_verifies(site, signed_issuer):
    _assertion, token = _signed(site, *signed_issuer)
    result = _verify(fixtures.baked_png(token, ob3=False))
    assert result.check(CheckName.PROOF).status == CheckStatus.PASSED


def test_a_signed_assertion_as_json_without_its_signature_fails(site, signed_issuer):
    assertion, _token = _signed(site, *signed_issuer)
    result = _verify(json.dumps(assertion).encode())
    assert result.check(CheckName.PROOF).code == Code.PROOF_MISSING


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("recipient", {"type": "email", "hashed": False, "identity": "eve@example.org"}),
        ("badge", "https://example.org/other-badge"),
        ("issuedOn", "2019-01-01T00:00:00Z"),
        ("expires", "2099-01-01T00:00:00Z"),
    ],
)
def test_it_refuses_each_tampered_field_of_a_signed_assertion(site, signed_issuer, field, value):
    assertion, token = _signed(site, *signed_issuer)
    header, _payload, signature = token.split(".")
    payload = signing.b64url(json.dumps({**assertion, field: value}).encode())
    assert _verify(f"{header}.{payload}.{signature}".encode()).verdict == Verdict.FAILED


def test_an_expired_signed_assertion_is_expired(site, signed_issuer):
    _assertion, token = _signed(site, *signed_issuer, expires="2024-06-01T00:00:00Z")
    assert _verify(token.encode()).verdict == Verdict.EXPIRED


def test_a_signed_assertion_issued_in_the_future_fails(site, signed_issuer):
    _assertion, token = _signed(site, *signed_issuer, issued_on="2099-01-01T00:00:00Z")
    result = _verify(token.encode())
    assert result.verdict == Verdict.FAILED
    assert result.check(CheckName.DATES).code == Code.NOT_YET_VALID


def test_a_signed_assertion_for_another_email_warns(site, signed_issuer):
    _assertion, token = _signed(site, *signed_issuer, email="eve@example.org")
    result = _verify(token.encode())
    assert result.check(CheckName.RECIPIENT).code == Code.RECIPIENT_MISMATCH


def test_a_hosted_assertion_issued_in_the_future_fails(site):
    issuer = site.add("/issuer", fixtures.ob2_issuer(site.url("/issuer")))
    badge = site.add("/badge", fixtures.ob2_badge(site.url("/badge"), issuer))
    assertion = fixtures.ob2_assertion(site.url("/a/4"), badge, issued_on="2099-01-01T00:00:00Z")
    site.add("/a/4", assertion)
    assert _verify(json.dumps(assertion).encode()).verdict == Verdict.FAILED


def test_a_signed_assertion_cannot_embed_the_key_that_vouches_for_it(site, signed_issuer):
    forger = signing.new_rsa_key()
    key_url = signed_issuer[1]
    forged_key = {"id": key_url, "publicKeyPem": signing.pem_for(forger.public_key())}
    assertion = fixtures.ob2_assertion(
        "urn:uuid:4a9c2b1e-0000-4000-8000-000000000001",
        site.url("/badge"),
        kind="signed",
        creator=key_url,
    )
    assertion["verification"]["creator"] = forged_key
    result = _verify(signing.make_jws(assertion, forger, "RS256").encode())
    assert result.verdict == Verdict.FAILED


def test_a_signed_assertion_cannot_embed_an_issuer_profile_listing_its_key(site, signed_issuer):
    TrustedIssuer.objects.create(name="Example College", identifiers=[site.url("/issuer")])
    forger = signing.new_rsa_key()
    forged_key_url = site.add(
        "/keys/forged",
        {"id": site.url("/keys/forged"), "publicKeyPem": signing.pem_for(forger.public_key())},
    )
    embedded_issuer = fixtures.ob2_issuer(site.url("/issuer"), publicKey=forged_key_url)
    badge = fixtures.ob2_badge(site.url("/badge"), embedded_issuer)
    assertion = fixtures.ob2_assertion(
        "urn:uuid:4a9c2b1e-0000-4000-8000-000000000002",
        badge,
        kind="signed",
        creator=forged_key_url,
    )
    result = _verify(signing.make_jws(assertion, forger, "RS256").encode())
    assert result.check(CheckName.ISSUER).code == Code.ISSUER_IMPERSONATION
    assert result.verdict == Verdict.FAILED


def test_a_hosted_assertion_cannot_embed_the_origins_its_issuer_allows(web, site):
    issuer_url = site.add("/issuer", fixtures.ob2_issuer(site.url("/issuer")))
    embedded_issuer = fixtures.ob2_issuer(
        issuer_url, verification={"allowedOrigins": ["attacker.example"]}
    )
    badge = fixtures.ob2_badge("https://attacker.example/badge", embedded_issuer)
    assertion = fixtures.ob2_assertion("https://attacker.example/a/1", badge)
    web.add("https://attacker.example/a/1", assertion)
    result = _verify(json.dumps(assertion).encode())
    assert result.verdict == Verdict.FAILED
    assert "does not allow" in result.check(CheckName.PROOF).message


def test_a_hosted_assertion_at_a_refused_address_fails_rather_than_waiting(site):
    assertion = fixtures.ob2_assertion("https://10.0.0.1/a/1", "https://10.0.0.1/badge")
    result = _verify(json.dumps(assertion).encode())
    assert result.verdict == Verdict.FAILED
    assert "refused" in result.check(CheckName.PROOF).message
