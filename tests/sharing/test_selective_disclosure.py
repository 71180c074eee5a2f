"""Sharing a credential signed for selective disclosure (ecdsa-sd-2023): the learner leaves
fields out, and whatever the employer receives carries a derived proof, never the base.

Every derived credential the employer gets here is also checked by Digital Bazaar's
independent verifier (tests/sharing/js/verify_sd.mjs).
"""

import base64
import json
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from credentials import disclosure
from credentials.models import Credential, CredentialSource, TrustedIssuer
from credentials.services import import_credential
from credentials.verification.suites import ecdsa_sd
from credentials.verification.verdict import Verdict
from sharing import services
from sharing.content import shared_content
from sharing.models import WithheldFields
from sharing.pdf import render_transcript_pdf
from tests.api.conftest import assert_error, token_client
from tests.credentials.support import fixtures, signing
from tests.credentials.support.ecdsa_sd import create_base_proof
from tests.sharing.conftest import import_signed, public_path
from tests.sharing.conftest import make_link as make_plain_link
from tests.sharing.independent import assert_independently_verified
from tests.sharing.pdf_support import pdf_attachments, pdf_text
from tests.wallet.support import client_for
from tests.wallet.test_export import download, export_for, sha
from wallet.curation_services import create_collection

pytestmark = pytest.mark.django_db

MANDATORY = ["/issuer", "/validFrom"]
GRADE = "/credentialSubject/result"
DESCRIPTION = "/credentialSubject/achievement/description"
SECOND_ALIGNMENT = "/credentialSubject/achievement/alignment/1"


def base_credential(name: str = "Teamwork") -> dict:
    """An OB 3.0 credential with a grade and two alignments, signed for selective
    disclosure by a fresh P-256 did:key issuer in the trusted registry."""
    key = signing.new_p256_key()
    issuer_id = signing.did_key_for(key.public_key())
    TrustedIssuer.objects.create(name="Example University", identifiers=[issuer_id])
    credential = fixtures.achievement_credential(
        issuer_id, name=name, subject_id=None, credential_id=f"urn:uuid:{_uuid()}"
    )
    credential["credentialSubject"]["achievement"]["alignment"].append(
        {"type": ["Alignment"], "targetName": "Negotiation", "targetUrl": "https://example.org/n"}
    )
    credential["credentialSubject"]["result"] = [{"type": ["Result"], "value": "A+ with honours"}]
    return create_base_proof(
        credential, key, signing.verification_method_for(key.public_key()), MANDATORY
    )


def _uuid() -> str:
    return str(uuid.uuid4())


def make_link(learner, credentials=(), *, withheld=None, **options):
    """A share link as the conftest makes it, withholding `withheld` (uuid -> pointers)."""
    if withheld is None:
        return make_plain_link(learner, credentials, **options)
    return services.create_share_link(
        owner=learner,
        title="Acme Corp",
        selection=services.Selection.of(credentials=credentials),
        expires_at=services.default_expiry(),
        withheld=withheld,
    )


def import_base(learner, name: str = "Teamwork") -> tuple[Credential, bytes]:
    data = json.dumps(base_credential(name), indent=2).encode()
    credential = import_credential(
        learner=learner, data=data, source=CredentialSource.UPLOAD, filename="teamwork.json"
    ).created[0]
    return credential, data


@pytest.fixture(name="held")
def held_fixture(learner) -> tuple[Credential, bytes]:
    return import_base(learner)


def secrets_of(data: bytes) -> list[bytes]:
    """What must never reach an employer: the base proofValue and the HMAC key, as text."""
    proof_value = json.loads(data)["proof"]["proofValue"]
    hmac_key = ecdsa_sd.parse_base_proof_value(proof_value).hmac_key
    return [
        proof_value.encode(),
        hmac_key.hex().encode(),
        base64.urlsafe_b64encode(hmac_key).rstrip(b"="),
        base64.b64encode(hmac_key).rstrip(b"="),
        base64.b64encode(data)[:200],
    ]


def assert_no_base_proof(blob: bytes, data: bytes) -> None:
    for secret in secrets_of(data):
        assert secret not in blob


def downloaded(employer, link) -> tuple[bytes, dict]:
    response = employer.get(public_path(link, ".json"))
    assert response.status_code == 200
    return response.content, response.json()


