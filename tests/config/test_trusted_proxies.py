"""Who the client is behind our proxies: one setting, TRUSTED_PROXY_COUNT, for every limit.

Behind the TLS proxy README recommends, REMOTE_ADDR is the proxy for everyone; the client
is read from X-Forwarded-For counted from the right, and whatever the client put on the
left of that header changes nothing.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.account.adapter import get_adapter
from django.conf import settings
from django.test import Client, RequestFactory, override_settings
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle

from credentials.clients import client_address
from sharing import services
from tests.sharing.conftest import PASSCODE, import_signed, make_link, public_path

ROOT = Path(__file__).resolve().parent.parent.parent
PROXY = "10.0.0.2"


def forwarded(header: str = "", remote_addr: str = PROXY):
    extra = {"HTTP_X_FORWARDED_FOR": header} if header else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, **extra)


behind_one_proxy = override_settings(
    TRUSTED_PROXY_COUNT=1,
    ALLAUTH_TRUSTED_PROXY_COUNT=1,
    REST_FRAMEWORK={**settings.REST_FRAMEWORK, "NUM_PROXIES": 1},
)


def test_with_no_trusted_proxy_the_client_is_the_peer_and_the_header_is_ignored():
    assert settings.TRUSTED_PROXY_COUNT == 0
    assert client_address(forwarded("203.0.113.7", remote_addr="198.51.100.1")) == "198.51.100.1"


@behind_one_proxy
def test_behind_one_proxy_the_client_is_the_address_the_proxy_appended():
    assert client_address(forwarded("198.51.100.1")) == "198.51.100.1"
    assert client_address(forwarded("6.6.6.6, 198.51.100.1")) == "198.51.100.1"
    assert client_address(forwarded("2001:db8::1")) == "2001:db8::1"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_behind_two_proxies_the_client_is_second_from_the_right():
    assert client_address(forwarded("6.6.6.6, 198.51.100.1, 10.0.0.1")) == "198.51.100.1"


@override_settings(TRUSTED_PROXY_COUNT=2)
@pytest.mark.parametrize("header", ["198.51.100.1", "not-an-address, 10.0.0.1"])
def test_a_header_that_did_not_come_through_our_proxies_falls_back_to_the_peer(header):
    assert client_address(forwarded(header)) == PROXY


@pytest.fixture
def link(learner):
    return make_link(learner, [import_signed(learner)], passcode=PASSCODE)


@pytest.fixture
def passcode_keys(monkeypatch):
    """The client key of each passcode attempt, as the view hands it to the service."""
    keys = []
    check = services.check_passcode

    def spy(**kwargs):
        keys.append(kwargs["client"])
        return check(**kwargs)

    monkeypatch.setattr(services, "check_passcode", spy)
    return keys


def attempt(link, header: str, passcode: str = "wrong-guess") -> int:
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header)
    return client.post(public_path(link), {"passcode": passcode}).status_code


@pytest.mark.django_db
@behind_one_proxy
def test_behind_a_proxy_the_passcode_limit_keys_on_the_real_client(link, passcode_keys):
    attempt(link, "198.51.100.1")
    attempt(link, "198.51.100.2")
    assert passcode_keys[0] != passcode_keys[1]
    assert passcode_keys[0] == services.client_key("198.51.100.1")


@pytest.mark.django_db
@behind_one_proxy
def test_a_forged_leftmost_address_does_not_change_the_passcode_key(link, passcode_keys):
    for forged in ["6.6.6.1", "6.6.6.2", "2001:db8::66"]:
        attempt(link, f"{forged}, 198.51.100.1")
    attempt(link, "198.51.100.1")
    assert len(set(passcode_keys)) == 1


@pytest.mark.django_db
@behind_one_proxy
def test_a_guesser_behind_the_proxy_does_not_lock_out_the_real_reader(link):
    answers = {attempt(link, f"6.6.6.{n}, 198.51.100.1") for n in range(10)}
    assert 429 in answers
    assert attempt(link, "6.6.6.99, 198.51.100.1", PASSCODE) == 429
    assert attempt(link, "198.51.100.2", PASSCODE) == 302


def anonymous_throttle_key(header: str) -> str:
    return AnonRateThrottle().get_cache_key(Request(forwarded(header)), view=None)


@behind_one_proxy
def test_a_forged_leftmost_address_does_not_change_the_api_throttle_key():
    real = anonymous_throttle_key("198.51.100.1")
    assert anonymous_throttle_key("6.6.6.6, 198.51.100.1") == real
    assert anonymous_throttle_key("6.6.6.7, 198.51.100.1") == real
    assert anonymous_throttle_key("198.51.100.2") != real


@behind_one_proxy
def test_logins_are_counted_against_the_same_client():
    request = forwarded("6.6.6.6, 198.51.100.1")
    assert get_adapter(request).get_client_ip(request) == client_address(request)


def test_the_one_setting_feeds_passcodes_allauth_and_the_api():
    """Read as the settings file reads it, in a process of its own."""
    script = (
        "import django, json; django.setup()\n"
        "from django.conf import settings as s\n"
        "print(json.dumps([s.TRUSTED_PROXY_COUNT, s.ALLAUTH_TRUSTED_PROXY_COUNT,"
        " s.REST_FRAMEWORK['NUM_PROXIES']]))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "TRUSTED_PROXY_COUNT": "1"}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [1, 1, 1]
