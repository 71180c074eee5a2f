"""The data migration that gives stored issuer checks their identity-level codes."""

import importlib

import pytest
from django.apps import apps

from credentials.models import Credential, CredentialSource

pytestmark = pytest.mark.django_db

migration = importlib.import_module("credentials.migrations.0010_issuer_identity_codes")

TRUSTED = {"name": "issuer", "status": "passed", "code": "ok", "details": {"issuer_id": "did:x"}}
UNKNOWN = {"name": "issuer", "status": "warning", "code": "issuer_unknown"}
NOT_LINKED = {"name": "issuer", "status": "warning", "code": "key_not_linked", "details": {}}
PROOF = {"name": "proof", "status": "passed", "code": "ok"}


def stored(learner, name: str, issuer: dict) -> Credential:
    """A row as the previous release stored it."""
    return Credential.objects.create(
        owner=learner,
        format="ob3-vc",
        source=CredentialSource.PASTE,
        original_content_type="application/json",
        fingerprint=f"test:{name}",
        name=name,
        verdict="verified_with_warnings",
        checks=[PROOF, issuer],
    )


def test_stored_issuer_checks_get_their_identity_level_and_back(learner):
    trusted = stored(learner, "Trusted", TRUSTED)
    unknown = stored(learner, "Unknown", UNKNOWN)
    not_linked = stored(learner, "Not linked", NOT_LINKED)

    migration.forwards(apps, None)
    for row in (trusted, unknown, not_linked):
        row.refresh_from_db()

    assert trusted.checks[1]["code"] == "issuer_registered"
    assert trusted.issuer_identity["level"] == "registered"
    assert trusted.issuer_identity["issuer_id"] == "did:x"
    assert unknown.checks[1]["code"] == "issuer_self_asserted"
    assert unknown.issuer_identity["level"] == "self_asserted"
    assert not_linked.checks[1]["code"] == "key_not_linked"
    assert not_linked.issuer_identity["level"] == "self_asserted"
    # The proof check, also `ok`, is left alone.
    assert trusted.checks[0] == PROOF

    migration.backwards(apps, None)
    trusted.refresh_from_db()
    unknown.refresh_from_db()
    assert trusted.checks[1]["code"] == "ok"
    assert unknown.checks[1]["code"] == "issuer_unknown"