def the_vc(document: dict) -> dict:
    [vc] = document["presentation"]["verifiableCredential"]
    return vc


# --- done when ---------------------------------------------------------------------------------


def test_a_withheld_grade_is_missing_from_a_download_that_verifies_independently(
    employer, learner, held
):
    credential, data = held
    assert credential.verdict in (Verdict.VERIFIED, Verdict.VERIFIED_WITH_WARNINGS)
    link = make_link(learner, [credential], withheld={str(credential.uuid): [GRADE]})

    raw, document = downloaded(employer, link)

    vc = the_vc(document)
    assert "result" not in vc["credentialSubject"]
    assert b"A+ with honours" not in raw
    assert vc["credentialSubject"]["achievement"]["name"] == "Teamwork"
    assert ecdsa_sd.proof_header(vc["proof"]["proofValue"]) == ecdsa_sd.DERIVED_HEADER
    [entry] = document["credentials"]
    assert entry["detailsWithheld"] is True
    assert json.loads(base64.b64decode(entry["original"]["base64"])) == vc
    assert_no_base_proof(raw, data)
    assert_independently_verified(vc)


def test_no_answer_to_the_employer_carries_the_base_proof(employer, learner, held):
    credential, data = held
    link = make_link(learner, [credential], withheld={str(credential.uuid): [DESCRIPTION]})

    page = employer.get(public_path(link))
    pdf = render_transcript_pdf(shared_content(link), share_url=link.public_url())
    [attached] = pdf_attachments(pdf).values()

    assert page.status_code == 200
    for blob in (page.content, pdf, attached):
        assert_no_base_proof(blob, data)
    derived = json.loads(attached)
    assert "description" not in derived["credentialSubject"]["achievement"]
    text = pdf_text(pdf)
    assert "Thelearnerleftsomedetailsofthiscredentialout." in text
    assert "Workswellwithothers." not in text
    # The PDF does not claim the attachment is the original byte for byte.
    assert "thecopythelearnershared,stillsignedbytheissuer" in text
    assert_independently_verified(derived)


def test_the_page_and_the_pdf_show_only_what_is_revealed_and_say_so(employer, learner, held):
    credential, _data = held
    link = make_link(learner, [credential], withheld={str(credential.uuid): [DESCRIPTION]})

    page = employer.get(public_path(link)).content.decode()

    assert "Works well with others." not in page
    assert "Teamwork" in page
    assert "The learner left some details of this credential out." in page
    content = shared_content(link)
    [item] = content.items
    assert item.has_withheld_details
    assert item.credential.description == ""


def test_with_nothing_withheld_the_employer_still_gets_a_derived_proof(employer, learner, held):
    credential, data = held
    link = make_link(learner, [credential])

    raw, document = downloaded(employer, link)

    vc = the_vc(document)
    assert ecdsa_sd.unsecured(vc) == ecdsa_sd.unsecured(json.loads(data))
    assert ecdsa_sd.proof_header(vc["proof"]["proofValue"]) == ecdsa_sd.DERIVED_HEADER
    assert document["credentials"][0]["detailsWithheld"] is False
    assert_no_base_proof(raw, data)
    page = employer.get(public_path(link)).content.decode()
    assert "left some details" not in page
    assert_independently_verified(vc)


def test_a_credential_reached_through_a_collection_is_derived_too(employer, learner, held):
    credential, data = held
    collection = create_collection(owner=learner, name="Stage", credentials=[credential])
    link = make_link(learner, collections=[collection])

    raw, document = downloaded(employer, link)

    assert_no_base_proof(raw, data)
    assert_independently_verified(the_vc(document))


@pytest.mark.parametrize(
    ("pointer", "gone", "kept"),
    [
        (DESCRIPTION, "Works well with others.", "Nominated by peers."),
        ("/credentialSubject/achievement/criteria", "Nominated by peers.", "Collaboration"),
        (SECOND_ALIGNMENT, "Negotiation", "Collaboration"),
    ],
    ids=["a string", "an object", "an array element"],
)
def test_withholding_each_kind_of_field(employer, learner, held, pointer, gone, kept):
    credential, _data = held
    link = make_link(learner, [credential], withheld={str(credential.uuid): [pointer]})

    raw, document = downloaded(employer, link)

    assert gone.encode() not in raw
    assert kept.encode() in raw
    assert_independently_verified(the_vc(document))


