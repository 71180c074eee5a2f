"""State changes owned by the credentials app."""

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from importlib import import_module
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from credentials.fetcher import FetchError, fetch, one_fetch_per_url
from credentials.formats import read_credentials
from credentials.formats.base import CredentialFormatError, ParsedCredential
from credentials.images import ImageBudget, badge_png
from credentials.mail import queue_email, render_html
from credentials.models import (
    SELF_REPORTED_FORMAT,
    AuditAction,
    AuditEvent,
    Credential,
    CredentialSource,
    ImportJob,
    Job,
    JobStatus,
    RecipientIdentifier,
)
from credentials.verification.checks import CheckName, CheckStatus
from credentials.verification.engine import VerificationResult, verify
from credentials.verification.recipient import RecipientContext
from credentials.verification.verdict import Verdict

IMPORT_ACCEPT = "application/ld+json, application/json, application/jwt, image/png, image/svg+xml"
MAX_JOB_ATTEMPTS = 5

logger = logging.getLogger(__name__)


def record_audit_event(
    *,
    action: AuditAction,
    actor: models.Model | None = None,
    target: models.Model | None = None,
    detail: str = "",
) -> AuditEvent:
    """Append one audit event; callers never pass secrets in `detail`."""
    target_type = target._meta.label_lower if target is not None else ""
    target_id = str(getattr(target, "uuid", None) or getattr(target, "pk", "")) if target else ""
    event = AuditEvent.objects.create(
        action=action,
        actor=actor if actor is not None and actor.pk else None,
        target_type=target_type,
        target_id=target_id,
        detail=detail[:300],
    )
    logger.info("audit action=%s target=%s:%s", action, target_type, target_id)
    return event


class DuplicateCredential(ValidationError):
    """Every credential in the input is already in this wallet."""

    def __init__(self, existing: Credential) -> None:
        super().__init__(
            _("This credential is already in your wallet: “%(name)s”.") % {"name": existing.name},
            code="duplicate",
        )
        self.existing = existing


@dataclass
class ImportOutcome:
    """What one import stored, and what it skipped as already held."""

    created: list[Credential] = field(default_factory=list)
    duplicates: list[Credential] = field(default_factory=list)
    # Copies whose proof failed, now marked `duplicate_of` a verified one: the learner is
    # offered to delete them.
    failed_copies: list[Credential] = field(default_factory=list)


# The DIDs of the holder keys a learner controls, from the app that keeps them: it appends
# a function here in its `AppConfig.ready()` (credentials imports no app above it).
HOLDER_DID_SOURCES: list[Callable[[models.Model], Iterable[str]]] = []


def recipient_context_for(learner: models.Model) -> RecipientContext:
    """The learner's verified email addresses, the identifiers they typed in, their holder keys."""
    emails = {
        email.lower()
        for email in EmailAddress.objects.filter(user=learner, verified=True).values_list(
            "email", flat=True
        )
    }
    identifiers = set(RecipientIdentifier.objects.owned_by(learner).values_list("value", flat=True))
    holder_dids = {did for source in HOLDER_DID_SOURCES for did in source(learner)}
    return RecipientContext(
        verified_emails=emails, claimed_identifiers=identifiers, holder_dids=holder_dids
    )


def import_credential(
    *,
    learner: models.Model,
    data: bytes,
    source: CredentialSource,
    filename: str = "",
    source_url: str = "",
) -> ImportOutcome:
    """Read, verify and store every credential in the bytes, all or nothing."""
    try:
        found = read_credentials(data, filename=filename or None)
    except CredentialFormatError as exc:
        raise ValidationError(exc.reason, code="unreadable") from exc
    recipient = recipient_context_for(learner)
    # Network work (keys, status lists, images) happens before the transaction.
    budget = ImageBudget()
    prepared = [_prepare(parsed, recipient, filename, budget) for parsed in found]
    outcome = ImportOutcome()
    written: list[str] = []
    try:
        with transaction.atomic():
            for item in prepared:
                existing = (
                    Credential.objects.owned_by(learner)
                    .top_level()
                    .filter(fingerprint=item.fingerprint)
                    .first()
                )
                if existing is not None:
                    outcome.duplicates.append(existing)
                    continue
                credential = _store(
                    learner, item, source=source, source_url=source_url, written=written
                )
                outcome.created.append(credential)
                outcome.failed_copies.extend(_link_copies(credential))
                record_audit_event(
                    action=AuditAction.CREDENTIAL_IMPORTED,
                    actor=learner,
                    target=credential,
                    detail=f"{credential.format} via {source}",
                )
    except BaseException:
        # The rows rolled back; the files they pointed at must go too.
        for name in written:
            default_storage.delete(name)
        raise
    if not outcome.created and outcome.duplicates:
        raise DuplicateCredential(outcome.duplicates[0])
    return outcome


