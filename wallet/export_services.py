"""The learner's "download everything" export: a ZIP built in the background."""

import hashlib
import json
import logging
import re
import tempfile
import zipfile
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from credentials.jobs import queue_job
from credentials.models import Credential, JobStatus, RecipientIdentifier
from credentials.services import record_audit_event
from wallet.audit import AccountAction
from wallet.models import Collection, ExportJob, Skill, User, Wallet, export_upload_to

logger = logging.getLogger(__name__)

PROGRESS_STEP = 10
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def request_export(*, owner: User) -> ExportJob:
    """Queue a new export; one still under way is returned instead of starting another."""
    with transaction.atomic():
        unfinished = (
            ExportJob.objects.owned_by(owner)
            .filter(status__in=[JobStatus.PENDING, JobStatus.RUNNING])
            .first()
        )
        if unfinished is not None:
            return unfinished
        job = ExportJob.objects.create(owner=owner)
        record_audit_event(action=AccountAction.EXPORT_REQUESTED, actor=owner, target=job)
        transaction.on_commit(lambda: queue_job(job))
    return job


def _safe_name(name: str, fallback: str) -> str:
    name = SAFE_NAME.sub("_", name.rsplit("/", 1)[-1]).strip("._")[:100]
    return name or fallback


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value else ""


def build_export(*, job: ExportJob) -> ExportJob:
    """Write the learner's ZIP (originals, manifest, index.html) and move the job to ready."""
    if job.is_done:
        return job
    job.start(progress=0)
    try:
        with tempfile.TemporaryFile() as archive_file:
            _write_archive(job, archive_file)
            archive_file.seek(0)
            name = export_upload_to(job, "")
            # A retry overwrites the same file rather than leaving a second one.
            default_storage.delete(name)
            job.file.save(name, File(archive_file), save=False)
    except Exception:
        logger.exception("export %s failed", job.uuid)
        job.fail(_("The export could not be built; please try again."), progress=0)
        return job
    job.finish(
        file=job.file.name,
        progress=100,
        expires_at=timezone.now() + timedelta(days=settings.EXPORT_RETENTION_DAYS),
    )
    return job


def _write_archive(job: ExportJob, archive_file: Any) -> None:
    owner = job.owner
    credentials = list(
        Credential.objects.owned_by(owner)
        .select_related("curation")
        .prefetch_related("curation__tags", "skills", "collection_items__collection")
        .order_by("parent_id", "position", "created_at", "pk")
    )
    entries = []
    with zipfile.ZipFile(archive_file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        reported = 0
        for index, credential in enumerate(credentials, start=1):
            entries.append(_write_credential(archive, credential))
            # Progress moves in tenths, so a large wallet costs no more updates than a small one.
            progress = PROGRESS_STEP * (90 * index // len(credentials) // PROGRESS_STEP)
            if progress > reported:
                reported = progress
                ExportJob.objects.filter(pk=job.pk).update(progress=progress)
        manifest = _manifest(owner, entries)
        archive.writestr(
            "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True)
        )
        with translation.override(owner.preferred_language):
            archive.writestr(
                "index.html", render_to_string("wallet/export_index.html", {"manifest": manifest})
            )


def _write_credential(archive: zipfile.ZipFile, credential: Credential) -> dict[str, Any]:
    folder = f"credentials/{credential.uuid}"
    original: dict[str, str] = {}
    if credential.original:
        with credential.original.open("rb") as handle:
            data = handle.read()
        path = f"{folder}/{_safe_name(credential.original_name, 'original')}"
        archive.writestr(path, data)
        original = {
            "path": path,
            "sha256": hashlib.sha256(data).hexdigest(),
            "content_type": credential.original_content_type,
            "name": credential.original_name,
        }
    evidence = ""
    if credential.evidence_file:
        with credential.evidence_file.open("rb") as handle:
            evidence = f"{folder}/evidence-{_safe_name(credential.evidence_file.name, 'file')}"
            archive.writestr(evidence, handle.read())
    curation = getattr(credential, "curation", None)
    return {
        "uuid": str(credential.uuid),
        "inside": "",
        "parent_id": credential.parent_id,
        "name": credential.name,
        "issuer": credential.issuer_name,
        "format": credential.format,
        "source": credential.source,
        "source_url": credential.source_url,
        "imported_at": _iso(credential.created_at),
        "issued_at": _iso(credential.issued_at),
        "expires_at": _iso(credential.expires_at),
        "verification": {
            "verdict": credential.verdict,
            "message": credential.verdict_explanation,
            "verified_at": _iso(credential.verified_at),
            "checks": credential.checks,
        },
        "normalized": credential.normalized,
        "original": original,
        "evidence_file": evidence,
        "note": curation.note if curation else "",
        "public_description": curation.public_description if curation else "",
        "tags": sorted(tag.name for tag in curation.tags.all()) if curation else [],
        "is_pinned": bool(curation and curation.is_pinned),
        "is_hidden": bool(curation and curation.is_hidden),
        "skills": sorted(str(skill.uuid) for skill in credential.skills.all()),
        "_pk": credential.pk,
    }


def _manifest(owner: User, entries: list[dict[str, Any]]) -> dict[str, Any]:
    by_pk = {entry.pop("_pk"): entry for entry in entries}
    for entry in entries:
        parent = by_pk.get(entry.pop("parent_id"))
        entry["inside"] = parent["uuid"] if parent else ""
    wallet = Wallet.objects.filter(user=owner).first()
    collections = Collection.objects.owned_by(owner).prefetch_related("items__credential")
    skills = Skill.objects.owned_by(owner).prefetch_related("credentials")
    return {
        "export": {"format": "skills-wallet-export", "version": 1},
        "exported_at": timezone.now().isoformat(),
        "learner": {
            "email": owner.email,
            "display_name": wallet.display_name if wallet else "",
            "headline": wallet.headline if wallet else "",
            "bio": wallet.bio if wallet else "",
            "identifiers": list(
                RecipientIdentifier.objects.owned_by(owner).values_list("value", flat=True)
            ),
        },
        "credentials": entries,
        "collections": [
            {
                "uuid": str(collection.uuid),
                "name": collection.name,
                "description": collection.description,
                "credentials": [str(item.credential.uuid) for item in collection.items.all()],
            }
            for collection in collections
        ],
        "skills": [
            {
                "uuid": str(skill.uuid),
                "name": skill.name,
                "framework": skill.framework,
                "code": skill.code,
                "url": skill.url,
                "source": skill.source,
                "credentials": sorted(str(c.uuid) for c in skill.credentials.all()),
            }
            for skill in skills
        ],
    }


def delete_expired_exports(*, now: datetime | None = None) -> int:
    """Delete export files past their retention date; the job rows say they expired."""
    now = now or timezone.now()
    count = 0
    for job in ExportJob.objects.filter(expires_at__lt=now).exclude(file=""):
        default_storage.delete(job.file.name)
        job.file = ""
        job.save(update_fields=["file", "updated_at"])
        count += 1
    return count
