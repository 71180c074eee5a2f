"""The admin site's wiring: allauth login (rate limits, MFA) and the at-a-glance index.

The index's counts come from the apps (credentials/glance.py, filled in each app's
`AppConfig.ready()`); this module only shows them.
"""

from typing import Any

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from credentials import glance

admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("Skills Wallet administration")
admin.site.site_title = _("Skills Wallet admin")
admin.site.index_title = _("Service at a glance")

_index = admin.site.index


def index(request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
    return _index(request, {**(extra_context or {}), "stats": glance.collect()})


admin.site.index = index