@dataclass
class _Prepared:
    parsed: ParsedCredential
    result: VerificationResult
    fingerprint: str
    original_name: str
    content_type: str
    image_png: bytes | None
    children: list["_Prepared"] = field(default_factory=list)


def fingerprint_for(result: VerificationResult, *, original_sha256: str) -> str:
    """What makes two imports the same credential: its issuer id and credential id (as the
    1EdTech host API matches them) once a proof passed, else its exact bytes.

    An id no proof backs is only a claim: a tampered copy must never keep the genuine
    credential out of the wallet.
    """
    issuer = result.normalized.get("issuer")
    issuer_id = str(issuer.get("id") or "") if isinstance(issuer, dict) else ""
    credential_id = str(result.normalized.get("credential_id") or "")
    if issuer_id and credential_id and _proof_passed(result):
        return "id:" + hashlib.sha256(f"{issuer_id}\n{credential_id}".encode()).hexdigest()
    return f"sha256:{original_sha256}"


def _proof_passed(result: VerificationResult) -> bool:
    return any(
        check.name == CheckName.PROOF and check.status == CheckStatus.PASSED
        for check in result.checks
    )


# How much of the learner's own work (notes, tags, collections, share links) hangs on a
# credential, from the apps that keep it: each appends a counter here in its
# `AppConfig.ready()`. Of two copies of one credential, the one with more work stays.
LEARNER_WORK_COUNTERS: list[Callable[[Credential], int]] = []


def learner_work_on(credential: Credential) -> int:
    """How many notes, tags, collections and links the learner put on this credential."""
    return sum(counter(credential) for counter in LEARNER_WORK_COUNTERS)


def _copies_of(credential: Credential) -> models.QuerySet[Credential]:
    """The learner's other top-level credentials that claim the same issuer and id."""
    credential_id = (credential.normalized or {}).get("credential_id")
    if not credential_id or not credential.issuer_id:
        return Credential.objects.none()
    return (
        Credential.objects.owned_by(credential.owner)
        .top_level()
        .exclude(pk=credential.pk)
        .filter(issuer_id=credential.issuer_id, normalized__credential_id=credential_id)
    )


def _link_copies(credential: Credential) -> list[Credential]:
    """Mark failed copies of a just-stored credential as duplicates of the verified one."""
    if credential.fingerprint.startswith("id:"):
        copies = list(_copies_of(credential).filter(fingerprint__startswith="sha256:"))
        for copy in copies:
            copy.duplicate_of = credential
            copy.save(update_fields=["duplicate_of", "updated_at"])
        return copies
    holder = _copies_of(credential).filter(fingerprint__startswith="id:").first()
    if holder is None:
        return []
    credential.duplicate_of = holder
    credential.save(update_fields=["duplicate_of", "updated_at"])
    return [credential]


def _claim_id(credential: Credential, fingerprint: str) -> None:
    """A stored copy whose proof now passes takes its id; of two verified copies, the one
    carrying the learner's work stays and the other is marked a duplicate (never deleted)."""
    if credential.fingerprint == fingerprint:
        return
    holder = (
        Credential.objects.owned_by(credential.owner)
        .top_level()
        .filter(fingerprint=fingerprint)
        .exclude(pk=credential.pk)
        .first()
    )
    if holder is not None and learner_work_on(credential) <= learner_work_on(holder):
        credential.duplicate_of = holder
        credential.save(update_fields=["duplicate_of", "updated_at"])
        return
    if holder is not None:
        # The holder gives its fingerprint up first: the unique constraint holds at each step.
        holder.fingerprint = f"copy:{holder.uuid}"
        holder.duplicate_of = credential
        holder.save(update_fields=["fingerprint", "duplicate_of", "updated_at"])
        Credential.objects.filter(duplicate_of=holder).update(duplicate_of=credential)
    credential.fingerprint = fingerprint
    credential.duplicate_of = None
    credential.save(update_fields=["fingerprint", "duplicate_of", "updated_at"])
    _copies_of(credential).filter(fingerprint__startswith="sha256:").update(duplicate_of=credential)


def _prepare(
    parsed: ParsedCredential, recipient: RecipientContext, filename: str, budget: ImageBudget
) -> _Prepared:
    result = verify(parsed, recipient=recipient)
    return _prepared_from(parsed, result, filename, budget)


