"""Issuer-written Markdown (OB 3.0 `description`, `criteria.narrative`…) made safe to show.

The text comes from whoever signed the credential, so it is hostile: CommonMark with raw
HTML off, then an allow-list sanitiser over the result. Headings become bold paragraphs so
an issuer's "# Criteria" cannot break the page's own outline, and images show their alt
text: the wallet never loads a picture from an issuer's server on a reader's behalf.
"""

from html import escape

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

# Long enough for any criteria narrative seen in the wild; a cap keeps a hostile
# credential from costing a page render seconds.
MAX_MARKDOWN_CHARS = 20_000
# Nesting beyond this is flattened to text by the parser rather than recursed into.
MAX_NESTING = 20

ALLOWED_TAGS = {
    "a",
    "blockquote",
    "br",
    "code",
    "em",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
LINK_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noreferrer nofollow"


def _heading_open(self, tokens, idx, options, env) -> str:
    return "<p><strong>"


def _heading_close(self, tokens, idx, options, env) -> str:
    return "</strong></p>\n"


def _image(self, tokens, idx, options, env) -> str:
    alt = self.renderInlineAsText(tokens[idx].children or [], options, env)
    return escape(alt)


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "maxNesting": MAX_NESTING})
    md.add_render_rule("heading_open", _heading_open)
    md.add_render_rule("heading_close", _heading_close)
    md.add_render_rule("image", _image)
    return md


_MD = _parser()
_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=LINK_SCHEMES,
    link_rel=LINK_REL,
    url_relative="deny",
    strip_comments=True,
)


def render_markdown(text: str) -> SafeString:
    """Issuer-written Markdown as sanitised HTML (empty for anything but text)."""
    if not isinstance(text, str) or not text.strip():
        return mark_safe("")
    if len(text) > MAX_MARKDOWN_CHARS:
        text = text[:MAX_MARKDOWN_CHARS] + "…"
    return mark_safe(_CLEANER.clean(_MD.render(text)))
