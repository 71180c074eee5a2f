"""A credential's JSON as a reader can take it in: nested objects fold, long values shrink.

A baked badge carries its image as a `data:` URI of tens of kilobytes, and a CLR nests
credentials five levels deep; printed as indented JSON, the page was mostly base64. Here
each object or list past the top folds into a `<details>`, a `data:` value reads
"[image, 4.8 KB]", and long text is cut. Depth and the number of values shown are capped,
so a hostile document cannot make the page large; the raw JSON stays downloadable.
Every value from the document goes through `format_html`/`escape`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MAX_DEPTH = 12
MAX_VALUES = 3_000
MAX_TEXT = 1_000
_DATA_URI = re.compile(r"^data:([\w.+-]+/[\w.+-]+)?((?:;[\w.+-]+=[^;,]*)*)(;base64)?,", re.I)


@dataclass
class _Budget:
    """How many values may still be shown; the rest is left to the download."""

    left: int = MAX_VALUES
    cut: bool = field(default=False)

    def take(self) -> bool:
        if self.left <= 0:
            self.cut = True
            return False
        self.left -= 1
        return True


def data_uri_label(value: str) -> str | None:
    """ "[image, 4.8 KB]" for a `data:` URI, None for any other text."""
    match = _DATA_URI.match(value)
    if match is None:
        return None
    payload = len(value) - match.end()
    if match.group(3):
        padding = value.endswith("==") + value.endswith("=")
        payload = max(payload * 3 // 4 - padding, 0)
    media = (match.group(1) or "text/plain").lower()
    size = filesizeformat(payload)
    if media.startswith("image/"):
        return _("[image, %(size)s]") % {"size": size}
    return _("[%(type)s data, %(size)s]") % {"type": media, "size": size}


def _scalar(value: Any) -> SafeString:
    if isinstance(value, str):
        label = data_uri_label(value)
        if label is not None:
            return format_html('<span class="data-elided">{}</span>', label)
        if len(value) > MAX_TEXT:
            more = len(value) - MAX_TEXT
            return format_html(
                '{}<span class="data-elided">{}</span>',
                value[:MAX_TEXT],
                ngettext("… %(count)d more character", "… %(count)d more characters", more)
                % {"count": more},
            )
        if not value:
            return format_html('<span class="muted">{}</span>', _("(empty)"))
        return format_html("{}", value)
    if value is None:
        return format_html("<code>{}</code>", "null")
    if isinstance(value, bool):
        return format_html("<code>{}</code>", "true" if value else "false")
    if isinstance(value, int | float):
        return format_html("<code>{}</code>", value)
    return format_html('<span class="muted">{}</span>', _("(unreadable value)"))


def _summary(value: dict[str, Any] | list[Any]) -> str:
    if isinstance(value, dict):
        name = value.get("name") or value.get("type") or ""
        name = ", ".join(map(str, name)) if isinstance(name, list) else str(name)
        count = ngettext("%(count)d field", "%(count)d fields", len(value)) % {"count": len(value)}
        return f"{name[:120]} ({count})" if name else count
    return ngettext("%(count)d item", "%(count)d items", len(value)) % {"count": len(value)}


def _node(value: Any, depth: int, budget: _Budget) -> SafeString:
    if not isinstance(value, dict | list):
        return _scalar(value)
    if not value:
        return format_html("<code>{}</code>", "{}" if isinstance(value, dict) else "[]")
    if depth >= MAX_DEPTH:
        return format_html(
            '<span class="data-elided">{}</span>',
            _("[nested too deep to show here; it is in the download]"),
        )
    body = _container(value, depth, budget)
    if depth == 0:
        return body
    return format_html(
        '<details class="data-fold"><summary>{}</summary>{}</details>', _summary(value), body
    )


def _container(value: dict[str, Any] | list[Any], depth: int, budget: _Budget) -> SafeString:
    items = value.items() if isinstance(value, dict) else enumerate(value)
    rows: list[str] = []
    for key, item in items:
        if not budget.take():
            break
        inner = _node(item, depth + 1, budget)
        if isinstance(value, dict):
            rows.append(format_html("<dt>{}</dt><dd>{}</dd>", key, inner))
        else:
            rows.append(format_html("<li>{}</li>", inner))
    tag = "dl" if isinstance(value, dict) else "ol"
    # Each row was built with format_html above; only the fixed tags are added here.
    return mark_safe(f'<{tag} class="data-tree">{"".join(rows)}</{tag}>')


def readable_html(value: Any) -> SafeString:
    """The value as nested, folded, escaped HTML, with a note when the cap was reached."""
    budget = _Budget()
    tree = _node(value, 0, budget)
    if not budget.cut:
        return tree
    return format_html(
        '{}<p class="data-elided">{}</p>',
        tree,
        _("The rest is not shown here: download the data to read all of it."),
    )
