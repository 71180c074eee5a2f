"""Reading (not verifying) a compact JWS: its header and JSON payload."""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from django.utils.translation import gettext as _

from credentials.formats import safejson
from credentials.formats.base import CredentialFormatError

COMPACT_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")


def is_compact_jws(text: str) -> bool:
    """Whether the text has the three-part shape of a compact JWS/JWT."""
    return bool(COMPACT_JWS.match(text))


def b64url_decode(segment: str) -> bytes:
    """Decode unpadded base64url."""
    try:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError) as exc:
        raise CredentialFormatError(_("The JWT is not valid base64url.")) from exc


def decode_unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The header and payload of a compact JWS, parsed but not verified."""
    if not is_compact_jws(token):
        raise CredentialFormatError(_("The text is not a compact JWS/JWT."))
    header_b64, payload_b64, _signature = token.split(".")
    header = safejson.loads(b64url_decode(header_b64))
    payload = safejson.loads(b64url_decode(payload_b64))
    return header, payload
