"""Credentials' services tell the wallet a credential changed, through the hook credentials
defines and the wallet fills in: the learner's content revision moves with the change."""

import pytest
from django.db.models.signals import post_delete, post_save

from credentials.changes import CREDENTIAL_CHANGED, credential_changed
from credentials.services import delete_credential
from tests.wallet.support import bulk_credentials
from wallet import revisions
from wallet.models import Wallet

pytestmark = pytest.mark.django_db


def revision_of(learner) -> int:
    return Wallet.objects.get(user=learner).content_revision


def test_the_wallet_registers_its_callback_with_credentials():
    assert revisions.bump_for_credential in CREDENTIAL_CHANGED


def test_a_credential_change_bumps_the_revision_without_any_model_signal(learner):
    (credential,) = bulk_credentials(learner, 1)
    before = revision_of(learner)
    with _no_model_signals():
        credential_changed(credential=credential)
    assert revision_of(learner) == before + 1


def test_deleting_a_credential_bumps_the_revision_through_the_hook(learner):
    (credential,) = bulk_credentials(learner, 1)
    before = revision_of(learner)
    with _no_model_signals():
        delete_credential(credential=credential, actor=learner)
    assert revision_of(learner) > before


class _no_model_signals:
    """Silence every model receiver, to show the hook alone does the work."""

    def __enter__(self):
        self.saved = post_save.receivers, post_delete.receivers
        post_save.receivers, post_delete.receivers = [], []
        post_save.sender_receivers_cache.clear()
        post_delete.sender_receivers_cache.clear()

    def __exit__(self, *exc):
        post_save.receivers, post_delete.receivers = self.saved
        post_save.sender_receivers_cache.clear()
        post_delete.sender_receivers_cache.clear()
