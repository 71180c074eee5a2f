"""The admin site's wiring: allauth login (rate limits, MFA) and the at-a-glance index."""

from typing import Any

from allauth.account.decorators import secure_admin_login
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from credentials.models import Credential, Job, JobStatus

admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("Skills Wallet administration")
admin.site.site_title = _("Skills Wallet admin")
admin.site.index_title = _("Service at a glance")

_index = admin.site.index


def service_stats() -> dict[str, Any]:
    """Counts an admin wants first: learners, verdicts, live links, failed jobs."""
    verdicts = (
        Credential.objects.top_level()
        .values("verdict")
        .annotate(count=Count("id"))
        .order_by("verdict")
    )
    labels = dict(Credential._meta.get_field("verdict").choices)
    failed_jobs = [
        (model._meta.verbose_name_plural, model.objects.filter(status=JobStatus.FAILED).count())
        for model in apps.get_models()
        if issubclass(model, Job)
    ]
    share_links = (
        apps.get_model("sharing", "ShareLink") if _has_model("sharing", "ShareLink") else None
    )
    return {
        "learners": get_user_model().objects.filter(is_staff=False, is_active=True).count(),
        "verdicts": [
            (labels.get(row["verdict"], row["verdict"]), row["count"]) for row in verdicts
        ],
        "active_share_links": share_links.objects.active().count() if share_links else 0,
        "failed_jobs": failed_jobs,
    }


def _has_model(app_label: str, name: str) -> bool:
    try:
        apps.get_model(app_label, name)
    except LookupError:
        return False
    return True


def index(request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
    return _index(request, {**(extra_context or {}), "stats": service_stats()})


admin.site.index = index
