"""Open Badges 1.0 (Mozilla Backpack era): read, upgraded to OB 2.0, verified at the issuer."""

import hashlib
import json
from typing import Any

import pytest

from credentials.formats import read_credentials
from credentials.models import CredentialSource
from credentials.services import import_credential
from credentials.verification.checks import CheckName, CheckStatus, Code
from credentials.verification.engine import verify_bytes
from credentials.verification.recipient import RecipientContext
from credentials.verification.verdict import Verdict
from tests.credentials.support import fixtures, signing
from tests.credentials.support.issuer import site_fixture, web_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

ADA = RecipientContext(verified_emails={fixtures.LEARNER_EMAIL}, claimed_identifiers=set())
SALT = "deadsea"


def _verify(data: bytes, recipient=ADA):
    [result] = verify_bytes(data, recipient=recipient)
    return result


def ob1_issuer(**extra: Any) -> dict[str, Any]:
    """An OB 1.0 IssuerOrganization: no @context, no id, no type."""
    return {"name": "Example College", "url": "https://example.org", **extra}


def ob1_badge(issuer_url: str) -> dict[str, Any]:
    """An OB 1.0 BadgeClass: criteria and issuer are addresses."""
    return {
        "name": "Robotics",
        "description": "Built a robot.",
        "image": "https://example.org/robot.png",
        "criteria": "https://example.org/robotics-criteria.html",
        "issuer": issuer_url,
        "alignment": [{"name": "Engineering", "url": "https://example.org/eng"}],
    }


def ob1_assertion(verify_url: str, badge_url: str, **extra: Any) -> dict[str, Any]:
    """An OB 1.0 hosted assertion to Ada's hashed email, issued on a unix timestamp."""
    digest = hashlib.sha256((fixtures.LEARNER_EMAIL + SALT).encode()).hexdigest()
    return {
        "uid": "abc-123",
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": SALT,
            "identity": f"sha256${digest}",
        },
        "badge": badge_url,
        "verify": {"type": "hosted", "url": verify_url},
        "issuedOn": 1704067200,
        **extra,
    }


@pytest.fixture
def hosted(site):
    """An OB 1.0 assertion with its BadgeClass and IssuerOrganization on the issuer's site."""
    issuer_url = site.add("/issuer.json", ob1_issuer())
    badge_url = site.add("/badge.json", ob1_badge(issuer_url))
    assertion = ob1_assertion(site.url("/assertions/1.json"), badge_url)
    site.add("/assertions/1.json", assertion)
    return assertion


def test_it_reads_a_json_ob1_assertion_and_upgrades_it_to_ob2(hosted):
    data = json.dumps(hosted).encode()
    [parsed] = read_credentials(data)
    assert parsed.format == "ob1"
    assert parsed.original == data
    assert parsed.document["@context"] == fixtures.OB2
    assert parsed.document["type"] == "Assertion"
    assert parsed.document["id"] == hosted["verify"]["url"]
    assert parsed.document["verification"]["type"] == "HostedBadge"
    assert parsed.document["issuedOn"] == "2024-01-01T00:00:00+00:00"


def test_it_verifies_a_hosted_ob1_assertion_by_fetching_it_again(hosted):
    result = _verify(json.dumps(hosted).encode())
    assert result.format == "ob1"
    assert result.verdict == Verdict.VERIFIED_WITH_WARNINGS
    assert result.check(CheckName.PROOF).status == CheckStatus.PASSED
    assert result.check(CheckName.RECIPIENT).status == CheckStatus.PASSED
    assert result.check(CheckName.ISSUER).code == Code.ISSUER_DOMAIN
    view = result.normalized
    assert view["name"] == "Robotics"
    assert view["description"] == "Built a robot."
    assert view["image"] == "https://example.org/robot.png"
    assert view["criteria"]["url"] == "https://example.org/robotics-criteria.html"
    assert view["issuer"]["name"] == "Example College"
    assert view["issued_on"] == "2024-01-01T00:00:00+00:00"
    assert view["alignments"][0]["name"] == "Engineering"


