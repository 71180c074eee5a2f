"""State changes owned by the wallet app: accounts, profile, identifiers."""

import hashlib
import hmac
import io
import logging
import re
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from importlib import import_module

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from credentials import i18n
from credentials.models import AuditEvent, Credential, RecipientIdentifier
from credentials.services import queue_recheck, record_audit_event
from credentials.verification.checks import Code
from wallet.audit import AccountAction
from wallet.models import User, Wallet
from wallet.revisions import bump_content_revision

logger = logging.getLogger(__name__)


def ensure_wallet(*, user: User) -> Wallet:
    """Return the learner's wallet, creating it once if it is missing."""
    wallet, _ = Wallet.objects.get_or_create(user=user)
    return wallet


@transaction.atomic
def register_learner(*, user: User, language: str, accepted_privacy: bool) -> Wallet:
    """Finish a new account: record consent and language, create its wallet."""
    fields = ["preferred_language"]
    user.preferred_language = _supported_language(language)
    if accepted_privacy:
        user.privacy_accepted_at = timezone.now()
        fields.append("privacy_accepted_at")
    user.save(update_fields=fields)
    wallet = ensure_wallet(user=user)
    record_audit_event(action=AccountAction.ACCOUNT_CREATED, actor=user, target=user)
    return wallet


def set_preferred_language(*, user: User, language: str) -> None:
    """Remember the language the learner reads the site and their mail in."""
    language = _supported_language(language)
    if user.preferred_language == language:
        return
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    record_audit_event(
        action=AccountAction.LANGUAGE_CHANGED,
        actor=user,
        target=user,
        detail=i18n.label(dict(settings.LANGUAGES)[language]),
    )


def language_for_email(email: str) -> str:
    """The language to write to this address in: its account's, else the default."""
    from allauth.account.models import EmailAddress

    user_model = get_user_model()
    language = (
        user_model.objects.filter(email__iexact=email)
        .values_list("preferred_language", flat=True)
        .first()
    )
    if language is None:
        language = (
            EmailAddress.objects.filter(email__iexact=email)
            .values_list("user__preferred_language", flat=True)
            .first()
        )
    return language or settings.LANGUAGE_CODE


def _supported_language(language: str) -> str:
    codes = {code for code, _ in settings.LANGUAGES}
    language = (language or "").lower()
    if language in codes:
        return language
    if language.startswith("fr"):
        return "fr-ca"
    return settings.LANGUAGE_CODE


def mark_changes_seen(*, user: User) -> None:
    """The learner has seen the credentials whose status changed since their last visit."""
    Credential.objects.owned_by(user).with_unseen_changes().update(has_unseen_change=False)


PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_PIXELS = 25_000_000
PHOTO_SIDE = 400
PHOTO_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}
AUDIT_TRACE_DAYS = 365
DID_RE = re.compile(r"^did:[a-z0-9]+:[A-Za-z0-9._:%\-]+(#[A-Za-z0-9._:%\-]*)?$")


@transaction.atomic
def update_profile(*, wallet: Wallet, display_name: str, headline: str, bio: str) -> Wallet:
    """Save the learner's display name, headline and bio."""
    wallet.display_name = " ".join(display_name.split())[:120]
    wallet.headline = " ".join(headline.split())[:160]
    wallet.bio = bio.strip()[:2000]
    wallet.save(update_fields=["display_name", "headline", "bio", "updated_at"])
    # Share pages show the display name and headline.
    bump_content_revision(owner_id=wallet.user_id)
    return wallet


