"""Shapes of the wallet in the API: profile, curated credentials, collections, skills,
exports, personal access tokens. Serializers validate and shape; the views call the services."""

from typing import Any

from django.conf import settings
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from credentials.api.serializers import CredentialCoreSerializer
from credentials.models import Credential
from wallet.models import ApiToken, ApiTokenScope, Collection, Curation, ExportJob, Skill

UUIDS_HELP = _("UUIDs of your own credentials.")
# Plain strings in the schema: share links' `language` already names this choice set.
LANGUAGES_HELP = ", ".join(f"`{code}`" for code, _name in settings.LANGUAGES)


def _curation(credential: Credential) -> Curation | None:
    return getattr(credential, "curation", None) if credential.parent_id is None else None


class CredentialSerializer(CredentialCoreSerializer):
    """A credential as listed: its verdict and the learner's tags, pin and visibility."""

    tags = serializers.SerializerMethodField()
    is_pinned = serializers.SerializerMethodField()
    is_hidden = serializers.SerializerMethodField()

    class Meta(CredentialCoreSerializer.Meta):
        fields = [*CredentialCoreSerializer.Meta.fields, "tags", "is_pinned", "is_hidden"]
        read_only_fields = fields

    def get_tags(self, credential: Credential) -> list[str]:
        """The learner's tags on it, by name."""
        curation = _curation(credential)
        return sorted(tag.name for tag in curation.tags.all()) if curation else []

    def get_is_pinned(self, credential: Credential) -> bool:
        """Pinned to the top of the dashboard."""
        curation = _curation(credential)
        return bool(curation and curation.is_pinned)

    def get_is_hidden(self, credential: Credential) -> bool:
        """Hidden from the dashboard and every share link."""
        curation = _curation(credential)
        return bool(curation and curation.is_hidden)


class NestedCredentialSerializer(CredentialCoreSerializer):
    """A credential inside a record (CLR)."""


class CredentialDetailSerializer(CredentialSerializer):
    """One credential with everything: the learner's notes, its normalized view, what it holds."""

    note = serializers.SerializerMethodField()
    public_description = serializers.SerializerMethodField()
    normalized = serializers.JSONField(read_only=True)
    inside = serializers.SerializerMethodField()
    children = serializers.SerializerMethodField()
    skills = serializers.SerializerMethodField()
    collections = serializers.SerializerMethodField()

    class Meta(CredentialSerializer.Meta):
        fields = [
            *CredentialSerializer.Meta.fields,
            "note",
            "public_description",
            "normalized",
            "inside",
            "children",
            "skills",
            "collections",
        ]
        read_only_fields = fields

    def get_note(self, credential: Credential) -> str:
        """The learner's private note."""
        curation = _curation(credential)
        return curation.note if curation else ""

    def get_public_description(self, credential: Credential) -> str:
        """What the learner says about it where they share it."""
        curation = _curation(credential)
        return curation.public_description if curation else ""

    def get_inside(self, credential: Credential) -> str | None:
        """The UUID of the record this credential is part of, if any."""
        return str(credential.parent.uuid) if credential.parent_id else None

    @extend_schema_field(NestedCredentialSerializer(many=True))
    def get_children(self, credential: Credential) -> list[dict[str, Any]]:
        """The credentials inside this one (a CLR's achievements)."""
        return NestedCredentialSerializer(credential.children.order_by("position"), many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_skills(self, credential: Credential) -> list[str]:
        """The skills it backs."""
        return [str(skill.uuid) for skill in credential.skills.order_by("name")]

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_collections(self, credential: Credential) -> list[str]:
        """The collections it is in."""
        return [
            str(collection.uuid)
            for collection in Collection.objects.filter(items__credential=credential)
        ]


class FileImportSerializer(serializers.Serializer):
    """A credential file to import."""

    file = serializers.FileField(
        help_text=_("A JSON file, a .jwt file, or a badge image (PNG or SVG), up to 5 MB."),
    )


class TextImportSerializer(serializers.Serializer):
    """Credential text to import."""

    text = serializers.CharField(
        trim_whitespace=True,
        help_text=_("The JSON of a credential, or a signed JWT."),
    )


class SelfReportedSerializer(serializers.Serializer):
    """Learning the learner enters themselves: always labelled self-reported, never verified."""

    title = serializers.CharField(
        max_length=300, help_text=_("What the learner learned or achieved.")
    )
    description = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default="", trim_whitespace=True
    )
    achieved_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=_("When, if known.")
    )
    evidence_url = serializers.URLField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("A web page showing the work."),
    )