def test_a_baked_png_holding_the_ob1_assertion_url_is_verified_as_ob1(hosted):
    image = fixtures.png(
        fixtures.png_chunk(b"tEXt", b"openbadges\x00" + hosted["verify"]["url"].encode())
    )
    result = _verify(image)
    assert result.format == "ob1"
    assert result.verdict == Verdict.VERIFIED_WITH_WARNINGS
    assert result.normalized["name"] == "Robotics"


def test_a_baked_png_holding_the_ob1_json_is_verified(hosted):
    result = _verify(fixtures.baked_png(json.dumps(hosted), ob3=False))
    assert result.format == "ob1"
    assert result.check(CheckName.PROOF).status == CheckStatus.PASSED


def test_a_baked_svg_ob1_assertion_is_verified(hosted):
    image = fixtures.baked_svg(json.dumps(hosted), ob3=False, verify=hosted["verify"]["url"])
    result = _verify(image)
    assert result.format == "ob1"
    assert result.verdict == Verdict.VERIFIED_WITH_WARNINGS


def test_an_ob1_assertion_whose_host_is_gone_is_unverifiable(site, settings):
    settings.FETCH_ALLOWLIST = [*settings.FETCH_ALLOWLIST, "127.0.0.1:9"]
    assertion = ob1_assertion("http://127.0.0.1:9/assertions/1.json", site.url("/badge.json"))
    result = _verify(json.dumps(assertion).encode())
    assert result.verdict == Verdict.UNVERIFIABLE
    assert result.check(CheckName.PROOF).is_transient


def test_an_ob1_assertion_whose_server_fails_is_unverifiable(hosted, site):
    site.add("/assertions/1.json", b"", status=503)
    assert _verify(json.dumps(hosted).encode()).verdict == Verdict.UNVERIFIABLE


def test_an_ob1_assertion_answering_410_is_revoked(hosted, site):
    site.add("/assertions/1.json", b"", status=410)
    result = _verify(json.dumps(hosted).encode())
    assert result.verdict == Verdict.REVOKED


def test_an_ob1_assertion_marked_revoked_is_revoked(hosted, site):
    site.add("/assertions/1.json", {"revoked": True})
    assert _verify(json.dumps(hosted).encode()).verdict == Verdict.REVOKED


def test_an_ob1_copy_that_differs_from_the_hosted_one_fails(hosted):
    forged = {**hosted, "issuedOn": "2020-01-01"}
    result = _verify(json.dumps(forged).encode())
    assert result.verdict == Verdict.FAILED
    assert "differs" in result.check(CheckName.PROOF).message


def test_the_same_date_written_another_way_is_not_a_change(hosted):
    copy = {**hosted, "issuedOn": "2024-01-01T00:00:00Z"}
    assert _verify(json.dumps(copy).encode()).check(CheckName.PROOF).status == "passed"


def test_an_ob1_assertion_hosted_off_the_issuers_site_fails(web):
    issuer_url = web.add("https://college.example/issuer.json", ob1_issuer())
    badge_url = web.add("https://college.example/badge.json", ob1_badge(issuer_url))
    assertion = ob1_assertion("https://mirror.example/1.json", badge_url)
    web.add("https://mirror.example/1.json", assertion)
    result = _verify(json.dumps(assertion).encode())
    assert result.verdict == Verdict.FAILED
    assert "does not allow" in result.check(CheckName.PROOF).message


def test_an_ob1_assertion_on_a_subdomain_of_the_issuers_url_is_allowed(web):
    issuer_url = web.add(
        "https://college.example/issuer.json", ob1_issuer(url="https://college.example")
    )
    badge_url = web.add("https://college.example/badge.json", ob1_badge(issuer_url))
    assertion = ob1_assertion("https://badges.college.example/1.json", badge_url)
    web.add("https://badges.college.example/1.json", assertion)
    result = _verify(json.dumps(assertion).encode())
    assert result.check(CheckName.PROOF).status == CheckStatus.PASSED


