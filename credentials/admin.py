from django.contrib import admin

from credentials.models import AuditEvent, TrustedIssuer


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "actor", "target_type", "target_id", "detail"]
    list_filter = ["action", "target_type"]
    search_fields = ["actor__email", "target_id", "actor_ref"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    # Append-only: admins read the trail, nobody edits it.
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TrustedIssuer)
class TrustedIssuerAdmin(admin.ModelAdmin):
    list_display = ["name", "homepage", "is_active", "updated_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "homepage"]
    readonly_fields = ["uuid", "created_at", "updated_at"]
