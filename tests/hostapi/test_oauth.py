"""OAuth 2.0 of the host API: registration (RFC 7591), consent with PKCE S256 (RFC 7636),
tokens kept only as hashes, refresh, revocation (RFC 7009)."""

import hashlib
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from credentials.models import AuditEvent
from tests.hostapi.platform import OB, StandInPlatform
from wallet.hostapi.models import PlatformClient, PlatformConnection, PlatformToken


def test_registration_answers_the_client_its_id_and_secret_and_keeps_only_a_hash(platform):
    platform.discover()
    response = platform.register()
    assert response.status_code == 201
    body = response.json()
    assert body["client_name"] == "Example Academy"
    assert body["redirect_uris"] == [platform.redirect_uri]
    row = PlatformClient.objects.get(client_id=body["client_id"])
    assert row.client_secret_hash == hashlib.sha256(body["client_secret"].encode()).hexdigest()
    assert body["client_secret"] not in str(PlatformClient.objects.values().get(pk=row.pk))
    assert AuditEvent.objects.filter(action="platform.registered").count() == 1


def test_the_logo_is_fetched_once_re_encoded_and_served_by_the_wallet(platform, learner_client):
    platform.discover()
    client_id = platform.register().json()["client_id"]
    row = PlatformClient.objects.get(client_id=client_id)
    served = learner_client.get(f"/platforms/{row.uuid}/logo.png")
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")
    page = learner_client.get(platform.authorization_path(), secure=True).content.decode()
    assert f"/platforms/{row.uuid}/logo.png" in page
    assert platform.site.url("/logo.png") not in page


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"redirect_uris": ["http://platform.example/callback"]}, "invalid_redirect_uri"),
        (
            {
                "client_uri": "https://platform.example/",
                "redirect_uris": ["https://elsewhere.example/cb"],
            },
            "invalid_redirect_uri",
        ),
        ({"redirect_uris": []}, "invalid_redirect_uri"),
        ({"scope": "https://example.org/scope/everything"}, "invalid_client_metadata"),
        ({"scope": ""}, "invalid_client_metadata"),
        ({"token_endpoint_auth_method": "none"}, "invalid_client_metadata"),
        ({"client_name": ""}, "invalid_client_metadata"),
        ({"logo_uri": "https://cdn.example/logo.png"}, "invalid_client_metadata"),
    ],
)
def test_it_refuses_a_bad_registration(platform, overrides, error):
    platform.discover()
    response = platform.register(**overrides)
    assert response.status_code == 400
    assert response.json()["error"] == error
    assert not PlatformClient.objects.exists()


def test_it_refuses_a_registration_that_is_not_json(platform):
    platform.discover()
    response = platform.http.post(
        "/oauth/register", "{not json", content_type="application/json", secure=True
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_client_metadata"


def test_registration_is_rate_limited_per_address(platform):
    platform.discover()
    answers = [platform.register().status_code for _ in range(11)]
    assert answers[:10] == [201] * 10
    assert answers[10] == 429


def test_a_registration_never_used_expires(platform, learner_client):
    platform.discover()
    platform.register()
    PlatformClient.objects.update(created_at=timezone.now() - timedelta(days=2))
    page = learner_client.get(platform.authorization_path(), secure=True)
    assert page.status_code == 400
    other = StandInPlatform(http=platform.http, site=platform.site, name="Other")
    other.discover()
    assert other.register().status_code == 201
    assert list(PlatformClient.objects.values_list("name", flat=True)) == ["Other"]


def test_consent_needs_a_logged_in_learner(platform, employer):
    platform.discover()
    platform.register()
    answer = employer.get(platform.authorization_path(), secure=True)
    assert answer.status_code == 302
    assert "/accounts/login/" in answer["Location"]


def test_it_refuses_an_authorization_request_without_pkce_or_with_plain(platform, learner_client):
    platform.discover()
    platform.register()
    without = platform.authorization_path(code_challenge="", code_challenge_method="")
    answer = learner_client.get(without, secure=True)
    assert answer.status_code == 302
    assert parse_qs(urlsplit(answer["Location"]).query)["error"] == ["invalid_request"]
    plain = platform.authorization_path(code_challenge_method="plain")
    assert "error=invalid_request" in learner_client.get(plain, secure=True)["Location"]


def test_an_unknown_redirect_is_never_followed(platform, learner_client):
    platform.discover()
    platform.register()
    path = platform.authorization_path(redirect_uri=platform.site.url("/elsewhere"))
    answer = learner_client.get(path, secure=True)
    assert answer.status_code == 400
    assert "cannot be used" in answer.content.decode()


def test_a_wrong_verifier_is_refused_and_the_code_cannot_be_tried_again(platform, learner_client):
    platform.discover()
    platform.register()
    path = platform.authorization_path()
    code = platform.code_from(
        learner_client.post(path, {"decision": "approve"}, secure=True)["Location"]
    )
    wrong = platform.exchange(code, verifier="x" * 50)
    assert wrong.status_code == 400
    assert wrong.json()["error"] == "invalid_grant"
    assert platform.exchange(code).status_code == 200
    assert platform.exchange(code).status_code == 400


def test_the_token_endpoint_needs_the_client_secret(platform, learner_client):
    platform.discover()
    platform.register()
    path = platform.authorization_path()
    code = platform.code_from(
        learner_client.post(path, {"decision": "approve"}, secure=True)["Location"]
    )
    answer = platform.token_request(
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": platform.redirect_uri,
            "code_verifier": platform.verifier,
        },
        secret="wrong",
    )
    assert answer.status_code == 401
    assert answer.json()["error"] == "invalid_client"


