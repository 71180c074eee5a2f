"""Collections: named, described, ordered, and reordered with buttons (no JavaScript)."""

import pytest
from django.urls import reverse

from tests.wallet.support import client_for, imported
from wallet import collection_actions, curation_services
from wallet.models import Collection

pytestmark = pytest.mark.django_db
LIST = reverse("wallet:collection_list")


def order_of(collection) -> list[str]:
    return [item.credential.name for item in collection.items.order_by("position", "id")]


@pytest.fixture
def collection(learner):
    credentials = [imported(learner, name=name) for name in ["A", "B", "C"]]
    return curation_services.create_collection(
        owner=learner, name="Job at Acme", description="For the interview", credentials=credentials
    )


def collection_urls(collection) -> list[tuple[str, str]]:
    credential = collection.items.first().credential
    return [
        ("get", reverse("wallet:collection_detail", args=[collection.uuid])),
        ("post", reverse("wallet:collection_edit", args=[collection.uuid])),
        ("post", reverse("wallet:collection_add", args=[collection.uuid])),
        ("get", reverse("wallet:collection_delete", args=[collection.uuid])),
        ("post", reverse("wallet:collection_move", args=[collection.uuid, credential.uuid])),
        ("post", reverse("wallet:collection_remove", args=[collection.uuid, credential.uuid])),
    ]


def test_anonymous_visitors_are_sent_to_log_in(employer, collection):
    for method, url in [("get", LIST), *collection_urls(collection)]:
        response = getattr(employer, method)(url)
        assert response.status_code == 302, url
        assert reverse("account_login") in response.url


def test_another_learner_gets_404_everywhere(other_learner, collection):
    client = client_for(other_learner)
    for method, url in collection_urls(collection):
        assert getattr(client, method)(url, {"direction": "up"}).status_code == 404, url
    assert order_of(collection) == ["A", "B", "C"]
    assert Collection.objects.filter(pk=collection.pk).exists()


def test_creating_a_collection(learner):
    client = client_for(learner)
    response = client.post(LIST, {"name": "  Stage  d'été ", "description": "Pour le cégep"})
    collection = Collection.objects.get()
    assert response.url == collection.get_absolute_url()
    assert collection.name == "Stage d'été"
    assert "Stage d&#x27;été" in client.get(LIST).text


def test_a_collection_needs_a_name(learner):
    response = client_for(learner).post(LIST, {"name": "", "description": "x"})
    assert response.status_code == 400
    assert "id_name_error" in response.text
    assert not Collection.objects.exists()


def test_moving_up_and_down_with_buttons(learner, collection):
    client = client_for(learner)
    b = collection.items.get(credential__name="B").credential
    url = reverse("wallet:collection_move", args=[collection.uuid, b.uuid])
    response = client.post(url, {"direction": "up"})
    assert response.status_code == 302
    assert order_of(collection) == ["B", "A", "C"]
    client.post(url, {"direction": "up"})
    assert order_of(collection) == ["B", "A", "C"]
    client.post(url, {"direction": "down"})
    client.post(url, {"direction": "down"})
    assert order_of(collection) == ["A", "C", "B"]
    page = client.get(collection.get_absolute_url()).text
    assert page.index(">A<") < page.index(">C<") < page.index(">B<")
    assert "Move up" in page and "Move down" in page


def test_a_bad_direction_moves_nothing(learner, collection):
    b = collection.items.get(credential__name="B").credential
    client_for(learner).post(
        reverse("wallet:collection_move", args=[collection.uuid, b.uuid]), {"direction": "sideways"}
    )
    assert order_of(collection) == ["A", "B", "C"]


def test_adding_removing_and_a_credential_in_several_collections(learner, collection):
    d = imported(learner, name="D")
    other = curation_services.create_collection(owner=learner, name="Other", credentials=[d])
    client = client_for(learner)
    response = client.post(
        reverse("wallet:collection_add", args=[collection.uuid]),
        {"credentials": [d.uuid]},
        follow=True,
    )
    assert "1 credential added." in response.text
    assert order_of(collection) == ["A", "B", "C", "D"]
    assert order_of(other) == ["D"]
    client.post(reverse("wallet:collection_remove", args=[collection.uuid, d.uuid]))
    assert order_of(collection) == ["A", "B", "C"]
    assert order_of(other) == ["D"]


def test_adding_someone_elses_credential_is_refused(learner, other_learner, collection):
    theirs = imported(other_learner, name="Theirs")
    response = client_for(learner).post(
        reverse("wallet:collection_add", args=[collection.uuid]), {"credentials": [theirs.uuid]}
    )
    assert response.status_code == 400
    assert "Theirs" not in order_of(collection)


def test_editing_and_deleting(learner, collection):
    client = client_for(learner)
    client.post(
        reverse("wallet:collection_edit", args=[collection.uuid]),
        {"name": "Renamed", "description": ""},
    )
    collection.refresh_from_db()
    assert collection.name == "Renamed"
    bad = client.post(
        reverse("wallet:collection_edit", args=[collection.uuid]), {"name": "x" * 121}
    )
    assert bad.status_code == 400
    url = reverse("wallet:collection_delete", args=[collection.uuid])
    assert "stay in your wallet" in client.get(url).text
    client.post(url)
    assert not Collection.objects.exists()
    assert learner.credentials.count() == 3


def test_the_collection_page_offers_what_the_apps_above_register(learner, collection, monkeypatch):
    client = client_for(learner)
    monkeypatch.setattr(collection_actions, "COLLECTION_ACTIONS", [])
    page = client.get(collection.get_absolute_url()).text
    assert 'class="form-actions collection-actions"' not in page
    monkeypatch.setattr(
        collection_actions,
        "COLLECTION_ACTIONS",
        [
            collection_actions.CollectionAction(
                label="Print it", url=lambda c: f"/print/{c.uuid}/", is_primary=True
            ),
            collection_actions.CollectionAction(
                label="Not for this one", url=lambda c: "/never/", applies_to=lambda c: False
            ),
        ],
    )
    page = client.get(collection.get_absolute_url()).text
    assert f'<a class="button" href="/print/{collection.uuid}/">Print it</a>' in page
    assert "Not for this one" not in page
