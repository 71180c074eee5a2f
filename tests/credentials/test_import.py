"""Import: every source stores the original byte-exact, with its verdict and checks."""

import hashlib
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from credentials.audit import AuditAction
from credentials.models import AuditEvent, Credential, CredentialSource
from credentials.services import (
    DuplicateCredential,
    create_self_reported,
    import_credential,
    reverify_all,
    reverify_credential,
)
from tests.credentials.support import fixtures
from tests.credentials.support.issuer import (  # noqa: F401
    did_key_issuer,
    did_web_issuer,
    site_fixture,
    web_fixture,
)

pytestmark = pytest.mark.django_db


def issued_to(learner, issuer, **options):
    """A signed OB 3.0 credential whose subject is the learner's verified email."""
    options.setdefault(
        "identifier",
        {
            "type": "IdentityObject",
            "identityHash": learner.email,
            "identityType": "emailAddress",
            "hashed": False,
        },
    )
    return issuer.signed(subject_id=None, **options)


def stored_bytes(credential: Credential) -> bytes:
    with credential.original.open("rb") as handle:
        return handle.read()


def test_a_signed_ob3_credential_is_stored_byte_exact_and_verified(learner):
    issuer = did_key_issuer()
    data = json.dumps(issued_to(learner, issuer), indent=3).encode()
    outcome = import_credential(learner=learner, data=data, source=CredentialSource.UPLOAD)
    [credential] = outcome.created
    assert stored_bytes(credential) == data
    assert credential.original_sha256 == hashlib.sha256(data).hexdigest()
    assert credential.format == "ob3-vc"
    assert credential.name == "Teamwork"
    assert credential.issuer_name == "Example University"
    statuses = {check["name"]: check["status"] for check in credential.checks}
    assert statuses["proof"] == "passed"
    assert statuses["recipient"] == "passed"
    # did:key issuers are not in the registry: a warning, not a failure.
    assert credential.verdict == "verified_with_warnings"
    assert AuditEvent.objects.filter(
        action=AuditAction.CREDENTIAL_IMPORTED, target_id=str(credential.uuid)
    ).exists()


def test_a_tampered_credential_is_stored_as_failed(learner):
    issuer = did_key_issuer()
    document = issued_to(learner, issuer)
    document["name"] = "Rocket Science"
    [credential] = import_credential(
        learner=learner, data=json.dumps(document).encode(), source=CredentialSource.PASTE
    ).created
    assert credential.verdict == "failed"
    assert credential.checks[0]["status"] == "failed"


def test_a_credential_for_someone_else_warns_about_the_recipient(learner):
    issuer = did_key_issuer()
    document = issuer.signed()
    [credential] = import_credential(
        learner=learner, data=json.dumps(document).encode(), source=CredentialSource.PASTE
    ).created
    recipient = next(check for check in credential.checks if check["name"] == "recipient")
    assert recipient["status"] == "warning"
    assert credential.verdict == "verified_with_warnings"


def test_importing_the_same_credential_twice_is_refused_with_a_link(learner):
    issuer = did_key_issuer()
    data = json.dumps(issued_to(learner, issuer)).encode()
    [first] = import_credential(learner=learner, data=data, source=CredentialSource.PASTE).created
    with pytest.raises(DuplicateCredential) as refused:
        import_credential(learner=learner, data=data + b"\n", source=CredentialSource.UPLOAD)
    assert refused.value.existing == first
    assert Credential.objects.count() == 1


