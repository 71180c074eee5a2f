"""Filters for the learner's credential pages: dates and result statuses as issuers write them."""

from datetime import date, datetime

from django import template
from django.utils.translation import gettext_lazy as _

from credentials import i18n

register = template.Library()

# OB 3.0 `ResultStatusType`: the issuer's words, shown as the reader's.
RESULT_STATUSES = {
    "Completed": _("completed"),
    "Enrolled": _("enrolled"),
    "Failed": _("not passed"),
    "InProgress": _("in progress"),
    "OnHold": _("on hold"),
    "Provisional": _("provisional"),
    "Withdrew": _("withdrew"),
}


@register.filter
def issued_date(value: object) -> str:
    """An ISO 8601 date or date-time from a credential, as a date in the reader's language.

    The day is the one the issuer wrote (no shift to another zone); text that is not a
    date is shown as it came, since it is already escaped by the template.
    """
    if not isinstance(value, str) or not value:
        return ""
    try:
        parsed: date = datetime.fromisoformat(value.replace("z", "Z")).date()
    except ValueError:
        return value
    return i18n.date_text(parsed)


@register.filter
def result_status(value: object) -> str:
    """A result's status in plain words; an unknown status as the issuer wrote it."""
    if not isinstance(value, str):
        return ""
    return str(RESULT_STATUSES.get(value, value))
