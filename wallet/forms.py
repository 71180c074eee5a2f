from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
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
