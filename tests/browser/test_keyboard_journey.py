"""The learner's main steps with the keyboard alone: skip link, visible focus, tab order."""

import json

import pytest

from tests.conftest import PASSWORD, make_learner
from tests.credentials.support.issuer import did_key_issuer

pytestmark = pytest.mark.browser

EMAIL = "keys@example.org"


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has focus, checking focus is visible."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({json.dumps(selector)})"):
            outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none", f"{selector} has no visible focus"
            return
    pytest.fail(f"Tab never reached {selector}")


def test_a_learner_logs_in_and_imports_with_the_keyboard_alone(browse, transactional_db):
    make_learner(EMAIL)
    tab = browse()
    page = tab.page
    page.goto("/accounts/login/")
    tab.audit()

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"

    tab_to(page, "#id_login")
    page.keyboard.type(EMAIL)
    tab_to(page, "#id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/wallet/")
    tab.audit()

    tab_to(page, "main a[href='/wallet/import/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/wallet/import/")
    tab.audit()

    document = did_key_issuer().signed(name="Keyboard Badge")
    tab_to(page, "#id_paste-text")
    page.keyboard.insert_text(json.dumps(document))
    tab_to(page, "#import-paste button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url("**/credentials/**")
    assert page.locator("h1").inner_text() == "Keyboard Badge"
    tab.audit()

    tab_to(page, "main form[action$='/verify/'] button", limit=120)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Verified again" in page.inner_text("body")
    tab.audit()
