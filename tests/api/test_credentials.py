"""Credentials through the API: list and filters, detail, import, download, verify,
delete and curation, as the owner, another learner and nobody."""

import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from credentials.models import Credential, CredentialSource, ImportJob, JobStatus
from credentials.services import create_self_reported, import_credential
from tests.api.conftest import assert_error
from tests.wallet.support import alignment, bulk_credentials, imported, signed_document
from wallet import curation_services
from wallet.models import Curation

pytestmark = pytest.mark.django_db

MISSING = "00000000-0000-0000-0000-000000000000"


@pytest.fixture
def credential(learner):
    return imported(learner, name="Teamwork", alignments=[alignment("Collaboration", code="C1")])


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["results"]]


OWNED_OPERATIONS = [
    ("get", ""),
    ("delete", ""),
    ("get", "original/"),
    ("post", "verify/"),
    ("put", "notes/"),
    ("put", "tags/"),
    ("put", "pin/"),
    ("put", "hide/"),
    ("put", "collections/"),
]


@pytest.mark.parametrize(("method", "suffix"), OWNED_OPERATIONS)
def test_another_learners_credential_is_a_404(other_api, credential, method, suffix):
    path = f"/api/v1/credentials/{credential.uuid}/{suffix}"

    assert_error(other_api.send(method, path, {}), 404, "not_found")
    assert Credential.objects.filter(pk=credential.pk).exists()


@pytest.mark.parametrize(("method", "suffix"), OWNED_OPERATIONS)
def test_without_credentials_it_is_a_401(anonymous, credential, method, suffix):
    path = f"/api/v1/credentials/{credential.uuid}/{suffix}"

    assert_error(anonymous.send(method, path, {}), 401, "not_authenticated")


@pytest.mark.parametrize("path", ["/api/v1/credentials/", "/api/v1/import-jobs/"])
def test_lists_need_credentials(anonymous, path):
    assert_error(anonymous.get(path), 401, "not_authenticated")


def test_the_list_holds_only_the_callers_credentials(api, learner, other_learner, credential):
    imported(other_learner, name="Not yours")

    assert names(api.get("/api/v1/credentials/")) == ["Teamwork"]


def test_the_list_is_paginated(api, learner):
    bulk_credentials(learner, 30)

    first = api.get("/api/v1/credentials/").json()
    small = api.get("/api/v1/credentials/?page_size=10&page=3").json()

    assert first["count"] == 30
    assert len(first["results"]) == 25
    assert first["next"].endswith("page=2")
    assert len(small["results"]) == 10
    assert_error(api.get("/api/v1/credentials/?page=9"), 404, "not_found")


def test_the_list_filters_like_the_dashboard(api, learner, credential):
    other = imported(learner, name="Data analysis")
    collection = curation_services.create_collection(
        owner=learner, name="Jobs", credentials=[other]
    )
    curation_services.set_credential_tags(credential=credential, names=["soft skills"])
    skill = credential.skills.get()
    self_reported = create_self_reported(learner=learner, title="Volunteering")
    curation_services.index_credentials(credentials=[self_reported])

    def listed(query: str) -> list[str]:
        return sorted(names(api.get(f"/api/v1/credentials/?{query}")))

    assert listed("q=analysis") == ["Data analysis"]
    assert listed("tag=soft skills") == ["Teamwork"]
    assert listed(f"skill={skill.uuid}") == ["Teamwork"]
    assert listed(f"collection={collection.uuid}") == ["Data analysis"]
    assert listed("verdict=self_reported") == ["Volunteering"]
    assert listed("format=self-reported") == ["Volunteering"]
    assert listed(f"issuer={credential.issuer_name}") == ["Data analysis", "Teamwork"]
    assert names(api.get("/api/v1/credentials/?sort=name")) == [
        "Data analysis",
        "Teamwork",
        "Volunteering",
    ]


def test_hidden_credentials_are_listed_only_when_asked(api, learner, credential):
    curation_services.set_credential_hidden(credential=credential, is_hidden=True, actor=learner)

    assert names(api.get("/api/v1/credentials/")) == []
    assert names(api.get("/api/v1/credentials/?hidden=true")) == ["Teamwork"]


