"""High-entropy secrets (client secrets, codes, tokens) are stored and looked up by SHA-256."""

import hashlib
import hmac
import secrets


def new_secret(prefix: str) -> str:
    """A fresh 256-bit secret with a label that makes a leaked one easy to spot."""
    return prefix + secrets.token_urlsafe(32)


def hash_secret(value: str) -> str:
    """The SHA-256 a secret is stored and looked up by."""
    return hashlib.sha256(value.encode()).hexdigest()


def matches(value: str, stored_hash: str) -> bool:
    """Compare a presented secret with a stored hash in constant time."""
    return hmac.compare_digest(hash_secret(value or ""), stored_hash)
