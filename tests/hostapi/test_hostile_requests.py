"""Hostile or broken requests get a clear error, never a 500, and change nothing."""

import pytest

from wallet.hostapi.models import PlatformClient, PlatformToken


@pytest.mark.parametrize(
    "overrides",
    [
        {"redirect_uris": [1]},
        {"redirect_uris": "https://127.0.0.1/cb"},
        {"redirect_uris": [None]},
        {"client_name": 5},
        {"client_name": "x" * 500},
        {"scope": 5},
        {"scope": ["a"]},
        {"grant_types": "authorization_code"},
        {"grant_types": ["client_credentials"]},
        {"response_types": ["token"]},
        {"logo_uri": 5},
        {"client_uri": "javascript:alert(1)"},
        {"client_uri": None},
        {"software_id": {"a": 1}},
        {"redirect_uris": [f"https://127.0.0.1/{n}" for n in range(11)]},
    ],
)
def test_hostile_registrations_are_refused_with_a_reason(platform, overrides):
    platform.discover()
    answer = platform.register(**overrides)
    assert answer.status_code == 400, answer.content
    assert answer.json()["error"] in {"invalid_client_metadata", "invalid_redirect_uri"}
    assert not PlatformClient.objects.exists()


def test_a_huge_registration_is_refused(platform):
    platform.discover()
    answer = platform.register(client_name="x" * 20_000)
    assert answer.status_code == 413


@pytest.mark.parametrize(
    "form",
    [
        {},
        {"grant_type": "password", "username": "a", "password": "b"},
        {"grant_type": "authorization_code"},
        {"grant_type": "authorization_code", "code": "nope", "code_verifier": "x" * 50},
        {"grant_type": "refresh_token", "refresh_token": "nope"},
        {"grant_type": "client_credentials"},
    ],
)
def test_bad_token_requests_are_refused(connected, form):
    before = PlatformToken.objects.count()
    answer = connected.token_request(form)
    assert answer.status_code in {400, 401}, answer.content
    assert "error" in answer.json()
    assert PlatformToken.objects.count() == before


def test_a_token_request_without_client_authentication_is_refused(connected):
    answer = connected.http.post(
        "/oauth/token",
        "grant_type=refresh_token&refresh_token=" + connected.refresh_token,
        content_type="application/x-www-form-urlencoded",
        secure=True,
    )
    assert answer.status_code in {400, 401}
    assert answer.json()["error"] == "invalid_client"


def test_a_non_ascii_or_empty_upsert_is_refused(connected):
    for body, content_type in [
        ("é.é.é", "text/plain"),
        ("", "application/json"),
        ('"just a string"', "application/json"),
        ("a.b.c", "text/plain"),
    ]:
        answer = connected.upsert("ob", body, content_type)
        assert answer.status_code == 400, (body, answer.content)


def test_an_unknown_client_on_the_consent_page_gets_a_page_not_a_redirect(platform, learner_client):
    platform.discover()
    platform.register()
    platform.client_id = "unknown"
    answer = learner_client.get(platform.authorization_path(), secure=True)
    assert answer.status_code == 400
