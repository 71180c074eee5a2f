"""The issue's finish line, as a script would do it with only a token and the docs."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.conftest import token_client
from tests.wallet.support import signed_document

pytestmark = pytest.mark.django_db


def test_a_script_imports_collects_shares_and_downloads_the_transcript(
    learner, django_capture_on_commit_callbacks
):
    api = token_client(learner)
    raw = json.dumps(signed_document(learner.email, name="Data analysis")).encode()

    imported = api.post(
        "/api/v1/credentials/import/file/",
        {"file": SimpleUploadedFile("badge.json", raw, content_type="application/json")},
    )
    credential = imported.json()["created"][0]
    collection = api.send(
        "post",
        "/api/v1/collections/",
        {"name": "Applications", "credentials": [credential["uuid"]]},
    ).json()
    link = api.send(
        "post",
        "/api/v1/share-links/",
        {"title": "Acme Corp", "collections": [collection["uuid"]]},
    ).json()
    transcript_path = f"/api/v1/share-links/{link['uuid']}/transcript/"
    with django_capture_on_commit_callbacks(execute=True):
        requested = api.post(transcript_path)
    status = api.get(requested["Location"]).json()
    download = api.get(f"{transcript_path}download/")

    assert imported.status_code == 201
    assert credential["verdict"] in {"verified", "verified_with_warnings"}
    assert link["url"].startswith("http")
    assert status["is_current"] is True
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
