import re
import uuid
from datetime import date, datetime, time, timedelta
from datetime import timezone as dt_timezone
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credentials.models import Credential
from sharing.content import originals_with_email
from sharing.models import ShareLink
from sharing.services import LinkOptions, Selection
from sharing.services.confirmations import (
    CONFIRM_LABEL,
    check_not_valid_confirmed,
    not_valid_credentials,
)
from sharing.services.links import (
    PASSCODE_MAX_LENGTH,
    PASSCODE_MIN_LENGTH,
    READABLE_SYMBOLS,
    not_shareable_message,
    passcode_too_short_message,
    suggest_passphrase,
)
from sharing.withhold_form import WithheldChoices
from wallet.models import Collection, Skill
from wallet.widgets import SHARE_ROW, Checklist, credential_choice_label

EXPIRY_CHOICES = [
    ("30", _("In 30 days")),
    ("90", _("In 90 days")),
    ("365", _("In a year")),
    ("date", _("On a date I choose")),
    ("never", _("Never")),
]
OPTION_FIELDS = [
    "show_public_descriptions",
    "show_evidence",
    "show_email",
    "allow_transcript",
    "allow_download",
    "include_originals_with_email",
]
SELECTION_FIELDS = ["credentials", "collections", "skills"]
PASSPHRASE_RE = re.compile(rf"[{READABLE_SYMBOLS}]{{4}}(-[{READABLE_SYMBOLS}]{{4}}){{2}}")
MAX_EXPIRY_DAYS = 365 * 10
# The last time zone where a day ends: a chosen day is over only once it is over there.
END_OF_DAY_ZONE = dt_timezone(timedelta(hours=-12))


class CredentialChoiceField(forms.ModelMultipleChoiceField):
    # The learner's credentials that are not offered (issued to someone else): named
    # in the error when one is sent anyway, rather than "not one of the choices".
    refused: models.QuerySet[Credential] = Credential.objects.none()

    def clean(self, value: Any) -> Any:
        try:
            return super().clean(value)
        except ValidationError:
            wanted = [str(item) for item in value or () if _is_uuid(item)]
            refused = list(self.refused.filter(uuid__in=wanted).only("uuid", "name"))
            if refused:
                raise ValidationError(
                    [not_shareable_message(credential) for credential in refused],
                    code="recipient_mismatch",
                ) from None
            raise

    def label_from_instance(self, obj: Credential) -> str:
        return credential_choice_label(obj)


class ExpiryFormMixin(forms.Form):
    expiry = forms.ChoiceField(
        label=_("This link stops working"),
        choices=EXPIRY_CHOICES,
        initial="90",
        widget=forms.RadioSelect,
        help_text=_(
            "This is when the link expires, not your credentials: "
            "their own dates are shown as issued."
        ),
    )
    expiry_date = forms.DateField(
        label=_("Expiry date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Only used when you choose “On a date I choose”."),
    )

    # An existing link's expiry, offered as "keep it": saving other changes must not move it.
    kept_expiry: datetime | None = None

    def clean_expiry(self) -> str:
        return self.cleaned_data["expiry"]

    def keep_expiry(self, expires_at: datetime) -> None:
        """Offer (and start on) the link's current expiry, unchanged."""
        self.kept_expiry = expires_at
        field = self.fields["expiry"]
        field.choices = [("keep", _("Keep the current expiry")), *EXPIRY_CHOICES]
        field.initial = "keep"

    def expires_at(self) -> datetime | None:
        """The expiry chosen, or None for never.

        A chosen day lasts until it has ended everywhere (23:59:59 at UTC-12), so the
        link works all day wherever the learner and the reader are.
        """
        choice = self.cleaned_data.get("expiry")
        if choice == "never":
            return None
        if choice == "keep":
            return self.kept_expiry
        if choice == "date":
            day: date | None = self.cleaned_data.get("expiry_date")
            if day is None:
                return None
            return datetime.combine(day, time(23, 59, 59), tzinfo=END_OF_DAY_ZONE)
        return timezone.now() + timedelta(days=int(choice or 90))

    def _clean_expiry_date(self) -> None:
        if self.cleaned_data.get("expiry") != "date":
            return
        day = self.cleaned_data.get("expiry_date")
        if day is None:
            self.add_error("expiry_date", _("Choose the date the link should stop working."))
        elif day < timezone.now().date():
            self.add_error("expiry_date", _("Choose today or a date in the future."))
        elif day > timezone.now().date() + timedelta(days=MAX_EXPIRY_DAYS):
            self.add_error("expiry_date", _("Choose a date within the next ten years."))


