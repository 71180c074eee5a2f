"""Reading credentials from JSON, JWT, baked PNG/SVG, presentations and CLRs."""

import base64
import json

import pytest

from credentials.formats import CredentialFormat, CredentialFormatError, read_credentials
from credentials.formats.normalize import normalize
from tests.credentials.support import fixtures

ISSUER = "did:key:z6MkexampleIssuer"


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def unsigned_jwt(payload: dict, header: dict | None = None) -> str:
    """A JWT-shaped string; reading never checks the signature."""
    return f"{_b64(header or {'alg': 'EdDSA'})}.{_b64(payload)}.c2lnbmF0dXJl"


def test_it_reads_an_ob3_json_credential_with_its_exact_bytes():
    data = json.dumps(fixtures.achievement_credential(ISSUER), indent=2).encode()
    [parsed] = read_credentials(data)
    assert parsed.format == CredentialFormat.OB3_VC
    assert parsed.index == 0
    assert parsed.original == data
    assert parsed.jws is None


def test_it_reads_a_vc_jwt_and_keeps_the_token():
    credential = fixtures.achievement_credential(ISSUER)
    token = unsigned_jwt({"vc": credential, "iss": ISSUER, "jti": credential["id"]})
    [parsed] = read_credentials(f"{token}\n".encode())
    assert parsed.format == CredentialFormat.OB3_JWT
    assert parsed.jws == token
    assert parsed.document == credential
    assert parsed.claims["iss"] == ISSUER


def test_it_reads_an_ob2_signed_assertion_given_as_jws():
    assertion = fixtures.ob2_assertion(
        "https://example.org/a/1", "https://example.org/b", kind="signed"
    )
    [parsed] = read_credentials(unsigned_jwt(assertion, {"alg": "RS256"}).encode())
    assert parsed.format == CredentialFormat.OB2_SIGNED
    assert parsed.document["id"] == "https://example.org/a/1"


def test_it_reads_an_ob2_hosted_assertion():
    assertion = fixtures.ob2_assertion("https://example.org/a/1", "https://example.org/b")
    [parsed] = read_credentials(json.dumps(assertion).encode())
    assert parsed.format == CredentialFormat.OB2_HOSTED


@pytest.mark.parametrize("compressed", [False, True])
def test_it_reads_a_credential_baked_into_a_png(compressed):
    credential = fixtures.achievement_credential(ISSUER)
    image = fixtures.baked_png(json.dumps(credential), compressed=compressed)
    [parsed] = read_credentials(image, filename="badge.png")
    assert parsed.format == CredentialFormat.OB3_VC
    assert parsed.document == credential
    assert parsed.baked_image == image
    assert parsed.original == image


def test_it_reads_a_jwt_baked_into_a_png():
    credential = fixtures.achievement_credential(ISSUER)
    token = unsigned_jwt({"vc": credential})
    [parsed] = read_credentials(fixtures.baked_png(token))
    assert parsed.format == CredentialFormat.OB3_JWT
    assert parsed.jws == token


def test_it_reads_a_legacy_png_holding_only_the_assertion_url():
    url = "https://example.org/assertions/7"
    image = fixtures.png(fixtures.png_chunk(b"tEXt", b"openbadges\x00" + url.encode()))
    [parsed] = read_credentials(image)
    assert parsed.format == CredentialFormat.OB2_HOSTED
    assert parsed.url == url


def test_it_reads_an_ob3_svg_with_a_doctype():
    credential = fixtures.achievement_credential(ISSUER)
    [parsed] = read_credentials(fixtures.baked_svg(json.dumps(credential)), filename="b.svg")
    assert parsed.document == credential
    assert parsed.baked_image is not None


def test_it_reads_an_ob2_svg_whose_verify_attribute_holds_the_url():
    url = "https://example.org/assertions/8"
    svg = fixtures.baked_svg("", ob3=False, verify=url)
    [parsed] = read_credentials(svg)
    assert parsed.format == CredentialFormat.OB2_HOSTED
    assert parsed.url == url


def test_a_presentation_yields_each_member_not_itself():
    first = fixtures.achievement_credential(ISSUER, name="First")
    second = fixtures.achievement_credential(ISSUER, name="Second")
    token = unsigned_jwt({"vc": second})
    found = read_credentials(json.dumps(fixtures.presentation([first, token])).encode())
    assert [(p.index, p.format) for p in found] == [
        (0, CredentialFormat.OB3_VC),
        (1, CredentialFormat.OB3_JWT),
    ]
    assert found[1].original == token.encode()


def test_an_enveloped_vc_jwt_in_a_presentation_is_read_as_its_token():
    # The shape this wallet's own JSON download gives a VC-JWT (VCDM 2.0 enveloping).
    token = unsigned_jwt({"vc": fixtures.achievement_credential(ISSUER, name="Wrapped")})
    enveloped = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": f"data:application/vc+jwt,{token}",
        "type": "EnvelopedVerifiableCredential",
    }
    [parsed] = read_credentials(json.dumps(fixtures.presentation([enveloped])).encode())
    assert parsed.format == CredentialFormat.OB3_JWT
    assert parsed.jws == token
    assert parsed.document["name"] == "Wrapped"


