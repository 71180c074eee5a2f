"""How long ago a credential was checked, for the employer's page."""

from datetime import UTC, datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from credentials import i18n

register = template.Library()


@register.filter
def checked_ago(value: datetime | None) -> SafeString | str:
    """The words "Checked 2 hours ago" in a `<time>` titled with the exact time in UTC.

    The employer's list is cached for minutes at a time (`sharing.listing`), so the
    wording never claims more precision than an hour.
    """
    if not isinstance(value, datetime):
        return ""
    utc = timezone.localtime(value, UTC) if timezone.is_aware(value) else value
    exact = _("%(when)s UTC") % {"when": i18n.date_text(utc, "DATETIME_FORMAT")}
    if (timezone.now() - value).total_seconds() < 3600:
        phrase = _("Checked less than an hour ago")
    else:
        phrase = _("Checked %(time)s ago") % {"time": timesince(value, depth=1)}
    return format_html('<time datetime="{}" title="{}">{}</time>', utc.isoformat(), exact, phrase)
