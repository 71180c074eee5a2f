"""`{{ text|markdown }}`: issuer-written Markdown, sanitised (see credentials/markup.py)."""

from django import template
from django.utils.safestring import SafeString

from credentials.markup import render_markdown

register = template.Library()


@register.filter
def markdown(value: object) -> SafeString:
    return render_markdown(value if isinstance(value, str) else "")
