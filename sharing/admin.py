from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from credentials.admin import AuditedModelAdmin
from sharing import services
from sharing.models import ShareLink, Transcript


class TranscriptInline(admin.StackedInline):
    model = Transcript
    fields = ["status", "error", "attempts", "started_at", "finished_at", "updated_at"]
    readonly_fields = fields
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    # Read-only rows: the admin offers "View", never "Change".
    def has_change_permission(self, request, obj=None) -> bool:
        return False


class StatusFilter(admin.SimpleListFilter):
    """Whether an employer can open the link now: the same test as the admin index's count."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("active", _("Active")), ("expired", _("Expired")), ("revoked", _("Revoked"))]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.active()
        if self.value() == "expired":
            return queryset.filter(is_revoked=False, expires_at__lte=timezone.now())
        if self.value() == "revoked":
            return queryset.filter(is_revoked=True)
        return queryset


@admin.register(ShareLink)
class ShareLinkAdmin(AuditedModelAdmin):
    list_display = ["title", "owner", "is_revoked", "expires_at", "view_count", "created_at"]
    list_filter = [StatusFilter, "is_linkedin", "language"]
    search_fields = ["title", "owner__email", "uuid"]
    list_select_related = ["owner"]
    date_hierarchy = "created_at"
    # Never the token, its hash or the passcode hash: staff see the link, not the key to it.
    fields = [
        "uuid",
        "owner",
        "title",
        "message",
        "expires_at",
        "revoked_at",
        "language",
        "show_public_descriptions",
        "show_evidence",
        "show_email",
        "allow_transcript",
        "allow_download",
        "include_originals_with_email",
        "is_linkedin",
        "view_count",
        "last_viewed_at",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields
    inlines = [TranscriptInline]
    actions = ["revoke_links"]
    # A link's page on the site is its owner's: admins would get a 404.
    view_on_site = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected links"))
    def revoke_links(self, request: HttpRequest, queryset: QuerySet[ShareLink]) -> None:
        count = 0
        for link in queryset.filter(is_revoked=False):
            services.revoke_share_link(link=link, actor=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d link revoked.", "%(count)d links revoked.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Transcript)
class TranscriptAdmin(admin.ModelAdmin):
    """Read-only: support sees why a PDF failed to render, never the file."""

    list_display = ["updated_at", "link", "owner", "status", "attempts", "error"]
    list_filter = ["status"]
    search_fields = ["link__owner__email", "link__title", "link__uuid"]
    list_select_related = ["link__owner"]
    fields = ["link", "status", "attempts", "error", "started_at", "finished_at", "updated_at"]
    readonly_fields = fields

    @admin.display(description=_("owner"), ordering="link__owner__email")
    def owner(self, transcript: Transcript) -> str:
        return transcript.link.owner.email

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
