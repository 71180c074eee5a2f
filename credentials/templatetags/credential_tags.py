"""Labels for stored checks, translated when shown rather than when stored."""

import json

from django import template

from credentials import i18n
from credentials.verification.checks import CheckName, CheckStatus

register = template.Library()


@register.filter
def check_name_label(value: str) -> str:
    try:
        return str(CheckName(value).label)
    except ValueError:
        return value


@register.filter
def check_status_label(value: str) -> str:
    try:
        return str(CheckStatus(value).label)
    except ValueError:
        return value


@register.filter
def check_message(check: object) -> str:
    """A stored check's message in the reader's language."""
    return i18n.check_message(check) if isinstance(check, dict) else ""


@register.filter
def pretty_json(value: object) -> str:
    """Indented JSON for reading; the template escapes it like any text."""
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=False)
