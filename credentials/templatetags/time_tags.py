"""Times as the server knows them (UTC), which the page's script shows in the reader's zone."""

from datetime import UTC, datetime

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def moment(value: datetime | None) -> SafeString | str:
    """`<time>` holding the UTC time; static/js/local-time.js rewrites it in local time."""
    if not isinstance(value, datetime):
        return ""
    utc = timezone.localtime(value, UTC) if timezone.is_aware(value) else value
    return format_html(
        '<time datetime="{}" data-local-time>{} UTC</time>',
        utc.isoformat(),
        formats.date_format(utc, "DATETIME_FORMAT"),
    )
