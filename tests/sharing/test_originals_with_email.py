"""Originals that name the learner's address in the clear: left out of the downloads
unless the learner includes them (or shows the address anyway)."""

import base64

import pytest
from django.urls import reverse

from sharing.content import shared_content
from sharing.models import ShareLink
from sharing.pdf import render_transcript_pdf
from tests.sharing.conftest import import_signed, make_link, public_path
from tests.sharing.pdf_support import pdf_attachments

pytestmark = pytest.mark.django_db


def downloads(employer, link) -> tuple[bytes, dict[str, bytes]]:
    """The JSON download and the PDF's attachments, as the employer would get them."""
    document = employer.get(public_path(link, ".json"))
    assert document.status_code == 200
    pdf = render_transcript_pdf(shared_content(link), share_url=link.public_url())
    return document.content, pdf_attachments(pdf)


def test_with_the_option_off_no_download_carries_the_address(employer, learner):
    credential = import_signed(learner, email=learner.email)
    link = make_link(learner, [credential])
    assert not link.show_email and not link.include_originals_with_email

    document, attachments = downloads(employer, link)

    assert learner.email.encode() not in document
    [entry] = employer.get(public_path(link, ".json")).json()["credentials"]
    assert entry["originalWithheld"] is True
    assert entry["verdict"] == credential.verdict
    assert "original" not in entry
    assert attachments == {}


def test_with_the_option_on_the_originals_go_out_with_the_address(employer, learner):
    credential = import_signed(learner, email=learner.email)
    link = make_link(learner, [credential], include_originals_with_email=True)

    _document, attachments = downloads(employer, link)

    [entry] = employer.get(public_path(link, ".json")).json()["credentials"]
    assert learner.email.encode() in base64.b64decode(entry["original"]["base64"])
    [attached] = attachments.values()
    assert learner.email.encode() in attached


def test_an_original_without_the_address_is_always_included(employer, learner):
    credential = import_signed(learner, identifier=None)
    link = make_link(learner, [credential])

    _document, attachments = downloads(employer, link)

    [entry] = employer.get(public_path(link, ".json")).json()["credentials"]
    assert "original" in entry
    assert len(attachments) == 1


def test_the_form_names_the_credentials_that_carry_the_address_and_saves_the_choice(
    learner_client, learner
):
    named = import_signed(learner, name="Teamwork", email=learner.email)
    import_signed(learner, name="Robotics", identifier=None)

    page = learner_client.get(reverse("sharing:link_create")).text
    note = page[page.index('id="originals-with-email"') :]
    note = note[: note.index("</div>")]
    assert "Teamwork" in note and "Robotics" not in note
    response = learner_client.post(
        reverse("sharing:link_create"),
        {
            "title": "Acme",
            "credentials": [str(named.uuid)],
            "expiry": "30",
            "language": "en",
            "include_originals_with_email": "on",
        },
    )
    assert response.status_code == 302
    assert ShareLink.objects.get().include_originals_with_email
