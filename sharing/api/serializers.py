"""Shapes of share links, their view counts and transcripts in the API."""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from credentials.models import JobStatus
from sharing.models import ShareLink

STATES = [("active", _("active")), ("expired", _("expired")), ("revoked", _("revoked"))]
OPTION_FIELDS = [
    "show_public_descriptions",
    "show_evidence",
    "show_email",
    "allow_transcript",
    "allow_download",
    "language",
]


def _uuids(manager: Any) -> list[str]:
    return [str(row.uuid) for row in manager.all()]


class ShareLinkSerializer(serializers.ModelSerializer):
    """A share link as its owner sees it, with the address to give an employer."""

    url = serializers.SerializerMethodField()
    state = serializers.SerializerMethodField()
    has_passcode = serializers.BooleanField(read_only=True)
    credentials = serializers.SerializerMethodField()
    collections = serializers.SerializerMethodField()
    skills = serializers.SerializerMethodField()
    withheld = serializers.SerializerMethodField()

    class Meta:
        model = ShareLink
        fields = [
            "uuid",
            "title",
            "message",
            "url",
            "state",
            "expires_at",
            "revoked_at",
            "has_passcode",
            *OPTION_FIELDS,
            "is_linkedin",
            "credentials",
            "collections",
            "skills",
            "withheld",
            "view_count",
            "last_viewed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_url(self, link: ShareLink) -> str:
        """The address the employer opens; empty if it can no longer be read back."""
        return link.public_url()

    @extend_schema_field(serializers.ChoiceField(choices=STATES))
    def get_state(self, link: ShareLink) -> str:
        """`active`, `expired` or `revoked`."""
        if link.is_revoked:
            return "revoked"
        return "expired" if link.is_expired else "active"

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_credentials(self, link: ShareLink) -> list[str]:
        """The credentials chosen one by one."""
        return _uuids(link.credentials)

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_collections(self, link: ShareLink) -> list[str]:
        """The collections chosen (their credentials are shown as they are now)."""
        return _uuids(link.collections)

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_skills(self, link: ShareLink) -> list[str]:
        """The skills chosen (their evidence is shown as it is now)."""
        return _uuids(link.skills)

    @extend_schema_field(
        serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    )
    def get_withheld(self, link: ShareLink) -> dict[str, list[str]]:
        """Fields left out of selective-disclosure credentials: credential uuid to JSON
        pointers."""
        return {
            str(row.credential.uuid): row.pointers
            for row in link.withheld_fields.all()
            if row.pointers
        }


def _uuid_list(help_text: str) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.UUIDField(), max_length=500, required=False, help_text=help_text
    )


class ShareLinkWriteSerializer(serializers.Serializer):
    """What a learner sends to make a link; to change one, send only what changes."""

    title = serializers.CharField(max_length=120)
    message = serializers.CharField(max_length=2000, allow_blank=True, required=False)
    expires_at = serializers.DateTimeField(
        allow_null=True,
        required=False,
        help_text=_("When the link stops opening; null for never. Default: in 90 days."),
    )
    passcode = serializers.CharField(
        max_length=128,
        allow_blank=True,
        required=False,
        write_only=True,
        trim_whitespace=False,
        help_text=_("8 to 128 characters the employer must type; never shown again."),
    )
    remove_passcode = serializers.BooleanField(
        required=False, help_text=_("When changing a link: take its passcode away.")
    )
    show_public_descriptions = serializers.BooleanField(required=False)
    show_evidence = serializers.BooleanField(required=False)
    show_email = serializers.BooleanField(required=False)
    allow_transcript = serializers.BooleanField(required=False)
    allow_download = serializers.BooleanField(required=False)
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)
    credentials = _uuid_list(_("UUIDs of your credentials to show."))
    collections = _uuid_list(_("UUIDs of your collections to show."))
    skills = _uuid_list(_("UUIDs of your skills whose evidence to show."))
    withheld = serializers.DictField(
        child=serializers.ListField(
            child=serializers.CharField(max_length=500, trim_whitespace=False), max_length=100
        ),
        required=False,
        help_text=_(
            "For credentials signed for selective disclosure (ecdsa-sd-2023): credential "
            "UUID to the JSON pointers of fields the employer does not receive, e.g. "
            '{"<uuid>": ["/credentialSubject/result"]}. Fields the issuer made mandatory '
            "cannot be withheld. When changing a link, this replaces what it withheld."
        ),
    )
    share_not_valid = serializers.BooleanField(
        required=False,
        write_only=True,
        help_text=_(
            "Set to true to show credentials that failed verification, were revoked or have "
            "expired (the employer sees them labelled). Without it, a selection that newly "
            "reaches one is refused (422, `not_valid_unconfirmed`)."
        ),
    )


class ShareLinkDaySerializer(serializers.Serializer):
    """Views on one day."""

    day = serializers.DateField()
    views = serializers.IntegerField()


class ShareLinkStatsSerializer(serializers.Serializer):
    """How often the link was opened: counts only, nothing about who."""

    view_count = serializers.IntegerField(help_text=_("Views since the link was made."))
    last_viewed_at = serializers.DateTimeField(allow_null=True)
    views_last_7_days = serializers.IntegerField()
    views_last_30_days = serializers.IntegerField()
    days = ShareLinkDaySerializer(many=True, help_text=_("The last 30 days, newest first."))


class TranscriptSerializer(serializers.Serializer):
    """The PDF transcript's progress for a link."""

    status = serializers.ChoiceField(choices=JobStatus.choices)
    error = serializers.CharField(allow_blank=True)
    is_current = serializers.BooleanField(
        help_text=_("A PDF showing the link as it is now is ready to download.")
    )
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
