"""The transcript: a PDF row that the request makes pending and the task moves on."""

import logging
from datetime import timedelta
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credentials.models import JobStatus
from credentials.services import queue_job
from sharing.content import content_digest, shared_content
from sharing.models import ShareLink, Transcript, transcript_file_name

# The task's hard limit; a row `running` for longer than this lost its worker.
RENDER_TIME_LIMIT = 180
RENDER_SOFT_TIME_LIMIT = 150
STALE_PENDING = timedelta(minutes=10)
MAX_ATTEMPTS = 5

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
        _fail_if_stale(transcript)
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
        transaction.on_commit(lambda: queue_job(_render_task(), transcript))
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
    Transcript.objects.filter(pk=transcript.pk).update(
        status=JobStatus.RUNNING,
        started_at=timezone.now(),
        attempts=models.F("attempts") + 1,
        content_digest=digest,
        error="",
    )
    transcript.content_digest = digest
    try:
        data = render_transcript_pdf(content, share_url=link.public_url())
        name = _store(transcript, data)
    except SoftTimeLimitExceeded:
        return _finish(transcript, error=_("Rendering took too long; please try again."))
    except (OSError, TransientRenderError):
        Transcript.objects.filter(pk=transcript.pk).update(status=JobStatus.PENDING)
        raise
    except Exception:  # anything else is a bug: keep the row honest and the trace in the log
        logger.exception("transcript %s failed to render", transcript.uuid)
        return _finish(transcript, error=_("The transcript could not be made; please try again."))
    previous = transcript.file.name if transcript.file else ""
    with transaction.atomic():
        updated = Transcript.objects.filter(pk=transcript.pk).update(
            file=name,
            rendered_digest=digest,
            status=JobStatus.READY,
            error="",
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        if not updated:
            # The link was revoked or given a new address while rendering: keep nothing.
            transaction.on_commit(lambda: default_storage.delete(name))
            return None
        if previous and previous != name:
            transaction.on_commit(lambda: default_storage.delete(previous))
    transcript.refresh_from_db()
    return transcript


def sweep_stale_transcripts() -> int:
    """Render again runs whose worker died, and queue requests that never reached one."""
    count = 0
    for transcript in Transcript.objects.filter(status=JobStatus.RUNNING):
        if not _is_stale(transcript):
            continue
        if transcript.attempts >= MAX_ATTEMPTS:
            _fail_if_stale(transcript)
        else:
            # Its worker died mid-render (the message waits out Redis's visibility
            # timeout): render again now, so the learner's request is not lost.
            Transcript.objects.filter(pk=transcript.pk).update(
                status=JobStatus.PENDING, started_at=None, updated_at=timezone.now()
            )
            queue_job(_render_task(), transcript)
        count += 1
    cutoff = timezone.now() - STALE_PENDING
    for transcript in Transcript.objects.filter(status=JobStatus.PENDING, updated_at__lt=cutoff):
        if not transcript.content_digest:
            continue
        if transcript.attempts >= MAX_ATTEMPTS:
            _finish(transcript, error=_("The transcript did not finish; please try again."))
            continue
        Transcript.objects.filter(pk=transcript.pk).update(updated_at=timezone.now())
        queue_job(_render_task(), transcript)
        count += 1
    return count


def _is_stale(transcript: Transcript) -> bool:
    if transcript.status != JobStatus.RUNNING or transcript.started_at is None:
        return False
    return transcript.started_at <= timezone.now() - timedelta(seconds=RENDER_TIME_LIMIT)


def _fail_if_stale(transcript: Transcript) -> bool:
    if not _is_stale(transcript):
        return False
    _finish(transcript, error=_("Rendering stopped before it finished; please try again."))
    return True


def _store(transcript: Transcript, data: bytes) -> str:
    name = transcript_file_name(transcript)
    # A retry writes the same name: remove what a lost run left so the name is kept.
    default_storage.delete(name)
    stored = default_storage.save(name, ContentFile(data))
    if stored != name:
        raise TransientRenderError(f"storage renamed {name} to {stored}")
    return stored


def _finish(transcript: Transcript, *, error: str) -> Transcript:
    transcript.status = JobStatus.FAILED
    transcript.error = str(error)[:500]
    transcript.finished_at = timezone.now()
    transcript.save(update_fields=["status", "error", "finished_at", "updated_at"])
    return transcript


def _render_task() -> Any:
    # Imported here: tasks import this module.
    from sharing.tasks import render_transcript

    return render_transcript
