"""Duplicates: the same issuer id and credential id, once a proof passed; else the same bytes."""

import hashlib
import importlib
import json

import pytest
from django.apps import apps
from django.core.cache import cache

from credentials.models import Credential, CredentialSource
from credentials.services import DuplicateCredential, import_credential, reverify_credential
from tests.credentials.support import signing
from tests.credentials.support.issuer import (  # noqa: F401
    did_key_issuer,
    did_web_issuer,
    site_fixture,
    web_fixture,
)
from wallet.models import Curation

pytestmark = pytest.mark.django_db

migration = importlib.import_module("credentials.migrations.0008_freshness_and_duplicates")


def paste(learner, document: dict, **dumps) -> Credential:
    data = json.dumps(document, **dumps).encode()
    [credential] = import_credential(
        learner=learner, data=data, source=CredentialSource.PASTE
    ).created
    return credential


def publish_key(web, issuer) -> None:
    """Put the issuer's own key back in its DID document, and forget the cached one."""
    web.add_did_web(issuer.id, signing.did_document_for(issuer.id, issuer.private_key.public_key()))
    cache.clear()


def tampered(document: dict, name: str = "Rocket Science") -> dict:
    return {**document, "name": name}


def test_a_tampered_copy_imported_first_no_longer_keeps_the_genuine_one_out(learner):
    genuine = did_key_issuer().signed()
    copy = paste(learner, tampered(genuine))
    assert copy.verdict == "failed"

    outcome = import_credential(
        learner=learner, data=json.dumps(genuine).encode(), source=CredentialSource.PASTE
    )
    [stored] = outcome.created
    assert stored.verdict == "verified_with_warnings"
    assert outcome.failed_copies == [copy]
    copy.refresh_from_db()
    assert copy.duplicate_of == stored


def test_the_failed_copy_offers_its_deletion_on_its_page(learner, learner_client):
    genuine = did_key_issuer().signed()
    copy = paste(learner, tampered(genuine))
    response = learner_client.post(
        "/wallet/import/", {"source": "paste", "paste-text": json.dumps(genuine)}
    )
    assert response.status_code == 302
    page = learner_client.get(copy.get_absolute_url()).content.decode()
    assert "A verified copy is in your wallet" in page
    assert f"/credentials/{copy.uuid}/delete/" in page


def test_two_failed_copies_dedupe_by_their_bytes(learner):
    genuine = did_key_issuer().signed()
    first = paste(learner, tampered(genuine))
    with pytest.raises(DuplicateCredential) as refused:
        paste(learner, tampered(genuine))
    assert refused.value.existing == first
    paste(learner, tampered(genuine, name="Brain Surgery"))
    assert Credential.objects.filter(verdict="failed").count() == 2


def test_a_copy_verified_on_a_recheck_stays_when_it_carries_the_learners_work(learner, web):
    issuer = did_web_issuer(web)
    document = issuer.signed()
    # The issuer's DID document lists another key for a while: the first copy fails.
    did_web_issuer(web, did=issuer.id)
    first = paste(learner, document)
    assert first.verdict == "failed"
    publish_key(web, issuer)
    second = paste(learner, document, indent=2)
    assert second.verdict != "failed"
    first.refresh_from_db()
    assert first.duplicate_of == second
    Curation.objects.create(credential=first, note="Presented at the 2024 fair.")

    reverify_credential(credential=first)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.verdict == second.verdict
    assert first.duplicate_of is None
    assert second.duplicate_of == first
    assert first.fingerprint.startswith("id:")
    assert Credential.objects.count() == 2


def test_a_copy_verified_on_a_recheck_without_the_learners_work_is_offered_for_deletion(
    learner, web
):
    issuer = did_web_issuer(web)
    document = issuer.signed()
    did_web_issuer(web)
    first = paste(learner, document)
    publish_key(web, issuer)
    second = paste(learner, document, indent=2)
    Curation.objects.create(credential=second, note="Mine.")

    reverify_credential(credential=first)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.verdict == second.verdict
    assert first.duplicate_of == second
    assert second.duplicate_of is None


def test_the_migration_rewrites_existing_fingerprints_to_the_rule(learner):
    issuer = did_key_issuer()
    genuine = issuer.signed()
    other = issuer.signed(credential_id="urn:uuid:40000000-0000-4000-8000-000000000000")
    copy = paste(learner, tampered(genuine))
    verified = paste(learner, other)
    # As the old rule stored them: the id, proven or not.
    Credential.objects.filter(pk=copy.pk).update(fingerprint=f"id:{genuine['id']}")
    Credential.objects.filter(pk=verified.pk).update(fingerprint=f"id:{other['id']}")

    migration.rewrite_fingerprints(apps, None)

    copy.refresh_from_db()
    verified.refresh_from_db()
    assert copy.fingerprint == f"sha256:{copy.original_sha256}"
    key = hashlib.sha256(f"{issuer.id}\n{other['id']}".encode()).hexdigest()
    assert verified.fingerprint == f"id:{key}"
    stored = paste(learner, genuine)
    copy.refresh_from_db()
    assert copy.duplicate_of == stored
    with pytest.raises(DuplicateCredential):
        paste(learner, other, indent=1)
