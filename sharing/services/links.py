"""Making and changing share links: every change is audited, no token in the trail,
and each bumps the learner's content revision in its transaction (`wallet.revisions`).
"""

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credentials import i18n
from credentials.encryption import encrypt
from credentials.models import Credential
from credentials.services import record_audit_event
from sharing.audit import ShareLinkAction
from sharing.disclosure import (
    Choices,
    check_withheld_choices,
    prepare_disclosures,
    reached_credentials,
    set_withheld,
    withheld_by_uuid,
)
from sharing.models import ShareLink, Transcript
from sharing.tokens import hash_token, new_token
from wallet.models import Collection, Skill
from wallet.revisions import bump_content_revision

DEFAULT_EXPIRY_DAYS = 90
PASSCODE_MIN_LENGTH = 8
PASSCODE_MAX_LENGTH = 128
# No 0/o, 1/l/i: a passphrase read aloud or copied by hand survives. 31 symbols,
# 12 of them: about 59 bits.
READABLE_SYMBOLS = "23456789abcdefghjkmnpqrstuvwxyz"
LINKEDIN_ADD_URL = "https://www.linkedin.com/profile/add"


@dataclass(frozen=True)
class LinkOptions:
    """What the employer may see and take away."""

    show_public_descriptions: bool = True
    show_evidence: bool = True
    show_email: bool = False
    allow_transcript: bool = True
    allow_download: bool = True
    include_originals_with_email: bool = False
    language: str = settings.LANGUAGE_CODE


@dataclass(frozen=True)
class Selection:
    credentials: tuple[Credential, ...] = ()
    collections: tuple[Collection, ...] = ()
    skills: tuple[Skill, ...] = ()

    @classmethod
    def of(
        cls,
        *,
        credentials: Iterable[Credential] = (),
        collections: Iterable[Collection] = (),
        skills: Iterable[Skill] = (),
    ) -> "Selection":
        return cls(tuple(credentials), tuple(collections), tuple(skills))

    @property
    def is_empty(self) -> bool:
        return not (self.credentials or self.collections or self.skills)


def default_expiry(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) + timedelta(days=DEFAULT_EXPIRY_DAYS)


def create_share_link(
    *,
    owner: models.Model,
    title: str,
    selection: Selection,
    expires_at: datetime | None,
    message: str = "",
    passcode: str = "",
    options: LinkOptions | None = None,
    is_linkedin: bool = False,
    withheld: Mapping[str, list[str]] | None = None,
) -> ShareLink:
    """Make a link to exactly the chosen credentials, collections and skills.

    `withheld` maps credential uuids to the JSON pointers of fields to leave out of
    selective-disclosure credentials.
    """
    title = _clean_title(title)
    _check_selection(owner, selection)
    _check_shareable(selection)
    _check_expiry(expires_at)
    options = options or LinkOptions()
    _check_language(options.language)
    choices = _withheld_choices(owner, selection, withheld or {})
    token = new_token()
    link = ShareLink(
        owner=owner,
        title=title,
        message=message.strip(),
        token_hash=hash_token(token),
        token_encrypted=encrypt(token),
        passcode_hash=_hash_passcode(passcode) if passcode else "",
        expires_at=expires_at,
        is_linkedin=is_linkedin,
        **_option_fields(options),
    )
    with transaction.atomic():
        link.save()
        _set_selection(link, selection)
        set_withheld(link, choices)
        bump_content_revision(owner_id=link.owner_id)
        record_audit_event(
            action=ShareLinkAction.SHARE_LINK_CREATED,
            actor=owner,
            target=link,
            detail=_describe(selection, has_passcode=bool(passcode)),
        )
    return link