def test_an_old_backpack_05_assertion_reads_and_is_unverifiable_without_its_address():
    assertion = {
        "recipient": "ada@example.org",
        "issued_on": "2012-05-01",
        "badge": {
            "version": "0.5.0",
            "name": "Early Bird",
            "description": "Joined early.",
            "image": "https://example.org/bird.png",
            "criteria": "https://example.org/bird.html",
            "issuer": {"origin": "https://example.org", "name": "Example", "org": "College"},
        },
    }
    result = _verify(json.dumps(assertion).encode())
    assert result.format == "ob1"
    assert result.verdict == Verdict.UNVERIFIABLE
    assert result.check(CheckName.PROOF).code == Code.FORMAT_UNSUPPORTED
    assert result.normalized["name"] == "Early Bird"
    assert result.normalized["issuer"]["name"] == "Example: College"
    assert result.normalized["issued_on"] == "2012-05-01T00:00:00+00:00"


@pytest.fixture
def signed_issuer(site):
    """An OB 1.0 issuer with an RSA public key (PEM) and a uid-keyed revocation list."""
    key = signing.new_rsa_key()
    key_url = site.add(
        "/public-key.pem", signing.pem_for(key.public_key()), content_type="application/x-pem-file"
    )
    issuer_url = site.add(
        "/issuer.json", ob1_issuer(url=site.url("/"), revocationList=site.url("/revoked.json"))
    )
    site.add("/revoked.json", {})
    site.add("/badge.json", ob1_badge(issuer_url))
    return key, key_url


def _signed(site, key, key_url) -> str:
    assertion = ob1_assertion(key_url, site.url("/badge.json"))
    assertion["verify"] = {"type": "signed", "url": key_url}
    return signing.make_jws(assertion, key, "RS256")


def test_it_verifies_a_signed_ob1_assertion_with_the_key_at_its_verify_url(site, signed_issuer):
    token = _signed(site, *signed_issuer)
    result = _verify(token.encode())
    assert result.format == "ob1"
    assert result.check(CheckName.PROOF).status == CheckStatus.PASSED
    assert result.check(CheckName.STATUS).status == CheckStatus.PASSED
    assert result.verdict == Verdict.VERIFIED_WITH_WARNINGS
    assert result.normalized["credential_id"] == "uid:abc-123"


def test_a_signed_ob1_assertion_on_the_revocation_list_is_revoked(site, signed_issuer):
    token = _signed(site, *signed_issuer)
    site.add("/revoked.json", {"abc-123": "Issued in error"})
    result = _verify(token.encode())
    assert result.verdict == Verdict.REVOKED
    assert "Issued in error" in result.check(CheckName.STATUS).message


def test_a_tampered_signed_ob1_assertion_fails(site, signed_issuer):
    token = _signed(site, *signed_issuer)
    header, _payload, signature = token.split(".")
    forged = ob1_assertion(signed_issuer[1], site.url("/badge.json"), issuedOn=1)
    forged["verify"] = {"type": "signed", "url": signed_issuer[1]}
    payload = signing.b64url(json.dumps(forged).encode())
    assert _verify(f"{header}.{payload}.{signature}".encode()).verdict == Verdict.FAILED


def test_importing_an_ob1_baked_badge_shows_its_name_on_its_page(learner, learner_client, hosted):
    image = fixtures.baked_png(hosted["verify"]["url"], ob3=False)
    outcome = import_credential(learner=learner, data=image, source=CredentialSource.UPLOAD)
    [credential] = outcome.created
    assert credential.format == "ob1"
    assert credential.name == "Robotics"
    assert credential.verdict == Verdict.VERIFIED_WITH_WARNINGS
    page = learner_client.get(credential.get_absolute_url())
    assert page.status_code == 200
    assert "Robotics" in page.text
