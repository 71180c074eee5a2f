"""Who the client is: the one address every per-client limit keys on.

Allauth (ALLAUTH_TRUSTED_PROXY_COUNT) and DRF (NUM_PROXIES) read the same
TRUSTED_PROXY_COUNT setting, so a login, an API call and a passcode attempt from one
browser count against one client.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's IP address, read through TRUSTED_PROXY_COUNT proxies of ours."""
    remote_addr = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote_addr
    addresses = [address.strip() for address in forwarded.split(",")]
    # Each of our proxies appends the address it saw, so the client is `proxies` entries
    # from the right. A shorter header did not come through all of them: nothing in it
    # can be trusted, and the leftmost entry is whatever the client chose to send.
    if len(addresses) < proxies:
        return remote_addr
    try:
        return str(ipaddress.ip_address(addresses[-proxies]))
    except ValueError:
        return remote_addr
