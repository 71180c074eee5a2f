"""Form widgets for choosing among a learner's many credentials."""

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

# Each row's fields, by position: the label's `for`, the name, the value, the input's
# `id`, ` checked`, the attributes every input shares, and the label text.
DJANGO_ROW = (
    '<div><label{0}><input type="checkbox" name="{1}" value="{2}"{3}{4}{5}> {6}</label></div>'
)
# Input then label, as the share-link form lays out its choices.
SHARE_ROW = (
    '<div class="share-choice"><input type="checkbox" name="{1}" value="{2}"{3}{4}{5}>'
    "<label{0}>{6}</label></div>"
)


class Checklist(forms.CheckboxSelectMultiple):
    """Checkboxes built in Python instead of one template per option.

    Django renders every option through its own template, about a third of a
    millisecond each: a page offering a thousand credentials spent most of its time
    there. The default `row` is Django's own markup; labels and values are escaped
    with `escape` as the template would. `empty` is shown when there is no choice.
    Flat choices only (model choice fields), never option groups.
    """

    renders_rows = True

    def __init__(
        self, attrs: Any = None, choices: Any = (), *, row: str = DJANGO_ROW, empty: Any = ""
    ):
        super().__init__(attrs, choices)
        self.row = row
        self.empty = empty

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> str:
        attrs = self.build_attrs(self.attrs, attrs)
        base_id = attrs.pop("id", "")
        shared = flatatt(attrs)
        selected = {str(item) for item in self.format_value(value)}
        escaped_name = escape(name)
        rows = []
        for index, (option_value, label) in enumerate(self.choices):
            option = "" if option_value is None else str(option_value)
            option_id = escape(f"{base_id}_{index}") if base_id else ""
            rows.append(
                self.row.format(
                    f' for="{option_id}"' if option_id else "",
                    escaped_name,
                    escape(option),
                    f' id="{option_id}"' if option_id else "",
                    " checked" if option in selected else "",
                    shared,
                    conditional_escape(label),
                )
            )
        if not rows and self.empty:
            return format_html('<p class="muted">{}</p>', self.empty)
        container = f' id="{escape(base_id)}"' if base_id else ""
        # Every value above went through escape(); only the fixed markup is trusted.
        return mark_safe(f"<div{container}>{''.join(rows)}</div>")


VERDICT_ICONS = {
    "verified": "✓",
    "verified_with_warnings": "!",
    "self_reported": "✎",
    "unverifiable": "?",
}


def verdict_badge(credential: Any) -> SafeString:
    """The credential's verdict as `credentials/_verdict.html` draws it, for a chooser's row."""
    return format_html(
        '<span class="verdict verdict-{}"><span class="verdict-icon" aria-hidden="true">{}'
        "</span> {}</span>",
        credential.verdict,
        VERDICT_ICONS.get(credential.verdict, "✗"),
        capfirst(credential.verdict_label),
    )


def credential_choice_label(credential: Any) -> SafeString:
    """A chooser's row: "name — issuer" (or "name (self-reported)") then the verdict.

    The name and issuer come first, as the "find in this list" box and the tests read them.
    """
    if credential.is_self_reported:
        text = _("%(name)s (self-reported)") % {"name": credential.name}
        return format_html("{}", text)
    text = _("%(name)s — %(issuer)s") % {
        "name": credential.name,
        "issuer": credential.issuer_name or _("Unnamed issuer"),
    }
    return format_html("{} {}", text, verdict_badge(credential))
