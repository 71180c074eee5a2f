from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


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
