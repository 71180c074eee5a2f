"""PDF transcript of a share link with 25 and 100 credentials, against bare WeasyPrint.

The product figure is the whole background task (`render_transcript`): load
the link and its credentials, render the template, draw the QR code, attach
the originals, WeasyPrint, store the file, mark the row ready. The baseline is
WeasyPrint alone rendering the very HTML that run produced, with the same
resources, attachments and PDF/UA variant: no Django work. Best of two runs at
25 credentials, one at 100 (WeasyPrint alone takes many seconds there).
"""

from __future__ import annotations

import io
import time
from typing import Any

from bench.core import Figure, Skipped
from bench.environment import analyze
from bench.learners import fill_wallet, make_learner, share

NAME = "transcript"
SIZES = (25, 100)
# Runs per side: the 100-credential PDF takes WeasyPrint many seconds on its own.
PASSES = {25: 2, 100: 1}
MAX_RATIO = 1.3


class _Capture:
    """Records what the transcript renderer hands WeasyPrint, to replay it bare."""

    def __init__(self) -> None:
        self.html_args: dict[str, Any] = {}
        self.write_args: dict[str, Any] = {}
        self.attachments: list[tuple[bytes, dict[str, Any]]] = []

    def html_class(self, base: type) -> type:
        """A WeasyPrint `HTML` that records its arguments and those of `write_pdf`."""
        capture = self

        class Recording(base):  # type: ignore[misc,valid-type]
            def __init__(self, **kwargs: Any) -> None:
                capture.html_args = kwargs
                super().__init__(**kwargs)

            def write_pdf(self, **kwargs: Any) -> bytes:
                capture.write_args = {k: v for k, v in kwargs.items() if k != "attachments"}
                return super().write_pdf(**kwargs)

        return Recording

    def attachment_factory(self, base: Any) -> Any:
        """A WeasyPrint `Attachment` maker that records each attachment's bytes."""

        def make(*, file_obj: io.BytesIO, **meta: Any) -> Any:
            self.attachments.append((file_obj.getvalue(), meta))
            return base(file_obj=file_obj, **meta)

        return make

    def replay(self) -> bytes:
        """WeasyPrint alone on the recorded HTML, resources and attachments."""
        from weasyprint import HTML, Attachment

        attachments = [
            Attachment(file_obj=io.BytesIO(body), **meta) for body, meta in self.attachments
        ]
        document = HTML(**self.html_args)
        return document.write_pdf(attachments=attachments, **self.write_args)


def _task_seconds(transcript: Any) -> float:
    """Time the render task once, from a pending row."""
    from credentials.models import JobStatus
    from sharing.models import Transcript
    from sharing.services import render_transcript

    Transcript.objects.filter(pk=transcript.pk).update(status=JobStatus.PENDING, rendered_digest="")
    start = time.perf_counter()
    done = render_transcript(transcript_id=transcript.pk)
    seconds = time.perf_counter() - start
    if done is None or done.status != JobStatus.READY:
        raise RuntimeError(f"the transcript did not render: {done and done.error}")
    return seconds


def _compare(link: Any, passes: int) -> tuple[float, float, int]:
    """Best task time, best bare WeasyPrint time, and the PDF's size."""
    import sharing.pdf
    from sharing.models import Transcript

    transcript, _created = Transcript.objects.get_or_create(link=link)
    capture = _Capture()
    plain_html, plain_attachment = sharing.pdf.HTML, sharing.pdf.Attachment
    sharing.pdf.HTML = capture.html_class(plain_html)
    sharing.pdf.Attachment = capture.attachment_factory(plain_attachment)
    try:
        task = _task_seconds(transcript)
    finally:
        sharing.pdf.HTML, sharing.pdf.Attachment = plain_html, plain_attachment
    bare, size = float("inf"), 0
    for number in range(passes):
        if number:
            task = min(task, _task_seconds(transcript))
        start = time.perf_counter()
        size = len(capture.replay())
        bare = min(bare, time.perf_counter() - start)
    return task, bare, size


def run() -> tuple[list[Figure], list[Skipped]]:
    """One figure per size: the task against WeasyPrint on the same HTML."""
    learner = make_learner("transcript@bench.example")
    credentials = fill_wallet(learner, max(SIZES), prefix=40_000, skill_areas=12)
    analyze()
    figures = []
    for size in SIZES:
        link = share(learner, credentials[:size], f"Transcript of {size}")
        task, bare, pdf_bytes = _compare(link, PASSES[size])
        figures.append(
            Figure(
                NAME,
                f"PDF transcript, {size} credentials",
                task * 1000,
                "ms",
                "WeasyPrint alone, same HTML",
                bare * 1000,
                target=f"<= {MAX_RATIO}",
                max_ratio=MAX_RATIO,
                extra={"pdf bytes": pdf_bytes},
            )
        )
    return figures, []