def test_an_enveloped_credential_of_another_media_type_is_refused_plainly():
    enveloped = {
        "id": "data:application/dc+sd-jwt,abc~def",
        "type": "EnvelopedVerifiableCredential",
    }
    with pytest.raises(CredentialFormatError, match="not a VC-JWT this wallet reads"):
        read_credentials(json.dumps(fixtures.presentation([enveloped])).encode())


def test_a_clr_yields_itself_with_its_nested_credentials_numbered_after_it():
    members = [fixtures.achievement_credential(ISSUER, name=n) for n in ("A", "B")]
    [clr] = read_credentials(json.dumps(fixtures.clr_credential(ISSUER, members)).encode())
    assert clr.format == CredentialFormat.CLR
    assert [child.index for child in clr.children] == [1, 2]
    assert [child.document["name"] for child in clr.children] == ["A", "B"]


def test_it_refuses_json_that_is_no_known_credential():
    with pytest.raises(CredentialFormatError, match="not a credential"):
        read_credentials(b'{"hello": "world"}')


def test_the_normalized_view_of_an_ob3_credential_is_plain_text():
    credential = fixtures.achievement_credential(ISSUER, name="<b>Teamwork</b>")
    view = normalize(credential, format=CredentialFormat.OB3_VC)
    assert view["name"] == "<b>Teamwork</b>"
    assert view["issuer"] == {
        "id": ISSUER,
        "name": "Example University",
        "url": "",
        "email": "",
    }
    assert view["criteria"]["narrative"] == "Nominated by peers."
    assert view["image"] == "https://example.org/teamwork.png"
    assert view["alignments"][0]["framework"] == "Example Skills"
    assert view["alignments"][0]["code"] == "C1"
    assert view["issued_on"] == "2024-01-01T00:00:00+00:00"
    assert view["recipient"]["id"] == fixtures.LEARNER_DID


def test_the_normalized_view_drops_script_urls():
    credential = fixtures.achievement_credential(ISSUER)
    credential["credentialSubject"]["achievement"]["image"] = "javascript:alert(1)"
    credential["credentialSubject"]["achievement"]["criteria"] = {"id": "javascript:alert(1)"}
    view = normalize(credential, format=CredentialFormat.OB3_VC)
    assert view["image"] == ""
    assert view["criteria"]["url"] == ""


def test_the_normalized_view_of_an_ob2_assertion_uses_its_badge_and_issuer():
    issuer = fixtures.ob2_issuer("https://example.org/issuer")
    badge = fixtures.ob2_badge("https://example.org/badge", issuer["id"])
    assertion = fixtures.ob2_assertion("https://example.org/a/1", badge["id"], expires="2030-01-01")
    view = normalize(assertion, format=CredentialFormat.OB2_HOSTED, badge=badge, issuer=issuer)
    assert view["name"] == "Robotics"
    assert view["issuer"]["name"] == "Example College"
    assert view["expires_on"] == "2030-01-01T00:00:00+00:00"
    assert view["alignments"][0]["name"] == "Engineering"
    assert view["recipient"]["hashed"] is True


def test_a_presentation_sent_as_a_jwt_yields_its_members():
    credential = fixtures.achievement_credential(ISSUER)
    token = unsigned_jwt(
        {"vp": fixtures.presentation([credential, unsigned_jwt({"vc": credential})])}
    )
    found = read_credentials(token.encode())
    assert [parsed.format for parsed in found] == [
        CredentialFormat.OB3_VC,
        CredentialFormat.OB3_JWT,
    ]


def test_a_signed_ob2_svg_is_read_from_its_verify_attribute():
    assertion = fixtures.ob2_assertion(
        "https://example.org/a/9", "https://example.org/b", kind="signed"
    )
    token = unsigned_jwt(assertion, {"alg": "RS256"})
    svg = fixtures.baked_svg(json.dumps(assertion), ob3=False, verify=token)
    [parsed] = read_credentials(svg)
    assert parsed.format == CredentialFormat.OB2_SIGNED
    assert parsed.jws == token


def test_a_clr_is_named_by_itself_not_by_its_first_achievement():
    clr = fixtures.clr_credential(ISSUER, [])
    clr["credentialSubject"]["achievement"] = [{"name": "Algebra"}]
    assert normalize(clr, format=CredentialFormat.CLR)["name"] == "Transcript"


def test_the_normalized_view_of_a_vcdm_1_jwt_takes_dates_and_ids_from_the_claims():
    credential = fixtures.achievement_credential(ISSUER, subject_id=None)
    for moved in ("validFrom", "id"):
        del credential[moved]
    claims = {"nbf": 1_704_067_200, "exp": 1_893_456_000, "jti": "urn:uuid:1", "sub": "did:ex:1"}
    view = normalize(credential, format=CredentialFormat.OB3_JWT, claims=claims)
    assert view["issued_on"] == "2024-01-01T00:00:00+00:00"
    assert view["expires_on"] == "2030-01-01T00:00:00+00:00"
    assert view["credential_id"] == "urn:uuid:1"
    assert view["recipient"]["id"] == "did:ex:1"
