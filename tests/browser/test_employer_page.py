"""The employer's page for an ordinary share of seven credentials, read at a glance:
at most half the height it had (8,614 px at 1280 px wide, 14,124 px at 375 px before
the summary and statements), accessible, in both languages."""

import pytest
from django.utils import translation

from tests.conftest import make_learner
from tests.sharing.conftest import make_link
from tests.sharing.typical import typical_seven

pytestmark = pytest.mark.browser

# Measured on this page before the change, in English; the budget is half.
HEIGHT_BEFORE = {1280: 8614, 375: 14124}


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("locale", ["en-CA", "fr-CA"])
def test_seven_credentials_read_at_a_glance_in_half_the_height(
    browse, live_server, settings, transactional_db, locale, width
):
    settings.SITE_URL = live_server.url
    learner = make_learner("glance@example.org")
    link = make_link(learner, typical_seven(learner), message="Here are my credentials.")
    with translation.override(locale.lower()):
        checks_summary = translation.ngettext(
            "How it was checked (%(counter)s check)",
            "How it was checked (%(counter)s checks)",
            5,
        ) % {"counter": 5}

    tab = browse(locale=locale, width=width)
    page = tab.page
    page.goto(f"/s/{link.reveal_token()}/")
    tab.audit()

    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= HEIGHT_BEFORE[width] / 2, height
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # The summary and the overview come before the first card.
    summary = page.locator(".share-summary").inner_text()
    assert summary.startswith("7")
    assert page.locator(".share-overview li").count() == 7
    assert page.locator(".share-credential").count() == 7
    # Confirmed first, the expired one last.
    names = page.locator(".share-credential h3").all_inner_texts()
    assert names[-1] == "First aid"
    assert set(names[:4]) == {
        "Welding basics",
        "Project planning",
        "Workplace safety",
        "Client communication",
    }

    # The check table is there, closed, with its codes.
    first = page.locator(".share-credential").first
    table = first.locator(".share-checks table")
    assert not table.is_visible()
    first.locator(".share-checks summary").click()
    assert table.is_visible()
    assert "issuer_registered" in table.inner_text()
    assert checks_summary in first.locator(".share-checks summary").inner_text()
    tab.audit()

    # Issuers' Markdown reads as formatted text.
    first.locator(".share-more summary").first.click()
    assert first.locator(".share-markdown li").count() >= 3
    assert "# Criteria" not in page.inner_text("main")

    # "Checked … ago", with the exact time on hover.
    checked = first.locator(".share-checked time")
    assert checked.get_attribute("title").endswith("UTC")
    assert checked.get_attribute("datetime")
