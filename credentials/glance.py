"""The admin index's "Service at a glance": the counts an admin wants first.

Each app adds its own counts in its `AppConfig.ready()`, so the admin site
(config/admin.py) shows them without knowing any app's models: single counts first
(learners, live share links), then breakdowns (credentials by verdict, failed jobs).
Each count links to the admin list it counts, filtered the same way, so an admin can go
from "3 failed exports" to those three rows; the app registering a count names that list.
"""

from collections.abc import Callable, Iterable, Mapping
from typing import NamedTuple

from django.db.models import Count, Model
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from credentials.jobs import job_models
from credentials.models import Credential, JobStatus, choice_label
from credentials.verification.verdict import Verdict


class Row(NamedTuple):
    label: str
    count: int
    # The filtered admin list holding exactly the rows counted; "" when there is none.
    url: str


class _Count(NamedTuple):
    label: str
    count: Callable[[], int]
    changelist: str
    query: Mapping[str, str]


_COUNTS: list[_Count] = []
_BREAKDOWNS: list[Callable[[], Iterable[Row]]] = []


def register(
    label: str, count: Callable[[], int], *, changelist: str, query: Mapping[str, str]
) -> None:
    """Show one count under `label` (a lazy translation, read in the admin's language).

    `changelist` names the admin list it counts (`"admin:<app>_<model>_changelist"`) and
    `query` the filters that list needs to hold exactly what `count()` counts.
    """
    _COUNTS.append(_Count(label, count, changelist, query))


def register_breakdown(rows: Callable[[], Iterable[Row]]) -> None:
    """Show the rows `rows()` returns, after the single counts."""
    _BREAKDOWNS.append(rows)


def collect() -> list[Row]:
    """Every registered row, counted now."""
    rows = [
        Row(str(item.label), item.count(), changelist_url(item.changelist, item.query))
        for item in _COUNTS
    ]
    for breakdown in _BREAKDOWNS:
        rows.extend(breakdown())
    return rows


def changelist_url(changelist: str, query: Mapping[str, str]) -> str:
    """The admin list `changelist` filtered by `query`; "" when admin does not list it."""
    try:
        url = reverse(changelist)
    except NoReverseMatch:
        return ""
    return f"{url}?{urlencode(query)}" if query else url


def credentials_by_verdict() -> list[Row]:
    """Top-level credentials per verdict."""
    verdicts = (
        Credential.objects.top_level()
        .values("verdict")
        .annotate(count=Count("id"))
        .order_by("verdict")
    )
    return [
        Row(
            _("Credentials %(verdict)s") % {"verdict": choice_label(Verdict, row["verdict"])},
            row["count"],
            # `inside=no` is the admin's filter for `top_level()` (TopLevelFilter).
            _changelist_of(Credential, {"verdict__exact": row["verdict"], "inside": "no"}),
        )
        for row in verdicts
    ]


def failed_jobs() -> list[Row]:
    """Failed rows of every registered job model."""
    return [
        Row(
            _("Failed %(jobs)s") % {"jobs": model._meta.verbose_name_plural},
            model.objects.filter(status=JobStatus.FAILED).count(),
            _changelist_of(model, {"status__exact": JobStatus.FAILED}),
        )
        for model in job_models()
    ]


def _changelist_of(model: type[Model], query: Mapping[str, str]) -> str:
    # Found from the model (a job model is the one its app registered), never by name.
    return changelist_url(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist", query
    )