def test_two_learners_may_hold_the_same_credential(learner, other_learner):
    data = json.dumps(did_key_issuer().signed()).encode()
    import_credential(learner=learner, data=data, source=CredentialSource.PASTE)
    import_credential(learner=other_learner, data=data, source=CredentialSource.PASTE)
    assert Credential.objects.count() == 2


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not a credential",
        b'{"@context": "https://www.w3.org/ns/credentials/v2", "a": 1, "a": 2}',
        b"[" * 5000,
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><svg>&a;</svg>',
        b"eyJhbGciOiJub25lIn0.!!!.",
    ],
)
def test_refused_input_leaves_nothing_stored(learner, data):
    files_before = _files()
    with pytest.raises(ValidationError) as refused:
        import_credential(learner=learner, data=data, source=CredentialSource.UPLOAD)
    assert refused.value.messages[0]
    assert Credential.objects.count() == 0
    assert _files() == files_before


def _files() -> set[str]:
    found = set()
    for top in ("originals", "images"):
        if not default_storage.exists(top):
            continue
        stack = [top]
        while stack:
            folder = stack.pop()
            dirs, files = default_storage.listdir(folder)
            stack.extend(f"{folder}/{d}" for d in dirs)
            found.update(f"{folder}/{f}" for f in files)
    return found


def test_a_baked_png_keeps_the_image_bytes_and_stores_a_clean_png(learner):
    issuer = did_key_issuer()
    payload = json.dumps(issued_to(learner, issuer))
    image = fixtures.baked_png(payload)
    [credential] = import_credential(
        learner=learner, data=image, source=CredentialSource.UPLOAD, filename="badge.png"
    ).created
    assert stored_bytes(credential) == image
    assert credential.original_content_type == "image/png"
    assert credential.verdict == "verified_with_warnings"
    with credential.image.open("rb") as handle:
        png = handle.read()
    assert png.startswith(b"\x89PNG")
    assert b"openbadgecredential" not in png


def test_a_presentation_imports_each_credential_inside(learner):
    issuer = did_key_issuer()
    members = [
        issued_to(
            learner,
            issuer,
            name=name,
            credential_id=f"urn:uuid:0000000{i}-0000-4000-8000-000000000000",
        )
        for i, name in enumerate(["Teamwork", "Leadership"])
    ]
    data = json.dumps(fixtures.presentation(members)).encode()
    outcome = import_credential(learner=learner, data=data, source=CredentialSource.UPLOAD)
    assert sorted(c.name for c in outcome.created) == ["Leadership", "Teamwork"]
    assert all(c.verdict == "verified_with_warnings" for c in outcome.created)


def test_a_clr_keeps_its_nested_credentials(learner):
    issuer = did_key_issuer()
    members = [
        issued_to(
            learner,
            issuer,
            name=name,
            credential_id=f"urn:uuid:1000000{i}-0000-4000-8000-000000000000",
        )
        for i, name in enumerate(["Algebra", "Geometry"])
    ]
    clr = issuer.sign(fixtures.clr_credential(issuer.id, members))
    [record] = import_credential(
        learner=learner, data=json.dumps(clr).encode(), source=CredentialSource.UPLOAD
    ).created
    assert record.format == "clr"
    children = list(record.children.order_by("position"))
    assert [child.name for child in children] == ["Algebra", "Geometry"]
    assert all(child.checks for child in children)


def test_self_reported_learning_is_never_verified(learner):
    credential = create_self_reported(
        learner=learner, title="Taught myself Rust", description="<b>bold</b> claim"
    )
    assert credential.verdict == "self_reported"
    assert credential.checks == []
    with pytest.raises(ValidationError):
        reverify_credential(credential=credential)


def test_self_reported_learning_needs_a_title(learner):
    with pytest.raises(ValidationError):
        create_self_reported(learner=learner, title="   ")