def update_share_link(
    *,
    link: ShareLink,
    actor: models.Model,
    title: str,
    selection: Selection,
    expires_at: datetime | None,
    message: str = "",
    passcode: str = "",
    remove_passcode: bool = False,
    options: LinkOptions | None = None,
    withheld: Mapping[str, list[str]] | None = None,
) -> ShareLink:
    """Change what a link shows; the employer's page follows at once.

    `withheld` replaces the link's withheld fields; None keeps them.
    """
    _check_active(link)
    title = _clean_title(title)
    _check_selection(link.owner, selection)
    # One already in the link stays (hidden from the employer until it matches again):
    # refusing it would block every other change to the link.
    _check_shareable(selection, kept=set(link.credentials.values_list("pk", flat=True)))
    _check_expiry(expires_at)
    options = options or LinkOptions()
    _check_language(options.language)
    choices = _withheld_choices(
        link.owner,
        selection,
        withheld_by_uuid(link) if withheld is None else withheld,
        keep_only_shown=withheld is None,
    )
    link.title = title
    link.message = message.strip()
    link.expires_at = expires_at
    if passcode or remove_passcode:
        link.passcode_hash = _hash_passcode(passcode) if passcode else ""
        # A new passcode answers both the nudge and the guessing notice.
        link.has_short_passcode = False
        link.passcode_guessed_at = None
    for name, value in _option_fields(options).items():
        setattr(link, name, value)
    with transaction.atomic():
        link.save()
        _set_selection(link, selection)
        set_withheld(link, choices)
        bump_content_revision(owner_id=link.owner_id)
        record_audit_event(
            action=ShareLinkAction.SHARE_LINK_CHANGED,
            actor=actor,
            target=link,
            detail=_describe(selection, has_passcode=link.has_passcode),
        )
    return link


def extend_share_link(
    *, link: ShareLink, actor: models.Model, expires_at: datetime | None
) -> ShareLink:
    """Give a link a new expiry (or none); an expired link opens again."""
    if link.is_revoked:
        raise ValidationError(
            _("A revoked link cannot be opened again. Make a new link instead."), code="revoked"
        )
    _check_expiry(expires_at)
    link.expires_at = expires_at
    with transaction.atomic():
        link.save(update_fields=["expires_at", "updated_at"])
        bump_content_revision(owner_id=link.owner_id)
        record_audit_event(
            action=ShareLinkAction.SHARE_LINK_CHANGED,
            actor=actor,
            target=link,
            detail=i18n.gettext("Now expires on %(date)s") % {"date": i18n.When(expires_at)}
            if expires_at
            else i18n.gettext("Never expires"),
        )
    return link


def revoke_share_link(*, link: ShareLink, actor: models.Model) -> ShareLink:
    """Stop a link at once; its page answers 410 and its transcript file is removed."""
    if link.is_revoked:
        return link
    link.is_revoked = True
    link.revoked_at = timezone.now()
    with transaction.atomic():
        link.save(update_fields=["is_revoked", "revoked_at", "updated_at"])
        bump_content_revision(owner_id=link.owner_id)
        _drop_transcript(link)
        record_audit_event(action=ShareLinkAction.SHARE_LINK_REVOKED, actor=actor, target=link)
    return link


def regenerate_share_link(*, link: ShareLink, actor: models.Model) -> ShareLink:
    """Give a link a new address; the old one stops working."""
    _check_active(link)
    token = new_token()
    link.token_hash = hash_token(token)
    link.token_encrypted = encrypt(token)
    with transaction.atomic():
        link.save(update_fields=["token_hash", "token_encrypted", "updated_at"])
        bump_content_revision(owner_id=link.owner_id)
        # The old transcript prints the old address in its QR code.
        _drop_transcript(link)
        record_audit_event(action=ShareLinkAction.SHARE_LINK_REGENERATED, actor=actor, target=link)
    return link


def create_linkedin_link(
    *, owner: models.Model, credential: Credential, expires_at: datetime | None = None
) -> ShareLink:
    """A dedicated link for one credential on a LinkedIn profile: no passcode."""
    return create_share_link(
        owner=owner,
        title=_("LinkedIn: %(name)s") % {"name": credential.name[:100]},
        selection=Selection.of(credentials=[credential]),
        expires_at=expires_at,
        options=LinkOptions(allow_transcript=False),
        is_linkedin=True,
    )


def linkedin_add_url(*, link: ShareLink, credential: Credential) -> str:
    """LinkedIn's add-to-profile address with the certification fields filled in."""
    params: dict[str, str | int] = {
        "startTask": "CERTIFICATION_NAME",
        "name": credential.name,
        "organizationName": credential.issuer_name,
        "certUrl": link.public_url(),
        "certId": str(credential.uuid),
    }
    if credential.issued_at:
        params["issueYear"] = credential.issued_at.year
        params["issueMonth"] = credential.issued_at.month
    if credential.expires_at:
        params["expirationYear"] = credential.expires_at.year
        params["expirationMonth"] = credential.expires_at.month
    return f"{LINKEDIN_ADD_URL}?{urlencode(params)}"


def _drop_transcript(link: ShareLink) -> None:
    transcript = Transcript.objects.filter(link=link).first()
    if transcript is None:
        return
    name = transcript.file.name if transcript.file else ""
    transcript.delete()
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise ValidationError(
            _("Give the link a title, such as the employer's name."), code="title"
        )
    return title[:120]


