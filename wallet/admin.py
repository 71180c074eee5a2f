from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from credentials.admin import AuditedModelAdmin
from credentials.models import Credential
from wallet import account_services, tokens
from wallet.hostapi import admin as hostapi_admin  # noqa: F401 (registers connected platforms)
from wallet.models import ApiToken, Collection, ExportJob, HolderKey, Skill, User, Wallet
from wallet.revisions import bump_content_revision


class WalletInline(admin.StackedInline):
    model = Wallet
    can_delete = False
    fields = ["display_name", "headline", "bio", "created_at", "updated_at"]
    readonly_fields = ["created_at", "updated_at"]


class CredentialInline(admin.TabularInline):
    model = Credential
    fk_name = "owner"
    fields = ["name", "issuer_name", "format", "verdict", "verified_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    view_on_site = False
    verbose_name_plural = _("credentials")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(parent__isnull=True)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    # Credentials are evidence: the link to each reads "View", never "Change".
    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "has_verified_email",
        "has_mfa",
        "is_active",
        "is_staff",
        "credential_count",
        "last_login",
        "date_joined",
    ]
    list_filter = ["is_active", "is_staff", "is_superuser", "preferred_language"]
    search_fields = ["email", "emailaddress__email", "wallet__display_name"]
    date_hierarchy = "date_joined"
    readonly_fields = ["uuid", "date_joined", "last_login", "privacy_accepted_at"]
    inlines = [WalletInline, CredentialInline]
    # Plain multiple selects: the JavaScript two-box widget fails accessibility checks.
    filter_horizontal = ()
    actions = ["disable_accounts", "reset_mfa"]
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

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _credential_count=Count("credentials", filter=Q(credentials__parent__isnull=True)),
                _has_verified_email=Exists(
                    EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
                ),
                _has_mfa=Exists(
                    Authenticator.objects.filter(user=OuterRef("pk")).exclude(
                        type=Authenticator.Type.RECOVERY_CODES
                    )
                ),
            )
        )

    @admin.display(description=_("credentials"), ordering="_credential_count")
    def credential_count(self, user: User) -> int:
        return user._credential_count

    @admin.display(description=_("email verified"), boolean=True)
    def has_verified_email(self, user: User) -> bool:
        return user._has_verified_email

    @admin.display(description=_("two-factor"), boolean=True)
    def has_mfa(self, user: User) -> bool:
        return user._has_mfa

    @admin.action(description=_("Disable accounts (their share links stop at once)"))
    def disable_accounts(self, request: HttpRequest, queryset: QuerySet) -> None:
        active = [user for user in queryset if user.is_active]
        for user in active:
            account_services.disable_account(user=user, actor=request.user)
        self.message_user(
            request,
            ngettext("%(count)d account disabled.", "%(count)d accounts disabled.", len(active))
            % {"count": len(active)},
        )

    @admin.action(description=_("Reset two-factor authentication (lost device)"))
    def reset_mfa(self, request: HttpRequest, queryset: QuerySet) -> None:
        reset = sum(
            1 for user in queryset if account_services.reset_mfa(user=user, actor=request.user)
        )
        self.message_user(
            request,
            ngettext(
                "Two-factor authentication reset for %(count)d account.",
                "Two-factor authentication reset for %(count)d accounts.",
                reset,
            )
            % {"count": reset},
        )


@admin.register(Wallet)
class WalletAdmin(AuditedModelAdmin):
    list_display = ["__str__", "user", "headline", "created_at"]
    search_fields = ["user__email", "display_name", "headline"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["user"]
    readonly_fields = ["uuid", "created_at", "updated_at"]
    list_select_related = ["user"]


class OwnedRowAdmin(admin.ModelAdmin):
    """A learner's collection or skill: admins read it ("View", never "Change") or delete it,
    which changes what the learner's share links show."""

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: Collection | Skill) -> None:
        with transaction.atomic():
            super().delete_model(request, obj)
            bump_content_revision(owner_id=obj.owner_id)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        owners = set(queryset.values_list("owner_id", flat=True))
        with transaction.atomic():
            super().delete_queryset(request, queryset)
            for owner_id in owners:
                bump_content_revision(owner_id=owner_id)


@admin.register(Collection)
class CollectionAdmin(OwnedRowAdmin):
    list_display = ["name", "owner", "created_at"]
    search_fields = ["name", "owner__email"]
    list_select_related = ["owner"]
    readonly_fields = ["uuid", "owner", "name", "description", "position", "created_at"]
    exclude = ["credentials"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Skill)
class SkillAdmin(OwnedRowAdmin):
    list_display = ["name", "framework", "code", "owner", "source"]
    list_filter = ["source"]
    search_fields = ["name", "code", "framework", "owner__email"]
    list_select_related = ["owner"]
    readonly_fields = ["uuid", "owner", "key", "name", "framework", "code", "url", "source"]
    exclude = ["credentials"]

    def has_add_permission(self, request) -> bool:
        return False


# Where a learner is signed in, and from which address, is theirs to see (Account →
# Sessions). Support ends sessions through the disable and reset-MFA actions.
admin.site.unregister(UserSession)

# allauth's own admin shows an authenticator's data (encrypted secrets, key
# material); this one shows only what support needs.
admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    search_fields = ["user__email"]
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = fields
    list_select_related = ["user"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    """Read-only: support sees why a "download everything" failed, never the file."""

    list_display = ["created_at", "owner", "status", "progress", "attempts", "error"]
    list_filter = ["status"]
    search_fields = ["owner__email", "uuid"]
    date_hierarchy = "created_at"
    list_select_related = ["owner"]
    fields = [
        "uuid",
        "owner",
        "status",
        "progress",
        "attempts",
        "error",
        "started_at",
        "finished_at",
        "expires_at",
        "created_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "prefix", "scope", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["scope"]
    search_fields = ["name", "owner__email", "prefix"]
    list_select_related = ["owner"]
    # The hash stays out of admin: it is the only thing that could be matched to a token.
    fields = [
        "uuid",
        "owner",
        "name",
        "prefix",
        "scope",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "created_at",
    ]
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = 0
        for api_token in queryset.filter(revoked_at__isnull=True):
            tokens.revoke_api_token(api_token=api_token, actor=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count)
            % {"count": count},
        )


@admin.register(HolderKey)
class HolderKeyAdmin(admin.ModelAdmin):
    """Read-only: support sees which DIDs are a learner's, never a key's private half."""

    list_display = ["did", "owner", "key_type", "created_at", "retired_at"]
    list_filter = ["key_type"]
    search_fields = ["owner__email", "did"]
    date_hierarchy = "created_at"
    list_select_related = ["owner"]
    fields = ["uuid", "owner", "key_type", "did", "created_at", "retired_at"]
    readonly_fields = fields
    exclude = ["private_key_encrypted"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    # A key, even retired, is what makes credentials bound to its DID read as the learner's.
    def has_delete_permission(self, request, obj=None) -> bool:
        return False
