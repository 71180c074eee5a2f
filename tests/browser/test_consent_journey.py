"""The consent journey: an issuer's platform sends the learner to the wallet; the learner
reads who asks for what, allows it, and later disconnects it in Connected platforms."""

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread

import pytest
from django.test import Client
from django.utils import translation

from tests.browser.support import language_of, log_in
from tests.conftest import make_learner
from tests.hostapi.platform import StandInPlatform
from wallet.hostapi.scopes import OB_UPSERT, SCOPES

pytestmark = pytest.mark.browser

LANDING = (
    '<!doctype html><html lang="en"><head><title>Example Academy</title></head>'
    "<body><main><h1>Example Academy</h1><p>Back from the wallet.</p></main></body></html>"
)


def texts(locale: str) -> dict[str, str]:
    """What the pages say in `locale`, looked up in the project's own translations."""
    with translation.override(language_of(locale)):
        gettext = translation.gettext
        return {
            "allow": gettext("Allow"),
            "upsert": str(SCOPES[OB_UPSERT]),
            "disconnected": gettext(
                "%(name)s is disconnected. What it delivered stays in your wallet."
            )
            % {"name": "Example Academy"},
            "none": gettext(
                "No platform is connected. When an issuer's platform offers to send credentials "
                "to your wallet, you are asked here first."
            ),
        }


class Landing(BaseHTTPRequestHandler):
    """The platform's landing page: whatever code and state come back, it answers the same."""

    def do_GET(self) -> None:
        body = LANDING.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def landing(settings) -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Landing)
    Thread(target=httpd.serve_forever, daemon=True).start()
    authority = f"127.0.0.1:{httpd.server_address[1]}"
    settings.FETCH_ALLOWLIST = [*settings.FETCH_ALLOWLIST, authority]
    try:
        yield f"http://{authority}/wallet-callback"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.parametrize("locale", ["en-CA", "fr-CA"])
def test_a_learner_allows_a_platform_then_disconnects_it(
    browse, locale, transactional_db, local_server, landing, monkeypatch
):
    # The live server speaks plain http; Authlib insists on https unless told otherwise.
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")
    words = texts(locale)
    email = f"consent-{locale.lower()}@example.org"
    make_learner(email)
    platform = StandInPlatform(http=Client(), site=local_server, landing=landing)
    platform.discover()
    assert platform.register().status_code == 201
    tab = browse(locale=locale, width=375)
    page = tab.page
    log_in(tab, email)

    authorize = platform.authorization_path()
    page.goto(authorize)
    tab.audit()
    main = page.inner_text("main")
    assert "Example Academy" in main and "127.0.0.1" in main
    assert words["upsert"] in main
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.get_by_role("button", name=words["allow"]).click()
    page.wait_for_url(f"{platform.redirect_uri}**")
    tab.audit()
    assert platform.exchange(platform.code_from(page.url)).status_code == 200

    page.goto("/wallet/account/platforms/")
    tab.audit()
    assert "Example Academy" in page.inner_text("main")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state("load")
    tab.audit()
    assert words["disconnected"] in page.inner_text("body")
    assert words["none"] in page.inner_text("main")
    assert platform.get_credentials("ob").status_code == 401
