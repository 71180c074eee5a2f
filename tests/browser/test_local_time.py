"""Times read in the reader's own time zone and language, with UTC kept as the tooltip."""

from datetime import UTC, datetime

import pytest

from sharing.models import ShareLink
from tests.browser.support import log_in
from tests.conftest import make_learner
from tests.sharing.conftest import import_signed, make_link

pytestmark = pytest.mark.browser

EXPIRES = datetime(2027, 1, 15, 17, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("locale", "timezone", "local", "zone"),
    [
        ("en-CA", "America/Regina", "11:30", "CST"),
        ("fr-CA", "America/Toronto", "12 h 30", "HNE"),
    ],
)
def test_a_links_expiry_shows_in_the_learners_time_zone(
    browse, transactional_db, locale, timezone, local, zone
):
    learner = make_learner("tz@example.org")
    link = make_link(learner, [import_signed(learner)])
    ShareLink.objects.filter(pk=link.pk).update(expires_at=EXPIRES)
    tab = browse(locale=locale, timezone=timezone)
    page = tab.page
    log_in(tab, learner.email)

    page.goto(link.get_absolute_url())
    tab.audit()
    expiry = page.locator("time[data-local-time]").first
    shown = expiry.inner_text()
    assert local in shown and zone in shown and "2027" in shown
    assert "UTC" not in shown
    assert expiry.get_attribute("title").endswith("UTC")
    assert expiry.get_attribute("datetime") == "2027-01-15T17:30:00+00:00"


@pytest.mark.parametrize(
    ("locale", "expires", "shown_day", "served_day"),
    [
        ("fr-CA", datetime(2027, 1, 1, 17, 30, tzinfo=UTC), "1er janvier 2027", "1er janvier"),
        ("fr-CA", datetime(2027, 1, 2, 17, 30, tzinfo=UTC), "2 janvier 2027", "2 janvier"),
        ("en-CA", datetime(2027, 1, 1, 17, 30, tzinfo=UTC), "January 1, 2027", "Jan. 1,"),
    ],
)
def test_the_first_of_a_month_reads_1er_for_a_french_reader(
    browse, transactional_db, locale, expires, shown_day, served_day
):
    learner = make_learner("first@example.org")
    link = make_link(learner, [import_signed(learner)])
    ShareLink.objects.filter(pk=link.pk).update(expires_at=expires)
    tab = browse(locale=locale, timezone="America/Toronto")
    page = tab.page
    log_in(tab, learner.email)

    page.goto(link.get_absolute_url())
    tab.audit()
    expiry = page.locator("time[data-local-time]").first
    shown = expiry.inner_text()
    assert shown.startswith(shown_day), shown
    assert "12 h 30" in shown or "12:30" in shown
    # The server's UTC text, kept as the tooltip, writes the first of a month the same way.
    assert expiry.get_attribute("title").startswith(served_day)
