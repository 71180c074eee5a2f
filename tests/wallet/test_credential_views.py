"""The import page, the credential page and the original download."""

import hashlib
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from credentials.models import Credential, CredentialSource, ImportJob
from credentials.services import import_credential
from tests.credentials.support.issuer import did_key_issuer
from tests.credentials.support.server import local_server_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def signed_for(email: str, **options) -> dict:
    return did_key_issuer().signed(
        subject_id=None,
        identifier={
            "type": "IdentityObject",
            "identityHash": email,
            "identityType": "emailAddress",
            "hashed": False,
        },
        **options,
    )


def stored(learner, document) -> Credential:
    return import_credential(
        learner=learner, data=json.dumps(document).encode(), source=CredentialSource.PASTE
    ).created[0]


def test_the_import_page_needs_a_login(employer):
    response = employer.get(reverse("wallet:credential_import"))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_the_import_page_offers_four_ways_in(learner_client):
    page = learner_client.get(reverse("wallet:credential_import")).text
    for heading in ["Upload a file", "Paste text", "From a web address", "Record it yourself"]:
        assert heading in page


def test_uploading_a_file_shows_the_verdict_and_every_check(learner_client, learner):
    data = json.dumps(signed_for(learner.email)).encode()
    upload = SimpleUploadedFile("teamwork.json", data, content_type="application/json")
    response = learner_client.post(
        reverse("wallet:credential_import"),
        {"source": "upload", "upload-file": upload},
        follow=True,
    )
    assert response.status_code == 200
    page = response.text
    assert "Teamwork" in page
    assert "Verified with warnings" in page
    for check in ["Proof", "Issuer", "Recipient", "Dates", "Status"]:
        assert f">{check}</th>" in page


def test_pasting_garbage_says_exactly_why(learner_client):
    response = learner_client.post(
        reverse("wallet:credential_import"), {"source": "paste", "paste-text": '{"a": 1, "a": 2}'}
    )
    assert response.status_code == 400
    assert "repeats the key" in response.text
    assert Credential.objects.count() == 0


def test_an_unknown_source_shows_the_four_ways_in_again(learner_client):
    response = learner_client.post(reverse("wallet:credential_import"), {"source": "ftp"})
    assert response.status_code == 200
    assert "Upload a file" in response.text
    assert Credential.objects.count() == 0


def test_importing_twice_sends_the_learner_to_the_one_already_there(learner_client, learner):
    document = signed_for(learner.email)
    first = stored(learner, document)
    response = learner_client.post(
        reverse("wallet:credential_import"),
        {"source": "paste", "paste-text": json.dumps(document)},
    )
    assert response.status_code == 302
    assert response.url == first.get_absolute_url()


def test_self_reported_learning_is_labelled_as_such(learner_client):
    response = learner_client.post(
        reverse("wallet:credential_import"),
        {"self-title": "Built a birdhouse", "source": "self", "self-description": XSS},
        follow=True,
    )
    credential = Credential.objects.get()
    assert credential.verdict == "self_reported"
    assert response.redirect_chain[-1][0] == credential.get_absolute_url()
    assert "Self-reported" in response.text
    assert "<dt>Recorded</dt>" in response.text
    assert "entered by the learner" not in response.text
    assert "&lt;script&gt;" in response.text
    assert "Verification checks" not in response.text
    dashboard = learner_client.get(reverse("wallet:dashboard")).text
    assert '<p class="muted">Recorded by you</p>' in dashboard


def test_imported_text_is_escaped_on_the_credential_page(learner_client, learner):
    document = signed_for(learner.email, name=XSS)
    credential = stored(learner, document)
    page = learner_client.get(credential.get_absolute_url()).text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page
    assert "<img src=x" not in page


def test_the_original_downloads_byte_for_byte_and_is_never_rendered(learner_client, learner):
    data = json.dumps(signed_for(learner.email), indent=1).encode() + b"\n"
    credential = import_credential(
        learner=learner, data=data, source=CredentialSource.UPLOAD, filename="mine.json"
    ).created[0]
    response = learner_client.get(reverse("wallet:credential_original", args=[credential.uuid]))
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == hashlib.sha256(data).hexdigest()
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.parametrize("name", ["credential_detail", "credential_original", "credential_delete"])
def test_another_learner_gets_404(learner, other_learner, name):
    credential = stored(learner, signed_for(learner.email))
    client = Client()
    client.force_login(other_learner)
    assert client.get(reverse(f"wallet:{name}", args=[credential.uuid])).status_code == 404


def test_reverify_is_a_post_and_keeps_the_verdict(learner_client, learner):
    credential = stored(learner, signed_for(learner.email))
    url = reverse("wallet:credential_reverify", args=[credential.uuid])
    assert learner_client.get(url).status_code == 405
    response = learner_client.post(url, follow=True)
    assert "Verified again" in response.text


def test_deleting_asks_first_then_removes_the_files(
    learner_client, learner, django_capture_on_commit_callbacks
):
    credential = stored(learner, signed_for(learner.email))
    name = credential.original.name
    url = reverse("wallet:credential_delete", args=[credential.uuid])
    assert "cannot be undone" in learner_client.get(url).text
    from django.core.files.storage import default_storage

    assert default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        response = learner_client.post(url)
    assert response.status_code == 302
    assert not Credential.objects.filter(pk=credential.pk).exists()
    assert not default_storage.exists(name)


def test_a_url_import_runs_as_a_job_and_lands_on_the_credential(
    learner_client, learner, local_server, django_capture_on_commit_callbacks
):
    data = json.dumps(signed_for(learner.email)).encode()
    local_server.add("/badge.json", data, content_type="application/json")
    with django_capture_on_commit_callbacks(execute=True):
        response = learner_client.post(
            reverse("wallet:credential_import"),
            {"source": "url", "url-url": local_server.url("/badge.json")},
        )
    job = ImportJob.objects.get()
    assert response.url == reverse("wallet:import_job", args=[job.uuid])
    assert job.status == "ready"
    page = learner_client.get(response.url)
    credential = Credential.objects.get()
    assert page.url == credential.get_absolute_url()
    assert credential.source == "url"


def test_a_url_import_of_a_private_address_fails_with_the_reason(
    learner_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = learner_client.post(
            reverse("wallet:credential_import"),
            {"source": "url", "url-url": "https://10.0.0.1/badge.json"},
        )
    job = ImportJob.objects.get()
    assert job.status == "failed"
    assert "not on the public internet" in job.error
    page = learner_client.get(response.url).text
    assert "The import failed" in page


def test_the_dashboard_lists_credentials_and_announces_revocations(learner_client, learner):
    credential = stored(learner, signed_for(learner.email))
    Credential.objects.filter(pk=credential.pk).update(verdict="revoked", has_unseen_change=True)
    page = learner_client.get(reverse("wallet:dashboard")).text
    assert "Changed since your last visit" in page
    assert "Teamwork" in page
    again = learner_client.get(reverse("wallet:dashboard")).text
    assert "Changed since your last visit" not in again


def test_a_refused_paste_says_why_once(learner_client):
    response = learner_client.post(
        reverse("wallet:credential_import"), {"source": "paste", "paste-text": '{"a": '}
    )
    assert response.text.count("malformed or truncated") == 1
