"""Builders for the sharing tests: real signed credentials, imported the real way."""

import json

import pytest

from credentials.models import Credential, CredentialSource, TrustedIssuer
from credentials.services import import_credential
from sharing import services
from sharing.models import ShareLink
from tests.credentials.support.issuer import did_key_issuer

PASSCODE = "blue-heron-42"


def import_signed(
    learner, *, name: str = "Teamwork", trusted: bool = True, email: str = "", **options
) -> Credential:
    """Import a fresh signed credential; its issuer is in the trusted registry unless told.

    It names `email` (the learner's own by default) unless `identifier` or `subject_id`
    say otherwise (`identifier=None` for a credential that names no one).
    """
    issuer = did_key_issuer()
    if trusted:
        TrustedIssuer.objects.create(name="Example University", identifiers=[issuer.id])
    options.setdefault("subject_id", None)
    options.setdefault(
        "identifier",
        {
            "type": "IdentityObject",
            "identityHash": email or learner.email,
            "identityType": "emailAddress",
            "hashed": False,
        },
    )
    document = issuer.sign(
        issuer.credential(
            name=name,
            credential_id=f"urn:uuid:{_uuid()}",
            **options,
        )
    )
    return import_credential(
        learner=learner,
        data=json.dumps(document).encode(),
        source=CredentialSource.PASTE,
        filename=f"{name.lower().replace(' ', '-')}.json",
    ).created[0]


def _uuid() -> str:
    import uuid

    return str(uuid.uuid4())


def make_link(learner, credentials=(), *, passcode: str = "", **options) -> ShareLink:
    """A share link to `credentials`, expiring in 90 days unless told otherwise."""
    expires_at = options.pop("expires_at", services.default_expiry())
    selection = services.Selection.of(
        credentials=credentials,
        collections=options.pop("collections", ()),
        skills=options.pop("skills", ()),
    )
    return services.create_share_link(
        owner=learner,
        title=options.pop("title", "Acme Corp"),
        message=options.pop("message", ""),
        selection=selection,
        expires_at=expires_at,
        passcode=passcode,
        options=services.LinkOptions(**options),
    )


def public_path(link: ShareLink, suffix: str = "/") -> str:
    return f"/s/{link.reveal_token()}{suffix}"


@pytest.fixture
def credential(learner) -> Credential:
    return import_signed(learner)


@pytest.fixture
def three_credentials(learner) -> list[Credential]:
    return [import_signed(learner, name=name) for name in ("Teamwork", "Robotics", "Welding")]