def test_the_learners_export_keeps_the_base_credential_byte_for_byte(
    learner, held, django_capture_on_commit_callbacks
):
    credential, data = held
    make_link(learner, [credential], withheld={str(credential.uuid): [GRADE]})

    job = export_for(learner, django_capture_on_commit_callbacks)
    archive = download(client_for(learner), job)
    manifest = json.loads(archive.read("manifest.json"))
    [entry] = [item for item in manifest["credentials"] if item["uuid"] == str(credential.uuid)]

    assert sha(archive.read(entry["original"]["path"])) == sha(data)


# --- the employer's reads stay cheap ------------------------------------------------------------


def test_reading_the_link_does_not_derive_again(employer, learner, held, monkeypatch):
    credential, _data = held
    link = make_link(learner, [credential], withheld={str(credential.uuid): [GRADE]})
    calls = []
    original = disclosure.derive_credential
    monkeypatch.setattr(
        disclosure, "derive_credential", lambda *a, **k: calls.append(1) or original(*a, **k)
    )

    employer.get(public_path(link))
    employer.get(public_path(link, ".json"))
    employer.get(public_path(link, ".json"))

    assert calls == []


def test_the_download_costs_the_same_queries_for_one_or_three_credentials(employer, learner):
    one = [import_base(learner, "One")[0]]
    three = [import_base(learner, name)[0] for name in ("Two", "Three", "Four")]
    small = make_link(learner, one, withheld={str(one[0].uuid): [GRADE]})
    large = make_link(learner, three, withheld={str(three[0].uuid): [GRADE]})

    counts = []
    for link in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert employer.get(public_path(link, ".json")).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]


# --- the learner's side ------------------------------------------------------------------------


def test_the_credential_page_says_what_is_mandatory_and_what_may_be_withheld(learner_client, held):
    credential, _data = held

    page = learner_client.get(reverse("wallet:credential_detail", args=[credential.uuid]))

    text = page.content.decode()
    assert "Allows selective disclosure" in text
    assert "made mandatory by the issuer" in text
    assert "<li>issuer</li>" in text and "<li>validFrom</li>" in text
    assert "credentialSubject › result" in text


def test_an_ordinary_credential_page_says_nothing_of_it(learner_client, learner):
    credential = import_signed(learner)
    page = learner_client.get(reverse("wallet:credential_detail", args=[credential.uuid]))
    assert "Allows selective disclosure" not in page.content.decode()


