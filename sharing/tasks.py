"""Background work for the sharing app."""

from celery import shared_task

from credentials.jobs import requeue_stale_jobs
from sharing import services
from sharing.services.transcripts import (
    RENDER_SOFT_TIME_LIMIT,
    RENDER_TIME_LIMIT,
    TransientRenderError,
)


@shared_task(
    autoretry_for=(OSError, TransientRenderError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=4,
    time_limit=RENDER_TIME_LIMIT,
    soft_time_limit=RENDER_SOFT_TIME_LIMIT,
)
def render_transcript(transcript_id: int) -> None:
    """Render one share link's PDF transcript."""
    services.render_transcript(transcript_id=transcript_id)


@shared_task(time_limit=120, soft_time_limit=100)
def sweep_stale_transcripts() -> int:
    """The old name of the job sweeper, kept for messages queued before the rename."""
    return requeue_stale_jobs()
