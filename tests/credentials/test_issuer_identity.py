"""The issuer check's levels: registered, domain-proven, self-asserted, impersonation."""

import json
import time

import pytest

from credentials.models import IssuerRegistry, TrustedIssuer
from credentials.registry import refresh_issuer_registry
from credentials.verification.checks import CheckName, CheckStatus, Code
from credentials.verification.engine import verify_bytes
from credentials.verification.recipient import RecipientContext
from credentials.verification.registries import name_key
from credentials.verification.verdict import Verdict
from tests.credentials.support import fixtures
from tests.credentials.support.issuer import (
    did_key_issuer,
    did_web_issuer,
    site_fixture,  # noqa: F401
    web_fixture,  # noqa: F401
)

pytestmark = pytest.mark.django_db

ADA = RecipientContext(verified_emails={fixtures.LEARNER_EMAIL})


def _issuer_check(document):
    [result] = verify_bytes(json.dumps(document).encode(), recipient=ADA)
    return result, result.check(CheckName.ISSUER)


def _named(issuer, name, url=None):
    """A credential by `issuer` whose profile claims `name` (and `url`), signed by it."""
    credential = issuer.credential(subject_id="mailto:ada@example.org")
    credential["issuer"]["name"] = name
    if url:
        credential["issuer"]["url"] = url
    return issuer.sign(credential)


@pytest.fixture
def university():
    """Example University, registered on this site with its did:key."""
    issuer = did_key_issuer()
    TrustedIssuer.objects.create(
        name="Example University", homepage="https://example.edu", identifiers=[issuer.id]
    )
    return issuer


def test_the_registered_issuers_own_key_is_registered(university):
    result, check = _issuer_check(_named(university, "Example University"))
    assert (check.status, check.code) == (CheckStatus.PASSED, Code.ISSUER_REGISTERED)
    assert check.details["identity_level"] == "registered"
    assert check.details["vouched_by"] == "this site’s registry"
    assert result.verdict == Verdict.VERIFIED


@pytest.mark.parametrize(
    "claimed",
    [
        "Example University",
        "EXAMPLE   university",
        "example-university.",
        " Example\u00a0University ",
        "\u0415\u0445\u0430mple Univ\u0435rsity",  # Cyrillic Ie, Ha, A and Ie
        "Examp1e University",
    ],
)
def test_a_registered_name_under_another_key_is_impersonation(university, claimed):
    result, check = _issuer_check(_named(did_key_issuer(), claimed))
    assert (check.status, check.code) == (CheckStatus.FAILED, Code.ISSUER_IMPERSONATION)
    assert check.details["identity_level"] == "impersonation"
    assert "Example University" in check.message
    assert result.verdict == Verdict.FAILED


def test_names_compare_by_skeleton_but_different_names_stay_different():
    assert name_key("\u0415\u0445\u0430mple Univ\u0435rsity") == name_key("example university")
    assert name_key("Example College") != name_key("Example University")


def test_claiming_a_registered_issuers_domain_under_another_key_is_impersonation(web, university):
    # The registered issuer's site answers, and publishes no DID configuration.
    web.add("https://www.example.edu/about", "<html></html>", content_type="text/html")
    _result, check = _issuer_check(
        _named(did_key_issuer(), "Totally Different Academy", url="https://www.example.edu/about")
    )
    assert check.code == Code.ISSUER_IMPERSONATION
    assert "example.edu" in check.message
    assert "Example University" in check.message


def test_a_different_name_and_domain_is_only_self_asserted(university):
    result, check = _issuer_check(_named(did_key_issuer(), "Example College"))
    assert (check.status, check.code) == (CheckStatus.WARNING, Code.ISSUER_SELF_ASSERTED)
    assert check.details["identity_level"] == "self_asserted"
    assert "Example College" in check.message
    assert "authentic" not in check.message
    assert "own claim" in check.message
    assert result.verdict == Verdict.VERIFIED_WITH_WARNINGS


def test_a_did_web_issuer_is_domain_proven_and_named_by_its_domain(web):
    issuer = did_web_issuer(web, "did:web:college.example")
    result, check = _issuer_check(_named(issuer, "Example College"))
    assert (check.status, check.code) == (CheckStatus.WARNING, Code.ISSUER_DOMAIN)
    assert check.details["identity_level"] == "domain_proven"
    assert check.details["domain"] == "college.example"
    assert "college.example" in check.message
    assert result.verdict == Verdict.VERIFIED_WITH_WARNINGS


