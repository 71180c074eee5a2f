"""An employer's visit: passcode attempts, view counts and stale-verdict re-checks."""

import ipaddress
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
from credentials.mail import mail_learner
from credentials.services import queue_recheck, record_audit_event
from sharing.audit import ShareLinkAction
from sharing.models import ShareLink, ShareLinkDay
from sharing.services.links import PASSCODE_MIN_LENGTH

PASSCODE_WINDOW_SECONDS = 15 * 60
PASSCODE_ATTEMPTS_PER_CLIENT = 5
# Failures on one link, from anyone, before every client must wait after each of its own.
# The wait is per client and grows with the link's failures: a guesser cannot spend the
# real reader's turn, and each address it has is slowed to one guess per wait.
PASSCODE_FREE_FAILURES_PER_LINK = 10
PASSCODE_BACKOFF_MAX_SECONDS = 15 * 60
# How long a link remembers its failures once they stop.
PASSCODE_LINK_MEMORY_SECONDS = 24 * 60 * 60
# This many failures in an hour tell the learner someone is guessing, once a day at most.
PASSCODE_GUESSING_ALERT = 20
PASSCODE_GUESSING_WINDOW_SECONDS = 60 * 60
PASSCODE_GUESSING_NOTICE_INTERVAL = timedelta(days=1)
REVERIFY_QUEUE_SECONDS = 3600

logger = logging.getLogger(__name__)


class PasscodeLocked(Exception):
    """Too many wrong passcodes: try again after `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"locked for {retry_after}s")
        self.retry_after = retry_after


def client_key(remote_addr: str) -> str:
    """A keyed hash of the client's address, kept only in the cache, never stored.

    IPv6 clients count by their /64: one subscriber usually holds a whole /64.
    """
    try:
        address = ipaddress.ip_address(remote_addr)
    except ValueError:
        address = None
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            remote_addr = str(address.ipv4_mapped)
        else:
            remote_addr = str(ipaddress.IPv6Network((address, 64), strict=False))
    return salted_hmac("sharing.passcode-client", remote_addr or "unknown").hexdigest()[:32]


def passcode_backoff(failures: int) -> int:
    """Seconds a client waits after its own failure once its link has `failures` in all."""
    extra = failures - PASSCODE_FREE_FAILURES_PER_LINK
    if extra <= 0:
        return 0
    return min(2 ** min(extra, 20), PASSCODE_BACKOFF_MAX_SECONDS)


def check_passcode(*, link: ShareLink, passcode: str, client: str) -> bool:
    """Compare a typed passcode: a limit per client, a growing wait once the link is guessed at."""
    scope = f"share-passcode:client:{link.uuid}:{client}"
    now = int(time.time())
    if (cache.get(f"{scope}:count") or 0) >= PASSCODE_ATTEMPTS_PER_CLIENT:
        raise PasscodeLocked(_retry_after(scope, now))
    wait_until = int(cache.get(f"{scope}:until") or 0)
    if wait_until > now:
        raise PasscodeLocked(wait_until - now)
    if link.has_passcode and check_password(passcode, link.passcode_hash):
        _learn_passcode_length(link, passcode)
        return True
    if _count(scope, PASSCODE_WINDOW_SECONDS, now) == PASSCODE_ATTEMPTS_PER_CLIENT:
        _record_lockout(link, i18n.gettext("per client"))
    link_key = f"share-passcode:link:{link.uuid}"
    failures = _count(link_key, PASSCODE_LINK_MEMORY_SECONDS, now)
    # Every failure keeps the link's count alive: it fades only once the guessing stops.
    cache.touch(f"{link_key}:count", PASSCODE_LINK_MEMORY_SECONDS)
    if failures == PASSCODE_FREE_FAILURES_PER_LINK + 1:
        _record_lockout(link, i18n.gettext("per link"))
    # Fixed when the failure happens, so the 429 tells the reader the time that holds.
    wait = passcode_backoff(failures)
    if wait:
        cache.set(f"{scope}:until", now + wait, timeout=wait)
    hourly = _count(f"{link_key}:hour", PASSCODE_GUESSING_WINDOW_SECONDS, now)
    if hourly >= PASSCODE_GUESSING_ALERT and cache.add(
        f"{link_key}:told", 1, timeout=int(PASSCODE_GUESSING_NOTICE_INTERVAL.total_seconds())
    ):
        tell_passcode_guessing(link=link)
    return False


def _count(key: str, window: int, now: int) -> int:
    cache.add(f"{key}:since", now, timeout=window)
    cache.add(f"{key}:count", 0, timeout=window)
    try:
        return cache.incr(f"{key}:count")
    except ValueError:
        # The counter expired between add and incr: this failure starts a new window.
        cache.set(f"{key}:count", 1, timeout=window)
        return 1


def _record_lockout(link: ShareLink, detail: i18n.Message) -> None:
    record_audit_event(
        action=ShareLinkAction.PASSCODE_LOCKOUT, actor=None, target=link, detail=detail
    )


def _retry_after(key: str, now: int) -> int:
    since = cache.get(f"{key}:since") or now
    return max(1, int(since) + PASSCODE_WINDOW_SECONDS - now)


def _learn_passcode_length(link: ShareLink, passcode: str) -> None:
    # A passcode set before the minimum is known to be short only once typed right.
    if link.has_short_passcode is None:
        link.has_short_passcode = len(passcode) < PASSCODE_MIN_LENGTH
        ShareLink.objects.filter(pk=link.pk).update(has_short_passcode=link.has_short_passcode)


def tell_passcode_guessing(*, link: ShareLink) -> bool:
    """Note on the link, and mail its learner, that its passcode is being guessed at.

    Once a day per link at most; False when the learner was already told.
    """
    now = timezone.now()
    recent = models.Q(passcode_guessed_at__gt=now - PASSCODE_GUESSING_NOTICE_INTERVAL)
    with transaction.atomic():
        # One conditional update: two workers crossing the threshold tell the learner once.
        if not ShareLink.objects.filter(pk=link.pk).exclude(recent).update(passcode_guessed_at=now):
            return False
        link.passcode_guessed_at = now
        _mail_passcode_guessing(link)
    return True


def _mail_passcode_guessing(link: ShareLink) -> None:
    mail_learner(
        learner=link.owner,
        templates="sharing/email/passcode_guessed",
        context={
            "title": link.title,
            "url": f"{settings.SITE_URL}{link.get_absolute_url()}",
            "site_url": settings.SITE_URL,
        },
    )


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
