"""Issuer-written Markdown reads as formatted text and can never carry HTML of its own."""

import time

from django.template import Context, Template

from credentials.markup import MAX_MARKDOWN_CHARS, render_markdown


def test_it_formats_the_markdown_issuers_write():
    html = render_markdown("# Criteria\n\nThe learner:\n\n* wrote **tests**\n* shipped `code`\n")
    assert "<p><strong>Criteria</strong></p>" in html
    assert "<ul>" in html and "<li>wrote <strong>tests</strong></li>" in html
    assert "<code>code</code>" in html
    assert "# Criteria" not in html


def test_headings_never_break_the_page_outline():
    assert "<h" not in render_markdown("# One\n## Two\n###### Six")


def test_it_refuses_raw_html_and_scripts():
    html = render_markdown('<script>alert(1)</script>\n\n<b onclick="x()">hi</b> <iframe src=x>')
    assert "<script" not in html and "<b" not in html and "<iframe" not in html
    assert "&lt;script&gt;" in html  # shown as text, never run


def test_it_drops_javascript_and_data_links():
    for href in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "vbscript:x"):
        html = render_markdown(f"[click]({href})")
        assert "href" not in html, href
        assert "click" in html


def test_autolinks_cannot_smuggle_a_script_either():
    html = render_markdown("<javascript:alert(1)>")
    assert "href" not in html
    assert "&lt;javascript:alert(1)&gt;" in html


def test_links_keep_only_web_and_mail_targets_and_tell_the_browser_not_to_vouch():
    html = render_markdown(
        "[site](https://example.org/a) [mail](mailto:a@example.org) [rel](/admin/)"
    )
    assert 'href="https://example.org/a"' in html
    assert 'href="mailto:a@example.org"' in html
    assert 'href="/admin/"' not in html
    assert html.count('rel="noreferrer nofollow"') == 3


def test_images_from_elsewhere_are_never_loaded_but_their_words_stay():
    html = render_markdown("![Seal of the board](https://tracker.example/pixel.png)")
    assert "<img" not in html and "tracker.example" not in html
    assert "Seal of the board" in html
    assert "<img" not in render_markdown('<img src="https://tracker.example/x.png">')


def test_huge_input_is_cut_and_stays_fast():
    started = time.monotonic()
    html = render_markdown("word " * 100_000)
    assert time.monotonic() - started < 2
    assert len(html) < MAX_MARKDOWN_CHARS + 100
    assert html.rstrip().endswith("…</p>")


def test_pathological_input_stays_fast():
    started = time.monotonic()
    for text in ("[" * 15_000, "*a" * 8_000, "> " * 8_000 + "x", "`" * 15_000):
        render_markdown(text)
    assert time.monotonic() - started < 3


def test_deeply_nested_lists_are_flattened_not_recursed():
    text = "".join("  " * depth + "- item\n" for depth in range(500))
    html = render_markdown(text)
    assert html.count("<ul>") <= 20
    assert "item" in html


def test_non_text_renders_nothing():
    assert render_markdown(None) == ""  # type: ignore[arg-type]
    assert render_markdown({"a": 1}) == ""  # type: ignore[arg-type]
    assert render_markdown("   ") == ""


def test_the_template_filter_renders_markdown_and_is_safe():
    template = Template("{% load credential_markup %}{{ text|markdown }}")
    html = template.render(Context({"text": "*done* <script>x</script>"}))
    assert "<em>done</em>" in html
    assert "<script" not in html
    assert template.render(Context({"text": 42})) == ""
