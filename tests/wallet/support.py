"""Small builders for the wallet's tests: real signed credentials, and cheap rows."""

import json
import uuid
from typing import Any

from django.test import Client

from credentials.models import Credential, CredentialSource
from tests.credentials.support.issuer import did_key_issuer
from wallet.imports import import_credentials_for


def alignment(name: str, *, framework: str = "", code: str = "", url: str = "") -> dict:
    node: dict[str, Any] = {"type": ["Alignment"], "targetName": name}
    if framework:
        node["targetFramework"] = framework
    if code:
        node["targetCode"] = code
    node["targetUrl"] = url or f"https://example.org/skills/{uuid.uuid4().hex[:8]}"
    return node


def signed_document(
    email: str, *, name: str = "Teamwork", alignments: list[dict] | None = None
) -> dict:
    """A signed OB 3.0 credential for `email`, without a remote image to fetch."""
    issuer = did_key_issuer()
    document = issuer.credential(
        name=name,
        credential_id=f"urn:uuid:{uuid.uuid4()}",
        subject_id=None,
        identifier={
            "type": "IdentityObject",
            "identityHash": email,
            "identityType": "emailAddress",
            "hashed": False,
        },
    )
    achievement = document["credentialSubject"]["achievement"]
    achievement.pop("image", None)
    if alignments is not None:
        achievement["alignment"] = alignments
    return issuer.sign(document)


def imported(learner, *, name: str = "Teamwork", alignments: list[dict] | None = None, data=None):
    """Import a real signed credential the way the import page does, indexed."""
    raw = data or json.dumps(signed_document(learner.email, name=name, alignments=alignments))
    return import_credentials_for(
        learner=learner,
        data=raw.encode() if isinstance(raw, str) else raw,
        source=CredentialSource.PASTE,
    ).created[0]


def bulk_credentials(learner, count: int, *, prefix: str = "Badge") -> list[Credential]:
    """Many plain rows at once, for size tests (no signing, no files)."""
    rows = [
        Credential(
            owner=learner,
            format="ob3-vc",
            source=CredentialSource.PASTE,
            original_content_type="application/json",
            fingerprint=f"bulk:{uuid.uuid4()}",
            name=f"{prefix} {index}",
            issuer_name=f"Issuer {index % 7}",
            verdict="verified",
        )
        for index in range(count)
    ]
    return Credential.objects.bulk_create(rows, batch_size=200)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