@pytest.mark.parametrize(
    "query", ["verdict=great", "skill=nope", "collection=12", "format=pdf", "sort=size"]
)
def test_bad_filters_are_a_400_naming_the_field(api, credential, query):
    error = assert_error(api.get(f"/api/v1/credentials/?{query}"), 400, "invalid")

    assert query.split("=")[0] in error["fields"]


def test_the_detail_shows_checks_curation_and_skills(api, credential):
    curation_services.update_credential_notes(
        credential=credential, note="Ask Jo", public_description="Led a team"
    )

    body = api.get(f"/api/v1/credentials/{credential.uuid}/").json()

    assert body["name"] == "Teamwork"
    assert {check["name"] for check in body["checks"]} >= {"proof", "issuer", "recipient"}
    assert body["note"] == "Ask Jo"
    assert body["public_description"] == "Led a team"
    assert body["skills"] == [str(credential.skills.get().uuid)]
    assert body["has_original"] is True


def test_the_original_downloads_byte_for_byte(api, learner):
    raw = json.dumps(signed_document(learner.email), indent=3).encode()
    credential = import_credential(
        learner=learner, data=raw, source=CredentialSource.UPLOAD, filename="badge.json"
    ).created[0]

    response = api.get(f"/api/v1/credentials/{credential.uuid}/original/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == raw
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment")


def test_a_self_reported_entry_has_no_original(api, learner):
    entry = create_self_reported(learner=learner, title="Volunteering")

    assert_error(api.get(f"/api/v1/credentials/{entry.uuid}/original/"), 404, "not_found")
    assert_error(api.post(f"/api/v1/credentials/{entry.uuid}/verify/"), 422, "self_reported")


def test_self_reported_learning_is_recorded_and_labelled(api, learner):
    body = {
        "title": "Volunteer first-aid instructor",
        "description": "Six evening classes.",
        "achieved_on": "2026-05-30",
        "evidence_url": "https://example.org/classes",
    }
    response = api.send("post", "/api/v1/credentials/self-reported/", body)

    assert response.status_code == 201
    created = response.json()
    assert created["name"] == "Volunteer first-aid instructor"
    assert created["verdict"] == "self_reported"
    assert response["Location"] == f"/api/v1/credentials/{created['uuid']}/"
    entry = Credential.objects.get(uuid=created["uuid"])
    assert entry.owner == learner and entry.is_self_reported
    assert entry.issued_at.date().isoformat() == "2026-05-30"
    assert entry.evidence_url == "https://example.org/classes"
    listed = api.get("/api/v1/credentials/", {"q": "first aid"}).json()["results"]
    assert [item["uuid"] for item in listed] == [created["uuid"]]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"title": ""},
        {"title": "x" * 301},
        {"title": "Course", "achieved_on": "last spring"},
        {"title": "Course", "evidence_url": "javascript:alert(1)"},
        {"title": "Course", "evidence_url": "ftp://example.org/file"},
        {"title": "Course", "description": "x" * 5001},
    ],
)
def test_self_reported_learning_refuses_bad_input(api, body):
    assert_error(api.send("post", "/api/v1/credentials/self-reported/", body), 400, "invalid")
    assert not Credential.objects.exists()


def test_a_read_only_token_cannot_record_learning(learner):
    from tests.api.conftest import token_client
    from wallet.models import ApiTokenScope

    reader = token_client(learner, scope=ApiTokenScope.READ)
    response = reader.send("post", "/api/v1/credentials/self-reported/", {"title": "Course"})

    assert_error(response, 403)
    assert not Credential.objects.exists()


def test_verify_runs_the_checks_again(api, credential):
    before = credential.verified_at

    response = api.post(f"/api/v1/credentials/{credential.uuid}/verify/")

    assert response.status_code == 200
    credential.refresh_from_db()
    assert credential.verified_at > before
    assert response.json()["verdict"] == credential.verdict


def test_delete_removes_the_credential(api, credential):
    assert api.delete(f"/api/v1/credentials/{credential.uuid}/").status_code == 204

    assert not Credential.objects.filter(pk=credential.pk).exists()
    assert_error(api.get(f"/api/v1/credentials/{credential.uuid}/"), 404)


