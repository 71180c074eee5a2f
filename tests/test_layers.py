"""The bottom knows nothing above it: credentials names neither wallet nor sharing, and
wallet never names sharing (imports, URL names, app labels, dotted paths, templates)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def reference_to(app: str) -> re.Pattern[str]:
    # Code, not prose: "this wallet cannot check…" is product language.
    return re.compile(
        rf"\b(from|import)\s+{app}\b"
        rf"|\b{app}[.:/]\w"
        rf"|[\"']{app}[\"']"
    )


def sources(*folders: str) -> list[Path]:
    found = []
    for folder in folders:
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".py", ".html", ".txt"} and "migrations" not in path.parts:
                found.append(path)
    return found


@pytest.mark.parametrize(
    ("folders", "above"),
    [
        (("credentials", "templates/credentials"), "wallet"),
        (("credentials", "templates/credentials"), "sharing"),
        (("wallet", "templates/wallet"), "sharing"),
    ],
)
def test_a_lower_app_never_names_an_app_above_it(folders, above):
    pattern = reference_to(above)
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sources(*folders)
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if pattern.search(line)
    ]
    assert offenders == []


def test_the_scan_catches_each_kind_of_reference():
    pattern = reference_to("sharing")
    for line in [
        "from sharing.models import ShareLink",
        "import sharing",
        "{% url 'sharing:link_create' %}",
        'apps.get_model("sharing", "ShareLink")',
        '"sharing.tasks.render_pdf"',
        '{% include "sharing/_card.html" %}',
    ]:
        assert pattern.search(line), line
    assert not reference_to("wallet").search("this wallet cannot check JWS signatures")
