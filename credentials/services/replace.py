"""Replacing: a new version of a credential takes the place of the old one in the same row.

The row stays, so whatever the learner and the apps above attached to it (notes, tags,
collections, share links) stays too. Who may replace what is for the caller to decide.
"""

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from credentials.changes import credential_changed
from credentials.formats import read_credentials
from credentials.formats.base import CredentialFormatError, ParsedCredential
from credentials.images import ImageBudget
from credentials.models import Credential, CredentialSource
from credentials.services.imports import (
    DuplicateCredential,
    _prepare,
    _store,
    recipient_context_for,
    refuse_failures,
)


def read_one(data: bytes) -> ParsedCredential:
    """The one credential in the bytes (a CLR counts as one), or a reason why not."""
    try:
        found = read_credentials(data)
    except CredentialFormatError as exc:
        raise ValidationError(exc.reason, code="unreadable") from exc
    if len(found) != 1:
        raise ValidationError(_("Send one credential at a time."), code="several")
    return found[0]


def replace_credential(
    *,
    credential: Credential,
    data: bytes,
    source: CredentialSource,
    source_url: str = "",
    refuse_failed: bool = True,
) -> Credential:
    """Read and verify the new version, then store it in place of the credential's contents."""
    owner = credential.owner
    item = _prepare(read_one(data), recipient_context_for(owner), "", ImageBudget())
    if refuse_failed:
        refuse_failures([item])
    written: list[str] = []
    try:
        with transaction.atomic():
            credential = Credential.objects.select_for_update().get(pk=credential.pk)
            clash = (
                Credential.objects.owned_by(owner)
                .top_level()
                .filter(fingerprint=item.fingerprint)
                .exclude(pk=credential.pk)
                .first()
            )
            if clash is not None:
                raise DuplicateCredential(clash)
            old_children = list(credential.children.all())
            stale = [name for row in [credential, *old_children] for name in _files(row)]
            for child in old_children:
                child.delete()
            credential = _store(
                owner,
                item,
                source=source,
                source_url=source_url,
                written=written,
                into=credential,
            )
            credential_changed(credential=credential)
            transaction.on_commit(lambda: _delete_files(stale, keep=written))
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    return credential


def _files(credential: Credential) -> list[str]:
    return [name for name in (credential.original.name, credential.image.name) if name]


def _delete_files(names: list[str], *, keep: list[str]) -> None:
    for name in names:
        if name not in keep:
            default_storage.delete(name)
