"""The transcript: a PDF row that the request makes pending and the task moves on."""

import logging

from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from credentials.jobs import queue_job
from credentials.models import JobStatus
from sharing.content import content_digest, shared_content
from sharing.models import RENDER_TIME_LIMIT as RENDER_TIME_LIMIT
from sharing.models import ShareLink, Transcript, transcript_file_name

RENDER_SOFT_TIME_LIMIT = 150
MAX_ATTEMPTS = Transcript.max_attempts

logger = logging.getLogger(__name__)


class TransientRenderError(Exception):
    """Storage or the renderer failed in a way worth retrying."""


def request_transcript(*, link: ShareLink) -> Transcript:
    """Make sure a transcript of the link as it is now exists or is being rendered."""
    if not link.is_active:
        raise ValidationError(_("This link is no longer active."), code="inactive")
    if not link.allow_transcript:
        raise ValidationError(_("This link does not offer a PDF transcript."), code="disabled")
    digest = content_digest(shared_content(link))
    with transaction.atomic():
        transcript, _created = Transcript.objects.select_for_update().get_or_create(link=link)
        if transcript.status == JobStatus.RUNNING and transcript.is_stale():
            transcript.fail(transcript.abandoned_error())
        is_asked = transcript.content_digest == digest and transcript.status != JobStatus.FAILED
        is_current = transcript.status != JobStatus.READY or transcript.rendered_digest == digest
        if is_asked and is_current:
            return transcript
        transcript.status = JobStatus.PENDING
        transcript.content_digest = digest
        transcript.error = ""
        transcript.started_at = None
        transcript.finished_at = None
        transcript.save()
        transaction.on_commit(lambda: queue_job(transcript))
    return transcript


def current_transcript(*, link: ShareLink) -> Transcript | None:
    """The ready transcript when it shows the link as it is now, else None."""
    transcript = Transcript.objects.filter(link=link, status=JobStatus.READY).first()
    if transcript is None or not transcript.file:
        return None
    if transcript.rendered_digest != content_digest(shared_content(link)):
        return None
    return transcript


def render_transcript(*, transcript_id: int) -> Transcript | None:
    """Render the PDF, store it under its deterministic name and mark the row ready."""
    from sharing.pdf import render_transcript_pdf

    transcript = Transcript.objects.select_related("link__owner").filter(pk=transcript_id).first()
    if transcript is None:
        return None
    link = transcript.link
    if not link.is_active or not link.allow_transcript:
        return _finish(transcript, error=_("The link is no longer active."))
    content = shared_content(link)
    digest = content_digest(content)
    if (
        transcript.status == JobStatus.READY
        and transcript.rendered_digest == digest
        and transcript.file
    ):
        return transcript
    transcript.start(content_digest=digest, error="")
    try:
        data = render_transcript_pdf(content, share_url=link.public_url())
        name = _store(transcript, data)
    except SoftTimeLimitExceeded:
        return _finish(transcript, error=_("Rendering took too long; please try again."))
    except (OSError, TransientRenderError):
        transcript.retry()
        raise
    except Exception:  # anything else is a bug: keep the row honest and the trace in the log
        logger.exception("transcript %s failed to render", transcript.uuid)
        return _finish(transcript, error=_("The transcript could not be made; please try again."))
    previous = transcript.file.name if transcript.file else ""
    with transaction.atomic():
        if not transcript.finish(file=name, rendered_digest=digest):
            # The link was revoked or given a new address while rendering: keep nothing.
            transaction.on_commit(lambda: default_storage.delete(name))
            return None
        if previous and previous != name:
            transaction.on_commit(lambda: default_storage.delete(previous))
    transcript.refresh_from_db()
    return transcript


def _store(transcript: Transcript, data: bytes) -> str:
    name = transcript_file_name(transcript)
    # A retry writes the same name: remove what a lost run left so the name is kept.
    default_storage.delete(name)
    stored = default_storage.save(name, ContentFile(data))
    if stored != name:
        raise TransientRenderError(f"storage renamed {name} to {stored}")
    return stored


def _finish(transcript: Transcript, *, error: str) -> Transcript:
    transcript.fail(error)
    return transcript
