"""Dates as people read them, and times as the server knows them (UTC), which the page's
script shows in the reader's zone."""

from datetime import UTC, date, datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from credentials import i18n

register = template.Library()


@register.filter(expects_localtime=True)
def date_text(value: date | None, format_name: str = "DATE_FORMAT") -> str:
    """Django's `date` filter for named formats, with French's "1er" on the first."""
    if not isinstance(value, date):
        return ""
    return i18n.date_text(value, format_name)


@register.filter
def moment(value: datetime | None) -> SafeString | str:
    """`<time>` holding the UTC time; static/js/local-time.js rewrites it in local time."""
    if not isinstance(value, datetime):
        return ""
    utc = timezone.localtime(value, UTC) if timezone.is_aware(value) else value
    return format_html(
        '<time datetime="{}" data-local-time>{} UTC</time>',
        utc.isoformat(),
        i18n.date_text(utc, "DATETIME_FORMAT"),
    )
