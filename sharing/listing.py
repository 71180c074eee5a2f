"""The employer page's list of credentials, rendered once per change and language.

Rendering two dozen credentials with their checks costs far more than the rest
of the page, and employers read the same link again and again. The rendered
list is cached under the link, its token, its last edit, the learner's content
revision (read with the link, bumped in the same transaction as any change to
what a link can show: see `wallet.revisions`) and the language. Nothing can
serve an old list after a change: the key moves with the data, and an evicted or
unreachable cache only means rendering again.
"""

import time
import zlib
from dataclasses import dataclass

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from sharing.content import shared_content, verification_times
from sharing.models import ShareLink

KEY_VERSION = 3
CACHE_SECONDS = 60 * 60
# The list says how long ago each credential was checked: a new key every ten minutes
# keeps that wording true without rendering on every visit.
AGE_BUCKET_SECONDS = 10 * 60


@dataclass(frozen=True)
class Listing:
    html: SafeString
    # (top-level credential id, ISO time it was last verified or None), for re-checks.
    verified: list[tuple[int, str | None]]


def _key(link: ShareLink, revision: int) -> str:
    edited = link.updated_at.timestamp() if link.updated_at else 0
    return ":".join(
        str(part)
        for part in (
            "share-listing",
            KEY_VERSION,
            link.pk,
            link.token_hash[:16],
            edited,
            revision,
            get_language(),
            int(time.time() // AGE_BUCKET_SECONDS),
        )
    )


def shared_listing(link: ShareLink, *, token: str, revision: int | None) -> Listing:
    """The rendered list for `link` in the active language, from the cache when current.

    `revision` is the owner's content revision read with the link; None (no wallet)
    renders without caching.
    """
    key = _key(link, revision) if revision is not None else None
    cached = cache.get(key) if key else None
    if cached is not None:
        # Rendered by our own template, every imported value escaped on the way in.
        html = zlib.decompress(cached["html"]).decode()
        return Listing(html=mark_safe(html), verified=cached["verified"])
    content = shared_content(link)
    html = render_to_string(
        "sharing/_shared_listing.html", {"content": content, "link": link, "token": token}
    )
    verified = verification_times(content)
    if key:
        # Compressed: 25 credentials make about 130 KB of HTML and 9 KB compressed, and the
        # database cache (no Redis) sends every byte on every view.
        packed = zlib.compress(str(html).encode(), 1)
        cache.set(key, {"html": packed, "verified": verified}, CACHE_SECONDS)
    return Listing(html=mark_safe(html), verified=verified)