def test_reverification_flips_to_revoked_and_tells_the_learner(
    learner, web, mailoutbox, django_capture_on_commit_callbacks
):
    issuer = did_web_issuer(web)
    list_url = "https://status.example/lists/1"
    unsigned_list = fixtures.status_list(list_url, issuer.id, revoked=set())
    web.add(list_url, json.dumps(issuer.sign(unsigned_list)).encode())
    document = issued_to(learner, issuer, status=fixtures.status_entry(list_url, 7))
    [credential] = import_credential(
        learner=learner, data=json.dumps(document).encode(), source=CredentialSource.PASTE
    ).created
    assert credential.verdict == "verified_with_warnings"

    revoked_list = fixtures.status_list(list_url, issuer.id, revoked={7})
    web.add(list_url, json.dumps(issuer.sign(revoked_list)).encode())
    with django_capture_on_commit_callbacks(execute=True):
        assert reverify_all() == 1
    credential.refresh_from_db()
    assert credential.verdict == "revoked"
    assert credential.has_unseen_change
    assert mailoutbox[-1].to == [learner.email]
    assert "Teamwork" in mailoutbox[-1].body


def test_a_reverification_run_fetches_each_url_once(learner, web):
    issuer = did_web_issuer(web)
    list_url = "https://status.example/lists/2"
    web.add(
        list_url,
        json.dumps(issuer.sign(fixtures.status_list(list_url, issuer.id, revoked=set()))).encode(),
    )
    for i in range(3):
        document = issued_to(
            learner,
            issuer,
            status=fixtures.status_entry(list_url, i),
            credential_id=f"urn:uuid:2000000{i}-0000-4000-8000-000000000000",
        )
        import_credential(
            learner=learner, data=json.dumps(document).encode(), source=CredentialSource.PASTE
        )
    web.server.requests.clear()
    assert reverify_all() == 3
    status_fetches = [path for path in web.server.requests if "lists/2" in path]
    assert len(status_fetches) == 1


def test_an_unsigned_alg_none_jwt_is_kept_as_failed_with_the_reason(learner):
    import base64

    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    document = did_key_issuer().credential()
    token = f"{part({'alg': 'none'})}.{part({'vc': document, 'iss': document['issuer']['id']})}."
    [credential] = import_credential(
        learner=learner, data=token.encode(), source=CredentialSource.PASTE
    ).created
    assert credential.verdict == "failed"
    proof = credential.checks[0]
    assert proof["status"] == "failed"
    assert "none" in proof["message"]


def test_the_sweeper_queues_a_stranded_url_import_again(learner, local_server):
    from datetime import timedelta

    from credentials.models import ImportJob, JobStatus
    from credentials.services import requeue_stale_jobs

    local_server.add("/badge.json", json.dumps(issued_to(learner, did_key_issuer())).encode())
    # The broker was down when this job was created: it never reached a worker.
    job = ImportJob.objects.create(owner=learner, url=local_server.url("/badge.json"))
    assert requeue_stale_jobs(older_than=timedelta(minutes=10)) == 0
    assert requeue_stale_jobs(older_than=timedelta(0)) == 1
    job.refresh_from_db()
    assert job.status == JobStatus.READY
    assert job.credentials.count() == 1


def test_the_sweeper_gives_up_after_too_many_attempts(learner):
    from datetime import timedelta

    from credentials.models import ImportJob, JobStatus
    from credentials.services import MAX_JOB_ATTEMPTS, requeue_stale_jobs

    job = ImportJob.objects.create(
        owner=learner, url="https://example.org/x", attempts=MAX_JOB_ATTEMPTS
    )
    assert requeue_stale_jobs(older_than=timedelta(0)) == 0
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error


@pytest.mark.worker
def test_a_url_import_runs_on_a_real_worker(local_server, celery_worker_process, learner):
    import time

    from django.db import transaction

    from credentials.models import JobStatus
    from wallet.imports import request_url_import

    local_server.add("/badge.json", json.dumps(issued_to(learner, did_key_issuer())).encode())
    with transaction.atomic():
        job = request_url_import(learner=learner, url=local_server.url("/badge.json"))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_done:
            break
        time.sleep(0.2)
    assert job.status == JobStatus.READY, celery_worker_process.log_path.read_text()[-2000:]
    [credential] = job.credentials.all()
    assert credential.source == "url"
    assert credential.verdict == "verified_with_warnings"