def test_a_registered_issuers_second_key_on_its_own_did_web_domain_is_not_flagged(web):
    first = did_web_issuer(web, "did:web:issuer.example:keys:2024")
    TrustedIssuer.objects.create(
        name="Example University", homepage="https://issuer.example", identifiers=[first.id]
    )
    second = did_web_issuer(web, "did:web:issuer.example:keys:2025")
    _result, check = _issuer_check(_named(second, "Example University"))
    assert check.code == Code.ISSUER_DOMAIN
    assert check.details["domain"] == "issuer.example"


def test_a_did_web_on_another_domain_with_a_registered_name_is_impersonation(web):
    TrustedIssuer.objects.create(
        name="Example University",
        homepage="https://issuer.example",
        identifiers=["did:web:issuer.example"],
    )
    impostor = did_web_issuer(web, "did:web:issuer-example.test")
    _result, check = _issuer_check(_named(impostor, "Example University"))
    assert check.code == Code.ISSUER_IMPERSONATION


def _linkage_jwt(issuer, origin, did=None):
    did = did or issuer.id
    now = int(time.time())
    claims = {
        "iss": did,
        "sub": did,
        "nbf": now - 60,
        "exp": now + 3600,
        "vc": {
            "@context": [
                "https://www.w3.org/2018/credentials/v1",
                "https://identity.foundation/.well-known/did-configuration/v1",
            ],
            "type": ["VerifiableCredential", "DomainLinkageCredential"],
            "issuer": did,
            "issuanceDate": "2024-01-01T00:00:00Z",
            "credentialSubject": {"id": did, "origin": origin},
        },
    }
    return issuer.jwt(claims)


def _did_configuration(web, host, *linked):
    web.add(
        f"https://{host}/.well-known/did-configuration.json",
        {
            "@context": "https://identity.foundation/.well-known/did-configuration/v1",
            "linked_dids": list(linked),
        },
    )


def test_a_did_key_issuer_linked_by_its_domains_did_configuration_is_domain_proven(web):
    issuer = did_key_issuer()
    _did_configuration(web, "college.example", _linkage_jwt(issuer, "https://college.example"))
    _result, check = _issuer_check(
        _named(issuer, "Example College", url="https://college.example/about")
    )
    assert check.code == Code.ISSUER_DOMAIN
    assert check.details["domain"] == "college.example"


def test_a_did_configuration_linking_another_did_proves_nothing(web):
    issuer, other = did_key_issuer(), did_key_issuer()
    _did_configuration(web, "college.example", _linkage_jwt(other, "https://college.example"))
    _result, check = _issuer_check(
        _named(issuer, "Example College", url="https://college.example/about")
    )
    assert check.code == Code.ISSUER_SELF_ASSERTED
    assert check.details["domain"] == ""


def test_a_did_configuration_for_another_origin_proves_nothing(web):
    issuer = did_key_issuer()
    _did_configuration(web, "college.example", _linkage_jwt(issuer, "https://elsewhere.example"))
    _result, check = _issuer_check(
        _named(issuer, "Example College", url="https://college.example/")
    )
    assert check.code == Code.ISSUER_SELF_ASSERTED


def test_a_domain_proven_key_on_the_registered_issuers_own_domain_is_not_impersonation(
    web, university
):
    newcomer = did_key_issuer()
    _did_configuration(web, "example.edu", _linkage_jwt(newcomer, "https://example.edu"))
    _result, check = _issuer_check(
        _named(newcomer, "Example University", url="https://example.edu/")
    )
    assert check.code == Code.ISSUER_DOMAIN


def test_an_embedded_proof_linkage_credential_also_proves_the_domain(web):
    issuer = did_key_issuer()
    linkage = {
        "@context": [
            "https://www.w3.org/2018/credentials/v1",
            "https://identity.foundation/.well-known/did-configuration/v1",
            "https://w3id.org/security/data-integrity/v2",
        ],
        "type": ["VerifiableCredential", "DomainLinkageCredential"],
        "issuer": issuer.id,
        "issuanceDate": "2024-01-01T00:00:00Z",
        "credentialSubject": {"id": issuer.id, "origin": "https://college.example"},
    }
    signed = issuer.sign(linkage)
    _did_configuration(web, "college.example", signed)
    _result, check = _issuer_check(
        _named(issuer, "Example College", url="https://college.example/")
    )
    assert check.code == Code.ISSUER_DOMAIN


def test_an_ob2_profile_and_assertion_served_from_the_issuers_origin_are_domain_proven(site):
    issuer = site.add("/issuer", fixtures.ob2_issuer(site.url("/issuer")))
    badge = site.add("/badge", fixtures.ob2_badge(site.url("/badge"), issuer))
    assertion = fixtures.ob2_assertion(site.url("/assertions/1"), badge)
    site.add("/assertions/1", assertion)
    _result, check = _issuer_check(assertion)
    assert check.code == Code.ISSUER_DOMAIN
    assert check.details["domain"] == "127.0.0.1"


