"""The dashboard: cards, search, filters, sort, pages, notifications and its size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from credentials.models import Credential
from tests.wallet.support import alignment, bulk_credentials, client_for, imported
from wallet import curation_services
from wallet.models import Collection

pytestmark = pytest.mark.django_db
URL = reverse("wallet:dashboard")


def names_on(response) -> list[str]:
    return [credential.name for credential in response.context["page"].object_list]


def test_it_needs_a_login(employer):
    response = employer.get(URL)
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_an_empty_wallet_explains_how_to_import(learner_client):
    page = learner_client.get(URL).text
    assert "Your wallet is empty" in page
    assert reverse("wallet:credential_import") in page


def test_it_shows_only_the_learners_own_credentials(learner, other_learner):
    imported(learner, name="Mine")
    imported(other_learner, name="Theirs")
    response = client_for(learner).get(URL)
    assert names_on(response) == ["Mine"]


def test_search_ignores_accents_and_case_in_french(learner):
    imported(learner, name="Développement durable")
    imported(learner, name="Teamwork")
    client = client_for(learner)
    assert names_on(client.get(URL, {"q": "DEVELOPPEMENT"})) == ["Développement durable"]
    assert names_on(client.get(URL, {"q": "développement"})) == ["Développement durable"]


def test_search_finds_by_issuer_skill_tag_and_note(learner):
    target = imported(learner, name="Target", alignments=[alignment("Gestion de projet")])
    imported(learner, name="Other")
    curation_services.set_credential_tags(credential=target, names=["Été 2024"])
    curation_services.update_credential_notes(
        credential=target, note="Présenté à l'équipe", public_description=""
    )
    client = client_for(learner)
    for words in ["gestion de projet", "ete 2024", "presente", "target"]:
        assert names_on(client.get(URL, {"q": words})) == ["Target"], words
    assert len(names_on(client.get(URL, {"q": "example university"}))) == 2


def test_filters_narrow_by_verdict_issuer_skill_tag_format_and_collection(learner):
    one = imported(learner, name="One", alignments=[alignment("Soudure", framework="F", code="S1")])
    two = imported(learner, name="Two")
    Credential.objects.filter(pk=two.pk).update(verdict="revoked", issuer_name="Other school")
    curation_services.set_credential_tags(credential=two, names=["urgent"])
    collection = curation_services.create_collection(owner=learner, name="Jobs", credentials=[one])
    skill = one.skills.get()
    client = client_for(learner)
    assert names_on(client.get(URL, {"verdict": "revoked"})) == ["Two"]
    assert names_on(client.get(URL, {"issuer": "Other school"})) == ["Two"]
    assert names_on(client.get(URL, {"skill": str(skill.uuid)})) == ["One"]
    assert names_on(client.get(URL, {"tag": "urgent"})) == ["Two"]
    assert names_on(client.get(URL, {"collection": str(collection.uuid)})) == ["One"]
    assert len(names_on(client.get(URL, {"format": "ob3-vc"}))) == 2


def test_sorting_by_name_and_pinned_first(learner):
    for name in ["Bravo", "alpha", "Charlie"]:
        imported(learner, name=name)
    client = client_for(learner)
    assert names_on(client.get(URL, {"sort": "name"})) == ["alpha", "Bravo", "Charlie"]
    charlie = Credential.objects.get(name="Charlie")
    curation_services.set_credential_pinned(credential=charlie, is_pinned=True)
    assert names_on(client.get(URL, {"sort": "name"}))[0] == "Charlie"


def test_hidden_credentials_are_out_unless_asked_for(learner):
    hidden = imported(learner, name="Secret")
    imported(learner, name="Open")
    curation_services.set_credential_hidden(credential=hidden, is_hidden=True, actor=learner)
    client = client_for(learner)
    assert names_on(client.get(URL)) == ["Open"]
    assert sorted(names_on(client.get(URL, {"hidden": "on"}))) == ["Open", "Secret"]


def test_bad_filter_values_are_a_bad_request_not_an_error(learner):
    imported(learner)
    client = client_for(learner)
    for params in [{"verdict": "nope"}, {"sort": "'; drop"}, {"skill": "x" * 50}, {"q": "x" * 500}]:
        response = client.get(URL, params)
        assert response.status_code == 400, params
        assert "Select a valid choice" in response.text or "at most" in response.text
    assert client.get(URL, {"page": "999"}).status_code == 200


def test_pages_hold_24_credentials(learner):
    bulk_credentials(learner, 30)
    client = client_for(learner)
    first = client.get(URL)
    assert len(names_on(first)) == 24
    assert "Page 1 of 2" in first.text
    assert len(names_on(client.get(URL, {"page": "2"}))) == 6


def test_revoked_or_expired_since_the_last_visit_are_announced_once(learner):
    credential = imported(learner)
    Credential.objects.filter(pk=credential.pk).update(verdict="expired", has_unseen_change=True)
    client = client_for(learner)
    assert "Changed since your last visit" in client.get(URL).text
    assert "Changed since your last visit" not in client.get(URL).text


def _dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"sort": "name", "q": "badge"})
    assert response.status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_wallet(learner, django_assert_num_queries):
    bulk_credentials(learner, 10)
    Collection.objects.create(owner=learner, name="A")
    curation_services.index_wallet(owner=learner)
    client = client_for(learner)
    small = _dashboard_queries(client)
    bulk_credentials(learner, 990, prefix="More badge")
    curation_services.index_wallet(owner=learner)
    assert Credential.objects.count() == 1000
    with django_assert_num_queries(small):
        response = client.get(URL, {"sort": "name", "q": "badge"})
    assert response.context["page"].paginator.count == 1000


def test_credentials_left_unindexed_by_older_versions_are_indexed_by_the_migration(learner):
    from importlib import import_module

    from django.apps import apps

    bulk_credentials(learner, 3, prefix="Unindexed")
    assert names_on(client_for(learner).get(URL, {"q": "unindexed"})) == []
    import_module("wallet.migrations.0006_index_unindexed_credentials").index_unindexed(apps, None)
    response = client_for(learner).get(URL, {"q": "unindexed"})
    assert len(names_on(response)) == 3


def test_in_french_any_agrees_with_each_filters_noun(learner):
    imported(learner, name="Soudage")
    page = client_for(learner).get(reverse("wallet:dashboard"), HTTP_ACCEPT_LANGUAGE="fr-CA").text
    for name, any_ in [("verdict", "Tous"), ("issuer", "Tous"), ("skill", "Toutes")]:
        select = page[page.index(f'name="{name}"') :]
        assert select[: select.index("</option>")].endswith(f">{any_}"), name
    for name in ["tag", "collection"]:
        select = page[page.index(f'name="{name}"') :]
        assert select[: select.index("</option>")].endswith(">Toutes"), name
