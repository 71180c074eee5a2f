from datetime import datetime, timedelta
from typing import Any

from allauth.account.forms import ChangePasswordForm as AllauthChangePasswordForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from wallet import tokens
from wallet.models import ApiToken, ApiTokenScope
from wallet.widgets import Checklist, credential_choice_label

PHOTO_MAX_BYTES = 5 * 1024 * 1024


def _privacy_help() -> SafeString:
    return format_html(
        '<a href="{}">{}</a>', reverse("privacy"), gettext("Read the privacy notice")
    )


class SignupForm(AllauthSignupForm):
    accept_privacy = forms.BooleanField(
        label=_("I have read and accept the privacy notice"),
        help_text=lazy(_privacy_help, SafeString)(),
        required=True,
        error_messages={"required": _("Please accept the privacy notice to create an account.")},
    )


class ChangePasswordForm(AllauthChangePasswordForm):
    """allauth's form, offering to stop the API tokens too when the learner has any."""

    revoke_api_tokens = forms.BooleanField(
        label=_("Also revoke my API tokens"),
        help_text=_("Do this if you change your password because someone else may know it."),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        has_tokens = ApiToken.objects.owned_by(self.user).filter(revoked_at__isnull=True).exists()
        if not has_tokens:
            del self.fields["revoke_api_tokens"]

    def save(self) -> None:
        super().save()
        if self.cleaned_data.get("revoke_api_tokens"):
            tokens.revoke_api_tokens(owner=self.user, actor=self.user)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Credential file"),
        help_text=_("A JSON file, a .jwt file, or a badge image (PNG or SVG), up to 5 MB."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s.")
                % {"size": filesizeformat(settings.IMPORT_MAX_BYTES)}
            )
        return upload


class PasteForm(forms.Form):
    text = forms.CharField(
        label=_("Credential text"),
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        max_length=2 * 1024 * 1024,
        strip=True,
        help_text=_(
            "Paste the JSON of a credential, or a signed JWT (three parts joined by dots)."
        ),
    )


class UrlForm(forms.Form):
    url = forms.URLField(
        label=_("Web address of the credential"),
        max_length=2000,
        assume_scheme="https",
        help_text=_("The address of a hosted badge assertion or a credential file."),
    )


class SelfReportedForm(forms.Form):
    title = forms.CharField(label=_("What did you learn or achieve?"), max_length=300)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )
    achieved_on = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    evidence_url = forms.URLField(
        label=_("Link to evidence"), required=False, max_length=2000, assume_scheme="https"
    )
    evidence_file = forms.FileField(
        label=_("Evidence file"),
        required=False,
        help_text=_("A PDF or image up to 5 MB."),
    )

    def clean_evidence_file(self) -> Any:
        upload = self.cleaned_data.get("evidence_file")
        if upload and upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s.")
                % {"size": filesizeformat(settings.IMPORT_MAX_BYTES)}
            )
        return upload


class DashboardForm(forms.Form):
    """The dashboard's search, filters and sort, read from the query string."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    verdict = forms.ChoiceField(label=_("Verdict"), required=False)
    issuer = forms.ChoiceField(label=_("Issuer"), required=False)
    skill = forms.ChoiceField(label=_("Skill"), required=False)
    tag = forms.ChoiceField(label=_("Tag"), required=False)
    format = forms.ChoiceField(label=_("Format"), required=False)
    collection = forms.ChoiceField(label=_("Collection"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("date", _("Date")), ("name", _("Name")), ("issuer", _("Issuer"))],
    )
    hidden = forms.BooleanField(label=_("Show hidden credentials"), required=False)

    def __init__(
        self,
        *args: Any,
        issuers: list[str],
        skills: Any,
        tags: Any,
        collections: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        from credentials.models import FORMAT_CHOICES
        from credentials.verification.verdict import Verdict

        # "Any" agrees with the filter's noun in French: tous (verdict, émetteur, format),
        # toutes (compétence, étiquette, collection).
        anything = [("", pgettext("filter of a masculine noun", "Any"))]
        any_feminine = [("", pgettext("filter of a feminine noun", "Any"))]
        self.fields["verdict"].choices = anything + [
            (value, label.capitalize()) for value, label in Verdict.choices
        ]
        self.fields["issuer"].choices = anything + [(name, name) for name in issuers]
        self.fields["skill"].choices = any_feminine + [(str(s.uuid), s.name) for s in skills]
        self.fields["tag"].choices = any_feminine + [(t.name, t.name) for t in tags]
        self.fields["format"].choices = anything + list(FORMAT_CHOICES)
        self.fields["collection"].choices = any_feminine + [
            (str(c.uuid), c.name) for c in collections
        ]


class NotesForm(forms.Form):
    note = forms.CharField(
        label=_("Private note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only you can see this."),
    )
    public_description = forms.CharField(
        label=_("Public description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you did to earn this; shown on share links only where you choose."),
    )


class TagsForm(forms.Form):
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=2000,
        help_text=_("Separate tags with commas, for example: teamwork, 2024, leadership."),
    )

    def clean_tags(self) -> list[str]:
        from wallet.curation_services import clean_tag_names

        try:
            return clean_tag_names(self.cleaned_data["tags"].split(","))
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc


class OwnedChoicesMixin:
    """Fills model choice fields with the learner's own rows only."""

    def limit_to(self, **querysets: Any) -> None:
        for name, queryset in querysets.items():
            self.fields[name].queryset = queryset


