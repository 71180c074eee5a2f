"""A typical share, as learners make them: several issuers, some confirmed, some not,
one expired; each credential with a few lines of Markdown and three skills."""

import json
import uuid

from credentials.models import Credential, CredentialSource, TrustedIssuer
from credentials.services import import_credential
from tests.credentials.support.issuer import did_key_issuer
from tests.wallet.support import alignment
from wallet.curation_services import index_credentials

DESCRIPTION = (
    "Awarded to learners who completed the **{name}** workshop: forty hours of practice "
    "in a real workshop, with a mentor.\n\nThey can plan the work, use the tools safely "
    "and explain their choices to a client."
)
CRITERIA = (
    "# Criteria\n\nThe learner:\n\n* completed every practical session\n"
    "* passed the final assessment with at least 70%\n"
    "* presented a project to the [review panel](https://example.org/panel)\n"
)
SKILLS = ["Teamwork", "Planning", "Safety at work", "Client communication", "Welding"]

# What each typical credential is: (name, issuer kind, expired)
SEVEN = [
    ("Welding basics", "registered", False),
    ("Project planning", "registered", False),
    ("Workplace safety", "registered", False),
    ("Client communication", "registered", False),
    ("Community mentoring", "self_asserted", False),
    ("Robotics club", "self_asserted", False),
    ("First aid", "registered", True),
]


def typical_credential(
    learner, *, name: str, issuer_kind: str = "registered", expired: bool = False, index: int = 0
) -> Credential:
    """Import one typical signed credential for `learner`.

    `issuer_kind` is "registered" (the site's registry lists its key), "self_asserted"
    (a name nothing confirms) or "impersonation" (a registered issuer's name, another key).
    """
    issuer = did_key_issuer()
    issuer_name = {
        "registered": "Example University",
        "self_asserted": "Northwind Makers Guild",
        "impersonation": "Example University",
    }[issuer_kind]
    if issuer_kind == "registered":
        TrustedIssuer.objects.create(name=issuer_name, identifiers=[issuer.id])
    elif issuer_kind == "impersonation" and not TrustedIssuer.objects.filter(name=issuer_name):
        TrustedIssuer.objects.create(name=issuer_name, identifiers=[did_key_issuer().id])
    document = issuer.credential(
        name=name,
        credential_id=f"urn:uuid:{uuid.uuid4()}",
        subject_id=None,
        identifier={
            "type": "IdentityObject",
            "identityHash": learner.email,
            "identityType": "emailAddress",
            "hashed": False,
        },
        valid_from="2023-01-01T00:00:00Z" if expired else "2024-03-01T00:00:00Z",
        valid_until="2024-01-01T00:00:00Z" if expired else None,
    )
    document["issuer"]["name"] = issuer_name
    achievement = document["credentialSubject"]["achievement"]
    achievement.pop("image", None)
    achievement["description"] = DESCRIPTION.format(name=name)
    achievement["criteria"] = {"narrative": CRITERIA}
    achievement["alignment"] = [
        alignment(SKILLS[(index + offset) % len(SKILLS)], framework="Example Skills")
        for offset in range(3)
    ]
    credential = import_credential(
        learner=learner,
        data=json.dumps(issuer.sign(document)).encode(),
        source=CredentialSource.PASTE,
        filename=f"{name.lower().replace(' ', '-')}.json",
    ).created[0]
    index_credentials(credentials=[credential])
    return credential


def typical_seven(learner) -> list[Credential]:
    """Four from confirmed issuers, two whose issuer is not confirmed, one expired."""
    return [
        typical_credential(learner, name=name, issuer_kind=kind, expired=expired, index=index)
        for index, (name, kind, expired) in enumerate(SEVEN)
    ]


def typical_many(learner, count: int) -> list[Credential]:
    """`count` typical credentials cycling through the seven kinds."""
    return [
        typical_credential(
            learner,
            name=f"{SEVEN[index % 7][0]} {index + 1}",
            issuer_kind=SEVEN[index % 7][1],
            expired=SEVEN[index % 7][2],
            index=index,
        )
        for index in range(count)
    ]