def test_import_a_file_answers_with_the_verdict(api, learner):
    raw = json.dumps(signed_document(learner.email, name="Uploaded")).encode()
    upload = SimpleUploadedFile("badge.json", raw, content_type="application/json")

    response = api.post("/api/v1/credentials/import/file/", {"file": upload})

    assert response.status_code == 201, response.content
    body = response.json()
    assert [item["name"] for item in body["created"]] == ["Uploaded"]
    assert body["created"][0]["verdict"] in {"verified", "verified_with_warnings"}
    assert body["duplicates"] == []
    created = Credential.objects.get(uuid=body["created"][0]["uuid"])
    assert created.owner == learner
    assert created.source == CredentialSource.UPLOAD


def test_import_text_and_a_duplicate_is_a_409_naming_it(api, learner):
    text = json.dumps(signed_document(learner.email, name="Pasted"))

    first = api.send("post", "/api/v1/credentials/import/text/", {"text": text})
    again = api.send("post", "/api/v1/credentials/import/text/", {"text": text})

    assert first.status_code == 201
    error = assert_error(again, 409, "duplicate")
    assert error["credential"] == first.json()["created"][0]["uuid"]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({}, 400, "invalid"),
        ({"text": ""}, 400, "invalid"),
        ({"text": 42}, 422, "unreadable"),
        ({"text": "hello"}, 422, "unreadable"),
        ({"text": '{"@context": []}'}, 422, "unreadable"),
    ],
)
def test_import_text_refuses_what_it_cannot_read(api, body, status, code):
    assert_error(api.send("post", "/api/v1/credentials/import/text/", body), status, code)
    assert not Credential.objects.exists()


def test_import_a_file_refuses_bad_input(api, settings):
    path = "/api/v1/credentials/import/file/"
    assert_error(api.post(path, {}), 400, "invalid")
    assert_error(api.send("post", path, {"file": "x"}), 415, "unsupported_media_type")
    garbage = SimpleUploadedFile("x.png", b"\x89PNG not really", content_type="image/png")
    assert_error(api.post(path, {"file": garbage}), 422, "unreadable")
    settings.IMPORT_MAX_BYTES = 10
    big = SimpleUploadedFile("big.json", b"{" + b" " * 20 + b"}", content_type="application/json")
    assert_error(api.post(path, {"file": big}), 413, "too_large")


def test_import_by_url_answers_202_with_a_job_to_poll(api, learner):
    response = api.send(
        "post", "/api/v1/credentials/import/url/", {"url": "https://badges.example.org/a/1"}
    )

    assert response.status_code == 202
    job = ImportJob.objects.get(uuid=response.json()["uuid"])
    assert job.owner == learner
    assert response["Location"] == f"/api/v1/import-jobs/{job.uuid}/"
    status = api.get(response["Location"]).json()
    assert status["status"] == JobStatus.PENDING
    assert status["url"] == "https://badges.example.org/a/1"


def test_a_finished_url_import_lists_its_credentials(api, learner, credential, other_api):
    job = ImportJob.objects.create(owner=learner, url="https://x.test/", status=JobStatus.READY)
    job.credentials.add(credential)

    body = api.get(f"/api/v1/import-jobs/{job.uuid}/").json()

    assert body["credentials"] == [str(credential.uuid)]
    assert [item["uuid"] for item in api.get("/api/v1/import-jobs/").json()["results"]] == [
        str(job.uuid)
    ]
    assert_error(other_api.get(f"/api/v1/import-jobs/{job.uuid}/"), 404)
    assert other_api.get("/api/v1/import-jobs/").json()["count"] == 0


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("", 400, "invalid"),
        ("not a url", 400, "invalid"),
        ("javascript:alert(1)", 400, "invalid"),
        ("ftp://x.test/a", 422, "url"),
    ],
)
def test_import_by_url_refuses_what_is_not_a_web_address(api, url, status, code):
    response = api.send("post", "/api/v1/credentials/import/url/", {"url": url})

    assert_error(response, status, code)
    assert not ImportJob.objects.exists()


def test_notes_tags_pin_and_hide(api, learner, credential):
    base = f"/api/v1/credentials/{credential.uuid}"

    notes = api.send("put", f"{base}/notes/", {"note": "Ask Jo", "public_description": "Led"})
    tags = api.send("put", f"{base}/tags/", {"tags": ["Data", "data", " 2026 "]})
    pinned = api.send("put", f"{base}/pin/", {"is_pinned": True})
    hidden = api.send("put", f"{base}/hide/", {"is_hidden": True})

    assert notes.json()["note"] == "Ask Jo"
    assert tags.json()["tags"] == ["2026", "Data"]
    assert pinned.json()["is_pinned"] is True
    assert hidden.json()["is_hidden"] is True
    curation = Curation.objects.get(credential=credential)
    assert (curation.is_pinned, curation.is_hidden, curation.note) == (True, True, "Ask Jo")


