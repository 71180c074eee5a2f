"""Verifiable Presentations: containers whose members are verified one by one."""

from __future__ import annotations

from typing import Any

from credentials.formats.base import types_of


def is_presentation(document: dict[str, Any]) -> bool:
    """Whether a JSON object is a Verifiable Presentation."""
    return "VerifiablePresentation" in types_of(document)


def members(document: dict[str, Any]) -> list[Any]:
    """The credentials held in `verifiableCredential` (objects or JWT strings)."""
    held = document.get("verifiableCredential", [])
    return held if isinstance(held, list) else [held]
