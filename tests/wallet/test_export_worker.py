"""The export travels through Redis to a real Celery worker and comes back byte-identical."""

import hashlib
import json
import time
import zipfile

import pytest

from credentials.models import CredentialSource
from credentials.services import import_credential
from tests.conftest import make_learner
from tests.wallet.support import signed_document
from wallet.export_services import request_export
from wallet.models import ExportJob


@pytest.fixture
def worker_media(monkeypatch, tmp_path):
    """Point the worker at this test's media folder (the one `_isolated_media` set up)."""
    monkeypatch.setenv("MEDIA_ROOT", str(tmp_path / "media"))


@pytest.mark.worker
def test_a_real_worker_builds_the_export(worker_media, celery_worker_process):
    learner = make_learner("exporter@example.org")
    data = json.dumps(signed_document(learner.email), indent=2).encode() + b"\n"
    import_credential(learner=learner, data=data, source=CredentialSource.UPLOAD)
    job = request_export(owner=learner)
    deadline = time.monotonic() + 60
    while not job.is_done and time.monotonic() < deadline:
        time.sleep(0.3)
        job = ExportJob.objects.get(pk=job.pk)
    assert job.status == "ready", celery_worker_process.log_path.read_text()[-3000:]
    with job.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        body = archive.read(manifest["credentials"][0]["original"]["path"])
    assert hashlib.sha256(body).hexdigest() == hashlib.sha256(data).hexdigest()
