"""Messages stored in one language and shown again in the reader's.

A verification runs once, in the language of whoever triggered it, but its check
messages are read later by learners and employers in English or French. The
verification code translates with this module's `gettext`: the result is the
translated text (a `str`, usable anywhere), which also remembers its source text
and, once formatted with `%`, its parameters. Stored beside the text, that source
lets a page translate the message again for its own reader (`render`).
"""

from datetime import date, datetime
from typing import Any

from django.utils import dateformat, formats, timezone, translation
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext as django_gettext
from django.utils.translation import ngettext as django_ngettext

MAX_DEPTH = 3


class Message(str):
    """Translated text that remembers the source text and the parameters it was built from."""

    msgid: str
    params: Any
    plural: tuple[str, int] | None

    def __new__(
        cls, text: str, msgid: str, params: Any = None, plural: tuple[str, int] | None = None
    ) -> "Message":
        message = super().__new__(cls, text)
        message.msgid = msgid
        message.params = params
        message.plural = plural
        return message

    def __mod__(self, params: Any) -> "Message":
        return Message(str.__mod__(str(self), params), self.msgid, params, self.plural)

    def source(self) -> dict[str, Any]:
        """A JSON-serialisable description from which `render` rebuilds the message."""
        source = {"msgid": self.msgid, "params": _params_source(self.params)}
        if self.plural is not None:
            source["plural"], source["number"] = self.plural
        return source


class When:
    """A moment in a message: shown as a date in the reader's language, stored as ISO 8601."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __str__(self) -> str:
        moment = timezone.localtime(self.moment) if timezone.is_aware(self.moment) else self.moment
        return date_text(moment)


def date_text(value: date, format_name: str = "DATE_FORMAT") -> str:
    """`value` in the active language's `format_name`, "1er janvier 2027" in French.

    French writes the first of a month as an ordinal, which no Django format can say:
    on that day alone the day-of-month letter `j` becomes the literal "1er".
    """
    format_string = str(formats.get_format(format_name))
    if value.day == 1 and (get_language() or "").startswith("fr"):
        format_string = _first_of_month(format_string)
    return dateformat.format(value, format_string)


def _first_of_month(format_string: str) -> str:
    written: list[str] = []
    escaped = False
    for letter in format_string:
        if escaped or letter != "j":
            escaped = not escaped and letter == "\\"
            written.append(letter)
        else:
            written.append("1\\e\\r")
    return "".join(written)


class Joined:
    """Several messages in one parameter, shown joined by commas."""

    def __init__(self, parts: list[Any]) -> None:
        self.parts = parts

    def __str__(self) -> str:
        return ", ".join(str(part) for part in self.parts)


def gettext(message: str) -> Message:
    """Translate like Django's gettext, remembering the source text."""
    return Message(django_gettext(message), message)


def ngettext(singular: str, plural: str, number: int) -> Message:
    """Translate like Django's ngettext, remembering the source texts and the number."""
    return Message(django_ngettext(singular, plural, number), singular, plural=(plural, number))


def label(lazy_text: str | Promise) -> Message:
    """A lazily translated label (a choice's, a model's name) as a `Message`."""
    # With no language active, gettext returns the source text: the msgid.
    with translation.override(None):
        msgid = str(lazy_text)
    return Message(str(lazy_text), msgid)


def source_of(message: object) -> dict[str, Any] | None:
    """The source of a `Message`; None for any other text, which can only be shown as is."""
    return message.source() if isinstance(message, Message) else None


def render(source: object, *, depth: int = 0, stored_text: bool = True) -> str | None:
    """The message `source` describes, in the active language; None when it is unusable.

    `stored_text=False` says no translated text was stored beside the source: an
    untranslated message then shows in its source language rather than not at all.
    """
    if not isinstance(source, dict) or depth > MAX_DEPTH:
        return None
    msgid, params = source.get("msgid"), source.get("params")
    if not isinstance(msgid, str):
        return None
    plural, number = source.get("plural"), source.get("number")
    if plural is not None and not (isinstance(plural, str) and isinstance(number, int)):
        return None
    text = django_gettext(msgid) if plural is None else django_ngettext(msgid, plural, number)
    if stored_text and text == msgid and not (get_language() or "en").startswith("en"):
        # A wording that changed since the check ran has no translation any more: the
        # text stored then (maybe in this very language) beats the English source.
        return None
    if params is None:
        return text
    try:
        if isinstance(params, dict):
            values = {key: _param(value, depth, stored_text) for key, value in params.items()}
            return text % values
        if isinstance(params, list):
            return text % tuple(_param(value, depth, stored_text) for value in params)
        return text % _param(params, depth, stored_text)
    except (TypeError, ValueError, KeyError):
        return None


def _params_source(params: Any) -> Any:
    if params is None:
        return None
    if isinstance(params, dict):
        return {str(key): _value_source(value) for key, value in params.items()}
    if isinstance(params, tuple):
        return [_value_source(value) for value in params]
    return _value_source(params)


def _value_source(value: Any) -> Any:
    if isinstance(value, Message):
        return {"message": value.source()}
    if isinstance(value, When):
        return {"date": value.moment.isoformat()}
    if isinstance(value, Joined):
        return {"joined": [_value_source(part) for part in value.parts]}
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int | float):
        return value
    return str(value)


def _param(value: Any, depth: int, stored_text: bool = True) -> Any:
    if isinstance(value, dict) and "date" in value:
        # fromisoformat raises ValueError (unusable) on anything but ISO 8601.
        return When(datetime.fromisoformat(str(value["date"])))
    if isinstance(value, dict) and "message" in value:
        rendered = render(value["message"], depth=depth + 1, stored_text=stored_text)
        if rendered is None:
            raise ValueError("unusable nested message")
        return rendered
    if isinstance(value, dict) and isinstance(value.get("joined"), list):
        return ", ".join(str(_param(part, depth, stored_text)) for part in value["joined"])
    return value


def check_message(check: dict[str, Any]) -> str:
    """A stored check's message in the active language, else as it was stored."""
    rendered = render(check.get("message_source"))
    if rendered is not None:
        return rendered
    message = check.get("message")
    return message if isinstance(message, str) else ""
