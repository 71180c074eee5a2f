"""The employer page keeps its rendered credential list, and never shows an old one.

Each change a learner (or a nightly re-check, or an admin) can make to what a link
shows must appear on the very next read, even though the list was cached by the
read before.
"""

from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from credentials.services import delete_credential, reverify_credential
from credentials.verification.verdict import Verdict
from sharing import services
from sharing.listing import _key
from tests.sharing.conftest import import_signed, make_link, public_path
from tests.sharing.typical import typical_many
from wallet import curation_services
from wallet.models import Wallet

pytestmark = pytest.mark.django_db


def shown_names(employer, link) -> str:
    response = employer.get(public_path(link))
    assert response.status_code == 200
    return response.text


def listing(page: str) -> str:
    start = page.index('<section aria-labelledby="credentials-title"')
    return page[start : page.index('<section aria-labelledby="take-title"')]


@pytest.fixture
def shared(learner):
    """A credential shared three ways (directly, by collection, by skill), read once."""
    first = import_signed(learner, name="First aid")
    collection = curation_services.create_collection(owner=learner, name="Safety")
    curation_services.add_to_collection(collection=collection, credentials=[first])
    skill = curation_services.add_skill(owner=learner, name="Rescue", credentials=[first])
    links = {
        "direct": make_link(learner, [first], show_public_descriptions=True),
        "collection": make_link(learner, collections=[collection]),
        "skill": make_link(learner, skills=[skill]),
    }
    return {"credential": first, "collection": collection, "skill": skill, "links": links}


def test_a_second_read_is_served_from_the_cached_list(employer, shared):
    link = shared["links"]["direct"]
    first = shown_names(employer, link)
    with CaptureQueriesContext(connection) as queries:
        second = shown_names(employer, link)
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    assert "credentials_credential" not in tables
    assert ">First aid</h3>" in second
    assert listing(first) == listing(second)


@pytest.mark.parametrize("way", ["direct", "collection", "skill"])
def test_hiding_a_credential_drops_it_at_once(employer, learner, shared, way):
    link = shared["links"][way]
    assert ">First aid</h3>" in shown_names(employer, link)
    curation_services.set_credential_hidden(
        credential=shared["credential"], is_hidden=True, actor=learner
    )
    assert ">First aid</h3>" not in shown_names(employer, link)


def test_a_deleted_credential_drops_out_at_once(employer, learner, shared):
    link = shared["links"]["direct"]
    shown_names(employer, link)
    delete_credential(credential=shared["credential"], actor=learner)
    assert ">First aid</h3>" not in shown_names(employer, link)


def test_a_new_public_description_shows_at_once(employer, shared):
    link = shared["links"]["direct"]
    shown_names(employer, link)
    curation_services.update_credential_notes(
        credential=shared["credential"], note="", public_description="I led the drill."
    )
    assert "I led the drill." in shown_names(employer, link)


def test_a_credential_added_to_a_shared_collection_shows_at_once(employer, learner, shared):
    link = shared["links"]["collection"]
    shown_names(employer, link)
    second = import_signed(learner, name="Fire warden")
    curation_services.add_to_collection(collection=shared["collection"], credentials=[second])
    assert ">Fire warden</h3>" in shown_names(employer, link)
    curation_services.remove_from_collection(collection=shared["collection"], credential=second)
    assert ">Fire warden</h3>" not in shown_names(employer, link)


def test_a_credential_backing_a_shared_skill_shows_at_once(employer, learner, shared):
    link = shared["links"]["skill"]
    shown_names(employer, link)
    second = import_signed(learner, name="Lifeguard")
    curation_services.set_skill_credentials(
        skill=shared["skill"], credentials=[shared["credential"], second]
    )
    assert ">Lifeguard</h3>" in shown_names(employer, link)


