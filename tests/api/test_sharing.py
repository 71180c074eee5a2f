"""Share links, their view counts and transcripts through the API."""

from datetime import timedelta

import pytest
from django.contrib.auth.hashers import check_password
from django.utils import timezone

from credentials.models import AuditEvent, JobStatus
from sharing import services
from sharing.audit import ShareLinkAction
from sharing.models import ShareLink, ShareLinkDay, Transcript
from tests.api.conftest import assert_error
from tests.wallet.support import imported
from wallet import curation_services

pytestmark = pytest.mark.django_db

MISSING = "00000000-0000-0000-0000-000000000000"


@pytest.fixture
def credential(learner):
    return imported(learner, name="Teamwork")


@pytest.fixture
def link(learner, credential):
    return services.create_share_link(
        owner=learner,
        title="Acme",
        selection=services.Selection.of(credentials=[credential]),
        expires_at=services.default_expiry(),
    )


def test_make_a_link_to_a_collection(api, learner, credential, employer):
    collection = curation_services.create_collection(
        owner=learner, name="Jobs", credentials=[credential]
    )

    response = api.send(
        "post",
        "/api/v1/share-links/",
        {"title": "Acme", "collections": [str(collection.uuid)], "passcode": "blue-river-42"},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    link = ShareLink.objects.get(uuid=body["uuid"])
    assert link.owner == learner
    assert body["state"] == "active"
    assert body["has_passcode"] is True
    assert "passcode" not in body
    assert check_password("blue-river-42", link.passcode_hash)
    assert body["collections"] == [str(collection.uuid)]
    assert body["url"] == link.public_url()
    assert abs(link.expires_at - services.default_expiry()) < timedelta(minutes=1)
    assert employer.get(body["url"].split("127.0.0.1:8000")[-1]).status_code == 200


def test_a_link_may_never_expire_when_asked(api, credential):
    response = api.send(
        "post",
        "/api/v1/share-links/",
        {"title": "Forever", "credentials": [str(credential.uuid)], "expires_at": None},
    )

    assert response.json()["expires_at"] is None


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({}, 400, "invalid"),
        ({"title": "Empty"}, 422, "empty"),
        ({"title": "Bad", "credentials": [MISSING]}, 400, "invalid"),
        ({"title": "Bad", "skills": ["x"]}, 400, "invalid"),
        ({"title": "Short", "credentials": ["{c}"], "passcode": "abc"}, 422, "passcode"),
        (
            {"title": "Past", "credentials": ["{c}"], "expires_at": "2001-01-01T00:00:00Z"},
            422,
            None,
        ),
        ({"title": "Lang", "credentials": ["{c}"], "language": "de"}, 400, "invalid"),
    ],
)
def test_making_a_link_refuses_bad_input(api, credential, body, status, code):
    body = {
        key: [item.format(c=credential.uuid) for item in value]
        if isinstance(value, list)
        else value
        for key, value in body.items()
    }

    assert_error(api.send("post", "/api/v1/share-links/", body), status, code)
    assert not ShareLink.objects.exists()


def test_another_learners_credentials_cannot_be_shared(api, other_learner):
    theirs = imported(other_learner, name="Theirs")

    response = api.send(
        "post", "/api/v1/share-links/", {"title": "Mine", "credentials": [str(theirs.uuid)]}
    )

    assert "credentials" in assert_error(response, 400)["fields"]


def test_change_only_what_is_sent(api, link, learner):
    other = imported(learner, name="Data")

    response = api.send(
        "patch",
        f"/api/v1/share-links/{link.uuid}/",
        {"message": "Round 2", "show_email": True, "credentials": [str(other.uuid)]},
    )

    assert response.status_code == 200, response.content
    link.refresh_from_db()
    assert (link.title, link.message, link.show_email) == ("Acme", "Round 2", True)
    assert list(link.credentials.all()) == [other]
    assert AuditEvent.objects.filter(action=ShareLinkAction.SHARE_LINK_CHANGED).exists()


def test_revoke_regenerate_and_list(api, link, employer):
    old_url = link.public_url()

    regenerated = api.post(f"/api/v1/share-links/{link.uuid}/regenerate/")
    assert regenerated.status_code == 200
    assert regenerated.json()["url"] != old_url

    revoked = api.post(f"/api/v1/share-links/{link.uuid}/revoke/")
    assert revoked.json()["state"] == "revoked"
    assert_error(api.post(f"/api/v1/share-links/{link.uuid}/regenerate/"), 422, "revoked")
    assert_error(api.send("patch", f"/api/v1/share-links/{link.uuid}/", {"title": "x"}), 422)
    listed = api.get("/api/v1/share-links/").json()["results"]
    assert [(item["uuid"], item["state"]) for item in listed] == [(str(link.uuid), "revoked")]


def test_delete_revokes_the_link(api, link):
    assert api.delete(f"/api/v1/share-links/{link.uuid}/").status_code == 204

    link.refresh_from_db()
    assert link.is_revoked


def test_stats_count_views_by_day(api, link):
    services.record_share_view(link=link)
    services.record_share_view(link=link)
    ShareLinkDay.objects.create(link=link, day=timezone.now().date() - timedelta(days=10), views=3)

    body = api.get(f"/api/v1/share-links/{link.uuid}/stats/").json()

    assert body["view_count"] == 2
    assert body["views_last_7_days"] == 2
    assert body["views_last_30_days"] == 5
    assert len(body["days"]) == 30
    assert body["days"][0]["views"] == 2


LINK_OPERATIONS = [
    ("get", ""),
    ("patch", ""),
    ("delete", ""),
    ("post", "revoke/"),
    ("post", "regenerate/"),
    ("get", "stats/"),
    ("get", "transcript/"),
    ("post", "transcript/"),
    ("get", "transcript/download/"),
]


@pytest.mark.parametrize(("method", "suffix"), LINK_OPERATIONS)
def test_another_learners_link_is_a_404_and_nobody_is_a_401(
    other_api, anonymous, link, method, suffix
):
    path = f"/api/v1/share-links/{link.uuid}/{suffix}"

    assert_error(other_api.send(method, path, {"title": "x"}), 404, "not_found")
    assert_error(anonymous.send(method, path, {"title": "x"}), 401, "not_authenticated")
    link.refresh_from_db()
    assert link.is_active
    assert link.title == "Acme"
    assert not Transcript.objects.exists()


def test_lists_of_links_are_owner_scoped(other_api, anonymous, link):
    assert other_api.get("/api/v1/share-links/").json()["count"] == 0
    assert_error(anonymous.get("/api/v1/share-links/"), 401)


def test_request_follow_and_download_the_transcript(api, link, django_capture_on_commit_callbacks):
    path = f"/api/v1/share-links/{link.uuid}/transcript/"
    assert_error(api.get(path), 404, "not_found")
    assert_error(api.get(f"{path}download/"), 409, "not_ready")

    with django_capture_on_commit_callbacks(execute=True):
        requested = api.post(path)

    assert requested.status_code == 202
    assert requested["Location"] == path
    status = api.get(path).json()
    assert status["status"] == JobStatus.READY
    assert status["is_current"] is True
    download = api.get(f"{path}download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_transcript_is_refused_when_the_link_does_not_offer_it(api, link):
    link.allow_transcript = False
    link.save()

    assert_error(api.post(f"/api/v1/share-links/{link.uuid}/transcript/"), 422, "disabled")