@pytest.mark.parametrize(
    ("suffix", "body", "status"),
    [
        ("notes/", {"note": "x" * 5001}, 400),
        ("tags/", {"tags": "not a list"}, 400),
        ("tags/", {"tags": ["x" * 61]}, 400),
        ("tags/", {"tags": [f"t{n}" for n in range(21)]}, 400),
        ("pin/", {}, 400),
        ("pin/", {"is_pinned": "perhaps"}, 400),
        ("hide/", {"is_hidden": None}, 400),
        ("collections/", {"collections": [MISSING]}, 400),
    ],
)
def test_curation_refuses_bad_input(api, credential, suffix, body, status):
    response = api.send("put", f"/api/v1/credentials/{credential.uuid}/{suffix}", body)

    assert_error(response, status)


def test_a_credential_inside_a_record_is_not_curated_alone(api, learner, credential):
    child = Credential.objects.create(
        owner=learner,
        parent=credential,
        format="ob3-vc",
        source=CredentialSource.PASTE,
        original_content_type="application/json",
        fingerprint=f"child:{uuid.uuid4()}",
        name="Inside",
        verdict="verified",
    )

    assert_error(
        api.send("put", f"/api/v1/credentials/{child.uuid}/pin/", {"is_pinned": True}), 404
    )
    assert_error(api.delete(f"/api/v1/credentials/{child.uuid}/"), 422, "nested")
    assert api.get(f"/api/v1/credentials/{credential.uuid}/").json()["children"][0]["name"] == (
        "Inside"
    )


def test_a_credential_is_put_in_exactly_the_collections_given(api, learner, credential):
    first = curation_services.create_collection(owner=learner, name="One", credentials=[credential])
    second = curation_services.create_collection(owner=learner, name="Two")

    response = api.send(
        "put",
        f"/api/v1/credentials/{credential.uuid}/collections/",
        {"collections": [str(second.uuid)]},
    )

    assert response.status_code == 200
    assert response.json()["collections"] == [str(second.uuid)]
    assert not first.items.exists()


def test_another_learners_collection_cannot_be_used(api, other_learner, credential):
    theirs = curation_services.create_collection(owner=other_learner, name="Theirs")

    response = api.send(
        "put",
        f"/api/v1/credentials/{credential.uuid}/collections/",
        {"collections": [str(theirs.uuid)]},
    )

    error = assert_error(response, 400, "invalid")
    assert "collections" in error["fields"]
    assert not theirs.items.exists()


def test_me_shows_and_changes_the_profile(api, learner, anonymous):
    response = api.send(
        "patch", "/api/v1/me/", {"display_name": " Ada  L. ", "preferred_language": "fr-ca"}
    )

    assert response.status_code == 200
    assert response.json()["display_name"] == "Ada L."
    learner.refresh_from_db()
    assert learner.preferred_language == "fr-ca"
    assert_error(api.send("patch", "/api/v1/me/", {"preferred_language": "xx"}), 400)
    assert_error(api.send("patch", "/api/v1/me/", {"bio": "x" * 2001}), 400)
    assert_error(anonymous.send("patch", "/api/v1/me/", {"bio": "x"}), 401)


def test_the_verdict_sentence_and_checks_come_in_the_readers_language(api, learner):
    from django.utils import translation

    with translation.override("en"):
        credential = imported(learner, name="Soudage")
    body = api.get(f"/api/v1/credentials/{credential.uuid}/", HTTP_ACCEPT_LANGUAGE="fr-CA").json()

    assert credential.verdict_message == (
        "The signature holds and the data is unchanged, but who issued it is not confirmed."
    )
    assert body["verdict_message"] == (
        "La signature est valide et les données sont intactes, mais l’identité de l’émetteur "
        "n’est pas confirmée."
    )
    proof = next(check for check in body["checks"] if check["name"] == "proof")
    assert proof["message"].startswith("La signature est valide")
    assert proof["status_label"] == "réussi"
