"""A table wider than the screen scrolls in a region the keyboard can reach; one that
fits adds no tab stop (static/js/scroll-regions.js)."""

import pytest

pytestmark = pytest.mark.browser

REGION = """() => {
  const region = document.createElement("div");
  region.className = "table-scroll";
  region.id = "probe";
  region.dataset.label = "Probe table";
  region.innerHTML = "<table><tr><td><div>wide</div></td></tr></table>";
  // Set through the CSSOM: the strict CSP refuses style attributes in markup.
  region.querySelector("div").style.width = "2000px";
  document.querySelector("main").append(region);
  window.dispatchEvent(new Event("resize"));
}"""

NARROW = """() => {
  document.querySelector("#probe div").style.width = "10px";
  window.dispatchEvent(new Event("resize"));
}"""


def test_only_an_overflowing_table_region_takes_focus_and_a_name(browse, transactional_db):
    tab = browse(width=375)
    page = tab.page
    page.goto("/privacy/")
    tab.audit()
    page.evaluate(REGION)
    region = page.locator("#probe")
    assert region.get_attribute("tabindex") == "0"
    assert region.get_attribute("role") == "region"
    assert region.get_attribute("aria-label") == "Probe table"

    page.evaluate(NARROW)
    assert region.get_attribute("tabindex") is None
    assert region.get_attribute("role") is None
    assert region.get_attribute("aria-label") is None