def _prepared_from(
    parsed: ParsedCredential, result: VerificationResult, filename: str, budget: ImageBudget
) -> _Prepared:
    # What the reader parsed, never a guess from the first bytes: a JSON credential whose
    # name holds "<svg" was once stored as an SVG and could never be verified again.
    content_type = parsed.media_type
    return _Prepared(
        parsed=parsed,
        result=result,
        fingerprint=fingerprint_for(
            result, original_sha256=hashlib.sha256(parsed.original).hexdigest()
        ),
        original_name=_original_name(filename, parsed, content_type),
        content_type=content_type,
        image_png=_badge_png(parsed, result, budget),
        children=[
            _prepared_from(child, child_result, "", budget)
            for child, child_result in zip(parsed.children, result.children, strict=True)
        ],
    )


def _badge_png(
    parsed: ParsedCredential, result: VerificationResult, budget: ImageBudget
) -> bytes | None:
    # Anyone can forge a credential that fails, and an image bomb costs nothing to send: its
    # image is not worth the CPU. The pages show the initial instead.
    if result.verdict == Verdict.FAILED:
        return None
    return badge_png(
        baked=parsed.baked_image,
        image_ref=str(result.normalized.get("image") or ""),
        budget=budget,
    )


_EXTENSIONS = {
    "image/png": "png",
    "image/svg+xml": "svg",
    "application/jwt": "jwt",
    "application/json": "json",
}


def _original_name(filename: str, parsed: ParsedCredential, content_type: str) -> str:
    stem = Path(filename).stem if filename and parsed.index == 0 else f"credential-{parsed.index}"
    safe = "".join(ch for ch in stem if ch.isalnum() or ch in "-_.")[:80] or "credential"
    return f"{safe}.{_EXTENSIONS[content_type]}"


def _store(
    learner: models.Model,
    item: _Prepared,
    *,
    source: CredentialSource,
    source_url: str,
    written: list[str],
    parent: Credential | None = None,
) -> Credential:
    view = item.result.normalized
    issuer = view.get("issuer") or {}
    credential = Credential(
        owner=learner,
        parent=parent,
        position=item.parsed.index,
        format=str(item.result.format),
        source=source,
        source_url=source_url[:2000],
        original_sha256=hashlib.sha256(item.parsed.original).hexdigest(),
        original_name=item.original_name,
        original_content_type=item.content_type,
        fingerprint=item.fingerprint,
        document=item.parsed.document,
        normalized=view,
        name=(view.get("name") or _("Untitled credential"))[:500],
        description=view.get("description") or "",
        issuer_name=(issuer.get("name") or "")[:500],
        issuer_id=(issuer.get("id") or "")[:2000],
        issued_at=_parse_date(view.get("issued_on")),
        expires_at=_parse_date(view.get("expires_on")),
    )
    _apply_result(credential, item.result)
    credential.original.save(item.original_name, ContentFile(item.parsed.original), save=False)
    written.append(credential.original.name)
    if item.image_png:
        credential.image.save("image.png", ContentFile(item.image_png), save=False)
        written.append(credential.image.name)
    credential.save()
    for child in item.children:
        _store(
            learner,
            child,
            source=source,
            source_url=source_url,
            written=written,
            parent=credential,
        )
    return credential


def _apply_result(credential: Credential, result: VerificationResult) -> None:
    data = result.as_dict()
    credential.verdict = str(result.verdict)
    credential.verdict_message = str(result.message)[:500]
    credential.checks = data["checks"]
    recipient = next((c for c in result.checks if c.name == CheckName.RECIPIENT), None)
    credential.recipient_code = str(recipient.code) if recipient is not None else ""
    credential.verified_at = result.verified_at
    if could_not_run(result):
        return
    credential.last_verified_at = result.verified_at
    credential.recheck_failed_at = None
    credential.recheck_error = {}
    credential.recheck_failures = 0


def _parse_date(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = parse_datetime(value)
        if parsed is None:
            day = parse_date(value)
            if day is None:
                return None
            parsed = datetime(day.year, day.month, day.day)
    except ValueError:
        # Well-formed but impossible (month 13): the checks already said so.
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, UTC)
    return parsed


NOTIFY_VERDICTS = {Verdict.REVOKED, Verdict.EXPIRED}


