"""Holder keys: made when first needed, encrypted, never shown, rotated by the learner."""

import pytest
from django.urls import reverse

from credentials.models import ImportJob
from credentials.services import recipient_context_for
from wallet import holder_keys, receive
from wallet.models import HolderKey, HolderKeyType

pytestmark = pytest.mark.django_db


def test_keys_are_made_once_per_type_and_stored_encrypted(learner):
    ed = holder_keys.holder_key_for(learner=learner, key_type=HolderKeyType.ED25519)
    p256 = holder_keys.holder_key_for(learner=learner, key_type=HolderKeyType.P256)
    assert ed.did.startswith("did:key:z6Mk")
    assert p256.did.startswith("did:jwk:")
    assert holder_keys.holder_key_for(learner=learner, key_type=HolderKeyType.ED25519) == ed
    assert "PRIVATE KEY" not in ed.private_key_encrypted
    assert holder_keys.verification_method_of(p256) == f"{p256.did}#0"


def test_the_keys_page_shows_dids_and_never_a_private_key(learner_client, learner):
    key = holder_keys.holder_key_for(learner=learner, key_type=HolderKeyType.ED25519)
    page = learner_client.get(reverse("wallet:holder_key_list"))
    assert key.did in page.text
    assert key.private_key_encrypted not in page.text
    assert "PRIVATE" not in page.text


def test_the_profile_links_to_the_keys_page(learner_client):
    page = learner_client.get(reverse("wallet:profile"))
    assert reverse("wallet:holder_key_list") in page.text


def test_rotating_retires_keys_but_what_was_bound_stays_confirmed(
    learner_client, learner, make_issuer
):
    issuer = make_issuer()
    job = receive.request_offer_import(learner=learner, offer=issuer.offer_link())
    receive.run_offer_import(job=job, will_retry=False)
    old = HolderKey.objects.get(owner=learner)
    response = learner_client.post(reverse("wallet:holder_key_rotate"))
    assert response.status_code == 302
    old.refresh_from_db()
    assert not old.is_active and old.private_key_encrypted == ""
    page = learner_client.get(reverse("wallet:holder_key_list"))
    assert "1 older key was replaced" in page.text
    history = learner_client.get(reverse("wallet:account_history"))
    assert "Holder keys replaced" in history.text
    new = holder_keys.holder_key_for(learner=learner, key_type=old.key_type)
    assert new.did != old.did
    credential = ImportJob.objects.get().credentials.get()
    learner_client.post(reverse("wallet:credential_reverify", args=[credential.uuid]))
    credential.refresh_from_db()
    assert credential.recipient_code == "recipient_confirmed"


def test_rotation_needs_a_post(learner_client):
    assert learner_client.get(reverse("wallet:holder_key_rotate")).status_code == 405


def test_another_learners_keys_do_not_confirm_mine(learner, other_learner, make_issuer):
    issuer = make_issuer()
    job = receive.request_offer_import(learner=other_learner, offer=issuer.offer_link())
    receive.run_offer_import(job=job, will_retry=False)
    assert recipient_context_for(learner).holder_dids == set()
    assert recipient_context_for(other_learner).holder_dids
