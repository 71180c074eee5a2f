"""The wallet's import service: every channel stores and indexes at once; no page writes."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from credentials.models import JobStatus
from tests.wallet.support import alignment, client_for, signed_document
from wallet.imports import request_url_import
from wallet.models import SearchEntry, Skill

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def found_by_search(learner, query: str) -> list[str]:
    response = client_for(learner).get(reverse("wallet:dashboard"), {"q": query})
    return [credential.name for credential in response.context["page"].object_list]


def test_search_finds_a_credential_imported_by_the_command(learner, tmp_path):
    path = tmp_path / "welding.json"
    document = signed_document(learner.email, name="Underwater welding")
    path.write_text(json.dumps(document))
    call_command("import_credentials", "--email", learner.email, str(path), stdout=io.StringIO())
    assert SearchEntry.objects.filter(credential__owner=learner).count() == 1
    assert found_by_search(learner, "underwater") == ["Underwater welding"]


def test_search_finds_a_credential_imported_by_a_url_job(
    learner, local_server, django_capture_on_commit_callbacks
):
    document = signed_document(
        learner.email, name="Cabinet making", alignments=[alignment("Joinery")]
    )
    local_server.add("/badge.json", json.dumps(document).encode())
    with django_capture_on_commit_callbacks(execute=True):
        job = request_url_import(learner=learner, url=local_server.url("/badge.json"))
    job.refresh_from_db()
    assert job.status == JobStatus.READY
    # Indexed by the job itself: skills and search text, before any page is seen.
    assert SearchEntry.objects.filter(credential__owner=learner).count() == 1
    assert list(Skill.objects.owned_by(learner).values_list("name", flat=True)) == ["Joinery"]
    assert found_by_search(learner, "joinery") == ["Cabinet making"]


@pytest.mark.parametrize(
    "url",
    [
        "wallet:dashboard",
        "wallet:skill_list",
        "api:credential_list",
        "api:skill_list",
        "api:import_job_list",
    ],
)
def test_a_page_view_writes_nothing(learner, url):
    from tests.wallet.support import bulk_credentials

    # Rows stored without a search entry (as a bulk load leaves them): read, never fixed up.
    bulk_credentials(learner, 3)
    client = client_for(learner)
    client.get(reverse(url))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(url))
    assert response.status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
    assert writes == []
    assert not SearchEntry.objects.exists()


def test_the_import_job_pages_write_nothing(
    learner, local_server, django_capture_on_commit_callbacks
):
    local_server.add("/a.json", json.dumps(signed_document(learner.email, name="A")).encode())
    with django_capture_on_commit_callbacks(execute=True):
        job = request_url_import(learner=learner, url=local_server.url("/a.json"))
    client = client_for(learner)
    client.get(reverse("wallet:dashboard"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("wallet:import_job", args=[job.uuid])).status_code == 302
        assert client.get(reverse("api:import_job", args=[job.uuid])).status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
    assert writes == []
