from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from credentials import i18n, registry, services
from credentials.audit import AuditAction
from credentials.models import (
    AuditEvent,
    Credential,
    ImportJob,
    IssuerRegistry,
    JobStatus,
    RecipientIdentifier,
    TrustedIssuer,
)
from credentials.templatetags.credential_tags import check_name_label, check_status_label


class AuditedModelAdmin(admin.ModelAdmin):
    """Every change made in admin is also an audit event (what, never the values)."""

    def log_addition(self, request, obj, message):
        self._audit(request, obj, i18n.gettext("added"))
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._audit(request, obj, i18n.gettext("changed"))
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._audit(request, obj, i18n.gettext("deleted"))
        return super().log_deletions(request, queryset)

    def _audit(self, request: HttpRequest, obj, verb: i18n.Message) -> None:
        services.record_audit_event(
            action=AuditAction.ADMIN_CHANGE,
            actor=request.user,
            target=obj,
            detail=i18n.gettext("%(verb)s %(model)s")
            % {"verb": verb, "model": obj._meta.label_lower},
        )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "actor_shown", "target_kind", "target_id", "detail"]
    list_filter = ["action", "target_type"]
    search_fields = ["actor__email", "target_id", "actor_ref", "detail"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    @admin.display(description=_("actor"), ordering="actor__email")
    def actor_shown(self, event: AuditEvent) -> str:
        """The account, or the pseudonym left after it was deleted, or the system."""
        if event.actor is not None:
            return event.actor.email
        return event.actor_ref or str(_("the service"))

    @admin.display(description=_("target type"), ordering="target_type")
    def target_kind(self, event: AuditEvent) -> str:
        """'user', 'credential': the model's name rather than its internal label."""
        try:
            return str(apps.get_model(event.target_type)._meta.verbose_name)
        except (LookupError, ValueError):
            return event.target_type

    # Append-only: admins read the trail, nobody edits it.
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TrustedIssuer)
class TrustedIssuerAdmin(AuditedModelAdmin):
    list_display = ["name", "homepage", "is_active", "updated_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "homepage"]
    readonly_fields = ["uuid", "created_at", "updated_at"]
    actions = ["mark_trusted", "mark_untrusted"]

    def save_model(self, request, obj, form, change):
        before = TrustedIssuer.objects.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        registry.trusted_issuer_changed(before=before, after=obj)

    def delete_model(self, request, obj):
        registry.trusted_issuer_changed(before=obj, after=None)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for issuer in queryset:
            registry.trusted_issuer_changed(before=issuer, after=None)
        super().delete_queryset(request, queryset)

    @admin.action(description=_("Mark as trusted"))
    def mark_trusted(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = registry.set_issuers_trusted(issuers=queryset, is_trusted=True, actor=request.user)
        self.message_user(
            request,
            ngettext("%(count)d issuer trusted.", "%(count)d issuers trusted.", count)
            % {"count": count},
        )

    @admin.action(description=_("Mark as not trusted"))
    def mark_untrusted(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = registry.set_issuers_trusted(issuers=queryset, is_trusted=False, actor=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d issuer no longer trusted.", "%(count)d issuers no longer trusted.", count
            )
            % {"count": count},
        )


@admin.register(IssuerRegistry)
class IssuerRegistryAdmin(AuditedModelAdmin):
    """External registries (DCC format) fetched by URL; entries are read-only copies."""

    list_display = ["name", "url", "is_active", "entry_count", "last_fetched_at", "last_error"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]
    readonly_fields = ["uuid", "entries", "last_fetched_at", "last_error", "created_at"]
    actions = ["refresh_now"]

    @admin.display(description=_("entries"))
    def entry_count(self, obj: IssuerRegistry) -> int:
        return len(obj.entries) if isinstance(obj.entries, dict) else 0

    def save_model(self, request, obj, form, change):
        before = IssuerRegistry.objects.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        registry.issuer_registry_changed(before=before, after=obj)

    def delete_model(self, request, obj):
        registry.issuer_registry_removed(registry=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for item in queryset:
            registry.issuer_registry_removed(registry=item)
        super().delete_queryset(request, queryset)

    @admin.action(description=_("Refresh now"))
    def refresh_now(self, request: HttpRequest, queryset: QuerySet) -> None:
        failed = [
            item.name
            for item in queryset
            if registry.refresh_issuer_registry(registry=item).last_error
        ]
        if failed:
            self.message_user(
                request,
                _("Could not refresh: %(names)s (see “last error”).")
                % {"names": ", ".join(failed)},
                level=messages.WARNING,
            )
        else:
            self.message_user(request, _("Registries refreshed."))


class ChildInline(admin.TabularInline):
    model = Credential
    fk_name = "parent"
    fields = ["name", "format", "verdict", "verified_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = _("credential inside")
    verbose_name_plural = _("credentials inside")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    # Read-only rows: the link to each reads "View", never "Change".
    def has_change_permission(self, request, obj=None) -> bool:
        return False


class TopLevelFilter(admin.SimpleListFilter):
    """Imported credentials apart from those inside a CLR: what the admin index counts."""

    title = _("inside another credential")
    parameter_name = "inside"

    def lookups(self, request, model_admin):
        return [("no", _("No")), ("yes", _("Yes"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.top_level()
        if self.value() == "yes":
            return queryset.filter(parent__isnull=False)
        return queryset


class FreshnessFilter(admin.SimpleListFilter):
    """Credentials whose re-verification keeps failing: their verdicts are going stale."""

    title = _("re-verification")
    parameter_name = "freshness"

    def lookups(self, request, model_admin):
        return [
            ("failing", _("could not run last time")),
            ("failing_repeatedly", _("could not run more than once in a row")),
            ("stale", _("stale verdict")),
            ("duplicate", _("copy of another credential")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "failing":
            return queryset.filter(recheck_failures__gte=1)
        if self.value() == "failing_repeatedly":
            return queryset.filter(recheck_failures__gte=2)
        if self.value() == "stale":
            cutoff = timezone.now() - timedelta(days=settings.VERDICT_STALE_AFTER_DAYS)
            return queryset.verifiable().filter(last_verified_at__lt=cutoff)
        if self.value() == "duplicate":
            return queryset.filter(duplicate_of__isnull=False)
        return queryset


@admin.register(Credential)
class CredentialAdmin(AuditedModelAdmin):
    list_display = [
        "name",
        "owner",
        "issuer_name",
        "format",
        "verdict",
        "last_verified_at",
        "recheck_failures",
    ]
    list_filter = [FreshnessFilter, "verdict", "format", "source", TopLevelFilter]
    search_fields = ["name", "issuer_name", "owner__email", "uuid", "original_sha256"]
    date_hierarchy = "created_at"
    list_select_related = ["owner"]
    autocomplete_fields = ["owner"]
    inlines = [ChildInline]
    actions = ["reverify"]
    # A credential's page on the site is its owner's: admins would get a 404.
    view_on_site = False
    fieldsets = [
        (None, {"fields": ["uuid", "owner", "parent", "name", "issuer_name", "issuer_id"]}),
        (
            _("Verification"),
            {
                "fields": [
                    "verdict_shown",
                    "checks_table",
                    "verified_at",
                    "verdict_changed_at",
                    "last_verified_at",
                    "recheck_failed_at",
                    "recheck_reason",
                    "recheck_failures",
                ]
            },
        ),
        (
            _("Original"),
            {
                "fields": [
                    "format",
                    "source",
                    "source_url",
                    "original_name",
                    "original_content_type",
                    "original_sha256",
                    "fingerprint",
                    "duplicate_of",
                ]
            },
        ),
        (_("Dates"), {"fields": ["issued_at", "expires_at", "created_at", "updated_at"]}),
    ]

    # The original and everything derived from it are evidence: read-only.
    def get_readonly_fields(self, request, obj=None):
        return [field for group in self.fieldsets for field in group[1]["fields"]]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None and obj.children.exists() else []

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    # Through the service: its files go too, and the apps above hear of it (share pages).
    def delete_model(self, request: HttpRequest, obj: Credential) -> None:
        services.delete_credential(credential=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for credential in queryset:
            services.delete_credential(credential=credential, actor=request.user)

    # One row for the verdict and what it means: the field and its sentence as two rows
    # were both labelled "Verdict".
    @admin.display(description=_("verdict"))
    def verdict_shown(self, credential: Credential) -> SafeString:
        return format_html(
            "{}<br>{}", capfirst(credential.verdict_label), credential.verdict_explanation
        )

    @admin.display(description=_("why it was not checked again"))
    def recheck_reason(self, credential: Credential) -> str:
        return i18n.check_message(credential.recheck_error) if credential.recheck_error else "-"

    @admin.display(description=_("checks"))
    def checks_table(self, credential: Credential) -> SafeString | str:
        """Each stored check as a row, in the reader's language, with its machine code."""
        rows = [check for check in credential.checks or [] if isinstance(check, dict)]
        if not rows:
            return "-"
        body = format_html_join(
            "",
            "<tr><th scope='row'>{}</th><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
            (
                (
                    capfirst(check_name_label(str(check.get("name", "")))),
                    capfirst(check_status_label(str(check.get("status", "")))),
                    check.get("code", ""),
                    i18n.check_message(check),
                )
                for check in rows
            ),
        )
        return format_html(
            "<table><thead><tr><th scope='col'>{}</th><th scope='col'>{}</th>"
            "<th scope='col'>{}</th><th scope='col'>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("Check"),
            _("Result"),
            _("Code"),
            _("Details"),
            body,
        )

    @admin.action(description=_("Verify again now"))
    def reverify(self, request: HttpRequest, queryset: QuerySet) -> None:
        done = 0
        for credential in queryset.select_related("owner", "parent"):
            try:
                services.reverify_credential(credential=credential, actor=request.user)
            except ValidationError as exc:
                self.message_user(
                    request, f"{credential}: {' '.join(exc.messages)}", messages.WARNING
                )
                continue
            done += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d credential verified again.",
                "%(count)d credentials verified again.",
                done,
            )
            % {"count": done},
        )


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["created_at", "owner", "status", "attempts", "error"]
    list_filter = ["status"]
    search_fields = ["owner__email", "uuid"]
    date_hierarchy = "created_at"
    list_select_related = ["owner"]
    # The credentials a job made are listed, never chosen: a form field here would offer
    # every learner's credentials.
    readonly_fields = [f.name for f in ImportJob._meta.fields] + ["credentials"]
    actions = ["retry"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Retry failed imports"))
    def retry(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = services.retry_import_jobs(jobs=queryset.filter(status=JobStatus.FAILED))
        self.message_user(
            request,
            ngettext("%(count)d import queued again.", "%(count)d imports queued again.", count)
            % {"count": count},
        )


@admin.register(RecipientIdentifier)
class RecipientIdentifierAdmin(admin.ModelAdmin):
    list_display = ["value", "owner", "created_at"]
    search_fields = ["value", "owner__email"]
    list_select_related = ["owner"]
    readonly_fields = ["uuid", "owner", "value", "created_at", "updated_at"]

    def has_add_permission(self, request) -> bool:
        return False

    # Every field is read-only: the admin offers "View", never "Change".
    def has_change_permission(self, request, obj=None) -> bool:
        return False
