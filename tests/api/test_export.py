"""The "download everything" export through the API."""

import io
import zipfile

import pytest

from credentials.models import JobStatus
from tests.api.conftest import assert_error
from tests.wallet.support import imported
from wallet.models import ExportJob

pytestmark = pytest.mark.django_db


def test_request_follow_and_download_an_export(api, learner, django_capture_on_commit_callbacks):
    imported(learner, name="Teamwork")

    with django_capture_on_commit_callbacks(execute=True):
        requested = api.post("/api/v1/exports/")

    assert requested.status_code == 202
    job = ExportJob.objects.get(uuid=requested.json()["uuid"])
    assert requested["Location"] == f"/api/v1/exports/{job.uuid}/"
    status = api.get(requested["Location"]).json()
    assert status["status"] == JobStatus.READY
    assert status["is_downloadable"] is True
    download = api.get(f"/api/v1/exports/{job.uuid}/download/")
    assert download["Content-Type"] == "application/zip"
    assert download["X-Content-Type-Options"] == "nosniff"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert "manifest.json" in archive.namelist()
    assert [item["uuid"] for item in api.get("/api/v1/exports/").json()["results"]] == [
        str(job.uuid)
    ]


def test_an_export_not_ready_or_deleted_is_a_409(api, learner):
    pending = ExportJob.objects.create(owner=learner)
    gone = ExportJob.objects.create(owner=learner, status=JobStatus.READY)

    assert_error(api.get(f"/api/v1/exports/{pending.uuid}/download/"), 409, "not_ready")
    assert_error(api.get(f"/api/v1/exports/{gone.uuid}/download/"), 409, "expired")


def test_one_export_at_a_time(api):
    first = api.post("/api/v1/exports/").json()
    second = api.post("/api/v1/exports/").json()

    assert first["uuid"] == second["uuid"]


@pytest.mark.parametrize("suffix", ["", "download/"])
def test_another_learners_export_is_a_404_and_nobody_is_a_401(
    other_api, anonymous, learner, suffix
):
    job = ExportJob.objects.create(owner=learner, status=JobStatus.READY)
    path = f"/api/v1/exports/{job.uuid}/{suffix}"

    assert_error(other_api.get(path), 404, "not_found")
    assert_error(anonymous.get(path), 401, "not_authenticated")


def test_export_lists_are_owner_scoped(other_api, anonymous, learner):
    ExportJob.objects.create(owner=learner)

    assert other_api.get("/api/v1/exports/").json()["count"] == 0
    assert_error(anonymous.get("/api/v1/exports/"), 401)
    assert_error(anonymous.post("/api/v1/exports/"), 401)
    assert not ExportJob.objects.exclude(owner=learner).exists()