def _dcc_registry(entries):
    return {"meta": {"created": "2024-01-01T00:00:00+0000"}, "registry": entries}


def test_an_external_registry_served_locally_and_refreshed_vouches_for_its_issuers(site):
    issuer = did_key_issuer()
    url = site.add(
        "/registry.json",
        _dcc_registry(
            {issuer.id: {"name": "Example College", "location": "Here", "url": "https://x.test"}}
        ),
    )
    registry = IssuerRegistry.objects.create(name="Consortium Registry", url=url)
    refresh_issuer_registry(registry=registry)
    registry.refresh_from_db()
    assert registry.last_error == ""
    assert registry.last_fetched_at is not None
    assert registry.entries[issuer.id]["name"] == "Example College"
    result, check = _issuer_check(_named(issuer, "Example College"))
    assert check.code == Code.ISSUER_REGISTERED
    assert check.details["vouched_by"] == "Consortium Registry"
    assert check.details["vouched_by_url"] == url
    assert "Consortium Registry" in check.message
    assert result.verdict == Verdict.VERIFIED


def test_an_external_registrys_names_are_guarded_against_impersonation_too(site):
    issuer = did_key_issuer()
    url = site.add("/registry.json", _dcc_registry({issuer.id: {"name": "Example College"}}))
    refresh_issuer_registry(registry=IssuerRegistry.objects.create(name="Consortium", url=url))
    _result, check = _issuer_check(_named(did_key_issuer(), "EXAMPLE COLLEGE"))
    assert check.code == Code.ISSUER_IMPERSONATION


def test_entries_with_one_name_across_registries_are_one_issuer(site):
    local, listed = did_key_issuer(), did_key_issuer()
    TrustedIssuer.objects.create(name="Example College", identifiers=[local.id])
    url = site.add("/registry.json", _dcc_registry({listed.id: {"name": "Example  College"}}))
    refresh_issuer_registry(registry=IssuerRegistry.objects.create(name="Consortium", url=url))
    _result, check = _issuer_check(_named(listed, "Example College"))
    assert check.code == Code.ISSUER_REGISTERED


def test_a_registry_that_cannot_be_fetched_keeps_its_last_entries(site):
    issuer = did_key_issuer()
    url = site.add("/registry.json", _dcc_registry({issuer.id: {"name": "Example College"}}))
    registry = IssuerRegistry.objects.create(name="Consortium", url=url)
    refresh_issuer_registry(registry=registry)
    site.add("/registry.json", {"not": "a registry"})
    refresh_issuer_registry(registry=registry)
    registry.refresh_from_db()
    assert "registry" in registry.last_error
    assert issuer.id in registry.entries


def test_an_inactive_registry_vouches_for_no_one(site):
    issuer = did_key_issuer()
    url = site.add("/registry.json", _dcc_registry({issuer.id: {"name": "Example College"}}))
    registry = IssuerRegistry.objects.create(name="Consortium", url=url)
    refresh_issuer_registry(registry=registry)
    IssuerRegistry.objects.update(is_active=False)
    _result, check = _issuer_check(_named(issuer, "Example College"))
    assert check.code == Code.ISSUER_SELF_ASSERTED


def test_a_key_the_issuer_does_not_control_is_never_better_than_self_asserted_unless_listed():
    urn_issuer = did_key_issuer()
    credential = fixtures.achievement_credential("urn:uuid:6d3f3a6e-0000-4000-8000-000000000001")
    credential["issuer"]["name"] = "Lonely Academy"
    _result, check = _issuer_check(urn_issuer.sign(credential))
    assert check.code == Code.KEY_NOT_LINKED
    assert check.details["identity_level"] == "self_asserted"
    TrustedIssuer.objects.create(name="Lonely Academy", identifiers=[urn_issuer.id])
    _result, check = _issuer_check(urn_issuer.sign(credential))
    assert check.code == Code.ISSUER_REGISTERED


def test_a_jwt_signed_by_a_registered_key_is_registered(university):
    credential = university.credential(subject_id="mailto:ada@example.org")
    token = university.jwt(
        {
            "iss": university.id,
            "sub": "mailto:ada@example.org",
            "nbf": 1704067200,  # the credential's validFrom
            "jti": credential["id"],
            "vc": credential,
        }
    )
    [result] = verify_bytes(token.encode(), recipient=ADA)
    assert result.check(CheckName.ISSUER).code == Code.ISSUER_REGISTERED