def test_tokens_are_stored_only_as_hashes(connected):
    row = PlatformToken.objects.get()
    assert row.access_token_hash == hashlib.sha256(connected.access_token.encode()).hexdigest()
    assert row.refresh_token_hash == hashlib.sha256(connected.refresh_token.encode()).hexdigest()
    stored = str(list(PlatformToken.objects.values()))
    assert connected.access_token not in stored and connected.refresh_token not in stored


def test_refusing_sends_the_platform_access_denied_and_is_audited(platform, learner_client):
    platform.discover()
    platform.register()
    path = platform.authorization_path()
    answer = learner_client.post(path, {"decision": "refuse"}, secure=True)
    params = parse_qs(urlsplit(answer["Location"]).query)
    assert params["error"] == ["access_denied"]
    assert params["state"] == [platform.state]
    assert not PlatformConnection.objects.exists()
    assert AuditEvent.objects.filter(action="platform.refused").count() == 1


def test_a_refresh_token_rotates_and_the_old_one_stops(connected):
    old_refresh = connected.refresh_token
    assert connected.refresh().status_code == 200
    assert connected.refresh_token != old_refresh
    connected.refresh_token = old_refresh
    assert connected.refresh().json()["error"] == "invalid_grant"


def test_an_expired_access_token_is_refused(connected):
    PlatformToken.objects.update(issued_at=timezone.now() - timedelta(hours=2))
    answer = connected.get_credentials("ob")
    assert answer.status_code == 401
    assert (
        answer.json()["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"]
        == "unauthorizedrequest"
    )


def test_a_revoked_token_stops_with_its_refresh_token(connected):
    assert connected.revoke(connected.access_token).status_code == 200
    assert connected.get_credentials("ob").status_code == 401
    assert connected.refresh().status_code == 400


def test_revoking_an_unknown_token_is_not_an_error(connected):
    assert connected.revoke("swa_not-a-token").status_code == 200


def test_a_scope_the_learner_did_not_grant_is_refused(platform, learner_client):
    platform.connect(learner_client, scope=OB + "credential.readonly")
    answer = platform.upsert("ob", "{}")
    assert answer.status_code == 403
    field = answer.json()["imsx_codeMinor"]["imsx_codeMinorField"][0]
    assert field["imsx_codeMinorFieldValue"] == "forbidden"
    assert platform.get_credentials("ob").status_code == 200


def test_discovery_names_the_endpoints_the_wallet_serves(platform):
    document = platform.discover()
    scheme = document["components"]["securitySchemes"]["OAuth2ACG"]
    assert scheme["type"] == "oauth2"
    assert set(scheme["flows"]["authorizationCode"]["scopes"]) == {
        OB + "credential.readonly",
        OB + "credential.upsert",
        OB + "profile.readonly",
        OB + "profile.update",
    }
    assert document["info"]["x-imssf-image"]
    assert urlsplit(platform.endpoints["register"]).path == "/oauth/register"
