"""What the learner's account history says about each entry, in the reader's language.

Audit rows keep a short detail in plain English for admins ("ob3-vc via upload",
"2 credentials, 0 collections, 0 skills, passcode on"). The learner reads the entry
in their own language instead: this module turns the details of the actions a learner
can see into a translated phrase, and shows nothing rather than admin shorthand.
"""

import re
from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from credentials.models import (
    FORMAT_CHOICES,
    ApiTokenScope,
    AuditAction,
    AuditEvent,
    CredentialSource,
    choice_label,
)
from credentials.verification.verdict import Verdict

SELECTION = re.compile(r"^(\d+) credentials, (\d+) collections, (\d+) skills, passcode (on|off)$")
EXPIRY = re.compile(r"^expiry (\d{4}-\d{2}-\d{2}|never)$")
TOKEN = re.compile(r"^(\w+)(?:, expires (\d{4}-\d{2}-\d{2}))?$")
REMOVED = re.compile(r"^(\d+) removed$")


def _format_label(value: str) -> str:
    return str(dict(FORMAT_CHOICES).get(value, ""))


def _day(value: str) -> str:
    return formats.date_format(date.fromisoformat(value), "DATE_FORMAT")


def _imported(detail: str) -> str:
    kind, _via, source = detail.partition(" via ")
    label = _format_label(kind)
    if not label:
        return ""
    if source in CredentialSource.values:
        return _("%(format)s (%(source)s)") % {
            "format": label,
            "source": choice_label(CredentialSource, source),
        }
    return label


def _selection(detail: str) -> str:
    found = SELECTION.match(detail)
    if not found:
        return ""
    credentials, collections, skills = (int(number) for number in found.groups()[:3])
    parts = [
        ngettext("%(count)d credential", "%(count)d credentials", credentials),
        ngettext("%(count)d collection", "%(count)d collections", collections),
        ngettext("%(count)d skill", "%(count)d skills", skills),
    ]
    counts = [
        part % {"count": count}
        for part, count in zip(parts, (credentials, collections, skills), strict=True)
        if count
    ]
    shows = ", ".join(counts)
    if found.group(4) == "on":
        return _("Shows %(what)s; passcode on") % {"what": shows}
    return _("Shows %(what)s") % {"what": shows}


def _expiry(detail: str) -> str:
    found = EXPIRY.match(detail)
    if not found:
        return ""
    if found.group(1) == "never":
        return _("Never expires")
    return _("Now expires on %(date)s") % {"date": _day(found.group(1))}


def _token(detail: str) -> str:
    found = TOKEN.match(detail)
    if not found or found.group(1) not in ApiTokenScope.values:
        return ""
    access = choice_label(ApiTokenScope, found.group(1))
    if found.group(2):
        return _("%(access)s, expires on %(date)s") % {
            "access": access,
            "date": _day(found.group(2)),
        }
    return access


def _removed(detail: str) -> str:
    found = REMOVED.match(detail)
    if not found:
        return ""
    count = int(found.group(1))
    return ngettext(
        "%(count)d authenticator removed", "%(count)d authenticators removed", count
    ) % {"count": count}


def _language(detail: str) -> str:
    names = dict(settings.LANGUAGES)
    return str(names[detail]) if detail in names else ""


def _visibility(detail: str) -> str:
    return {"hidden": _("Hidden"), "shown": _("Shown again")}.get(detail, "")


def _verdict(detail: str) -> str:
    return choice_label(Verdict, detail) if detail in Verdict.values else ""


def _deleted(detail: str) -> str:
    return _format_label(detail)


def _link_changed(detail: str) -> str:
    return _selection(detail) or _expiry(detail)


DESCRIBERS: dict[str, Callable[[str], str]] = {
    AuditAction.CREDENTIAL_IMPORTED: _imported,
    AuditAction.CREDENTIAL_DELETED: _deleted,
    AuditAction.CREDENTIAL_REVERIFIED: _verdict,
    AuditAction.CREDENTIAL_HIDDEN: _visibility,
    AuditAction.SHARE_LINK_CREATED: _selection,
    AuditAction.SHARE_LINK_CHANGED: _link_changed,
    AuditAction.TOKEN_CREATED: _token,
    AuditAction.MFA_RESET: _removed,
    AuditAction.LANGUAGE_CHANGED: _language,
}


def describe(event: AuditEvent) -> str:
    """The entry's detail as a phrase in the active language, or "" when none applies."""
    describer = DESCRIBERS.get(event.action)
    if describer is None or not event.detail:
        return ""
    try:
        return describer(event.detail)
    except ValueError:
        return ""
