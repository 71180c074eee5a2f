"""The credential page's curation: notes, tags, pin, hide, collections, delete."""

import pytest
from django.urls import reverse

from credentials.models import AuditEvent, Credential
from tests.wallet.support import client_for, imported
from wallet import curation_services
from wallet.models import Collection, Curation, Tag

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script>'
ACTIONS = [
    ("credential_notes", {"note": "n", "public_description": "p"}),
    ("credential_tags", {"tags": "a, b"}),
    ("credential_pin", {"pinned": "1"}),
    ("credential_hide", {"hidden": "1"}),
    ("credential_collections", {}),
]


@pytest.mark.parametrize(("name", "data"), ACTIONS)
def test_anonymous_visitors_are_sent_to_log_in(learner, employer, name, data):
    credential = imported(learner)
    response = employer.post(reverse(f"wallet:{name}", args=[credential.uuid]), data)
    assert response.status_code == 302
    assert reverse("account_login") in response.url


@pytest.mark.parametrize(("name", "data"), ACTIONS)
def test_another_learner_gets_404_and_changes_nothing(learner, other_learner, name, data):
    credential = imported(learner)
    response = client_for(other_learner).post(
        reverse(f"wallet:{name}", args=[credential.uuid]), data
    )
    assert response.status_code == 404
    assert not Curation.objects.exists()


@pytest.mark.parametrize(("name", "data"), ACTIONS)
def test_they_only_accept_posts(learner, name, data):
    credential = imported(learner)
    response = client_for(learner).get(reverse(f"wallet:{name}", args=[credential.uuid]))
    assert response.status_code == 405


def test_the_page_shows_skills_notes_tags_and_a_readable_json_view(learner):
    credential = imported(learner)
    client = client_for(learner)
    page = client.get(credential.get_absolute_url()).text
    assert "Collaboration" in page
    for label in ['for="id_note"', 'for="id_public_description"', 'for="id_tags"']:
        assert label in page
    data = client.get(reverse("wallet:credential_json", args=[credential.uuid]))
    assert data.status_code == 200
    assert "credentialSubject" in data.text


def test_notes_are_saved_and_escaped(learner):
    credential = imported(learner)
    client = client_for(learner)
    response = client.post(
        reverse("wallet:credential_notes", args=[credential.uuid]),
        {"note": XSS, "public_description": "Built the team's rota"},
        follow=True,
    )
    assert "Your notes were saved." in response.text
    assert "&lt;script&gt;" in response.text
    assert "<script>alert" not in response.text
    curation = Curation.objects.get(credential=credential)
    assert (curation.note, curation.public_description) == (XSS, "Built the team's rota")


def test_a_note_too_long_is_refused_with_the_error_tied_to_its_field(learner):
    credential = imported(learner)
    response = client_for(learner).post(
        reverse("wallet:credential_notes", args=[credential.uuid]),
        {"note": "x" * 5001, "public_description": ""},
    )
    assert response.status_code == 400
    assert 'aria-describedby="id_note_error' in response.text or "id_note_error" in response.text
    assert not Curation.objects.exists()


def test_tags_are_split_trimmed_deduplicated_and_reused(learner):
    first = imported(learner, name="First")
    second = imported(learner, name="Second")
    client = client_for(learner)
    client.post(reverse("wallet:credential_tags", args=[first.uuid]), {"tags": " Été , été, x "})
    client.post(reverse("wallet:credential_tags", args=[second.uuid]), {"tags": "ÉTÉ"})
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["x", "Été"]
    client.post(reverse("wallet:credential_tags", args=[first.uuid]), {"tags": ""})
    assert list(Tag.objects.values_list("name", flat=True)) == ["Été"]


@pytest.mark.parametrize("tags", [",".join(f"t{i}" for i in range(21)), "y" * 61])
def test_too_many_or_too_long_tags_are_refused(learner, tags):
    credential = imported(learner)
    response = client_for(learner).post(
        reverse("wallet:credential_tags", args=[credential.uuid]), {"tags": tags}
    )
    assert response.status_code == 400
    assert "id_tags_error" in response.text
    assert not Tag.objects.exists()


def test_pinning_and_unpinning(learner):
    credential = imported(learner)
    client = client_for(learner)
    url = reverse("wallet:credential_pin", args=[credential.uuid])
    client.post(url, {"pinned": "1"})
    assert Curation.objects.get().is_pinned
    client.post(url, {"pinned": "0"})
    assert not Curation.objects.get().is_pinned


def test_hiding_without_share_links_hides_at_once_and_is_audited(learner):
    credential = imported(learner)
    client = client_for(learner)
    url = reverse("wallet:credential_hide", args=[credential.uuid])
    response = client.post(url, {"hidden": "1"}, follow=True)
    assert "Hidden" in response.text
    assert Curation.objects.get().is_hidden
    assert AuditEvent.objects.filter(action="credential.hidden", actor=learner).exists()
    client.post(url, {"hidden": "0"})
    assert not Curation.objects.get().is_hidden


def _share_link_for(learner, credential):
    if not hasattr(Credential, "share_links"):
        pytest.skip("the sharing app has not landed yet: no share links to name")
    from sharing import services as sharing_services

    return sharing_services.create_share_link(
        owner=learner,
        title="For Acme Inc.",
        selection=sharing_services.Selection.of(credentials=[credential]),
        expires_at=sharing_services.default_expiry(),
    )


def test_hiding_a_shared_credential_names_its_links_and_asks_first(learner):
    credential = imported(learner)
    link = _share_link_for(learner, credential)
    client = client_for(learner)
    url = reverse("wallet:credential_hide", args=[credential.uuid])
    response = client.post(url, {"hidden": "1"})
    assert response.status_code == 200
    assert str(link) in response.text
    assert "drop out of" in response.text
    assert not Curation.objects.filter(is_hidden=True).exists()
    client.post(url, {"hidden": "1", "confirm": "1"})
    assert Curation.objects.get().is_hidden


def test_deleting_a_shared_credential_names_its_links_first(learner):
    credential = imported(learner)
    link = _share_link_for(learner, credential)
    page = client_for(learner).get(reverse("wallet:credential_delete", args=[credential.uuid]))
    assert str(link) in page.text


def test_deleting_removes_the_skills_and_tags_only_it_held(learner):
    credential = imported(learner)
    curation_services.set_credential_tags(credential=credential, names=["solo"])
    assert learner.skills.count() == 1
    client_for(learner).post(reverse("wallet:credential_delete", args=[credential.uuid]))
    assert not Credential.objects.exists()
    assert not learner.skills.exists()
    assert not Tag.objects.exists()


def test_collections_are_ticked_on_the_credential_page(learner, other_learner):
    credential = imported(learner)
    mine = curation_services.create_collection(owner=learner, name="Mine")
    theirs = curation_services.create_collection(owner=other_learner, name="Theirs")
    client = client_for(learner)
    url = reverse("wallet:credential_collections", args=[credential.uuid])
    client.post(url, {"collections": [str(mine.uuid)]})
    assert list(mine.credentials.all()) == [credential]
    response = client.post(url, {"collections": [str(theirs.uuid)]})
    assert response.status_code == 400
    assert not theirs.credentials.exists()
    client.post(url, {})
    assert not Collection.objects.get(pk=mine.pk).credentials.exists()


def test_the_data_page_is_the_owners_only(learner, other_learner, employer):
    credential = imported(learner)
    url = reverse("wallet:credential_json", args=[credential.uuid])
    assert client_for(other_learner).get(url).status_code == 404
    assert reverse("account_login") in employer.get(url).url
