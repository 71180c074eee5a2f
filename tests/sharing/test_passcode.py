"""The passcode gate: hashed, rate-limited per link and per client, never a 500."""

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client, override_settings

from credentials.models import AuditEvent
from sharing import services
from sharing.audit import ShareLinkAction
from sharing.services.access import PASSCODE_ATTEMPTS_PER_CLIENT, PASSCODE_ATTEMPTS_PER_LINK
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


def test_many_clients_together_are_stopped_per_link(locked_link):
    for n in range(PASSCODE_ATTEMPTS_PER_LINK):
        client = Client(REMOTE_ADDR=f"198.51.100.{n + 10}")
        assert client.post(public_path(locked_link), {"passcode": "guess"}).status_code == 403
    fresh = Client(REMOTE_ADDR="198.51.100.250")
    assert fresh.post(public_path(locked_link), {"passcode": PASSCODE}).status_code == 429


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