def _check_selection(owner: models.Model, selection: Selection) -> None:
    if selection.is_empty:
        raise ValidationError(
            _("Choose at least one credential, collection or skill to share."), code="empty"
        )
    for item in (*selection.credentials, *selection.collections, *selection.skills):
        if item.owner_id != owner.pk:
            raise ValidationError(_("You can only share what is in your wallet."), code="owner")


def not_shareable_message(credential: Credential) -> str:
    """Why a credential issued to someone else cannot be shared, naming it."""
    return _(
        "“%(name)s” names someone else as its recipient, so it cannot be shared until it "
        "matches an email address you have verified or an identifier you added."
    ) % {"name": credential.name}


def _check_shareable(selection: Selection, *, kept: set[int] | None = None) -> None:
    refused = [
        credential
        for credential in selection.credentials
        if credential.is_recipient_mismatch and credential.pk not in (kept or set())
    ]
    if refused:
        raise ValidationError(
            [
                ValidationError(not_shareable_message(credential), code="recipient_mismatch")
                for credential in refused
            ]
        )


def _check_expiry(expires_at: datetime | None) -> None:
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError(_("Choose an expiry date in the future."), code="expiry")


def _check_active(link: ShareLink) -> None:
    if link.is_revoked:
        raise ValidationError(
            _("This link has been revoked. Make a new link instead."), code="revoked"
        )


def _check_language(language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Choose one of the offered languages."), code="language")


def _hash_passcode(passcode: str) -> str:
    if len(passcode) < PASSCODE_MIN_LENGTH:
        raise ValidationError(passcode_too_short_message(), code="passcode")
    if len(passcode) > PASSCODE_MAX_LENGTH:
        raise ValidationError(
            _("A passcode has at most %(max)d characters.") % {"max": PASSCODE_MAX_LENGTH},
            code="passcode",
        )
    return make_password(passcode)


def passcode_too_short_message() -> str:
    """What the form and the API say about a passcode under the minimum."""
    return _(
        "A passcode needs at least %(min)d characters: a short one can be guessed. "
        "Use a few words, or the suggested passphrase."
    ) % {"min": PASSCODE_MIN_LENGTH}


def suggest_passphrase() -> str:
    """A readable random passcode: three groups of four, without look-alike characters."""
    return "-".join(
        "".join(secrets.choice(READABLE_SYMBOLS) for _index in range(4)) for _group in range(3)
    )


def _option_fields(options: LinkOptions) -> dict[str, object]:
    return {
        "show_public_descriptions": options.show_public_descriptions,
        "show_evidence": options.show_evidence,
        "show_email": options.show_email,
        "allow_transcript": options.allow_transcript,
        "allow_download": options.allow_download,
        "include_originals_with_email": options.include_originals_with_email,
        "language": options.language,
    }


def _withheld_choices(
    owner: models.Model,
    selection: Selection,
    withheld: Mapping[str, list[str]],
    *,
    keep_only_shown: bool = False,
) -> Choices:
    """Check what the learner withholds and derive, before the link is saved, what every
    selective-disclosure credential of the selection will show.

    With `keep_only_shown`, choices kept from before drop the credentials no longer shown.
    """
    reached = reached_credentials(
        credentials=selection.credentials,
        collections=selection.collections,
        skills=selection.skills,
    )
    if keep_only_shown:
        shown = {str(credential.uuid) for credential in reached}
        withheld = {key: value for key, value in withheld.items() if key in shown}
    choices = check_withheld_choices(owner=owner, reached=reached, withheld=withheld)
    prepare_disclosures(reached, choices)
    return choices


def _set_selection(link: ShareLink, selection: Selection) -> None:
    link.credentials.set(selection.credentials)
    link.collections.set(selection.collections)
    link.skills.set(selection.skills)


def _describe(selection: Selection, *, has_passcode: bool) -> i18n.Message:
    numbers = (len(selection.credentials), len(selection.collections), len(selection.skills))
    counts = [
        i18n.ngettext("%(count)d credential", "%(count)d credentials", numbers[0]),
        i18n.ngettext("%(count)d collection", "%(count)d collections", numbers[1]),
        i18n.ngettext("%(count)d skill", "%(count)d skills", numbers[2]),
    ]
    what = i18n.Joined(
        [count % {"count": number} for count, number in zip(counts, numbers, strict=True) if number]
    )
    if has_passcode:
        return i18n.gettext("Shows %(what)s; passcode on") % {"what": what}
    return i18n.gettext("Shows %(what)s") % {"what": what}
