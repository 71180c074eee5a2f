from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from wallet.models import User, Wallet


class WalletInline(admin.StackedInline):
    model = Wallet
    can_delete = False
    fields = ["display_name", "headline", "bio", "created_at", "updated_at"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "preferred_language", "is_active", "is_staff", "date_joined"]
    list_filter = ["is_active", "is_staff", "is_superuser", "preferred_language"]
    search_fields = ["email", "wallet__display_name"]
    date_hierarchy = "date_joined"
    readonly_fields = ["uuid", "date_joined", "last_login", "privacy_accepted_at"]
    inlines = [WalletInline]
    fieldsets = [
        (None, {"fields": ["uuid", "email", "password"]}),
        (_("Preferences"), {"fields": ["preferred_language", "privacy_accepted_at"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]


@admin.register(Wallet)
class WalletAdmin(admin.ModelAdmin):
    list_display = ["__str__", "user", "headline", "created_at"]
    search_fields = ["user__email", "display_name", "headline"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["user"]
    readonly_fields = ["uuid", "created_at", "updated_at"]
    list_select_related = ["user"]
