"""Names for the browser behind a request, as learners read them."""

from django.utils.translation import gettext as _
from ua_parser import parse

# Browsers send a few hundred characters; the parser's regular expressions never see more.
MAX_USER_AGENT = 512


def device_label(user_agent: str) -> str:
    """ "Firefox 128 on Windows" from a User-Agent header, or a plain fallback.

    The header is whatever the client sent: only the parser's names are used, and
    every page or mail shows them escaped like any text.
    """
    found = parse((user_agent or "")[:MAX_USER_AGENT])
    browser = found.user_agent
    system = found.os
    if browser is None:
        return _("Unknown browser")
    name = f"{browser.family} {browser.major}" if browser.major else browser.family
    if system is None or system.family == "Other":
        return name
    return _("%(browser)s on %(system)s") % {"browser": name, "system": system.family}