class UrlImportSerializer(serializers.Serializer):
    """A web address to import from."""

    url = serializers.URLField(
        max_length=2000, help_text=_("The address of a hosted badge assertion or credential file.")
    )


class ImportResultSerializer(serializers.Serializer):
    """What an import stored, and what it skipped as already held."""

    created = CredentialSerializer(many=True, help_text=_("The credentials now in the wallet."))
    duplicates = CredentialSerializer(
        many=True, help_text=_("Credentials in the input that were already in the wallet.")
    )


class NotesSerializer(serializers.Serializer):
    """The learner's private note and public description."""

    note = serializers.CharField(
        allow_blank=True, max_length=5000, default="", trim_whitespace=False
    )
    public_description = serializers.CharField(
        allow_blank=True, max_length=5000, default="", trim_whitespace=False
    )


class TagsSerializer(serializers.Serializer):
    """The credential's tags, replacing those it had."""

    tags = serializers.ListField(
        child=serializers.CharField(max_length=60, allow_blank=True),
        max_length=20,
        help_text=_("The tag names; these replace the credential's tags."),
    )


class PinSerializer(serializers.Serializer):
    """Pinned to the top, or not."""

    is_pinned = serializers.BooleanField()


class HideSerializer(serializers.Serializer):
    """Hidden from the list and every share link, or not."""

    is_hidden = serializers.BooleanField()


class CredentialCollectionsSerializer(serializers.Serializer):
    """The collections a credential should be in."""

    collections = serializers.ListField(
        child=serializers.UUIDField(),
        max_length=200,
        help_text=_("UUIDs of your collections; the credential ends up in exactly these."),
    )


class CurationSerializer(serializers.Serializer):
    """The learner's curation of a credential after a change."""

    note = serializers.CharField()
    public_description = serializers.CharField()
    tags = serializers.ListField(child=serializers.CharField())
    is_pinned = serializers.BooleanField()
    is_hidden = serializers.BooleanField()

    def to_representation(self, curation: Curation) -> dict[str, Any]:
        """Plain values from the curation row."""
        return {
            "note": curation.note,
            "public_description": curation.public_description,
            "tags": sorted(tag.name for tag in curation.tags.all()),
            "is_pinned": curation.is_pinned,
            "is_hidden": curation.is_hidden,
        }


class CollectionSerializer(serializers.ModelSerializer):
    """A collection and its credentials, in order."""

    credentials = serializers.SerializerMethodField()

    class Meta:
        model = Collection
        fields = ["uuid", "name", "description", "position", "credentials", "created_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_credentials(self, collection: Collection) -> list[str]:
        """Its credentials' UUIDs, in the collection's order."""
        items = collection.items.select_related("credential").order_by("position", "id")
        return [str(item.credential.uuid) for item in items]


class CollectionCreateSerializer(serializers.Serializer):
    """A new collection."""

    name = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=2000, allow_blank=True, default="")
    credentials = serializers.ListField(
        child=serializers.UUIDField(), max_length=500, default=list, help_text=UUIDS_HELP
    )


class CollectionUpdateSerializer(serializers.Serializer):
    """A collection's new name or description."""

    name = serializers.CharField(max_length=120, required=False)
    description = serializers.CharField(max_length=2000, allow_blank=True, required=False)


class CollectionItemsSerializer(serializers.Serializer):
    """Credentials to append to a collection."""

    credentials = serializers.ListField(
        child=serializers.UUIDField(), min_length=1, max_length=500, help_text=UUIDS_HELP
    )


class MoveSerializer(serializers.Serializer):
    """Which way to move a credential."""

    direction = serializers.ChoiceField(choices=[("up", _("up")), ("down", _("down"))])


