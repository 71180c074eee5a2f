"""First journey: sign up, verify, enrol TOTP, log out, log in with a code."""

import pytest

from tests.browser.support import enrol_totp, fresh_code, sign_up, submit, wait_for_next_totp_window
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

TEXT = {
    "en-CA": {"empty": "Your wallet is empty", "login": "Log in", "here": "(this browser)"},
    "fr-CA": {
        "empty": "Votre portefeuille est vide",
        "login": "Se connecter",
        "here": "(ce navigateur)",
    },
}


@pytest.mark.parametrize("locale", ["en-CA", "fr-CA"])
def test_a_new_learner_signs_up_enrols_totp_and_logs_back_in(browse, locale, transactional_db):
    email = f"learner-{locale.lower()}@example.org"
    tab = browse(locale=locale, width=375)
    page = tab.page

    page.goto("/accounts/signup/")
    tab.audit()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    sign_up(tab, email)
    assert TEXT[locale]["empty"] in page.inner_text("main")
    tab.audit()

    totp, used_window = enrol_totp(tab)
    tab.audit()

    # On a phone "Log out" waits in the header's menu.
    page.locator("header summary").click()
    page.locator("header details button[type=submit]").click()
    page.wait_for_load_state("load")
    tab.audit()

    page.goto("/accounts/login/")
    tab.audit()
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    submit(page)
    assert "/2fa/authenticate/" in page.url
    tab.audit()
    wait_for_next_totp_window(used_window)
    page.fill("#id_code", fresh_code(totp)[0])
    submit(page)
    assert page.url.endswith("/wallet/")
    assert TEXT[locale]["empty"] in page.inner_text("main")
    tab.audit()

    # Where they are signed in: this one browser, named, on a phone-sized screen.
    page.goto("/accounts/sessions/")
    assert TEXT[locale]["here"] in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    tab.audit()