class ExtendForm(ExpiryFormMixin):
    def __init__(self, *args: Any, link: ShareLink, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # Start on the link's current choice: pressing the button unchanged must not move it.
        if link.expires_at is None:
            self.fields["expiry"].initial = "never"
        else:
            self.keep_expiry(link.expires_at)
            self.fields["expiry_date"].initial = link.expires_at.date()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self._clean_expiry_date()
        return cleaned


class ShareLinkForm(ExpiryFormMixin):
    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        help_text=_("Who the link is for, such as the employer's name. The reader sees it too."),
    )
    message = forms.CharField(
        label=_("Message to the reader"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    credentials = CredentialChoiceField(
        label=_("Credentials"),
        queryset=Credential.objects.none(),
        to_field_name="uuid",
        required=False,
        widget=Checklist(row=SHARE_ROW, empty=_("Nothing to choose from yet.")),
    )
    collections = forms.ModelMultipleChoiceField(
        label=_("Collections"),
        queryset=Collection.objects.none(),
        to_field_name="uuid",
        required=False,
        widget=Checklist(row=SHARE_ROW, empty=_("Nothing to choose from yet.")),
        help_text=_("Everything in the collection, as it is when the link is opened."),
    )
    skills = forms.ModelMultipleChoiceField(
        label=_("Skills"),
        queryset=Skill.objects.none(),
        to_field_name="uuid",
        required=False,
        widget=Checklist(row=SHARE_ROW, empty=_("Nothing to choose from yet.")),
        help_text=_("The skill with the credentials behind it."),
    )
    share_not_valid = forms.BooleanField(
        label=CONFIRM_LABEL,
        required=False,
        help_text=_("The reader sees each of them labelled: failed, revoked or expired."),
    )
    passcode = forms.CharField(
        label=_("Passcode (optional)"),
        required=False,
        max_length=PASSCODE_MAX_LENGTH,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "If set, the reader must type it. At least 8 characters. Tell it to them separately."
        ),
    )
    # Made on the server and shown only on this form, so the learner can note it down.
    suggested_passcode = forms.CharField(
        required=False, max_length=PASSCODE_MAX_LENGTH, widget=forms.HiddenInput
    )
    use_suggested_passcode = forms.BooleanField(label=_("Suggest a passphrase"), required=False)
    remove_passcode = forms.BooleanField(label=_("Remove the passcode"), required=False)
    show_public_descriptions = forms.BooleanField(
        label=_("Show my public descriptions"), required=False, initial=True
    )
    show_evidence = forms.BooleanField(label=_("Show evidence"), required=False, initial=True)
    show_email = forms.BooleanField(label=_("Show my email address"), required=False)
    allow_transcript = forms.BooleanField(
        label=_("Offer a PDF transcript"), required=False, initial=True
    )
    allow_download = forms.BooleanField(
        label=_("Offer the machine-readable download (JSON)"), required=False, initial=True
    )
    include_originals_with_email = forms.BooleanField(
        label=_("Include the originals that show my email address"),
        required=False,
        help_text=_(
            "A signed original cannot be edited. Left out, the PDF and the download still "
            "show each credential and its verification result, without its original file."
        ),
    )
    language = forms.ChoiceField(
        label=_("Language of the PDF transcript"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
    )

    def __init__(
        self, *args: Any, owner: models.Model, link: ShareLink | None = None, **kwargs: Any
    ):
        if link is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_for(link)
        super().__init__(*args, **kwargs)
        if link is not None and link.expires_at is not None:
            self.keep_expiry(link.expires_at)
        self.owner, self.link = owner, link
        # Offered only to a learner who holds one: the others never see the question.
        self.has_not_valid = not_valid_credentials(owner).exists()
        owned = Credential.objects.owned_by(owner).top_level().exclude(curation__is_hidden=True)
        self.fields["credentials"].queryset = (
            owned.shareable()
            # What the labels show: a wallet can hold a thousand of them.
            .only("uuid", "name", "issuer_name", "verdict", "recipient_code", "owner", "parent")
            .order_by("name")
        )
        self.fields["credentials"].refused = owned.recipient_mismatched()
        # Named next to the option that decides whether their originals go out.
        self.originals_with_email = originals_with_email(
            owned.shareable().exclude(original="").order_by("name"), owner
        )
        self.fields["collections"].queryset = Collection.objects.filter(owner=owner)
        self.fields["skills"].queryset = Skill.objects.filter(owner=owner)
        self.disclosure = WithheldChoices(
            owner=owner, link=link, data=self.data if self.is_bound else None
        )
        self._offer_passphrase()
        if link is None or not link.has_passcode:
            del self.fields["remove_passcode"]
        else:
            self.fields["passcode"].label = _("New passcode")
            self.fields["passcode"].help_text = _("Leave empty to keep the current passcode.")

    def _offer_passphrase(self) -> None:
        suggested = self.data.get("suggested_passcode", "") if self.is_bound else ""
        if not PASSPHRASE_RE.fullmatch(suggested):
            suggested = suggest_passphrase()
        self.suggested = suggested
        self.initial["suggested_passcode"] = suggested
        if self.is_bound:
            self.data = self.data.copy()
            self.data["suggested_passcode"] = suggested
        self.fields["use_suggested_passcode"].help_text = _(
            "Use %(passphrase)s as the passcode. Note it now: it is not shown again."
        ) % {"passphrase": suggested}

    def clean_passcode(self) -> str:
        passcode = self.cleaned_data["passcode"]
        if passcode and len(passcode) < PASSCODE_MIN_LENGTH:
            raise ValidationError(passcode_too_short_message(), code="passcode")
        return passcode

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("use_suggested_passcode"):
            if cleaned.get("passcode"):
                self.add_error(
                    "use_suggested_passcode",
                    _("Type a passcode or use the suggested one, not both."),
                )
            else:
                cleaned["passcode"] = self.suggested
        self._clean_expiry_date()
        chosen = any(cleaned.get(name) for name in SELECTION_FIELDS)
        if not chosen and not any(name in self.errors for name in SELECTION_FIELDS):
            self.add_error(None, _("Choose at least one credential, collection or skill to share."))
        elif chosen and not any(name in self.errors for name in SELECTION_FIELDS):
            try:
                check_not_valid_confirmed(
                    owner=self.owner,
                    selection=self.selection(),
                    confirmed=bool(cleaned.get("share_not_valid")),
                    link=self.link,
                )
            except ValidationError as exc:
                self.add_error("share_not_valid", exc)
        return cleaned

    def selection(self) -> Selection:
        return Selection.of(
            credentials=self.cleaned_data.get("credentials") or (),
            collections=self.cleaned_data.get("collections") or (),
            skills=self.cleaned_data.get("skills") or (),
        )

    def options(self) -> LinkOptions:
        return LinkOptions(
            **{name: bool(self.cleaned_data.get(name)) for name in OPTION_FIELDS},
            language=self.cleaned_data["language"],
        )


def _is_uuid(value: object) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def initial_for(link: ShareLink) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "title": link.title,
        "message": link.message,
        "credentials": [credential.uuid for credential in link.credentials.all()],
        "collections": [collection.uuid for collection in link.collections.all()],
        "skills": [skill.uuid for skill in link.skills.all()],
        "language": link.language,
        **{name: getattr(link, name) for name in OPTION_FIELDS},
    }
    if link.expires_at is None:
        initial["expiry"] = "never"
    else:
        initial["expiry"] = "keep"
        initial["expiry_date"] = link.expires_at.date()
    return initial


class LinkedInForm(ExpiryFormMixin):
    expiry = forms.ChoiceField(
        label=_("This link stops working"),
        choices=EXPIRY_CHOICES,
        initial="never",
        widget=forms.RadioSelect,
        help_text=_("Profiles stay up for years: most people choose “Never”."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self._clean_expiry_date()
        return cleaned


class PasscodeForm(forms.Form):
    passcode = forms.CharField(
        label=_("Passcode"),
        max_length=PASSCODE_MAX_LENGTH,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "autofocus": True}),
    )
