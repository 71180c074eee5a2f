"""Collections (CRUD and order) and skills through the API."""

import pytest

from tests.api.conftest import assert_error
from tests.wallet.support import alignment, imported
from wallet import curation_services
from wallet.models import Collection, Skill

pytestmark = pytest.mark.django_db

MISSING = "00000000-0000-0000-0000-000000000000"


@pytest.fixture
def credentials(learner):
    return [imported(learner, name=name) for name in ("First", "Second", "Third")]


@pytest.fixture
def collection(learner, credentials):
    return curation_services.create_collection(owner=learner, name="Jobs", credentials=credentials)


def uuids(items) -> list[str]:
    return [str(item.uuid) for item in items]


def test_make_a_collection_with_credentials_in_order(api, learner, credentials):
    chosen = [credentials[2], credentials[0]]

    response = api.send(
        "post",
        "/api/v1/collections/",
        {"name": "Data", "description": "Analyst roles", "credentials": uuids(chosen)},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["credentials"] == uuids(chosen)
    assert Collection.objects.get(uuid=body["uuid"]).owner == learner
    listed = api.get("/api/v1/collections/").json()
    assert [item["name"] for item in listed["results"]] == ["Data"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({}, 400),
        ({"name": ""}, 400),
        ({"name": "   "}, 400),
        ({"name": "x" * 121}, 400),
        ({"name": "Ok", "credentials": ["nope"]}, 400),
        ({"name": "Ok", "credentials": [MISSING]}, 400),
    ],
)
def test_making_a_collection_refuses_bad_input(api, body, status):
    assert_error(api.send("post", "/api/v1/collections/", body), status)
    assert not Collection.objects.exists()


def test_another_learners_credentials_cannot_go_in(api, other_learner):
    theirs = imported(other_learner, name="Theirs")

    response = api.send(
        "post", "/api/v1/collections/", {"name": "Mine", "credentials": [str(theirs.uuid)]}
    )

    assert "credentials" in assert_error(response, 400)["fields"]


def test_rename_add_reorder_remove_and_delete(api, learner, collection, credentials):
    path = f"/api/v1/collections/{collection.uuid}/"
    extra = imported(learner, name="Fourth")

    renamed = api.send("patch", path, {"name": "Applications"})
    added = api.send("post", f"{path}items/", {"credentials": [str(extra.uuid)]})
    moved = api.send("post", f"{path}items/{extra.uuid}/move/", {"direction": "up"})
    removed = api.delete(f"{path}items/{credentials[0].uuid}/")

    assert renamed.json()["name"] == "Applications"
    assert added.json()["credentials"][-1] == str(extra.uuid)
    assert moved.json()["credentials"] == uuids([*credentials[:2], extra, credentials[2]])
    assert removed.json()["credentials"] == uuids([credentials[1], extra, credentials[2]])
    assert api.get(path).json()["credentials"] == removed.json()["credentials"]
    assert api.delete(path).status_code == 204
    assert not Collection.objects.filter(pk=collection.pk).exists()
    assert learner.credentials.count() == 4


def test_moving_refuses_a_bad_direction_and_an_absent_credential(api, learner, collection):
    outsider = imported(learner, name="Outside")
    path = f"/api/v1/collections/{collection.uuid}/items/"
    first = collection.items.first().credential

    assert_error(api.send("post", f"{path}{first.uuid}/move/", {"direction": "left"}), 400)
    assert_error(api.send("post", f"{path}{outsider.uuid}/move/", {"direction": "up"}), 404)
    assert_error(api.delete(f"{path}{outsider.uuid}/"), 404)
    assert_error(api.send("post", path, {"credentials": []}), 400)


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("get", ""),
        ("patch", ""),
        ("delete", ""),
        ("post", "items/"),
        ("delete", "items/{credential}/"),
        ("post", "items/{credential}/move/"),
    ],
)
def test_another_learners_collection_is_a_404_and_nobody_is_a_401(
    other_api, anonymous, collection, credentials, method, suffix
):
    path = f"/api/v1/collections/{collection.uuid}/" + suffix.format(credential=credentials[0].uuid)
    body = {"name": "Mine", "direction": "up", "credentials": [str(credentials[0].uuid)]}

    assert_error(other_api.send(method, path, body), 404, "not_found")
    assert_error(anonymous.send(method, path, body), 401, "not_authenticated")
    assert Collection.objects.get(pk=collection.pk).name == "Jobs"


def test_other_learners_see_none_of_these_in_lists(other_api, collection, anonymous):
    assert other_api.get("/api/v1/collections/").json()["count"] == 0
    assert other_api.get("/api/v1/skills/").json()["count"] == 0
    assert_error(anonymous.get("/api/v1/collections/"), 401)
    assert_error(anonymous.get("/api/v1/skills/"), 401)


def test_skills_from_alignments_are_listed_with_their_evidence(api, learner):
    credential = imported(learner, alignments=[alignment("Collaboration", code="C1")])

    body = api.get("/api/v1/skills/").json()

    assert [item["name"] for item in body["results"]] == ["Collaboration"]
    assert body["results"][0]["credentials"] == [str(credential.uuid)]
    assert body["results"][0]["source"] == "alignment"


def test_add_a_skill_choose_its_evidence_and_remove_it(api, learner, credentials):
    made = api.send(
        "post",
        "/api/v1/skills/",
        {"name": "Data analysis", "credentials": [str(credentials[0].uuid)]},
    )
    path = f"/api/v1/skills/{made.json()['uuid']}/"

    changed = api.send("put", path, {"credentials": uuids(credentials[1:])})

    assert made.status_code == 201
    assert sorted(changed.json()["credentials"]) == sorted(uuids(credentials[1:]))
    assert api.get(path).json()["name"] == "Data analysis"
    assert api.delete(path).status_code == 204
    assert not Skill.objects.filter(uuid=made.json()["uuid"]).exists()


def test_a_skill_from_alignments_cannot_be_removed(api, learner):
    imported(learner, alignments=[alignment("Collaboration", code="C1")])
    skill = Skill.objects.get(owner=learner)

    assert_error(api.delete(f"/api/v1/skills/{skill.uuid}/"), 422, "aligned")


@pytest.mark.parametrize(
    "body",
    [{}, {"name": ""}, {"name": "x", "url": "not a url"}, {"name": "x", "credentials": [MISSING]}],
)
def test_adding_a_skill_refuses_bad_input(api, body):
    assert_error(api.send("post", "/api/v1/skills/", body), 400)


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_another_learners_skill_is_a_404(api, other_api, anonymous, learner, credentials, method):
    skill = curation_services.add_skill(owner=learner, name="Mine", credentials=credentials[:1])
    path = f"/api/v1/skills/{skill.uuid}/"

    assert_error(other_api.send(method, path, {"credentials": []}), 404)
    assert_error(anonymous.send(method, path, {"credentials": []}), 401)
    assert Skill.objects.filter(pk=skill.pk).exists()
