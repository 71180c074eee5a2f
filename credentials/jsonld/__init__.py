"""JSON-LD for the verifier: bundled contexts only, strict expansion, RDFC-1.0."""

from .canon import canonicalize
from .errors import JsonLdError, UnknownContextError
from .loader import document_loader, known_contexts
from .strict import expand_strict

__all__ = [
    "JsonLdError",
    "UnknownContextError",
    "canonicalize",
    "document_loader",
    "expand_strict",
    "known_contexts",
]