def reverify_credential(
    *, credential: Credential, actor: models.Model | None = None, now: datetime | None = None
) -> Credential:
    """Verify a stored credential again from its original bytes and record the result."""
    if credential.is_self_reported:
        raise ValidationError(_("Self-reported learning is not verified."), code="self_reported")
    top = credential.parent or credential
    try:
        with top.original.open("rb") as handle:
            data = handle.read()
        found = read_credentials(data, filename=top.original_name)
        parsed = next((p for p in found if p.index == top.position), found[0])
        result = verify(parsed, recipient=recipient_context_for(top.owner), now=now)
    except Exception as exc:
        # Whatever stopped the check, the verdict it had stands, marked as not checked again.
        reason = exc.reason if isinstance(exc, CredentialFormatError) else str(exc)
        _record_recheck_failure(
            [top, *top.children.all()], reason={"message": reason[:500]}, at=now
        )
        if isinstance(exc, CredentialFormatError):
            raise ValidationError(exc.reason, code="unreadable") from exc
        raise
    with transaction.atomic():
        changed = _record_result(top, result)
        for child, child_result in zip(
            top.children.order_by("position"), result.children, strict=False
        ):
            changed += _record_result(child, child_result)
        if top.parent_id is None and _proof_passed(result):
            _claim_id(top, fingerprint_for(result, original_sha256=top.original_sha256))
        record_audit_event(
            action=AuditAction.CREDENTIAL_REVERIFIED,
            actor=actor,
            target=top,
            detail=str(top.verdict),
        )
        if changed:
            _notify_verdict_changes(top.owner, changed)
    credential.refresh_from_db()
    return credential


RESULT_FIELDS = ("verdict", "verdict_message", "checks", "recipient_code")


def could_not_run(result: VerificationResult) -> bool:
    """The result says nothing new: a check could not run (issuer offline, list unreachable).

    A definitive result (revoked, expired, failed, verified) always replaces the stored one.
    """
    return result.verdict == Verdict.UNVERIFIABLE and any(
        check.is_transient for check in result.checks
    )


def _record_recheck_failure(
    credentials: list[Credential], *, reason: dict[str, Any], at: datetime | None
) -> None:
    """Keep each credential's verdict and checks, and say since when and why no check ran."""
    when = at or timezone.now()
    for credential in credentials:
        credential.recheck_failed_at = credential.recheck_failed_at or when
        credential.recheck_error = reason
        credential.recheck_failures += 1
        credential.save(
            update_fields=["recheck_failed_at", "recheck_error", "recheck_failures", "updated_at"]
        )


def _transient_reason(result: VerificationResult) -> dict[str, Any]:
    """The first check that could not run, as the page shows it again in its reader's language."""
    check = next((check for check in result.checks if check.is_transient), None)
    if check is None:
        return {"message": str(result.message)[:500]}
    data = check.as_dict()
    return {"message": data["message"][:500], "message_source": data["message_source"]}


def _record_result(credential: Credential, result: VerificationResult) -> list[Credential]:
    if could_not_run(result):
        if credential.last_verified_at is None:
            # No check ever ran to the end: there is no verdict to keep, show the newer one.
            _apply_result(credential, result)
            credential.save(update_fields=[*RESULT_FIELDS, "verified_at", "updated_at"])
        _record_recheck_failure(
            [credential], reason=_transient_reason(result), at=result.verified_at
        )
        return []
    previous = credential.verdict
    _apply_result(credential, result)
    fields = ["verdict", "verdict_message", "checks", "recipient_code", "verified_at", "updated_at"]
    fields += ["last_verified_at", "recheck_failed_at", "recheck_error", "recheck_failures"]
    changed = []
    if credential.verdict != previous:
        credential.verdict_changed_at = result.verified_at
        fields.append("verdict_changed_at")
        if credential.verdict in NOTIFY_VERDICTS:
            credential.has_unseen_change = True
            fields.append("has_unseen_change")
            changed.append(credential)
    credential.save(update_fields=fields)
    return changed


def _notify_verdict_changes(learner: models.Model, changed: list[Credential]) -> None:
    email = (
        EmailAddress.objects.filter(user=learner, primary=True, verified=True)
        .values_list("email", flat=True)
        .first()
    )
    if not email:
        return
    with translation.override(learner.preferred_language):
        ctx = {
            "credentials": changed,
            "items": [
                {
                    "name": credential.name,
                    "issuer": credential.issuer_name,
                    "explanation": credential.verdict_explanation,
                    "url": f"{settings.SITE_URL}{credential.get_absolute_url()}",
                }
                for credential in changed
            ],
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("credentials/email/verdict_changed_subject.txt", ctx)
        body = render_to_string("credentials/email/verdict_changed_message.txt", ctx).strip()
        html = render_html(subject=subject, body=body)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email],
    )
    message.attach_alternative(html, "text/html")
    queue_email(message=message)


