"""Background work for the sharing app."""

from celery import shared_task

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
    """Fail transcripts whose worker was lost and queue again those never picked up."""
    return services.sweep_stale_transcripts()
