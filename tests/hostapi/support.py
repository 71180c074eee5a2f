"""Signed credentials and rows the host API's tests share."""

import json
import uuid
from typing import Any

from tests.credentials.support import fixtures
from tests.credentials.support.issuer import SigningIssuer


def identity(email: str) -> dict[str, Any]:
    return {
        "type": "IdentityObject",
        "identityHash": email,
        "identityType": "emailAddress",
        "hashed": False,
    }


def badge(
    issuer: SigningIssuer, email: str, *, credential_id: str = "", name: str = "Teamwork"
) -> dict[str, Any]:
    """A signed OB 3.0 credential for `email`, with no remote image."""
    document = issuer.credential(
        name=name,
        credential_id=credential_id or f"urn:uuid:{uuid.uuid4()}",
        subject_id=None,
        identifier=identity(email),
    )
    document["credentialSubject"]["achievement"].pop("image", None)
    return issuer.sign(document)


def clr(issuer: SigningIssuer, email: str, members: list[dict[str, Any]]) -> dict[str, Any]:
    """A signed CLR 2.0 for `email` holding signed members."""
    document = fixtures.clr_credential(issuer.id, members)
    subject = document["credentialSubject"]
    subject.pop("id")
    subject["identifier"] = [identity(email)]
    return issuer.sign(document)


def as_json(document: dict[str, Any]) -> str:
    return json.dumps(document)


def make_connection(owner, *, name: str = "Example Academy"):
    """A platform the learner connected, made directly (no OAuth dance): for route tests."""
    from wallet.hostapi.models import PlatformClient, PlatformConnection

    client = PlatformClient.objects.create(
        client_id=f"swp_{uuid.uuid4().hex}",
        client_secret_hash="0" * 64,
        name=name,
        host="platform.example",
        client_uri="https://platform.example/",
        redirect_uris=["https://platform.example/callback"],
        scope="https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.upsert",
    )
    return PlatformConnection.objects.create(owner=owner, client=client, scope=client.scope)
