"""Importing: read, verify and store every credential in some bytes, all or nothing."""

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from credentials import i18n
from credentials.audit import AuditAction, record_audit_event
from credentials.formats import read_credentials
from credentials.formats.base import CredentialFormatError, ParsedCredential
from credentials.images import ImageBudget, badge_png
from credentials.models import FORMAT_CHOICES, Credential, CredentialSource, RecipientIdentifier
from credentials.services.duplicates import link_copies
from credentials.services.results import apply_result, fingerprint_for
from credentials.verification.engine import VerificationResult, verify
from credentials.verification.recipient import RecipientContext
from credentials.verification.verdict import Verdict


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
    refuse_failed: bool = False,
) -> ImportOutcome:
    """Read, verify and store every credential in the bytes, all or nothing.

    With `refuse_failed`, a credential whose verification failed is refused with its
    reason and nothing is stored (a channel that answers a machine, not the learner).
    """
    try:
        found = read_credentials(data, filename=filename or None)
    except CredentialFormatError as exc:
        raise ValidationError(exc.reason, code="unreadable") from exc
    recipient = recipient_context_for(learner)
    # Network work (keys, status lists, images) happens before the transaction.
    budget = ImageBudget()
    prepared = [_prepare(parsed, recipient, filename, budget) for parsed in found]
    if refuse_failed:
        refuse_failures(prepared)
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
                outcome.failed_copies.extend(link_copies(credential))
                record_audit_event(
                    action=AuditAction.CREDENTIAL_IMPORTED,
                    actor=learner,
                    target=credential,
                    detail=i18n.gettext("%(format)s (%(source)s)")
                    % {
                        "format": i18n.label(dict(FORMAT_CHOICES)[credential.format]),
                        "source": i18n.label(CredentialSource(source).label),
                    },
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


def refuse_failures(prepared: list[_Prepared]) -> None:
    """Raise with the verification's reason when any credential failed it."""
    for item in prepared:
        if item.result.verdict == Verdict.FAILED:
            raise ValidationError(item.result.message, code="failed")


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
    into: Credential | None = None,
) -> Credential:
    """Write the item and its children as new rows, or `into` an existing one (a replacement)."""
    credential = into if into is not None else Credential(owner=learner, parent=parent)
    fill_from(credential, item, source=source, source_url=source_url)
    credential.original.save(item.original_name, ContentFile(item.parsed.original), save=False)
    written.append(credential.original.name)
    credential.image = ""
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


def fill_from(
    credential: Credential, item: _Prepared, *, source: CredentialSource, source_url: str
) -> None:
    """Set what a credential shows from what was read and verified (the row is not saved)."""
    view = item.result.normalized
    issuer = view.get("issuer") or {}
    credential.position = item.parsed.index
    credential.format = str(item.result.format)
    credential.source = source
    credential.source_url = source_url[:2000]
    credential.original_sha256 = hashlib.sha256(item.parsed.original).hexdigest()
    credential.original_name = item.original_name
    credential.original_content_type = item.content_type
    credential.fingerprint = item.fingerprint
    credential.document = item.parsed.document
    credential.normalized = view
    credential.name = (view.get("name") or _("Untitled credential"))[:500]
    credential.description = view.get("description") or ""
    credential.issuer_name = (issuer.get("name") or "")[:500]
    credential.issuer_id = (issuer.get("id") or "")[:2000]
    credential.issued_at = _parse_date(view.get("issued_on"))
    credential.expires_at = _parse_date(view.get("expires_on"))
    apply_result(credential, item.result)


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
