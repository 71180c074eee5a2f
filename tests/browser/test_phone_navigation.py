"""On a phone the header and the wallet's sub-navigation each keep to one line, the other
links behind a menu a keyboard opens; on a desktop they stay one row of links."""

import json

import pytest

from tests.browser.support import log_in
from tests.conftest import make_learner

pytestmark = pytest.mark.browser

TEXT = {
    "en-CA": {"profile": "Profile", "wallet": "My wallet", "history": "Account history"},
    "fr-CA": {"profile": "Profil", "wallet": "Mon portefeuille", "history": "Historique du compte"},
}

# What the visible controls of a bar take up: if every one starts and ends within the
# tallest, they share one line; the bar's own height then shows no empty second line.
MEASURE = """selector => {
  const bar = document.querySelector(selector);
  const boxes = [...bar.querySelectorAll('a, button, summary')]
    .filter(control => control.checkVisibility())
    .map(control => control.getBoundingClientRect())
    .filter(box => box.width > 0 && box.height > 0);
  return {
    span: Math.max(...boxes.map(box => box.bottom)) - Math.min(...boxes.map(box => box.top)),
    tallest: Math.max(...boxes.map(box => box.height)),
    height: bar.getBoundingClientRect().height,
  };
}"""


def assert_one_line(page, selector: str) -> None:
    size = page.evaluate(MEASURE, selector)
    assert size["span"] <= size["tallest"] + 1, f"{selector} wraps: {size}"
    assert size["height"] < 2 * size["tallest"], f"{selector} is taller than one line: {size}"


def tab_until(page, selector: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({json.dumps(selector)})"):
            return
    pytest.fail(f"Tab never reached {selector}")


def open_by_keyboard(page, menu: str) -> None:
    """Tab to the menu's summary, press Enter, and check Tab then walks into its links."""
    tab_until(page, f"{menu} > summary")
    assert page.evaluate(f"document.querySelector({json.dumps(menu)}).open") is False
    page.keyboard.press("Enter")
    assert page.evaluate(f"document.querySelector({json.dumps(menu)}).open") is True
    page.keyboard.press("Tab")
    assert page.evaluate(f"document.activeElement.closest({json.dumps(menu)}) !== null")


@pytest.mark.parametrize("locale", ["en-CA", "fr-CA"])
def test_on_a_phone_each_bar_is_one_line_and_its_menu_opens_by_keyboard(
    browse, locale, transactional_db
):
    text = TEXT[locale]
    email = f"phone-{locale.lower()}@example.org"
    make_learner(email)
    tab = browse(locale=locale, width=375)
    page = tab.page
    log_in(tab, email)

    assert_one_line(page, ".header-inner")
    assert_one_line(page, ".wallet-nav")
    assert not page.get_by_role("link", name=text["wallet"], exact=True).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    open_by_keyboard(page, "header .nav-menu")
    assert page.get_by_role("link", name=text["wallet"], exact=True).is_visible()
    open_by_keyboard(page, ".wallet-nav .nav-menu")
    assert page.get_by_role("link", name=text["history"], exact=True).is_visible()
    # Both menus open: every link is on show, and "Profile" is there once.
    profile = page.get_by_role("link", name=text["profile"], exact=True)
    assert profile.count() == 1 and profile.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    tab.audit()

    profile.click()
    page.wait_for_url("**/wallet/profile/")
    assert_one_line(page, ".wallet-nav")
    current = page.locator(".wallet-nav a[aria-current=page]")
    assert current.is_visible() and current.inner_text() == text["profile"]
    page.locator(".wallet-nav summary").click()
    page.locator("header summary").click()
    assert page.get_by_role("link", name=text["profile"], exact=True).count() == 1
    tab.audit()


def test_on_a_desktop_the_links_stay_in_one_row_without_a_menu(browse, transactional_db):
    email = "desktop@example.org"
    make_learner(email)
    tab = browse(width=1280)
    page = tab.page
    log_in(tab, email)

    assert not page.locator("header summary").is_visible()
    assert not page.locator(".wallet-nav summary").is_visible()
    header = page.locator("header")
    for name in ["My wallet", "Share links", "Account"]:
        assert header.get_by_role("link", name=name, exact=True).is_visible()
    assert header.get_by_role("button", name="Log out").is_visible()
    for name in ["Credentials", "Collections", "Skills", "Profile", "Account history"]:
        assert page.locator(".wallet-nav").get_by_role("link", name=name, exact=True).is_visible()
    assert page.get_by_role("link", name="Profile", exact=True).count() == 1
    assert_one_line(page, ".header-inner")
    assert_one_line(page, ".wallet-nav")


@pytest.mark.parametrize("locale", ["en-CA", "fr-CA"])
def test_a_visitor_on_a_phone_sees_the_header_on_one_line(browse, transactional_db, locale):
    """An employer opening a link, logged out: the brand, "Log in" and "Sign up" share
    the one line, in French too."""
    tab = browse(locale=locale, width=375)
    page = tab.page
    page.goto("/accounts/login/")
    assert_one_line(page, ".header-inner")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    tab.audit()
