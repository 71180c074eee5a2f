"""Learning the learner enters themselves."""

from datetime import UTC, date, datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils.translation import gettext as _

from credentials import i18n
from credentials.audit import AuditAction, record_audit_event
from credentials.models import FORMAT_CHOICES, SELF_REPORTED_FORMAT, Credential, CredentialSource
from credentials.verification.verdict import Verdict


def create_self_reported(
    *,
    learner: models.Model,
    title: str,
    description: str = "",
    achieved_on: date | None = None,
    evidence_url: str = "",
    evidence_file: UploadedFile | None = None,
) -> Credential:
    """Record learning the learner enters themselves; always labelled self-reported."""
    title = title.strip()
    if not title:
        raise ValidationError(_("Give the learning a title."), code="required")
    issued_at = (
        datetime(achieved_on.year, achieved_on.month, achieved_on.day, tzinfo=UTC)
        if achieved_on
        else None
    )
    credential = Credential(
        owner=learner,
        format=SELF_REPORTED_FORMAT,
        source=CredentialSource.SELF_REPORTED,
        original_content_type="",
        name=title[:500],
        description=description,
        issued_at=issued_at,
        evidence_url=evidence_url,
        verdict=Verdict.SELF_REPORTED,
        verdict_message=str(_("Entered by the learner; not verified.")),
        normalized={
            "name": title,
            "description": description,
            "issued_on": achieved_on.isoformat() if achieved_on else "",
            "evidence": [{"url": evidence_url}] if evidence_url else [],
        },
    )
    credential.fingerprint = f"self:{credential.uuid}"
    written: list[str] = []
    try:
        with transaction.atomic():
            if evidence_file is not None:
                credential.evidence_file.save(
                    Path(evidence_file.name or "evidence").name[:100], evidence_file, save=False
                )
                written.append(credential.evidence_file.name)
            credential.save()
            record_audit_event(
                action=AuditAction.CREDENTIAL_IMPORTED,
                actor=learner,
                target=credential,
                detail=i18n.label(dict(FORMAT_CHOICES)[SELF_REPORTED_FORMAT]),
            )
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    return credential
