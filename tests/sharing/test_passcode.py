"""The passcode gate: hashed, limited per client, slowed per link, never a 500."""

import time
from datetime import timedelta

import pytest
from django.core.cache import cache, caches
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from credentials.models import AuditEvent
from sharing import services
from sharing.audit import ShareLinkAction
from sharing.models import ShareLink
from sharing.services import access
from sharing.services.access import (
    PASSCODE_ATTEMPTS_PER_CLIENT,
    PASSCODE_BACKOFF_MAX_SECONDS,
    PASSCODE_FREE_FAILURES_PER_LINK,
    PASSCODE_GUESSING_ALERT,
    passcode_backoff,
)
from tests.sharing.conftest import PASSCODE, make_link, public_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def locked_link(learner, credential):
    return make_link(learner, [credential], passcode=PASSCODE)


def test_a_passcode_link_shows_only_the_passcode_form(employer, locked_link, credential):
    response = employer.get(public_path(locked_link))
    assert response.status_code == 200
    assert 'name="passcode"' in response.text
    assert credential.name not in response.text
    assert response["Referrer-Policy"] == "same-origin"
    assert employer.get(public_path(locked_link, ".json")).status_code == 403
    assert employer.get(public_path(locked_link, "/transcript.pdf")).status_code == 302
    image = public_path(locked_link, f"/images/{credential.uuid}.png")
    assert employer.get(image).status_code == 404


def test_the_right_passcode_opens_the_page_for_this_browser_only(employer, locked_link, credential):
    response = employer.post(public_path(locked_link), {"passcode": PASSCODE})
    assert response.status_code == 302
    assert credential.name in employer.get(public_path(locked_link)).text
    assert employer.get(public_path(locked_link, ".json")).status_code == 200
    assert credential.name not in Client().get(public_path(locked_link)).text


def test_a_wrong_passcode_says_so_and_opens_nothing(employer, locked_link, credential):
    response = employer.post(public_path(locked_link), {"passcode": "wrong-guess"})
    assert response.status_code == 403
    assert "That passcode is not right" in response.text
    assert credential.name not in employer.get(public_path(locked_link)).text


def test_brute_force_is_stopped_with_429_and_retry_after(employer, locked_link):
    for _ in range(PASSCODE_ATTEMPTS_PER_CLIENT):
        assert employer.post(public_path(locked_link), {"passcode": "guess"}).status_code == 403
    response = employer.post(public_path(locked_link), {"passcode": PASSCODE})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    assert "Too many attempts" in response.text
    lockouts = AuditEvent.objects.filter(action=ShareLinkAction.PASSCODE_LOCKOUT)
    assert lockouts.count() == 1
    assert PASSCODE not in lockouts.get().detail


def test_another_client_can_still_try_while_one_is_locked_out(locked_link, credential):
    guesser = Client(REMOTE_ADDR="198.51.100.1")
    for _ in range(PASSCODE_ATTEMPTS_PER_CLIENT):
        guesser.post(public_path(locked_link), {"passcode": "guess"})
    assert guesser.post(public_path(locked_link), {"passcode": PASSCODE}).status_code == 429
    reader = Client(REMOTE_ADDR="198.51.100.2")
    assert reader.post(public_path(locked_link), {"passcode": PASSCODE}).status_code == 302
    assert credential.name in reader.get(public_path(locked_link)).text


class Clock:
    """The passcode gate's clock, moved by hand: waits pass without sleeping."""

    def __init__(self) -> None:
        self.now = time.time()

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(access, "time", clock)
    return clock


def guess_from(address: str, link, passcode: str = "guess") -> int:
    return Client(REMOTE_ADDR=address).post(public_path(link), {"passcode": passcode}).status_code


def test_an_attacker_from_12_addresses_cannot_lock_the_reader_out(locked_link, credential):
    for n in range(12):
        for _ in range(PASSCODE_ATTEMPTS_PER_CLIENT):
            assert guess_from(f"198.51.100.{n + 10}", locked_link) in {403, 429}
    reader = Client(REMOTE_ADDR="203.0.113.7")
    assert reader.post(public_path(locked_link), {"passcode": PASSCODE}).status_code == 302
    assert credential.name in reader.get(public_path(locked_link)).text


def test_the_right_passcode_still_opens_the_link_after_many_wrong_ones(
    locked_link, credential, clock
):
    for n in range(40):
        guess_from(f"198.51.100.{n + 10}", locked_link)
    reader = Client(REMOTE_ADDR="203.0.113.7")
    assert reader.post(public_path(locked_link), {"passcode": "a typo"}).status_code == 403
    refused = reader.post(public_path(locked_link), {"passcode": PASSCODE})
    assert refused.status_code == 429
    wait = int(refused["Retry-After"])
    assert 0 < wait <= PASSCODE_BACKOFF_MAX_SECONDS
    assert "Try again in" in refused.text
    # Guessers hammering the link meanwhile do not spend the reader's turn.
    for n in range(20):
        guess_from(f"192.0.2.{n + 10}", locked_link)
    clock.advance(wait)
    assert reader.post(public_path(locked_link), {"passcode": PASSCODE}).status_code == 302
    assert credential.name in reader.get(public_path(locked_link)).text


def test_each_guess_waits_longer_once_the_link_is_guessed_at(locked_link, clock):
    for n in range(PASSCODE_FREE_FAILURES_PER_LINK):
        assert guess_from(f"198.51.100.{n + 10}", locked_link) == 403
    guesser = Client(REMOTE_ADDR="203.0.113.66")
    waits = []
    for _ in range(3):
        assert guesser.post(public_path(locked_link), {"passcode": "guess"}).status_code == 403
        refused = guesser.post(public_path(locked_link), {"passcode": "guess"})
        assert refused.status_code == 429
        waits.append(int(refused["Retry-After"]))
        clock.advance(waits[-1])
    assert waits == [2, 4, 8]
    assert passcode_backoff(10_000) == PASSCODE_BACKOFF_MAX_SECONDS
    lockouts = AuditEvent.objects.filter(action=ShareLinkAction.PASSCODE_LOCKOUT)
    assert [event.detail for event in lockouts] == ["per link"]


