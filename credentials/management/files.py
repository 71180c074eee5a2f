"""Reading the files the management commands are given."""

from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from credentials.formats import CredentialFormatError


def read_capped(path: str) -> bytes:
    """The file's bytes, at most one byte past the import cap."""
    file = Path(path)
    if not file.is_file():
        raise CredentialFormatError(_("No such file."))
    # Read one byte past the cap so an oversized file is refused without loading it whole.
    with file.open("rb") as handle:
        return handle.read(settings.IMPORT_MAX_BYTES + 1)
