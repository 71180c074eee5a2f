"""Every chooser shows each credential's verdict, and sharing one that failed, was revoked
or has expired takes an explicit choice, in the share form and in the API alike; the
employer then sees it labelled."""

import json
import re

import pytest
from django.urls import reverse

from credentials.models import CredentialSource
from credentials.services import import_credential
from sharing.models import ShareLink
from tests.api.conftest import token_client
from tests.browser.support import email_identifier
from tests.credentials.support.issuer import did_key_issuer
from tests.sharing.conftest import import_signed, make_link, public_path
from wallet.curation_services import (
    add_to_collection,
    create_collection,
    sync_skills_from_alignments,
)

pytestmark = pytest.mark.django_db

CONFIRM = "share_not_valid"


def import_expired(learner, name: str = "First aid 2019"):
    return import_signed(
        learner,
        name=name,
        valid_from="2019-01-01T00:00:00Z",
        valid_until="2020-01-01T00:00:00Z",
    )


def import_tampered(learner, name: str = "Forklift"):
    issuer = did_key_issuer()
    document = issuer.signed(name=name, subject_id=None, identifier=email_identifier(learner.email))
    document["credentialSubject"]["achievement"]["description"] = "Changed after signing."
    return import_credential(
        learner=learner, data=json.dumps(document).encode(), source=CredentialSource.PASTE
    ).created[0]


def form_data(credentials=(), **extra) -> dict:
    data = {
        "title": "Acme Corp",
        "credentials": [str(credential.uuid) for credential in credentials],
        "expiry": "90",
        "allow_transcript": "on",
        "allow_download": "on",
        "language": "en",
    }
    data.update(extra)
    return data


def choice_rows(page: str, name: str) -> list[str]:
    """The chooser rows (labels, with or without their checkbox inside) naming `name`."""
    return re.findall(rf"<label[^>]*>(?:<input[^>]*> )?{re.escape(name)} — .*?</label>", page)


def test_the_share_form_shows_each_credentials_verdict(client, learner):
    good = import_signed(learner, name="Welding")
    expired = import_expired(learner)
    client.force_login(learner)
    page = client.get(reverse("sharing:link_create")).content.decode()
    [welding] = choice_rows(page, good.name)
    assert 'class="verdict verdict-verified"' in welding
    [first_aid] = choice_rows(page, expired.name)
    assert 'class="verdict verdict-expired"' in first_aid
    assert f'name="{CONFIRM}"' in page


def test_a_learner_with_only_valid_credentials_is_not_asked(client, learner):
    import_signed(learner, name="Welding")
    client.force_login(learner)
    page = client.get(reverse("sharing:link_create")).content.decode()
    assert f'name="{CONFIRM}"' not in page


def test_the_collection_and_skill_choosers_show_verdicts_too(client, learner):
    import_tampered(learner)
    collection = create_collection(owner=learner, name="Applications")
    client.force_login(learner)
    page = client.get(collection.get_absolute_url()).content.decode()
    [row] = choice_rows(page, "Forklift")
    assert 'class="verdict verdict-failed"' in row
    [skill] = sync_skills_from_alignments(credential=import_signed(learner, name="Welding"))
    page = client.get(skill.get_absolute_url()).content.decode()
    [row] = choice_rows(page, "Forklift")
    assert 'class="verdict verdict-failed"' in row


def test_sharing_an_expired_credential_needs_the_box_ticked(client, learner):
    expired = import_expired(learner)
    client.force_login(learner)
    response = client.post(reverse("sharing:link_create"), form_data([expired]))
    assert response.status_code == 400
    page = response.content.decode()
    assert "“First aid 2019” has expired." in page
    assert not ShareLink.objects.exists()

    response = client.post(reverse("sharing:link_create"), form_data([expired], **{CONFIRM: "on"}))
    assert response.status_code == 302
    link = ShareLink.objects.get()
    employer_page = client.get(public_path(link)).content.decode()
    assert "First aid 2019" in employer_page
    assert "expired" in employer_page


def test_a_failed_credential_reached_through_a_collection_needs_the_box_too(client, learner):
    tampered = import_tampered(learner)
    collection = create_collection(owner=learner, name="Applications")
    add_to_collection(collection=collection, credentials=[tampered])
    client.force_login(learner)
    data = form_data(collections=[str(collection.uuid)])
    response = client.post(reverse("sharing:link_create"), data)
    assert response.status_code == 400
    assert "“Forklift” failed verification." in response.content.decode()


def test_editing_a_link_does_not_ask_again_for_what_it_already_shows(client, learner):
    expired = import_expired(learner)
    good = import_signed(learner, name="Welding")
    link = make_link(learner, [expired])
    client.force_login(learner)
    edit = reverse("sharing:link_edit", kwargs={"link_uuid": link.uuid})
    response = client.post(edit, form_data([expired, good], expiry="keep"))
    assert response.status_code == 302, response.content.decode()[:2000]
    revoked_later = import_expired(learner, name="CPR 2018")
    response = client.post(edit, form_data([expired, good, revoked_later], expiry="keep"))
    assert response.status_code == 400
    assert "“CPR 2018” has expired." in response.content.decode()


def test_the_api_refuses_an_unconfirmed_not_valid_credential_with_a_clear_code(learner):
    expired = import_expired(learner)
    api = token_client(learner)
    body = {"title": "Acme", "credentials": [str(expired.uuid)]}
    response = api.send("post", "/api/v1/share-links/", body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "not_valid_unconfirmed"
    assert error["message"].startswith("“First aid 2019” has expired. To share it anyway")
    assert not ShareLink.objects.exists()

    response = api.send("post", "/api/v1/share-links/", {**body, CONFIRM: True})
    assert response.status_code == 201
    link = ShareLink.objects.get()
    other = import_tampered(learner)
    response = api.send(
        "patch",
        f"/api/v1/share-links/{link.uuid}/",
        {"credentials": [str(expired.uuid), str(other.uuid)]},
    )
    assert response.status_code == 422
    assert "“Forklift” failed verification." in response.json()["error"]["message"]
