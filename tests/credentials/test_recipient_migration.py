"""The data migration that gives stored recipient checks their new codes."""

import importlib

import pytest
from django.apps import apps

from credentials.models import Credential, CredentialSource

pytestmark = pytest.mark.django_db

migration = importlib.import_module("credentials.migrations.0006_recipient_outcomes")

NOT_STATED = {
    "name": "recipient",
    "status": "warning",
    "code": "recipient_mismatch",
    "message": "Le titre n’indique pas à qui il a été délivré.",
    "message_source": {
        "msgid": "The credential does not say who it was issued to.",
        "params": None,
    },
}
SOMEONE_ELSE = {
    "name": "recipient",
    "status": "warning",
    "code": "recipient_mismatch",
    "message": "Not issued to any address or identifier of the learner.",
    "message_source": {
        "msgid": "Not issued to any address or identifier of the learner.",
        "params": None,
    },
}
CONFIRMED = {"name": "recipient", "status": "passed", "code": "ok", "message": "Issued to you."}
PROOF = {"name": "proof", "status": "passed", "code": "ok"}


def stored(learner, name: str, recipient: dict) -> Credential:
    """A row as the previous release stored it."""
    return Credential.objects.create(
        owner=learner,
        format="ob3-vc",
        source=CredentialSource.PASTE,
        original_content_type="application/json",
        fingerprint=f"test:{name}",
        name=name,
        verdict="verified_with_warnings",
        checks=[PROOF, recipient],
    )


def recipient_of(credential: Credential) -> dict:
    credential.refresh_from_db()
    return next(check for check in credential.checks if check["name"] == "recipient")


def test_stored_checks_get_the_new_recipient_codes_and_back(learner):
    not_stated = stored(learner, "Nobody named", NOT_STATED)
    someone_else = stored(learner, "Eve's", SOMEONE_ELSE)
    confirmed = stored(learner, "Mine", CONFIRMED)

    migration.forwards(apps, None)

    assert recipient_of(not_stated)["code"] == "recipient_not_stated"
    assert recipient_of(someone_else)["code"] == "recipient_mismatch"
    assert recipient_of(confirmed)["code"] == "recipient_confirmed"
    assert [row.recipient_code for row in (not_stated, someone_else, confirmed)] == [
        "recipient_not_stated",
        "recipient_mismatch",
        "recipient_confirmed",
    ]
    assert set(Credential.objects.shareable()) == {not_stated, confirmed}
    assert not_stated.checks[0] == PROOF

    migration.backwards(apps, None)

    assert recipient_of(not_stated) == NOT_STATED
    assert recipient_of(someone_else) == SOMEONE_ELSE
    assert recipient_of(confirmed) == CONFIRMED
