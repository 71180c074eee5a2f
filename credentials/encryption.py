"""Symmetric encryption for secrets kept at rest (TOTP keys, share tokens)."""

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

__all__ = ["InvalidToken", "decrypt", "encrypt"]


@cache
def _fernet() -> MultiFernet:
    keys = list(settings.FIELD_ENCRYPTION_KEY)
    if not keys:
        # Development and tests only (settings refuse this in production):
        # a key derived from SECRET_KEY, so nothing needs configuring.
        digest = hashlib.sha256(b"field-encryption:" + settings.SECRET_KEY.encode()).digest()
        keys = [base64.urlsafe_b64encode(digest).decode()]
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(text: str) -> str:
    """Encrypt text with the newest key."""
    return _fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    """Decrypt text written by encrypt() with any configured key."""
    return _fernet().decrypt(token.encode()).decode()
