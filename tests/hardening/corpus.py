"""Hostile values for every form field and API body, and how to tell they came back harmless.

The import tests have their own hostile files in tests/corpus/hostile/; these are the
values a learner (or a script with their token) can type into everything else.
"""

import json
from typing import Any

LONG = 100_000

# Typed into a form: text, or raw bytes where the transport can carry what text cannot
# (invalid UTF-8, an encoded lone surrogate).
TEXT: list[str | bytes] = [
    '<script>alert("x")</script>',
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "</textarea><script>alert(1)</script>",
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)//https://example.org/",
    'https://example.org/"><script>alert(1)</script>',
    "{{ request.user.password }}{% debug %}{{ 7|add:35 }}",
    "' OR '1'='1'; DROP TABLE wallet_wallet; --",
    "a\x00b",
    "\x01\x02\x07\x1b[31m\x7f",
    "\u202eevil.exe\u202c \u200b\ufeff",
    "line\r\n\r\nSet-Cookie: stolen=1",
    "   ",
    "99999999999999999999999999999999",
    "<script>" * (LONG // 8),
    b"\xff\xfe<script>alert(1)</script>",
    b"\xed\xa0\x80 lone surrogate",
]

# The same hostile text as JSON string literals (lone surrogates included), then
# every wrong type a JSON client can send where a field expects something else.
JSON_VALUES: list[str] = [
    *(json.dumps(value) for value in TEXT if isinstance(value, str)),
    '"\\ud800"',
    '"x\\udfffy"',
    "null",
    "true",
    "0",
    "-1",
    "1e999",
    "1" + "0" * 5000,
    "[]",
    '["<script>alert(1)</script>"]',
    '{"$gt": ""}',
    "[" * 50 + "]" * 50,
]

# Inside a list, where a field takes one (tags, UUIDs): the values that differ there.
JSON_ITEMS: list[str] = [
    json.dumps('<script>alert("x")</script>'),
    '"\\ud800"',
    "null",
    "1e999",
    "[[]]",
    '{"uuid": "x"}',
]

# Whole bodies that are not the JSON object an endpoint expects.
MALFORMED_BODIES: list[tuple[str, bytes, str]] = [
    ("empty", b"", "application/json"),
    ("not json", b"<script>alert(1)</script>", "application/json"),
    ("truncated", b'{"name": "x', "application/json"),
    ("trailing comma", b'{"name": "x",}', "application/json"),
    ("a list", b"[]", "application/json"),
    ("null", b"null", "application/json"),
    ("a string", b'"<script>alert(1)</script>"', "application/json"),
    ("a number", b"12", "application/json"),
    ("huge number", b"1" + b"0" * 5000, "application/json"),
    ("infinity", b'{"name": Infinity}', "application/json"),
    ("deeply nested arrays", b"[" * 100_000 + b"]" * 100_000, "application/json"),
    ("deeply nested objects", b'{"a":' * 50_000 + b"1" + b"}" * 50_000, "application/json"),
    ("latin-1", '{"name": "Zoë"}'.encode("latin-1"), "application/json"),
    ("utf-16", '{"name": "x"}'.encode("utf-16"), "application/json"),
    ("lone surrogate bytes", b'{"name": "\xed\xa0\x80"}', "application/json"),
    ("nul in body", b'{"name": "\x00"}', "application/json"),
    ("form encoded", b"name=%3Cscript%3E", "application/x-www-form-urlencoded"),
    ("plain text", b"name", "text/plain"),
    (
        "xml",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
        "application/xml",
    ),
    ("multipart without boundary", b"--x\r\n", "multipart/form-data"),
    ("bad charset", b'{"name": "x"}', "application/json; charset=nonsense"),
]

# Never allowed in an HTML page as they are: each would run script or break out of markup.
MARKERS = [
    "<script>alert",
    "<img src=x",
    "<svg onload",
    'href="javascript:',
    "href='javascript:",
    "</textarea><script",
]


def unescaped_markers(html: str) -> list[str]:
    """The markers found as live markup in a page."""
    return [marker for marker in MARKERS if marker in html]


def tagged(n: int) -> str:
    """A display payload naming its field by number, short enough for a tag (60 characters)."""
    return f'"><script>alert({n})</script><img src=x onerror=alert({n})>'


def escaped(n: int) -> str:
    """How `tagged(n)` reads once escaped for HTML."""
    return f"&lt;script&gt;alert({n})&lt;/script&gt;"


def in_pdf(n: int) -> str:
    """How `tagged(n)` reads in a PDF's text (whitespace removed): literal, not markup."""
    return f"<script>alert({n})</script>"


def body_with(base: dict[str, Any], field: str, raw_value: str) -> str:
    """`base` as JSON with `field` set to a raw JSON fragment (kept exactly as written)."""
    sentinel = "__hostile_value__"
    return json.dumps({**base, field: sentinel}).replace(json.dumps(sentinel), raw_value)
