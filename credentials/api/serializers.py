"""Shapes of credentials and import jobs in the API: validation and output only."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from credentials.i18n import check_message
from credentials.models import Credential, ImportJob, choice_label
from credentials.verification.checks import CheckName, CheckStatus

CHECK_KEYS = ("name", "status", "status_label", "message", "code", "checked_at")


class CheckSerializer(serializers.Serializer):
    """One verification step and what it found."""

    name = serializers.ChoiceField(choices=CheckName.choices)
    # Plain strings: a second choice set named `status` (a job's) would collide in the schema.
    status = serializers.CharField(help_text=_("`passed`, `failed`, `warning` or `not_checked`."))
    status_label = serializers.CharField(help_text=_("The status in the learner's language."))
    message = serializers.CharField(allow_blank=True)
    code = serializers.CharField(help_text=_("A machine-readable reason, e.g. `ok`, `revoked`."))
    checked_at = serializers.CharField(allow_blank=True)


class IssuerIdentitySerializer(serializers.Serializer):
    """What is proven about who issued a credential (the issuer check's finding)."""

    level = serializers.CharField(
        help_text=_(
            "`registered`, `domain_proven`, `self_asserted` or `impersonation`; blank when "
            "no signature was verified."
        )
    )
    issuer_id = serializers.CharField(allow_blank=True)
    domain = serializers.CharField(allow_blank=True, help_text=_("The proven web domain."))
    vouched_by = serializers.CharField(allow_blank=True, help_text=_("The registry vouching."))
    vouched_by_url = serializers.CharField(allow_blank=True)
    registered_name = serializers.CharField(allow_blank=True)
    impersonated_name = serializers.CharField(allow_blank=True)


class CredentialCoreSerializer(serializers.ModelSerializer):
    """What the credentials app knows about a credential: data, verdict and checks."""

    # Blank when not imported from a web address, so not typed as a URI.
    source_url = serializers.CharField(read_only=True)
    verdict_message = serializers.CharField(
        source="verdict_explanation",
        read_only=True,
        help_text=_("One sentence on the verdict, in the reader's language."),
    )
    checks = serializers.SerializerMethodField()
    issuer_identity = serializers.SerializerMethodField()
    has_original = serializers.SerializerMethodField()

    class Meta:
        model = Credential
        fields = [
            "uuid",
            "name",
            "description",
            "format",
            "source",
            "source_url",
            "issuer_name",
            "issuer_id",
            "issued_at",
            "expires_at",
            "verdict",
            "verdict_message",
            "verified_at",
            "checks",
            "issuer_identity",
            "has_original",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(CheckSerializer(many=True))
    def get_checks(self, credential: Credential) -> list[dict[str, Any]]:
        """Every check with every key, whatever version of the verifier stored it."""
        checks = credential.checks if isinstance(credential.checks, list) else []
        return [
            {
                **{key: str(check.get(key) or "") for key in CHECK_KEYS},
                # In the reader's language, whatever language the check ran in.
                "status_label": choice_label(CheckStatus, str(check.get("status") or "")),
                "message": check_message(check),
            }
            for check in checks
            if isinstance(check, dict)
        ]

    @extend_schema_field(IssuerIdentitySerializer(allow_null=True))
    def get_issuer_identity(self, credential: Credential) -> dict[str, str] | None:
        """The identity level the issuer check proved; null before any check."""
        return credential.issuer_identity or None

    def get_has_original(self, credential: Credential) -> bool:
        """Whether `…/original/` has bytes to download (self-reported entries have none)."""
        return bool(credential.original)


class ImportJobSerializer(serializers.ModelSerializer):
    """A URL import's progress, and what it imported when ready."""

    credentials = serializers.SlugRelatedField(many=True, read_only=True, slug_field="uuid")

    class Meta:
        model = ImportJob
        fields = [
            "uuid",
            "url",
            "status",
            "error",
            "credentials",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields
