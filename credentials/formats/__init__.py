"""Reading credentials: Open Badges 2.0/3.0, W3C VC (JSON-LD and JWT), CLR 2.0, VP, baked images."""

from credentials.formats.base import CredentialFormat, CredentialFormatError, ParsedCredential
from credentials.formats.detect import read_credentials

__all__ = ["CredentialFormat", "CredentialFormatError", "ParsedCredential", "read_credentials"]
