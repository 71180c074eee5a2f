"""A collection's page leads to a new share link with that collection already ticked."""

import re

import pytest
from django.urls import reverse

from sharing.models import ShareLink
from tests.sharing.conftest import import_signed
from wallet import curation_services

pytestmark = pytest.mark.django_db
CREATE = reverse("sharing:link_create")


def collection_box(page: str, collection) -> str:
    """The collection's checkbox on the share-link form ('' when it is not offered)."""
    found = re.search(rf'<input[^>]*name="collections"[^>]*value="{collection.uuid}"[^>]*>', page)
    return found.group(0) if found else ""


@pytest.fixture
def collections(learner):
    credential = import_signed(learner)
    return [
        curation_services.create_collection(owner=learner, name=name, credentials=[credential])
        for name in ["Job at Acme", "Cégep application"]
    ]


def test_a_collections_page_offers_to_share_it(learner_client, collections):
    page = learner_client.get(collections[0].get_absolute_url()).text
    href = f"{CREATE}?collection={collections[0].uuid}"
    assert f'<a class="button" href="{href}">Share this collection…</a>' in page


def test_following_it_ticks_that_collection_and_no_other(learner_client, collections):
    chosen, other = collections
    page = learner_client.get(CREATE, {"collection": chosen.uuid}).text
    assert " checked" in collection_box(page, chosen)
    assert collection_box(page, other) and " checked" not in collection_box(page, other)
    unticked = learner_client.get(CREATE).text
    assert " checked" not in collection_box(unticked, chosen)


def test_the_link_made_from_it_shows_the_collection(learner_client, collections):
    chosen = collections[0]
    data = {
        "title": "Acme Corp",
        "collections": [str(chosen.uuid)],
        "expiry": "90",
        "language": "en",
    }
    response = learner_client.post(CREATE, data)
    link = ShareLink.objects.get()
    assert response.url == link.get_absolute_url()
    assert list(link.collections.all()) == [chosen]


def test_another_learners_collection_or_nonsense_is_ignored(
    learner_client, other_learner, collections
):
    theirs = curation_services.create_collection(owner=other_learner, name="Secret plans")
    page = learner_client.get(CREATE, {"collection": theirs.uuid})
    assert page.status_code == 200
    assert "Secret plans" not in page.text and collection_box(page.text, theirs) == ""
    assert not any(" checked" in collection_box(page.text, mine) for mine in collections)
    assert learner_client.get(f"{CREATE}?collection=%00nonsense").status_code == 200
