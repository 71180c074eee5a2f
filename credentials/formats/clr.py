"""1EdTech CLR 2.0: the credentials a ClrCredential holds."""

from __future__ import annotations

from typing import Any


def nested_credentials(document: dict[str, Any]) -> list[Any]:
    """The members of `credentialSubject.verifiableCredential` (objects or JWT strings)."""
    subject = document.get("credentialSubject")
    subjects = subject if isinstance(subject, list) else [subject]
    members: list[Any] = []
    for item in subjects:
        if not isinstance(item, dict):
            continue
        nested = item.get("verifiableCredential", [])
        members.extend(nested if isinstance(nested, list) else [nested])
    return members
