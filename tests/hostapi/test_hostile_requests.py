"""Hostile or broken requests get a clear error, never a 500, and change nothing."""

import base64

import pytest

from credentials.models import Credential
from tests.hostapi.platform import BASES
from wallet.hostapi.models import Delivery, PlatformClient, PlatformToken, ProfileSuggestion


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


DEEP = "[" * 5000 + "]" * 5000


def _jws(payload: bytes) -> str:
    header = b'{"alg": "ES256", "typ": "JWT"}'
    return ".".join(
        base64.urlsafe_b64encode(raw).decode().rstrip("=") for raw in (header, payload, b"sig")
    )


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (DEEP, "application/json"),
        ('{"type": ["OpenBadgeCredential"], "x": ' + DEEP + "}", "application/json"),
        (
            '{"type": ["VerifiableCredential", "OpenBadgeCredential"], '
            '"id": "\\ud800", "issuer": "\\ud800"}',
            "application/json",
        ),
        (
            '{"type": ["VerifiableCredential", "OpenBadgeCredential"], '
            '"id": "urn:x:a\\u0000", "issuer": "did:x:b"}',
            "application/json",
        ),
        (
            _jws(
                b'{"type": ["VerifiableCredential", "OpenBadgeCredential"], '
                b'"id": "\\ud800", "issuer": "\\ud800"}'
            ),
            "text/plain",
        ),
    ],
    ids=["deep", "deep-field", "lone-surrogate", "nul", "jws-lone-surrogate"],
)
def test_an_upsert_that_no_database_could_store_is_refused(connected, body, content_type):
    answer = connected.upsert("ob", body, content_type)
    assert answer.status_code == 400, answer.content
    assert not Credential.objects.exists()
    assert not Delivery.objects.exists()


@pytest.mark.parametrize(
    "body",
    [DEEP, '{"name": "\\ud800"}', '{"description": "About me\\u0000"}'],
    ids=["deep", "lone-surrogate", "nul"],
)
def test_a_profile_change_that_no_database_could_store_is_refused(connected, body):
    answer = connected.http.put(
        f"{BASES['ob']}/profile",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {connected.access_token}",
        secure=True,
    )
    assert answer.status_code == 400, answer.content
    assert not ProfileSuggestion.objects.exists()


def test_a_deeply_nested_registration_is_refused(platform):
    platform.discover()
    answer = platform.http.post(
        "/oauth/register", DEEP, content_type="application/json", secure=True
    )
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_client_metadata"
    assert not PlatformClient.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"client_name": "Academy \ud800"},
        {"software_id": "a\u0000b"},
        {"redirect_uris": ["http://127.0.0.1:99999/callback"]},
        {"redirect_uris": ["https://127.0.0.1:port/callback"]},
        {"client_uri": "https://127.0.0.1:99999/"},
    ],
    ids=["lone-surrogate", "nul", "port-out-of-range", "port-not-a-number", "client-uri-port"],
)
def test_a_registration_with_unusable_text_is_refused(platform, overrides):
    platform.discover()
    answer = platform.register(**overrides)
    assert answer.status_code == 400, answer.content
    assert answer.json()["error"] in {"invalid_client_metadata", "invalid_redirect_uri"}
    assert not PlatformClient.objects.exists()


@pytest.mark.parametrize("api", ["ob", "clr"])
@pytest.mark.parametrize(
    "since", ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59"], ids=["late", "early"]
)
def test_a_since_outside_the_calendar_in_utc_is_refused(connected, api, since):
    answer = connected.get_credentials(api, since=since)
    assert answer.status_code == 400
    assert "since" in answer.json()["imsx_description"]


@pytest.mark.parametrize("endpoint", ["/oauth/token", "/oauth/revoke"])
def test_basic_credentials_that_are_not_utf8_are_refused(connected, endpoint):
    before = PlatformToken.objects.filter(revoked_at__isnull=True).count()
    answer = connected.http.post(
        endpoint,
        f"grant_type=refresh_token&refresh_token={connected.refresh_token}"
        f"&token={connected.refresh_token}",
        content_type="application/x-www-form-urlencoded",
        HTTP_AUTHORIZATION="Basic " + base64.b64encode(b"\xff\xfe:\xfd").decode(),
        secure=True,
    )
    assert answer.status_code == 401
    assert answer.json()["error"] == "invalid_client"
    assert PlatformToken.objects.filter(revoked_at__isnull=True).count() == before
