"""Removing a credential and every file it owns."""

from django.core.files.storage import default_storage
from django.db import models, transaction

from credentials import i18n
from credentials.audit import AuditAction, record_audit_event
from credentials.changes import credential_changed
from credentials.models import FORMAT_CHOICES, Credential


def delete_credential(*, credential: Credential, actor: models.Model) -> None:
    """Remove a credential, its nested credentials and every file they own."""
    names = [
        field.name
        for item in [credential, *credential.children.all()]
        for field in (item.original, item.image, item.evidence_file)
        if field
    ]
    with transaction.atomic():
        record_audit_event(
            action=AuditAction.CREDENTIAL_DELETED,
            actor=actor,
            target=credential,
            detail=i18n.label(dict(FORMAT_CHOICES)[credential.format]),
        )
        credential_changed(credential=credential)
        credential.delete()
        transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
