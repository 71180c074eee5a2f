"""Download everything: a ZIP built by a task, originals byte-for-byte, kept 7 days."""

import hashlib
import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from credentials.models import AuditEvent, CredentialSource
from credentials.services import create_self_reported, import_credential
from tests.wallet.support import client_for, signed_document
from wallet import curation_services, export_services
from wallet.models import ExportJob
from wallet.tasks import build_export_task, clean_up_exports

pytestmark = pytest.mark.django_db
XSS = '<script>alert("x")</script>'


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def originals(learner) -> dict[str, bytes]:
    """Two real credentials imported from exact bytes, one with hostile text, plus curation."""
    found = {}
    for name, indent in [("Teamwork", 1), (XSS, 3)]:
        data = json.dumps(signed_document(learner.email, name=name), indent=indent).encode()
        data += b"\r\n"
        credential = import_credential(
            learner=learner, data=data, source=CredentialSource.UPLOAD, filename="../../x.json"
        ).created[0]
        curation_services.index_credentials(credentials=[credential])
        found[str(credential.uuid)] = data
    credential = learner.credentials.get(name="Teamwork")
    curation_services.set_credential_tags(credential=credential, names=["été"])
    curation_services.update_credential_notes(
        credential=credential, note="Ma note", public_description="Ce que j'ai fait"
    )
    curation_services.create_collection(owner=learner, name="Stage", credentials=[credential])
    return found


def export_for(learner, django_capture_on_commit_callbacks) -> ExportJob:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(learner).post(reverse("wallet:export_request"))
    job = ExportJob.objects.get(owner=learner)
    assert response.url == reverse("wallet:export_detail", args=[job.uuid])
    return job


def download(client, job) -> zipfile.ZipFile:
    response = client.get(reverse("wallet:export_download", args=[job.uuid]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_export_holds_every_original_byte_for_byte(
    learner, originals, django_capture_on_commit_callbacks
):
    job = export_for(learner, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert (job.status, job.progress) == ("ready", 100)
    assert job.expires_at > timezone.now() + timedelta(days=6, hours=23)
    archive = download(client_for(learner), job)
    manifest = json.loads(archive.read("manifest.json"))
    by_uuid = {entry["uuid"]: entry for entry in manifest["credentials"]}
    for uuid, data in originals.items():
        entry = by_uuid[uuid]["original"]
        assert not entry["path"].count("..")
        assert sha(archive.read(entry["path"])) == sha(data) == entry["sha256"]


def test_the_manifest_holds_notes_tags_collections_skills_and_verification(
    learner, originals, django_capture_on_commit_callbacks
):
    job = export_for(learner, django_capture_on_commit_callbacks)
    manifest = json.loads(download(client_for(learner), job).read("manifest.json"))
    teamwork = next(c for c in manifest["credentials"] if c["name"] == "Teamwork")
    assert teamwork["tags"] == ["été"]
    assert teamwork["note"] == "Ma note"
    assert teamwork["public_description"] == "Ce que j'ai fait"
    assert teamwork["verification"]["verdict"] == "verified_with_warnings"
    assert teamwork["verification"]["checks"]
    assert teamwork["normalized"]["name"] == "Teamwork"
    assert manifest["collections"][0]["credentials"] == [teamwork["uuid"]]
    assert manifest["skills"][0]["name"] == "Collaboration"
    assert teamwork["skills"] == [manifest["skills"][0]["uuid"]]


def test_the_index_page_is_readable_and_escaped(
    learner, originals, django_capture_on_commit_callbacks
):
    job = export_for(learner, django_capture_on_commit_callbacks)
    index = download(client_for(learner), job).read("index.html").decode()
    assert "Teamwork" in index
    assert "&lt;script&gt;" in index
    assert "<script>" not in index


def test_self_reported_evidence_files_are_exported_too(learner, django_capture_on_commit_callbacks):
    create_self_reported(
        learner=learner,
        title="Birdhouse",
        evidence_file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan", "application/pdf"),
    )
    job = export_for(learner, django_capture_on_commit_callbacks)
    archive = download(client_for(learner), job)
    manifest = json.loads(archive.read("manifest.json"))
    path = manifest["credentials"][0]["evidence_file"]
    assert archive.read(path) == b"%PDF-1.4 plan"


def test_asking_twice_while_one_is_running_reuses_it_and_it_is_audited(learner):
    first = export_services.request_export(owner=learner)
    assert export_services.request_export(owner=learner) == first
    assert AuditEvent.objects.filter(action="export.requested", actor=learner).count() == 1


def test_the_progress_page_refreshes_itself_until_ready(learner):
    job = ExportJob.objects.create(owner=learner, progress=40, status="running")
    page = client_for(learner).get(reverse("wallet:export_detail", args=[job.uuid])).text
    assert 'data-poll-seconds="2"' in page
    assert 'value="40"' in page
    assert "Refresh now" in page


def test_the_task_is_idempotent_and_ignores_missing_jobs(learner, originals):
    job = ExportJob.objects.create(owner=learner)
    build_export_task(job.pk)
    job.refresh_from_db()
    name = job.file.name
    ExportJob.objects.filter(pk=job.pk).update(status="running")
    build_export_task(job.pk)
    job.refresh_from_db()
    assert job.file.name == name
    assert default_storage.exists(name)
    build_export_task(10**9)


def test_files_older_than_seven_days_are_deleted(learner, originals):
    job = ExportJob.objects.create(owner=learner)
    export_services.build_export(job=job)
    name = job.file.name
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert clean_up_exports() == 1
    job.refresh_from_db()
    assert not job.file
    assert not default_storage.exists(name)
    assert (
        client_for(learner).get(reverse("wallet:export_download", args=[job.uuid])).status_code
        == 404
    )
    assert "Expired" in client_for(learner).get(reverse("wallet:export_list")).text


def test_exports_are_the_owners_only(learner, other_learner, employer, originals):
    job = ExportJob.objects.create(owner=learner)
    export_services.build_export(job=job)
    for name in ["export_detail", "export_download"]:
        url = reverse(f"wallet:{name}", args=[job.uuid])
        assert client_for(other_learner).get(url).status_code == 404
        assert reverse("account_login") in employer.get(url).url
    assert reverse("account_login") in employer.post(reverse("wallet:export_request")).url
    assert client_for(learner).get(reverse("wallet:export_request")).status_code == 405


def test_an_unfinished_export_cannot_be_downloaded(learner):
    job = ExportJob.objects.create(owner=learner)
    url = reverse("wallet:export_download", args=[job.uuid])
    assert client_for(learner).get(url).status_code == 404


def test_the_job_sweeper_queues_a_stranded_export_again(learner, originals):
    from credentials.services import requeue_stale_jobs

    job = ExportJob.objects.create(owner=learner)
    ExportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    assert requeue_stale_jobs() == 1
    job.refresh_from_db()
    assert job.status == "ready"
    assert job.file