def test_a_new_skill_on_a_shared_credential_shows_at_once(employer, learner, shared):
    link = shared["links"]["direct"]
    assert "Water rescue" not in shown_names(employer, link)
    curation_services.add_skill(
        owner=learner, name="Water rescue", credentials=[shared["credential"]]
    )
    assert "Water rescue" in shown_names(employer, link)


def test_a_new_verdict_from_a_nightly_recheck_shows_at_once(employer, learner):
    credential = import_signed(learner, name="Crane", valid_until="2031-01-01T00:00:00Z")
    link = make_link(learner, [credential])
    assert 'data-verdict="verified"' in shown_names(employer, link)
    reverify_credential(credential=credential, now=datetime(2032, 1, 1, tzinfo=UTC))
    page = shown_names(employer, link)
    assert f'data-verdict="{Verdict.EXPIRED}"' in page and 'data-verdict="verified"' not in page


def test_a_changed_selection_shows_at_once(employer, learner, shared):
    link = shared["links"]["direct"]
    shown_names(employer, link)
    other = import_signed(learner, name="Forklift")
    services.update_share_link(
        link=link,
        title=link.title,
        message=link.message,
        selection=services.Selection.of(credentials=[other]),
        expires_at=link.expires_at,
        options=services.LinkOptions(),
        actor=learner,
    )
    page = shown_names(employer, link)
    assert ">Forklift</h3>" in page and ">First aid</h3>" not in page


def test_each_language_gets_its_own_list(employer, shared):
    link = shared["links"]["direct"]
    english = employer.get(public_path(link), HTTP_ACCEPT_LANGUAGE="en").text
    french = employer.get(public_path(link), HTTP_ACCEPT_LANGUAGE="fr-CA").text
    assert "1 credential</h2>" in english and "Issued by Example University" in english
    assert "1 titre</h2>" in french and "La signature est valide (" in french
    # The English reader's list, cached first, is not the one the French reader gets.
    assert "1 credential</h2>" not in french and "The signature is valid" not in french


def test_views_do_not_change_the_revision(employer, learner, shared):
    link = shared["links"]["direct"]
    shown_names(employer, link)
    revision = Wallet.objects.get(user=learner).content_revision
    shown_names(employer, link)
    assert Wallet.objects.get(user=learner).content_revision == revision


def test_checks_verified_in_one_language_read_in_the_readers(employer, learner):
    from django.utils import translation

    with translation.override("en"):
        credential = import_signed(learner, name="Welding")
    assert "The signature is valid" in str(credential.checks)
    link = make_link(learner, [credential])
    french = employer.get(public_path(link), HTTP_ACCEPT_LANGUAGE="fr-CA").text
    assert "La signature est valide (" in french
    with translation.override("fr-ca"):
        assert translation.gettext("Authentic and current.") in french
    assert "The signature is valid" not in french
    english = employer.get(public_path(link), HTTP_ACCEPT_LANGUAGE="en").text
    assert "The signature is valid (" in english


def test_a_check_stored_before_sources_were_kept_shows_as_it_was_stored(employer, learner):
    credential = import_signed(learner, name="Welding")
    for check in credential.checks:
        check.pop("message_source")
        check["message"] = "Stored long ago."
    credential.save()
    page = employer.get(
        public_path(make_link(learner, [credential])), HTTP_ACCEPT_LANGUAGE="fr-CA"
    ).text
    assert page.count("Stored long ago.") == len(credential.checks)


def test_the_cached_list_is_kept_compressed(employer, learner):
    # Without Redis the database cache sends the entry on every view: 25 credentials make
    # about 130 KB of HTML, kept as a small fraction of that.
    link = make_link(learner, typical_many(learner, 25))
    page = employer.get(public_path(link)).content.decode()
    link.refresh_from_db()
    entry = cache.get(_key(link, Wallet.objects.get(user=learner).content_revision))
    assert len(listing(page)) > 100_000
    assert len(entry["html"]) < len(listing(page)) / 5
    assert listing(employer.get(public_path(link)).content.decode()) == listing(page)
