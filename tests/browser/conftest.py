"""The browser harness: headless Debian Chromium driving the live site,
with axe-core run on every page a test visits.

Without /usr/bin/chromium (or axe-core from `npm ci`) these tests skip with
the reason, unless REQUIRE_BROWSER is set (as in CI), where that fails.
"""

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
BLOCKING_IMPACTS = {"serious", "critical"}


def _unavailable(reason: str) -> None:
    if os.environ.get("REQUIRE_BROWSER"):
        pytest.fail(f"REQUIRE_BROWSER is set but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        _unavailable("Chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    if not AXE.exists():
        _unavailable("axe-core is not installed (run `npm ci`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


class Audited:
    """A browser page whose every visited URL must pass axe before the test ends."""

    def __init__(self, page, name: str) -> None:
        self.page = page
        self.name = name
        self.visited: list[str] = []
        self.audited: set[str] = set()
        self.shots = 0
        page.on("framenavigated", self._navigated)

    def _navigated(self, frame) -> None:
        if frame == self.page.main_frame:
            self.visited.append(frame.url.split("#")[0])

    def audit(self) -> None:
        """Run axe on the current page; fail on serious or critical violations."""
        self.page.wait_for_load_state("load")
        self.page.evaluate(AXE.read_text())
        result = self.page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
        blocking = [v for v in result["violations"] if v.get("impact") in BLOCKING_IMPACTS]
        url = self.page.url.split("#")[0]
        self.audited.add(url)
        self.screenshot()
        assert not blocking, "axe on {}: {}".format(
            url, [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in blocking]
        )

    def screenshot(self) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.shots += 1
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", self.name)
        self.page.screenshot(path=str(ARTIFACTS / f"{safe}-{self.shots:02d}.png"), full_page=True)

    def unaudited(self) -> set[str]:
        return {url for url in self.visited if url not in self.audited}


@pytest.fixture
def browse(chromium, live_server, request):
    """Open a fresh browser context: `browse(locale="fr-CA", timezone="America/Toronto")`
    gives an Audited page."""
    contexts = []
    pages: list[Audited] = []

    def open_page(locale: str = "en-CA", width: int = 1280, timezone: str = "UTC") -> Audited:
        context = chromium.new_context(
            locale=locale,
            base_url=live_server.url,
            viewport={"width": width, "height": 900},
            timezone_id=timezone,
        )
        contexts.append(context)
        audited = Audited(context.new_page(), f"{request.node.name}-{len(pages)}")
        pages.append(audited)
        return audited

    yield open_page
    for audited in pages:
        missing = audited.unaudited()
        for context in contexts:
            context.close()
        assert not missing, f"pages visited without an accessibility check: {missing}"
