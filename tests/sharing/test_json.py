"""The machine-readable download: the shared originals, for software to verify."""

import base64
import json

import pytest
from django.core.files.base import ContentFile

from credentials.formats import read_credentials
from credentials.models import Credential, CredentialSource
from credentials.verification.engine import verify
from credentials.verification.recipient import RecipientContext
from tests.sharing.conftest import make_link, public_path

pytestmark = pytest.mark.django_db


def stored_row(learner, *, fmt: str, data: bytes, content_type: str, name: str) -> Credential:
    """A stored credential row as an import leaves it (for formats needing a remote issuer)."""
    credential = Credential(
        owner=learner,
        format=fmt,
        source=CredentialSource.PASTE,
        original_content_type=content_type,
        original_name=name,
        fingerprint=f"test:{name}",
        name=name,
        verdict="verified",
        checks=[{"name": "recipient", "status": "passed"}],
    )
    credential.original.save(name, ContentFile(data), save=False)
    credential.save()
    return credential


def test_the_json_holds_vcs_in_a_presentation_that_software_can_verify(
    employer, learner, credential
):
    link = make_link(learner, [credential], include_originals_with_email=True)
    response = employer.get(public_path(link, ".json"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    document = response.json()
    presentation = document["presentation"]
    assert presentation["type"] == ["VerifiablePresentation"]
    assert "https://www.w3.org/ns/credentials/v2" in presentation["@context"]
    [vc] = presentation["verifiableCredential"]
    with credential.original.open("rb") as handle:
        original = handle.read()
    assert vc == json.loads(original)
    [parsed] = read_credentials(json.dumps(vc).encode())
    result = verify(parsed, recipient=RecipientContext())
    proof = next(check for check in result.as_dict()["checks"] if check["name"] == "proof")
    assert proof["status"] == "passed"


def test_every_original_is_included_byte_for_byte(employer, learner, three_credentials):
    link = make_link(learner, three_credentials, include_originals_with_email=True)
    listing = employer.get(public_path(link, ".json")).json()["credentials"]
    by_name = {entry["name"]: entry for entry in listing}
    for credential in three_credentials:
        entry = by_name[credential.name]
        with credential.original.open("rb") as handle:
            assert base64.b64decode(entry["original"]["base64"]) == handle.read()
        assert entry["original"]["sha256"] == credential.original_sha256
        assert entry["verdict"] == "verified"


def test_ob2_assertions_are_given_as_they_are_and_jwts_enveloped(employer, learner):
    assertion = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": "https://issuer.example/assertions/1",
        "badge": "https://issuer.example/badges/robotics",
        "recipient": {"type": "email", "hashed": True, "identity": "sha256$abc"},
        "issuedOn": "2024-01-01T00:00:00Z",
        "verification": {"type": "hosted"},
    }
    ob2_bytes = json.dumps(assertion, indent=4).encode()
    ob2 = stored_row(
        learner, fmt="ob2-hosted", data=ob2_bytes, content_type="application/json", name="ob2.json"
    )
    jwt = b"eyJhbGciOiJFZERTQSJ9.eyJ2YyI6e319.c2lnbmF0dXJl"
    vc_jwt = stored_row(
        learner, fmt="ob3-jwt", data=jwt, content_type="application/jwt", name="vc.jwt"
    )
    link = make_link(learner, [ob2, vc_jwt])
    document = employer.get(public_path(link, ".json")).json()
    assert document["openBadges2"] == [assertion]
    assert document["presentation"]["verifiableCredential"] == [
        {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": f"data:application/vc+jwt,{jwt.decode()}",
            "type": "EnvelopedVerifiableCredential",
        }
    ]


def test_the_page_answers_json_when_software_asks_for_it(employer, learner, credential):
    link = make_link(learner, [credential])
    response = employer.get(public_path(link), HTTP_ACCEPT="application/ld+json")
    assert response["Content-Type"].startswith("application/json")
    assert "Accept" in response["Vary"]
    assert response.json()["url"] == link.public_url()
    browser = employer.get(public_path(link), HTTP_ACCEPT="text/html,*/*;q=0.8")
    assert browser["Content-Type"].startswith("text/html")


def test_hidden_credentials_are_not_in_the_download(employer, learner, three_credentials):
    from wallet.models import Curation

    link = make_link(learner, three_credentials)
    Curation.objects.create(credential=three_credentials[0], is_hidden=True)
    names = [
        entry["name"] for entry in employer.get(public_path(link, ".json")).json()["credentials"]
    ]
    assert three_credentials[0].name not in names
    assert len(names) == 2


def test_open_badges_1_and_blockcerts_2_originals_are_kept_apart_from_the_presentation(
    employer, learner
):
    ob1_assertion = {
        "uid": "abc123",
        "recipient": "sha256$abc",
        "badge": "https://issuer.example/badge.json",
        "verify": {"type": "hosted", "url": "https://issuer.example/assertion.json"},
        "issuedOn": 1356998400,
    }
    ob1 = stored_row(
        learner,
        fmt="ob1",
        data=json.dumps(ob1_assertion).encode(),
        content_type="application/json",
        name="ob1.json",
    )
    certificate = {
        "@context": ["https://w3id.org/openbadges/v2", "https://w3id.org/blockcerts/v2"],
        "type": "Assertion",
        "id": "urn:uuid:bbba8553-8ec1-445f-82c9-a57251dd731c",
        "signature": {"type": ["MerkleProof2017", "Extension"]},
    }
    blockcerts = stored_row(
        learner,
        fmt="blockcerts",
        data=json.dumps(certificate).encode(),
        content_type="application/json",
        name="blockcerts.json",
    )
    blockcerts.document = certificate
    blockcerts.save(update_fields=["document"])
    link = make_link(learner, [ob1, blockcerts])
    document = employer.get(public_path(link, ".json")).json()
    assert document["presentation"]["verifiableCredential"] == []
    assert document["openBadges2"] == []
    others = document["otherCredentials"]
    assert sorted(others, key=json.dumps) == sorted([ob1_assertion, certificate], key=json.dumps)


def test_the_json_download_reads_the_learners_addresses_once_whatever_it_holds(employer, learner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.sharing.conftest import import_signed

    def queries_for(count: int) -> int:
        shared = [import_signed(learner, name=f"Skill {count}-{n}") for n in range(count)]
        path = public_path(make_link(learner, shared, include_originals_with_email=False), ".json")
        employer.get(path)  # the first visit fills the page cache
        with CaptureQueriesContext(connection) as captured:
            assert employer.get(path).status_code == 200
        return len(captured)

    assert queries_for(2) == queries_for(6)