def photo_png(data: bytes) -> bytes:
    """A profile photo checked, turned upright, shrunk and re-encoded as PNG without metadata."""
    invalid = ValidationError(_("Choose a PNG, JPEG, GIF or WebP image."), code="photo_unreadable")
    if len(data) > PHOTO_MAX_BYTES:
        raise ValidationError(
            _("Choose a photo smaller than %(size)s.") % {"size": filesizeformat(PHOTO_MAX_BYTES)},
            code="photo_too_large",
        )
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in PHOTO_FORMATS:
                raise invalid
            width, height = image.size
            if width * height > PHOTO_MAX_PIXELS:
                raise ValidationError(
                    _("Choose a photo under 25 megapixels."), code="photo_too_many_pixels"
                )
            image.draft("RGB", (PHOTO_SIDE * 2, PHOTO_SIDE * 2))
            image.load()
            frame = ImageOps.exif_transpose(image).convert("RGBA")
    except Image.DecompressionBombError as exc:
        # Pillow's own ceiling (set for badge images) can stop a huge photo before the check above.
        raise ValidationError(
            _("Choose a photo under 25 megapixels."), code="photo_too_many_pixels"
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise invalid from exc
    frame.thumbnail((PHOTO_SIDE, PHOTO_SIDE))
    out = io.BytesIO()
    # A fresh image carries no EXIF, GPS or text chunks from the upload.
    frame.save(out, format="PNG", optimize=True)
    return out.getvalue()


def set_profile_photo(*, wallet: Wallet, data: bytes | None) -> Wallet:
    """Replace the learner's photo (None removes it); the old file goes once saved."""
    png = photo_png(data) if data is not None else None
    old = wallet.photo.name if wallet.photo else ""
    with transaction.atomic():
        if png is None:
            wallet.photo = ""
        else:
            wallet.photo.save(f"{uuid.uuid4()}.png", ContentFile(png), save=False)
        new = wallet.photo.name if wallet.photo else ""
        try:
            wallet.save(update_fields=["photo", "updated_at"])
        except BaseException:
            if new:
                default_storage.delete(new)
            raise
        if old and old != new:
            transaction.on_commit(lambda: default_storage.delete(old))
    return wallet


def add_recipient_identifier(*, owner: User, value: str) -> RecipientIdentifier:
    """Record a DID or web address the learner says is theirs, for recipient matching."""
    value = value.strip()
    is_url = value.startswith(("https://", "http://")) and len(value) > len("https://")
    if len(value) > 500 or not (DID_RE.match(value) or is_url) or any(c.isspace() for c in value):
        raise ValidationError(
            _("Enter a DID (starting with did:) or a web address (starting with https://)."),
            code="identifier",
        )
    with transaction.atomic():
        if RecipientIdentifier.objects.owned_by(owner).filter(value=value).exists():
            raise ValidationError(_("You have already added this identifier."), code="duplicate")
        identifier = RecipientIdentifier.objects.create(owner=owner, value=value)
        recheck_recipients(learner=owner, codes=[Code.RECIPIENT_MISMATCH])
        return identifier


@transaction.atomic
def remove_recipient_identifier(*, identifier: RecipientIdentifier) -> None:
    """Stop matching credentials on this identifier."""
    identifier.delete()
    recheck_recipients(learner=identifier.owner, codes=[Code.RECIPIENT_UNPROVEN])


def recheck_recipients(*, learner: User, codes: Iterable[str]) -> list[int]:
    """Queue, once committed, a re-check of the learner's credentials whose recipient check
    ended in one of `codes` (their addresses or identifiers changed); the ids queued."""
    rows = (
        Credential.objects.owned_by(learner)
        .verifiable()
        .filter(recipient_code__in=list(codes))
        .values_list("pk", "parent_id")
    )
    # A credential inside a record is verified again with the record it came in.
    queued = sorted({parent_id or pk for pk, parent_id in rows})
    for credential_id in queued:
        queue_recheck(credential_id)
    return queued


def pseudonym_for(user: User) -> str:
    """The salted hash that stands for a deleted learner in the audit log."""
    return hmac.new(
        settings.SECRET_KEY.encode(), str(user.uuid).encode(), hashlib.sha256
    ).hexdigest()


def _learner_files(user: User) -> list[str]:
    names = []
    for credential in Credential.objects.owned_by(user):
        names.extend(
            f.name for f in (credential.original, credential.image, credential.evidence_file) if f
        )
    names.extend(job.file.name for job in user.export_jobs.all() if job.file)
    wallet = Wallet.objects.filter(user=user).first()
    if wallet is not None and wallet.photo:
        names.append(wallet.photo.name)
    return names


def _learner_folders(user: User) -> list[str]:
    # Every app files a learner's uploads and renders under a folder named by their uuid.
    kinds = ("originals", "images", "evidence", "exports", "photos", "transcripts")
    return [f"{kind}/{user.uuid}" for kind in kinds]


def _sweep(folder: str) -> None:
    try:
        folders, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        default_storage.delete(f"{folder}/{name}")
    for child in folders:
        _sweep(f"{folder}/{child}")


def end_sessions(user: User) -> None:
    """Log the user out everywhere: end every session their logins recorded."""
    for session in UserSession.objects.filter(user=user):
        session.end()


def forget_session(session_key: str) -> None:
    """Drop the record of a sign-in whose session has just ended."""
    UserSession.objects.filter(session_key=session_key).delete()


def clear_ended_sessions() -> int:
    """Delete expired sessions and the records of sign-ins whose session is gone.

    Returns how many sign-in records were deleted.
    """
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
        return UserSession.objects.exclude(session_key__in=live).delete()[0]
    ended = [record.pk for record in UserSession.objects.iterator() if not record.exists()]
    return UserSession.objects.filter(pk__in=ended).delete()[0]


def delete_account(*, user: User) -> None:
    """Remove the learner, every row and file they own and their share links; their
    audit rows stay, pseudonymised, as the only trace."""
    reference = pseudonym_for(user)
    files = _learner_files(user)
    folders = _learner_folders(user)
    with transaction.atomic():
        record_audit_event(action=AccountAction.ACCOUNT_DELETED, actor=user, target=user)
        AuditEvent.objects.filter(actor=user).update(
            actor=None, actor_ref=reference, detail="", detail_data={}
        )
        AuditEvent.objects.filter(
            target_type=user._meta.label_lower, target_id=str(user.uuid)
        ).update(target_id=reference, detail="", detail_data={})
        end_sessions(user)
        user.delete()

        def delete_files() -> None:
            for name in files:
                default_storage.delete(name)
            for folder in folders:
                _sweep(folder)

        transaction.on_commit(delete_files)


def delete_old_audit_traces(*, now: datetime | None = None) -> int:
    """Delete the pseudonymised audit rows of accounts deleted more than a year ago."""
    cutoff = (now or timezone.now()) - timedelta(days=AUDIT_TRACE_DAYS)
    references = (
        AuditEvent.objects.filter(
            action=AccountAction.ACCOUNT_DELETED, actor__isnull=True, created_at__lt=cutoff
        )
        .exclude(actor_ref="")
        .values_list("actor_ref", flat=True)
    )
    references = list(references)
    if not references:
        return 0
    deleted, _counts = AuditEvent.objects.filter(actor_ref__in=references).delete()
    AuditEvent.objects.filter(target_id__in=references).delete()
    return deleted
