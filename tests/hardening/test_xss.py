"""Hostile text in every field of a credential comes back escaped wherever it is shown:
the learner's pages, the employer's page, the PDF transcript and admin."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from credentials.models import CredentialSource
from credentials.services import import_credential
from sharing.models import Transcript
from sharing.services.links import Selection, create_share_link
from sharing.services.transcripts import request_transcript
from tests.credentials.support.issuer import did_key_issuer
from tests.sharing.pdf_support import pdf_text

pytestmark = pytest.mark.django_db

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
MARKERS = ["<script>alert", "<img src=x", 'href="javascript:']


def hostile_credential(email: str = "ada@example.org"):
    issuer = did_key_issuer()
    document = issuer.credential(name=PAYLOAD, subject_id=f"mailto:{email}")
    document["issuer"]["name"] = PAYLOAD
    document["issuer"]["url"] = "javascript:alert(2)"
    achievement = document["credentialSubject"]["achievement"]
    achievement["description"] = PAYLOAD
    achievement["criteria"] = {"narrative": PAYLOAD, "id": "javascript:alert(3)"}
    achievement["alignment"][0]["targetName"] = PAYLOAD
    achievement["alignment"][0]["targetUrl"] = "javascript:alert(4)"
    return issuer.sign(document)


def test_hostile_text_is_escaped_on_every_page_that_shows_it(
    learner, admin_user, settings, django_capture_on_commit_callbacks
):
    settings.ADMIN_REQUIRES_MFA = False
    credential = import_credential(
        learner=learner,
        data=json.dumps(hostile_credential(learner.email)).encode(),
        source=CredentialSource.PASTE,
    ).created[0]
    link = create_share_link(
        owner=learner,
        title=PAYLOAD[:100],
        message=PAYLOAD,
        selection=Selection.of(credentials=[credential]),
        expires_at=None,
    )
    owner = Client()
    owner.force_login(learner)
    staff = Client()
    staff.force_login(admin_user)
    pages = {
        "credential page": owner.get(credential.get_absolute_url()),
        "dashboard": owner.get(reverse("wallet:dashboard")),
        "link page": owner.get(reverse("sharing:link_detail", args=[link.uuid])),
        "employer page": Client().get(f"/s/{link.reveal_token()}/"),
        "admin": staff.get(reverse("admin:credentials_credential_change", args=[credential.pk])),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        text = response.content.decode()
        for marker in MARKERS:
            assert marker not in text, f"{marker} unescaped on the {name}"
    assert "&lt;script&gt;" in pages["employer page"].content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        request_transcript(link=link)
    transcript = Transcript.objects.get(link=link)
    with transcript.file.open("rb") as handle:
        text = pdf_text(handle.read())
    # Shown as the literal text it is, not interpreted as markup.
    assert '<script>alert("x")</script>' in text