def test_ipv6_addresses_in_one_64_share_a_key():
    key = services.client_key("2001:db8:1:2::1")
    assert services.client_key("2001:db8:1:2:ffff:ffff:ffff:fffe") == key
    assert services.client_key("2001:db8:1:3::1") != key
    assert services.client_key("::ffff:192.0.2.1") == services.client_key("192.0.2.1")
    assert services.client_key("192.0.2.1") != services.client_key("192.0.2.2")


def test_a_guesser_cannot_dodge_the_client_limit_within_its_ipv6_64(locked_link):
    for n in range(PASSCODE_ATTEMPTS_PER_CLIENT):
        assert guess_from(f"2001:db8:1:2::{n + 1}", locked_link) == 403
    assert guess_from("2001:db8:1:2:abcd::1", locked_link, PASSCODE) == 429
    assert guess_from("2001:db8:1:3::1", locked_link, PASSCODE) == 302


def test_the_learner_is_told_once_when_the_link_is_guessed_at(
    locked_link, learner, learner_client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(PASSCODE_GUESSING_ALERT - 1):
            guess_from(f"198.51.100.{n + 10}", locked_link)
        assert mailoutbox == []
        for n in range(PASSCODE_GUESSING_ALERT + 5):
            guess_from(f"192.0.2.{n + 10}", locked_link)
        # Another worker's cache, or a cleared one, does not tell the learner twice a day.
        cache.clear()
        for n in range(PASSCODE_GUESSING_ALERT + 5):
            guess_from(f"203.0.113.{n + 10}", locked_link)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [learner.email]
    assert locked_link.title in mailoutbox[0].subject
    assert locked_link.get_absolute_url() in mailoutbox[0].body
    assert PASSCODE not in mailoutbox[0].body
    locked_link.refresh_from_db()
    assert locked_link.passcode_guessed_at is not None
    page = learner_client.get(locked_link.get_absolute_url())
    assert "Someone typed a wrong passcode for this link many times" in page.text
    assert "Someone is guessing its passcode" in learner_client.get("/share/").text


def test_the_learner_is_told_again_on_another_day(locked_link, mailoutbox):
    assert services.tell_passcode_guessing(link=locked_link)
    assert not services.tell_passcode_guessing(link=locked_link)
    ShareLink.objects.filter(pk=locked_link.pk).update(
        passcode_guessed_at=timezone.now() - timedelta(days=1, minutes=1)
    )
    assert services.tell_passcode_guessing(link=locked_link)


def test_a_new_passcode_clears_the_guessing_notice(locked_link, learner):
    services.tell_passcode_guessing(link=locked_link)
    services.update_share_link(
        link=locked_link,
        actor=learner,
        title=locked_link.title,
        selection=services.Selection.of(credentials=locked_link.credentials.all()),
        expires_at=locked_link.expires_at,
        passcode="a-brand-new-one",
    )
    locked_link.refresh_from_db()
    assert locked_link.passcode_guessed_at is None


@pytest.mark.parametrize(
    "data",
    [{}, {"passcode": ""}, {"passcode": "x" * 10_000}, {"passcode": "\x00\x01"}, {"other": "1"}],
)
def test_malformed_passcodes_are_a_4xx_never_a_500(employer, locked_link, data):
    response = employer.post(public_path(locked_link), data)
    assert 400 <= response.status_code < 500


def test_the_passcode_post_needs_a_csrf_token_and_passes_with_same_origin_referrer(
    locked_link, settings
):
    strict = Client(enforce_csrf_checks=True)
    page = strict.get(public_path(locked_link))
    token = page.text.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert strict.post(public_path(locked_link), {"passcode": PASSCODE}).status_code == 403
    response = strict.post(
        public_path(locked_link),
        {"passcode": PASSCODE, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def test_a_new_passcode_or_address_locks_the_page_again(employer, locked_link, learner):
    employer.post(public_path(locked_link), {"passcode": PASSCODE})
    assert 'name="passcode"' not in employer.get(public_path(locked_link)).text
    services.update_share_link(
        link=locked_link,
        actor=learner,
        title=locked_link.title,
        selection=services.Selection.of(credentials=locked_link.credentials.all()),
        expires_at=locked_link.expires_at,
        passcode="a-brand-new-one",
    )
    assert 'name="passcode"' in employer.get(public_path(locked_link)).text


def test_rate_limits_keep_counting_in_the_database_when_redis_is_down(locked_link):
    failover = {
        "default": {
            "BACKEND": "config.cache.FailoverRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"fallback": "database"},
        },
        "database": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cache_fallback",
        },
    }
    with override_settings(CACHES=failover):
        call_command("createcachetable", verbosity=0)
        client = Client()
        for _ in range(PASSCODE_ATTEMPTS_PER_CLIENT):
            assert client.post(public_path(locked_link), {"passcode": "guess"}).status_code == 403
        assert client.post(public_path(locked_link), {"passcode": PASSCODE}).status_code == 429
        assert caches["database"].get(f"share-passcode:link:{locked_link.uuid}:count") == 5


def test_a_new_address_asks_for_the_passcode_again(employer, locked_link, learner):
    employer.post(public_path(locked_link), {"passcode": PASSCODE})
    services.regenerate_share_link(link=locked_link, actor=learner)
    locked_link.refresh_from_db()
    assert 'name="passcode"' in employer.get(public_path(locked_link)).text
