"""First journey: sign up, verify, enrol TOTP, log out, log in with a code."""

import re
import time

import pyotp
import pytest
from django.core import mail

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

CODE_RE = re.compile(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4})\s*$", re.MULTILINE)

TEXT = {
    "en-CA": {"empty": "Your wallet is empty", "login": "Log in"},
    "fr-CA": {"empty": "Votre portefeuille est vide", "login": "Se connecter"},
}


def submit(page) -> None:
    page.locator("main button[type=submit]").first.click()
    page.wait_for_load_state("load")


@pytest.mark.parametrize("locale", ["en-CA", "fr-CA"])
def test_a_new_learner_signs_up_enrols_totp_and_logs_back_in(browse, locale, transactional_db):
    email = f"learner-{locale.lower()}@example.org"
    tab = browse(locale=locale, width=375)
    page = tab.page

    page.goto("/accounts/signup/")
    tab.audit()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.fill("#id_email", email)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.check("#id_accept_privacy")
    submit(page)
    tab.audit()

    code = CODE_RE.search(mail.outbox[-1].body).group(1)
    page.fill("#id_code", code)
    submit(page)
    assert page.url.endswith("/wallet/")
    assert TEXT[locale]["empty"] in page.inner_text("main")
    tab.audit()

    page.goto("/accounts/2fa/totp/activate/")
    tab.audit()
    page.fill("#id_password", PASSWORD)
    submit(page)
    tab.audit()
    totp = pyotp.TOTP(page.input_value("#authenticator_secret"))
    used_window = int(time.time() // 30)
    page.fill("#id_code", totp.now())
    submit(page)
    tab.audit()

    page.locator("header button[type=submit]").click()
    page.wait_for_load_state("load")
    tab.audit()

    page.goto("/accounts/login/")
    tab.audit()
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    submit(page)
    assert "/2fa/authenticate/" in page.url
    tab.audit()
    # A TOTP code is single-use within its window: wait for the next one.
    while int(time.time() // 30) == used_window:
        time.sleep(0.5)
    page.fill("#id_code", totp.now())
    submit(page)
    assert page.url.endswith("/wallet/")
    assert TEXT[locale]["empty"] in page.inner_text("main")
    tab.audit()