class SkillSerializer(serializers.ModelSerializer):
    """A skill and the credentials behind it."""

    url = serializers.CharField(read_only=True, help_text=_("Blank when the skill has none."))
    # A plain string: `source` already names the credentials' choice set in the schema.
    source = serializers.CharField(
        read_only=True, help_text=_("`alignment` (from a credential) or `learner` (added by you).")
    )
    credentials = serializers.SlugRelatedField(many=True, read_only=True, slug_field="uuid")

    class Meta:
        model = Skill
        fields = ["uuid", "name", "framework", "code", "url", "source", "credentials", "created_at"]
        read_only_fields = fields


class SkillCreateSerializer(serializers.Serializer):
    """A new skill and its evidence."""

    name = serializers.CharField(max_length=300)
    framework = serializers.CharField(max_length=300, allow_blank=True, default="")
    code = serializers.CharField(max_length=200, allow_blank=True, default="")
    url = serializers.URLField(max_length=2000, allow_blank=True, default="")
    credentials = serializers.ListField(
        child=serializers.UUIDField(), max_length=500, default=list, help_text=UUIDS_HELP
    )


class SkillUpdateSerializer(serializers.Serializer):
    """The credentials behind a skill."""

    credentials = serializers.ListField(
        child=serializers.UUIDField(),
        max_length=500,
        help_text=_("The credentials that back the skill; those aligned to it always stay."),
    )


class MeSerializer(serializers.Serializer):
    """The learner's account and wallet profile."""

    uuid = serializers.UUIDField()
    email = serializers.EmailField()
    display_name = serializers.CharField()
    headline = serializers.CharField()
    bio = serializers.CharField()
    preferred_language = serializers.CharField(help_text=LANGUAGES_HELP)
    credential_count = serializers.IntegerField()

    def to_representation(self, instance: Any) -> dict[str, Any]:
        """Flatten the user and their wallet."""
        user, wallet = instance
        return {
            "uuid": str(user.uuid),
            "email": user.email,
            "display_name": wallet.display_name,
            "headline": wallet.headline,
            "bio": wallet.bio,
            "preferred_language": user.preferred_language,
            "credential_count": Credential.objects.owned_by(user).top_level().count(),
        }


class MeUpdateSerializer(serializers.Serializer):
    """The profile fields to change."""

    display_name = serializers.CharField(max_length=120, allow_blank=True, required=False)
    headline = serializers.CharField(max_length=160, allow_blank=True, required=False)
    bio = serializers.CharField(max_length=2000, allow_blank=True, required=False)
    preferred_language = serializers.CharField(required=False, help_text=LANGUAGES_HELP)

    def validate_preferred_language(self, value: str) -> str:
        """One of the site's languages."""
        if value not in dict(settings.LANGUAGES):
            raise serializers.ValidationError(_("Choose one of the offered languages."))
        return value


class ExportJobSerializer(serializers.ModelSerializer):
    """An export's progress; download it when `status` is `ready`."""

    is_downloadable = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = [
            "uuid",
            "status",
            "progress",
            "error",
            "is_downloadable",
            "expires_at",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_is_downloadable(self, job: ExportJob) -> bool:
        """Ready and not yet deleted."""
        return job.status == "ready" and bool(job.file)


class ApiTokenSerializer(serializers.ModelSerializer):
    """A personal access token as listed: never the token itself, only its first characters."""

    is_active = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = [
            "uuid",
            "name",
            "prefix",
            "scope",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "is_active",
            "created_at",
        ]
        read_only_fields = fields

    def get_is_active(self, api_token: ApiToken) -> bool:
        """Not revoked and not expired."""
        if api_token.revoked_at is not None:
            return False
        return api_token.expires_at is None or api_token.expires_at > timezone.now()


class ApiTokenCreateSerializer(serializers.Serializer):
    """What a new token is called, may do, and when it stops."""

    name = serializers.CharField(max_length=100, help_text=_("What will use this token."))
    scope = serializers.ChoiceField(choices=ApiTokenScope.choices, default=ApiTokenScope.READ)
    expires_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text=_("Leave out for no expiry.")
    )


class NewApiTokenSerializer(ApiTokenSerializer):
    """The token just made, with the token itself: shown this once only."""

    token = serializers.CharField(read_only=True)

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "token"]
        read_only_fields = fields