class CredentialChoices(forms.ModelMultipleChoiceField):
    """A learner's credentials to tick, each row showing its verdict."""

    def label_from_instance(self, obj: Any) -> str:
        return credential_choice_label(obj)


class CredentialCollectionsForm(OwnedChoicesMixin, forms.Form):
    collections = forms.ModelMultipleChoiceField(
        label=_("Collections"),
        queryset=None,
        required=False,
        to_field_name="uuid",
        widget=Checklist,
    )


class CollectionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CollectionAddForm(OwnedChoicesMixin, forms.Form):
    credentials = CredentialChoices(
        label=_("Credentials to add"),
        queryset=None,
        to_field_name="uuid",
        widget=Checklist,
    )


class MoveForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("Direction"), choices=[("up", _("Up")), ("down", _("Down"))]
    )


class SkillForm(forms.Form):
    """A new skill; its evidence is chosen next, on the skill's own page."""

    name = forms.CharField(label=_("Skill"), max_length=300)
    framework = forms.CharField(
        label=_("Framework"),
        required=False,
        max_length=300,
        help_text=_("The competency framework it comes from, if any."),
    )
    code = forms.CharField(label=_("Code in the framework"), required=False, max_length=200)
    url = forms.URLField(
        label=_("Web address"), required=False, max_length=2000, assume_scheme="https"
    )


class SkillCredentialsForm(OwnedChoicesMixin, forms.Form):
    credentials = CredentialChoices(
        label=_("Credentials that show this skill"),
        queryset=None,
        required=False,
        to_field_name="uuid",
        widget=Checklist,
    )


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), required=False, max_length=120)
    headline = forms.CharField(
        label=_("Headline"),
        required=False,
        max_length=160,
        help_text=_("One line about you, for example: Nursing student at Cégep de Sherbrooke."),
    )
    bio = forms.CharField(
        label=_("Bio"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Photo"),
        help_text=_(
            "A PNG, JPEG, GIF or WebP image up to 5 MB. We shrink it and remove its "
            "metadata (such as location)."
        ),
    )

    def clean_photo(self) -> bytes:
        upload = self.cleaned_data["photo"]
        if upload.size > PHOTO_MAX_BYTES:
            raise forms.ValidationError(
                _("Choose a photo smaller than %(size)s.")
                % {"size": filesizeformat(PHOTO_MAX_BYTES)}
            )
        return upload.read()


class IdentifierForm(forms.Form):
    value = forms.CharField(
        label=_("DID or web address"),
        max_length=500,
        help_text=_("For example did:web:example.org or https://example.org/me."),
    )


class AccountDeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my credentials, files and share links will be deleted."),
        error_messages={"required": _("Tick the box to confirm the deletion.")},
    )


EXPIRY_CHOICES = [
    ("30", _("In 30 days")),
    ("90", _("In 90 days")),
    ("365", _("In a year")),
    ("never", _("Never")),
]


class ApiTokenForm(forms.Form):
    """Name, access and expiry of a new token."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What will use it, such as “Nightly sync script”."),
    )
    scope = forms.ChoiceField(
        label=_("Access"),
        choices=ApiTokenScope.choices,
        initial=ApiTokenScope.READ,
        widget=forms.RadioSelect,
    )
    expiry = forms.ChoiceField(label=_("Expires"), choices=EXPIRY_CHOICES, initial="90")

    def expires_at(self) -> datetime | None:
        """The chosen expiry as a moment, None for never."""
        value = self.cleaned_data["expiry"]
        return None if value == "never" else timezone.now() + timedelta(days=int(value))
