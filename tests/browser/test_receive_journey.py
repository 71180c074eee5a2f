"""Receive journey: an issuer's offer pasted into the wallet, read, approved, stored; with axe."""

import pytest
from django.utils import translation

from tests.browser.support import log_in, submit
from tests.conftest import make_learner
from tests.receive.issuers import Oid4vciIssuer, VcApiExchange, started

pytestmark = pytest.mark.browser

EMAIL = "receiver@example.org"


@pytest.mark.parametrize("locale", ["en-CA", "fr-CA"])
def test_a_learner_receives_an_offer_with_a_transaction_code_and_an_exchange(
    browse, transactional_db, settings, locale
):
    issuer = started(Oid4vciIssuer(tx_code="4821"), settings)
    exchange = started(VcApiExchange(), settings)
    try:
        with translation.override(locale.lower()):
            t = {
                text: translation.gettext(text)
                for text in [
                    "Receive from an issuer",
                    "Issued to a key the learner holds.",
                    "Your holder keys",
                ]
            }
        make_learner(EMAIL)
        tab = browse(locale=locale)
        page = tab.page
        log_in(tab, EMAIL)

        page.goto("/wallet/import/")
        tab.audit()
        page.click("main a[href='/wallet/receive/']")
        tab.audit()
        assert page.locator("h1").inner_text() == t["Receive from an issuer"]

        page.fill("#id_offer", issuer.offer_link())
        submit(page)
        tab.audit()
        expected_issuer = "Université Exemple" if locale == "fr-CA" else "Example University"
        main = page.inner_text("main")
        assert expected_issuer in main
        assert "Enter the code we emailed you" in main
        assert not issuer.access_tokens, "nothing is received before the learner approves"

        page.fill("#id_tx_code", "4821")
        submit(page)
        page.wait_for_url("**/credentials/**")
        tab.audit()
        assert page.locator("h1").inner_text() == "Teamwork"
        assert t["Issued to a key the learner holds."] in page.inner_text("main")

        page.goto("/wallet/account/keys/")
        tab.audit()
        assert page.locator("h1").inner_text() == t["Your holder keys"]
        assert "did:jwk:" in page.inner_text("main")

        # A DCC-style exchange link: the wallet proves its Ed25519 key and stores the badge.
        page.goto("/wallet/receive/")
        tab.audit()
        page.fill("#id_offer", exchange.deep_link())
        submit(page)
        tab.audit()
        assert "127.0.0.1" in page.inner_text("main")
        submit(page)
        page.wait_for_url("**/credentials/**")
        tab.audit()
        assert t["Issued to a key the learner holds."] in page.inner_text("main")
        assert exchange.refusals == []
    finally:
        issuer.stop()
        exchange.stop()