def test_the_share_form_withholds_the_ticked_fields(learner_client, learner, held):
    credential, _data = held
    form = learner_client.get(reverse("sharing:link_create"))
    assert f'name="withhold-{credential.uuid}" value="{GRADE}"' in form.content.decode()
    assert 'value="/issuer"' not in form.content.decode()

    response = learner_client.post(
        reverse("sharing:link_create"),
        {
            "title": "Acme",
            "credentials": [str(credential.uuid)],
            "expiry": "30",
            "language": "en",
            f"withhold-{credential.uuid}": [GRADE, SECOND_ALIGNMENT],
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    row = WithheldFields.objects.get(credential=credential)
    assert row.pointers == [GRADE, SECOND_ALIGNMENT]
    edit = learner_client.get(reverse("sharing:link_edit", args=[row.link.uuid]))
    assert f'value="{GRADE}" checked' in edit.content.decode()


# --- the API -------------------------------------------------------------------------------------


def test_the_api_withholds_on_create_and_replaces_on_update(employer, learner, held):
    credential, _data = held
    api = token_client(learner)
    key = str(credential.uuid)

    made = api.send(
        "post",
        "/api/v1/share-links/",
        {"title": "Acme", "credentials": [key], "withheld": {key: [GRADE]}},
    )
    assert made.status_code == 201, made.content
    assert made.json()["withheld"] == {key: [GRADE]}
    link_uuid = made.json()["uuid"]

    changed = api.send(
        "patch", f"/api/v1/share-links/{link_uuid}/", {"withheld": {key: [DESCRIPTION]}}
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["withheld"] == {key: [DESCRIPTION]}
    kept = api.send("patch", f"/api/v1/share-links/{link_uuid}/", {"title": "Acme 2"})
    assert kept.json()["withheld"] == {key: [DESCRIPTION]}


@pytest.mark.parametrize(
    ("pointer", "says"),
    [
        ("/validFrom", "The issuer requires “/validFrom” to be shown"),
        ("/issuer/name", "The issuer requires “/issuer/name” to be shown"),
        ("/credentialSubject/grade", "is not a field of this credential"),
        ("credentialSubject", "is not a JSON pointer"),
    ],
)
def test_the_api_refuses_a_field_that_cannot_be_withheld(learner, held, pointer, says):
    credential, _data = held
    key = str(credential.uuid)

    made = token_client(learner).send(
        "post",
        "/api/v1/share-links/",
        {"title": "Acme", "credentials": [key], "withheld": {key: [pointer]}},
    )

    [message] = assert_error(made, 400)["fields"]["withheld"]
    assert says in message
    assert WithheldFields.objects.count() == 0


def test_the_api_refuses_credentials_it_cannot_withhold_from(learner, other_learner, held):
    credential, _data = held
    ordinary = import_signed(learner)
    elsewhere, _ = import_base(learner, "Robotics")
    someone_elses, _ = import_base(other_learner, "Welding")
    api = token_client(learner)

    def refusal(key: str) -> str:
        made = api.send(
            "post",
            "/api/v1/share-links/",
            {
                "title": "Acme",
                "credentials": [str(credential.uuid), str(ordinary.uuid)],
                "withheld": {key: [GRADE]},
            },
        )
        [message] = assert_error(made, 400)["fields"]["withheld"]
        return message

    assert "not signed for selective disclosure" in refusal(str(ordinary.uuid))
    assert "“Robotics” is not shown on this link" in refusal(str(elsewhere.uuid))
    assert "No credential of yours" in refusal(str(someone_elses.uuid))
    assert "No credential of yours" in refusal("not-a-uuid")
    assert WithheldFields.objects.count() == 0


def test_a_credential_that_cannot_be_derived_is_left_out_not_sent_whole(employer, learner):
    document = base_credential("Tampered")
    document["credentialSubject"]["achievement"]["description"] = "Changed after signing."
    data = json.dumps(document).encode()
    credential = import_credential(
        learner=learner, data=data, source=CredentialSource.UPLOAD, filename="tampered.json"
    ).created[0]
    assert credential.verdict == Verdict.FAILED
    link = make_link(learner, [credential])

    raw, document = downloaded(employer, link)
    page = employer.get(public_path(link))

    assert document["credentials"] == []
    assert_no_base_proof(raw, data)
    assert_no_base_proof(page.content, data)


def import_with_image(learner) -> Credential:
    """A selective-disclosure credential whose achievement carries its image inline."""
    key = signing.new_p256_key()
    issuer_id = signing.did_key_for(key.public_key())
    credential = fixtures.achievement_credential(
        issuer_id, subject_id=None, credential_id=f"urn:uuid:{_uuid()}"
    )
    png = base64.b64encode(fixtures.png(width=8, height=8)).decode()
    credential["credentialSubject"]["achievement"]["image"] = {
        "id": f"data:image/png;base64,{png}",
        "type": "Image",
    }
    signed = create_base_proof(
        credential, key, signing.verification_method_for(key.public_key()), MANDATORY
    )
    return import_credential(
        learner=learner,
        data=json.dumps(signed).encode(),
        source=CredentialSource.UPLOAD,
        filename="pictured.json",
    ).created[0]


def test_a_withheld_image_is_not_served_to_the_employer(employer, learner):
    credential = import_with_image(learner)
    assert credential.image
    image = "/credentialSubject/achievement/image"
    hidden = make_link(learner, [credential], withheld={str(credential.uuid): [image]})
    shown = make_link(learner, [credential])

    def image_of(link):
        return employer.get(public_path(link, f"/images/{credential.uuid}.png"))

    assert image_of(shown).status_code == 200
    assert image_of(hidden).status_code == 404
    assert (
        f"/images/{credential.uuid}.png" not in employer.get(public_path(hidden)).content.decode()
    )
