"""The admin index's "Service at a glance": the counts an admin wants first.

Each app adds its own counts in its `AppConfig.ready()`, so the admin site
(config/admin.py) shows them without knowing any app's models: single counts first
(learners, live share links), then breakdowns (credentials by verdict, failed jobs).
"""

from collections.abc import Callable, Iterable

from django.db.models import Count
from django.utils.translation import gettext as _

from credentials.jobs import job_models
from credentials.models import Credential, JobStatus, choice_label
from credentials.verification.verdict import Verdict

Row = tuple[str, int]

_COUNTS: list[tuple[str, Callable[[], int]]] = []
_BREAKDOWNS: list[Callable[[], Iterable[Row]]] = []


def register(label: str, count: Callable[[], int]) -> None:
    """Show one count under `label` (a lazy translation, read in the admin's language)."""
    _COUNTS.append((label, count))


def register_breakdown(rows: Callable[[], Iterable[Row]]) -> None:
    """Show the (label, count) rows `rows()` returns, after the single counts."""
    _BREAKDOWNS.append(rows)


def collect() -> list[Row]:
    """Every registered row, counted now."""
    rows = [(str(label), count()) for label, count in _COUNTS]
    for breakdown in _BREAKDOWNS:
        rows.extend(breakdown())
    return rows


def credentials_by_verdict() -> list[Row]:
    """Top-level credentials per verdict."""
    verdicts = (
        Credential.objects.top_level()
        .values("verdict")
        .annotate(count=Count("id"))
        .order_by("verdict")
    )
    return [
        (
            _("Credentials %(verdict)s") % {"verdict": choice_label(Verdict, row["verdict"])},
            row["count"],
        )
        for row in verdicts
    ]


def failed_jobs() -> list[Row]:
    """Failed rows of every registered job model."""
    return [
        (
            _("Failed %(jobs)s") % {"jobs": model._meta.verbose_name_plural},
            model.objects.filter(status=JobStatus.FAILED).count(),
        )
        for model in job_models()
    ]
