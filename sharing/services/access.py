"""An employer's visit: passcode attempts, view counts and stale-verdict re-checks."""

import logging
import time
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.cache import cache
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from credentials import i18n
from credentials.services import queue_recheck, record_audit_event
from sharing.audit import ShareLinkAction
from sharing.models import ShareLink, ShareLinkDay

PASSCODE_WINDOW_SECONDS = 15 * 60
PASSCODE_ATTEMPTS_PER_CLIENT = 5
# Higher than per client, so one guesser cannot lock the real reader out at once,
# yet low enough that many addresses together still cannot search the space.
PASSCODE_ATTEMPTS_PER_LINK = 20
REVERIFY_QUEUE_SECONDS = 3600

logger = logging.getLogger(__name__)


class PasscodeLocked(Exception):
    """Too many wrong passcodes: try again after `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"locked for {retry_after}s")
        self.retry_after = retry_after


def client_key(remote_addr: str) -> str:
    """A keyed hash of the client's address, kept only in the cache, never stored."""
    return salted_hmac("sharing.passcode-client", remote_addr or "unknown").hexdigest()[:32]


def check_passcode(*, link: ShareLink, passcode: str, client: str) -> bool:
    """Compare a typed passcode, counting failures per link and per client."""
    scopes = [
        (f"share-passcode:link:{link.uuid}", PASSCODE_ATTEMPTS_PER_LINK),
        (f"share-passcode:client:{link.uuid}:{client}", PASSCODE_ATTEMPTS_PER_CLIENT),
    ]
    now = int(time.time())
    for key, limit in scopes:
        if (cache.get(f"{key}:count") or 0) >= limit:
            raise PasscodeLocked(_retry_after(key, now))
    if link.has_passcode and check_password(passcode, link.passcode_hash):
        return True
    for key, limit in scopes:
        cache.add(f"{key}:since", now, timeout=PASSCODE_WINDOW_SECONDS)
        cache.add(f"{key}:count", 0, timeout=PASSCODE_WINDOW_SECONDS)
        try:
            count = cache.incr(f"{key}:count")
        except ValueError:
            # The counter expired between add and incr: this failure starts a new window.
            cache.set(f"{key}:count", 1, timeout=PASSCODE_WINDOW_SECONDS)
            count = 1
        if count == limit:
            record_audit_event(
                action=ShareLinkAction.PASSCODE_LOCKOUT,
                actor=None,
                target=link,
                detail=i18n.gettext("per link") if ":link:" in key else i18n.gettext("per client"),
            )
    return False


def _retry_after(key: str, now: int) -> int:
    since = cache.get(f"{key}:since") or now
    return max(1, int(since) + PASSCODE_WINDOW_SECONDS - now)


def unlock_marker(link: ShareLink) -> str:
    """What a session keeps once the passcode is right; a new passcode or address relocks."""
    return salted_hmac("sharing.unlocked", f"{link.passcode_hash}:{link.token_hash}").hexdigest()


def record_share_view(*, link: ShareLink) -> None:
    """Count one view: a total, the last time and today's count; nothing about the viewer."""
    now = timezone.now()
    if connection.vendor == "postgresql":
        _count_view_in_one_statement(link, now)
        return
    with transaction.atomic():
        ShareLink.objects.filter(pk=link.pk).update(
            view_count=models.F("view_count") + 1, last_viewed_at=now
        )
        updated = ShareLinkDay.objects.filter(link=link, day=now.date()).update(
            views=models.F("views") + 1, updated_at=now
        )
        if not updated:
            try:
                with transaction.atomic():
                    ShareLinkDay.objects.create(link=link, day=now.date(), views=1)
            except IntegrityError:
                # Another view made today's row first.
                ShareLinkDay.objects.filter(link=link, day=now.date()).update(
                    views=models.F("views") + 1, updated_at=now
                )


def _count_view_in_one_statement(link: ShareLink, now: datetime) -> None:
    """The same three counts as one PostgreSQL statement: one round trip on every page view."""
    quote = connection.ops.quote_name
    links, days = quote(ShareLink._meta.db_table), quote(ShareLinkDay._meta.db_table)
    sql = (
        f"WITH counted AS (UPDATE {links} SET view_count = view_count + 1, "  # noqa: S608
        f"last_viewed_at = %s WHERE id = %s) "
        f"INSERT INTO {days} (link_id, day, views, created_at, updated_at) "
        f"VALUES (%s, %s, 1, %s, %s) ON CONFLICT (link_id, day) "
        f"DO UPDATE SET views = {days}.views + 1, updated_at = EXCLUDED.updated_at"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, link.pk, link.pk, now.date(), now, now])


def queue_stale_reverifications(*, verified: Iterable[tuple[int, str | None]]) -> list[int]:
    """Queue a background re-check of each shown credential verified too long ago.

    `verified` pairs each shown credential's top-level id with when it was last
    verified (ISO time, None when never), as `sharing.content.verification_times` gives.
    """
    older_than = timezone.now() - timedelta(hours=settings.SHARE_REVERIFY_AFTER_HOURS)
    stale = sorted(
        {
            credential_id
            for credential_id, verified_at in verified
            if verified_at is None or datetime.fromisoformat(verified_at) < older_than
        }
    )
    queued = []
    for credential_id in stale:
        # One queued re-check per credential per hour, however many readers come.
        if cache.add(f"share-reverify:{credential_id}", 1, timeout=REVERIFY_QUEUE_SECONDS):
            queue_recheck(credential_id)
            queued.append(credential_id)
    return queued
