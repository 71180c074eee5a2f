"""Credentials an older release stored as `failed` get the honest word at re-verification."""

import json

import pytest

from credentials.models import CredentialSource
from credentials.services import import_credential, reverify_all
from credentials.verification.verdict import Verdict
from tests.credentials.support import fixtures, signing

pytestmark = pytest.mark.django_db

OLD_FAILURE = [
    {
        "name": "proof",
        "status": "failed",
        "code": "proof_invalid",
        "message": "It carries no proof this wallet can check: unsupported cryptosuite",
    }
]


def _stored_as_an_old_release_left_it(learner, document):
    credential = import_credential(
        learner=learner,
        data=json.dumps(document).encode(),
        source=CredentialSource.PASTE,
    ).created[0]
    credential.verdict = Verdict.FAILED
    credential.checks = OLD_FAILURE
    credential.save(update_fields=["verdict", "checks"])
    return credential


def test_an_ecdsa_credential_stored_as_failed_verifies_at_the_next_run(learner):
    key = signing.new_p256_key()
    issuer = signing.did_key_for(key.public_key())
    document = fixtures.achievement_credential(issuer, subject_id=f"mailto:{learner.email}")
    signed = signing.sign_ecdsa(document, key, signing.verification_method_for(key.public_key()))
    credential = _stored_as_an_old_release_left_it(learner, signed)

    assert reverify_all() == 1

    credential.refresh_from_db()
    assert credential.verdict == Verdict.VERIFIED_WITH_WARNINGS
    assert [check["code"] for check in credential.checks][:2] == ["ok", "issuer_self_asserted"]


def test_a_bbs_credential_stored_as_failed_reads_unverifiable_at_the_next_run(learner):
    document = fixtures.achievement_credential(
        "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
        subject_id=f"mailto:{learner.email}",
    )
    document["proof"] = {
        "type": "DataIntegrityProof",
        "cryptosuite": "bbs-2023",
        "verificationMethod": "did:key:zUC7#zUC7",
        "proofPurpose": "assertionMethod",
        "proofValue": "u2V0ChVhA",
    }
    credential = _stored_as_an_old_release_left_it(learner, document)

    reverify_all()

    credential.refresh_from_db()
    assert credential.verdict == Verdict.UNVERIFIABLE
    assert credential.checks[0]["code"] == "proof_unsupported_suite"
