"""Connected platforms in admin: what registered and who connected it, viewed, never edited.

Secrets stay out: the client secret, codes and tokens are kept only as hashes, and admin
shows none of them (a token appears only as a count). Disconnecting goes through the same
service as the learner's "Connected platforms" page.
"""

from datetime import datetime

from django.contrib import admin
from django.db.models import Count, Max, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wallet.hostapi import scopes
from wallet.hostapi.models import PlatformClient, PlatformConnection
from wallet.hostapi.services import disconnect_platform

SPEC_PREFIXES = {scopes.OB: "OB ", scopes.CLR: "CLR "}


def short_scopes(scope: str) -> str:
    """The granted scopes without their long common prefix: "OB credential.readonly"."""
    shown = []
    for item in scopes.split(scope):
        for prefix, label in SPEC_PREFIXES.items():
            if item.startswith(prefix):
                item = label + item.removeprefix(prefix)
                break
        shown.append(item)
    return ", ".join(shown)


class ViewOnlyAdmin(admin.ModelAdmin):
    """Rows made by a platform or a learner: admins read them and never add or edit one."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(PlatformClient)
class PlatformClientAdmin(ViewOnlyAdmin):
    list_display = [
        "name",
        "host",
        "created_at",
        "first_consent_at",
        "last_used_at",
        "connection_count",
    ]
    search_fields = ["name", "host"]
    date_hierarchy = "created_at"
    # The client secret's hash is left out entirely: it is what a stolen secret is checked against.
    fields = [
        "logo_shown",
        "name",
        "host",
        "client_id",
        "client_uri",
        "tos_uri",
        "policy_uri",
        "software_id",
        "software_version",
        "redirect_uris",
        "scope",
        "created_at",
        "first_consent_at",
        "last_used_at",
        "connection_count",
    ]
    readonly_fields = fields
    exclude = ["client_secret_hash"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(
                _connection_count=Count("connections"),
                _last_used_at=Max("connections__last_used_at"),
            )
        )

    # No service revokes a registration's tokens before it goes, so admins disconnect
    # each connection instead.
    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("connections"), ordering="_connection_count")
    def connection_count(self, client: PlatformClient) -> int:
        return client._connection_count

    @admin.display(description=_("last used"), ordering="_last_used_at")
    def last_used_at(self, client: PlatformClient) -> datetime | None:
        return client._last_used_at

    @admin.display(description=_("logo"))
    def logo_shown(self, client: PlatformClient) -> str | None:
        if not client.logo:
            return None
        return format_html(
            '<img src="{}" alt="{}" width="64" height="64">',
            reverse("hostapi:platform_logo", args=[client.uuid]),
            _("Logo of %(name)s") % {"name": client.name},
        )


class ConnectionStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin):
        return [("connected", _("Connected")), ("disconnected", _("Disconnected"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "connected":
            return queryset.filter(disconnected_at__isnull=True)
        if self.value() == "disconnected":
            return queryset.filter(disconnected_at__isnull=False)
        return queryset


@admin.register(PlatformConnection)
class PlatformConnectionAdmin(ViewOnlyAdmin):
    list_display = [
        "owner",
        "platform_name",
        "scopes_shown",
        "created_at",
        "last_used_at",
        "disconnected_at",
        "live_token_count",
    ]
    list_filter = [ConnectionStatusFilter]
    search_fields = ["owner__email", "client__name"]
    date_hierarchy = "created_at"
    list_select_related = ["owner", "client"]
    fields = [
        "uuid",
        "owner",
        "client",
        "scope",
        "reads_all",
        "created_at",
        "last_used_at",
        "disconnected_at",
        "live_token_count",
    ]
    readonly_fields = fields
    view_on_site = False
    actions = ["disconnect"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(
                _live_token_count=Count(
                    "tokens",
                    filter=Q(tokens__revoked_at__isnull=True, disconnected_at__isnull=True),
                )
            )
        )

    # A connection ends by disconnecting it (its tokens revoked, the event recorded).
    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("platform"), ordering="client__name")
    def platform_name(self, connection: PlatformConnection) -> str:
        return connection.client.name

    @admin.display(description=_("scopes"))
    def scopes_shown(self, connection: PlatformConnection) -> str:
        return short_scopes(connection.scope)

    @admin.display(description=_("live tokens"), ordering="_live_token_count")
    def live_token_count(self, connection: PlatformConnection) -> int:
        return connection._live_token_count

    @admin.action(description=_("Disconnect the selected platforms"))
    def disconnect(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = 0
        for connection in queryset.filter(disconnected_at__isnull=True).select_related("client"):
            disconnect_platform(connection=connection, actor=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d platform disconnected.", "%(count)d platforms disconnected.", count)
            % {"count": count},
        )
