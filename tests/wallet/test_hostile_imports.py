"""The hostile-input corpus through the import page: no 500, nothing half-stored."""

from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from credentials.models import Credential

pytestmark = pytest.mark.django_db

CORPUS = sorted((Path(__file__).resolve().parents[1] / "corpus" / "hostile").iterdir())
XSS_MARKERS = ["<script>alert", "<img src=x", 'href="javascript:']


def test_the_corpus_is_big_enough():
    assert len(CORPUS) >= 60


def _assert_whole(response) -> None:
    assert response.status_code in {302, 400}, response.status_code
    for credential in Credential.objects.all():
        assert default_storage.exists(credential.original.name)
        if credential.image:
            assert default_storage.exists(credential.image.name)
    if not Credential.objects.exists():
        assert not default_storage.exists("originals") or not any(
            default_storage.listdir("originals")
        )


@pytest.mark.parametrize("path", CORPUS, ids=[path.name for path in CORPUS])
def test_an_uploaded_hostile_file_never_breaks_the_page(learner_client, path):
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    response = learner_client.post(
        reverse("wallet:credential_import"), {"source": "upload", "upload-file": upload}
    )
    _assert_whole(response)
    if response.status_code == 400:
        assert "This could not be imported" in response.text or "errorlist" in response.text
    for credential in Credential.objects.all():
        page = learner_client.get(credential.get_absolute_url()).text
        for marker in XSS_MARKERS:
            assert marker not in page


@pytest.mark.parametrize("path", CORPUS, ids=[path.name for path in CORPUS])
def test_pasted_hostile_text_never_breaks_the_page(learner_client, path):
    text = path.read_bytes().decode("utf-8", errors="replace")
    response = learner_client.post(
        reverse("wallet:credential_import"), {"source": "paste", "paste-text": text}
    )
    _assert_whole(response)
