"""JSON parsing that refuses what a hostile file could use to hurt the server."""

from __future__ import annotations

import json
import re
from typing import Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from credentials.formats.base import CredentialFormatError

# Only the characters that open or close strings and nesting matter to the depth scan.
_SPECIAL = re.compile(r'[\[\]{}"\\]')


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Build an object, refusing a key seen twice."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise CredentialFormatError(
                _("The JSON repeats the key “%(key)s”.") % {"key": key[:80]}
            )
        result[key] = value
    return result


def _refuse_constant(name: str) -> Any:
    """Refuse NaN and Infinity, which JSON does not allow."""
    raise CredentialFormatError(
        _("The JSON contains %(name)s, which is not valid JSON.") % {"name": name}
    )


def check_depth(text: str, max_depth: int) -> None:
    """Raise when arrays/objects nest deeper than `max_depth` (scanned before parsing).

    One linear pass: brackets inside strings do not count, escaped quotes do not end them.
    """
    depth = 0
    in_string = False
    escaped_until = -1
    for match in _SPECIAL.finditer(text):
        position, char = match.start(), match.group()
        if position < escaped_until:
            continue
        if in_string:
            if char == "\\":
                escaped_until = position + 2
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > max_depth:
                raise CredentialFormatError(
                    _("The JSON nests deeper than %(depth)d levels.") % {"depth": max_depth}
                )
        elif char in "]}":
            depth -= 1


def _refuse_unstorable(value: Any) -> None:
    """Refuse a NUL or a lone surrogate anywhere in the parsed JSON, keys included.

    JSON's escapes allow both ("\\u0000", "\\ud800"); PostgreSQL's jsonb and UTF-8 refuse
    them, so they would fail the write half-way instead of being refused here.
    """
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                unstorable = True
            else:
                unstorable = "\x00" in item
            if unstorable:
                raise CredentialFormatError(
                    _("The JSON holds a NUL character or a broken character that cannot be stored.")
                )


def loads(data: bytes | str, *, max_bytes: int | None = None) -> dict[str, Any]:
    """Parse a JSON object safely: size and depth caps, no duplicate keys, no NaN, no text
    a database cannot store."""
    limit = settings.FETCH_MAX_BYTES if max_bytes is None else max_bytes
    raw = data.encode() if isinstance(data, str) else data
    if len(raw) > limit:
        raise CredentialFormatError(
            _("The JSON is larger than %(size)s.") % {"size": filesizeformat(limit)}
        )
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CredentialFormatError(_("The file is not UTF-8 text.")) from exc
    else:
        text = data
    check_depth(text, settings.JSON_MAX_DEPTH)
    try:
        value = json.loads(
            text, object_pairs_hook=_refuse_duplicates, parse_constant=_refuse_constant
        )
    except json.JSONDecodeError as exc:
        raise CredentialFormatError(
            _("The JSON is malformed or truncated (line %(line)d, column %(col)d).")
            % {"line": exc.lineno, "col": exc.colno}
        ) from exc
    except (ValueError, RecursionError) as exc:
        if isinstance(exc, CredentialFormatError):
            raise
        raise CredentialFormatError(
            _("The JSON could not be read: %(error)s") % {"error": exc}
        ) from exc
    if not isinstance(value, dict):
        raise CredentialFormatError(
            _("The JSON must be an object, not a %(kind)s.") % {"kind": type(value).__name__}
        )
    _refuse_unstorable(value)
    return value