def reverify_all(*, now: datetime | None = None) -> int:
    """Verify every stored credential again; each remote URL is fetched once per run."""
    count = 0
    with one_fetch_per_url():
        for credential in (
            Credential.objects.top_level()
            .verifiable()
            .select_related("owner")
            .order_by("verified_at")
            .iterator(chunk_size=200)
        ):
            try:
                reverify_credential(credential=credential, now=now)
            except Exception as exc:  # one credential's failure must not stop the others
                # reverify_credential recorded it on the row; the verdict stands, marked.
                logger.warning("re-verification of %s could not run: %s", credential.uuid, exc)
                continue
            count += 1
    return count


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
                detail="self-reported",
            )
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    return credential


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
            detail=credential.format,
        )
        credential.delete()
        transaction.on_commit(lambda: [default_storage.delete(name) for name in names])


def request_url_import(*, learner: models.Model, url: str) -> ImportJob:
    """Queue an import from a web address; the job row shows its progress."""
    url = url.strip()
    if not url.lower().startswith(("https://", "http://")):
        raise ValidationError(_("Enter a web address starting with https://."), code="url")
    job = ImportJob.objects.create(owner=learner, url=url[:2000])
    transaction.on_commit(lambda: queue_job(_import_task(), job))
    return job


def queue_job(task: Any, job: Job) -> None:
    """Hand a job to Celery; if the broker is down the row stays pending for the sweeper."""
    try:
        task.delay(job.pk)
    except Exception as exc:  # any broker failure leaves the job pending, never a 500
        logger.warning("could not queue %s %s: %s", job._meta.label, job.uuid, exc)


def run_url_import(*, job: ImportJob) -> ImportJob:
    """Fetch the job's URL and import what it holds, moving the job to ready or failed."""
    if job.is_done:
        return job
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), attempts=models.F("attempts") + 1
    )
    try:
        response = fetch(job.url, accept=IMPORT_ACCEPT, max_bytes=settings.IMPORT_MAX_BYTES)
        if response.status != 200:
            raise ValidationError(
                _("The address answered HTTP %(status)d.") % {"status": response.status}
            )
        outcome = import_credential(
            learner=job.owner,
            data=response.body,
            source=CredentialSource.URL,
            filename=Path(urlsplit(job.url).path).name,
            source_url=job.url,
        )
    except FetchError as exc:
        if exc.transient:
            ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.PENDING)
            raise
        return _finish_job(job, error=exc.reason)
    except ValidationError as exc:
        return _finish_job(job, error=" ".join(exc.messages))
    job.credentials.set(outcome.created)
    return _finish_job(job, error="")


def _finish_job(job: ImportJob, *, error: str) -> ImportJob:
    job.status = JobStatus.FAILED if error else JobStatus.READY
    job.error = error[:500]
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at", "updated_at"])
    return job


def requeue_stale_jobs(*, older_than: timedelta = timedelta(minutes=10)) -> int:
    """Queue again every job left pending (broker down) or running (worker killed).

    Each concrete Job names its task in `task_name`; a job that has used up its
    attempts is marked failed so it can be retried by hand.
    """
    cutoff = timezone.now() - older_than
    count = 0
    for model in apps.get_models():
        if not issubclass(model, Job) or not model.task_name:
            continue
        stale = model.objects.filter(
            status__in=[JobStatus.PENDING, JobStatus.RUNNING], updated_at__lt=cutoff
        )
        for job in stale:
            if job.attempts >= MAX_JOB_ATTEMPTS:
                model.objects.filter(pk=job.pk).update(
                    status=JobStatus.FAILED,
                    error=str(_("The task did not finish; please try again."))[:500],
                    finished_at=timezone.now(),
                )
                continue
            module, _dot, name = model.task_name.rpartition(".")
            queue_job(getattr(import_module(module), name), job)
            count += 1
    return count


def _import_task() -> Any:
    # Imported here: tasks import this module.
    from credentials.tasks import import_from_url

    return import_from_url


def retry_import_jobs(*, jobs: Any) -> int:
    """Queue failed URL imports again from a clean state."""
    count = 0
    for job in jobs:
        job.status = JobStatus.PENDING
        job.error = ""
        job.attempts = 0
        job.finished_at = None
        job.save(update_fields=["status", "error", "attempts", "finished_at", "updated_at"])
        transaction.on_commit(lambda job=job: queue_job(_import_task(), job))
        count += 1
    return count
