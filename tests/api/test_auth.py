"""Authentication, scopes, throttles and the one error shape."""

import logging
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.throttling import SimpleRateThrottle

from credentials.models import AuditEvent
from tests.api.conftest import ApiClient, assert_error, token_client
from tests.api.test_token_pages import confirm_password
from wallet.audit import AccountAction
from wallet.models import ApiToken, ApiTokenScope
from wallet.tokens import create_api_token, hash_token, revoke_api_token

pytestmark = pytest.mark.django_db


def test_a_token_reads_as_its_owner(api, learner):
    response = api.get("/api/v1/me/")

    assert response.status_code == 200
    assert response.json()["email"] == learner.email


def test_no_credentials_is_a_401_with_a_bearer_challenge(anonymous):
    response = anonymous.get("/api/v1/me/")

    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize(
    "header",
    ["Bearer swt_not-a-real-token", "Bearer", "Bearer two parts", "Bearer \u00e9t\u00e9"],
)
def test_a_bad_token_is_a_401(header):
    response = Client().get("/api/v1/me/", headers={"Authorization": header})

    assert_error(response, 401, "invalid_token")


def test_an_expired_token_is_a_401(learner):
    made = create_api_token(
        owner=learner, name="old", expires_at=timezone.now() + timedelta(minutes=1)
    )
    ApiToken.objects.filter(pk=made.api_token.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    assert_error(ApiClient(made.token).get("/api/v1/me/"), 401, "token_expired")


def test_a_revoked_token_stops_at_once(learner):
    made = create_api_token(owner=learner, name="script")
    client = ApiClient(made.token)
    assert client.get("/api/v1/me/").status_code == 200

    revoke_api_token(api_token=made.api_token, actor=learner)

    assert_error(client.get("/api/v1/me/"), 401, "token_revoked")


def test_a_disabled_account_token_is_a_401(learner):
    client = token_client(learner)
    learner.is_active = False
    learner.save()

    assert_error(client.get("/api/v1/me/"), 401, "invalid_token")


def test_a_read_token_reads_but_never_writes(learner):
    client = token_client(learner, scope=ApiTokenScope.READ)

    assert client.get("/api/v1/credentials/").status_code == 200
    assert_error(
        client.send("post", "/api/v1/collections/", {"name": "Nope"}), 403, "insufficient_scope"
    )
    assert_error(client.send("patch", "/api/v1/me/", {"bio": "x"}), 403, "insufficient_scope")


def test_the_token_is_stored_only_as_its_hash(learner):
    made = create_api_token(owner=learner, name="script")
    row = ApiToken.objects.get(pk=made.api_token.pk)

    assert made.token.startswith("swt_")
    assert row.token_hash == hash_token(made.token)
    stored = [str(value) for value in ApiToken.objects.filter(pk=row.pk).values().first().values()]
    assert made.token not in stored
    assert row.prefix == made.token[:12]


def test_last_use_is_written_at_most_once_a_minute(learner):
    made = create_api_token(owner=learner, name="script")
    client = ApiClient(made.token)

    client.get("/api/v1/me/")
    first = ApiToken.objects.get(pk=made.api_token.pk).last_used_at
    client.get("/api/v1/me/")
    assert ApiToken.objects.get(pk=made.api_token.pk).last_used_at == first

    ApiToken.objects.filter(pk=made.api_token.pk).update(
        last_used_at=timezone.now() - timedelta(minutes=2)
    )
    client.get("/api/v1/me/")
    assert ApiToken.objects.get(pk=made.api_token.pk).last_used_at > first


def test_a_token_never_reaches_the_logs(learner, caplog):
    made = create_api_token(owner=learner, name="script")
    caplog.set_level(logging.DEBUG)

    ApiClient(made.token).get("/api/v1/me/")
    ApiClient(made.token + "x").get("/api/v1/me/")

    assert made.token not in caplog.text
    assert made.token[12:30] not in caplog.text


def test_a_session_reads_and_writes_with_its_csrf_token(learner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    assert client.get("/api/v1/me/").status_code == 200

    refused = client.patch("/api/v1/me/", {"bio": "x"}, content_type="application/json")
    assert_error(refused, 403, "csrf_failed")

    page = client.get("/api/docs/")
    token = page.context["csrf_token"]
    accepted = client.patch(
        "/api/v1/me/",
        {"bio": "Hello"},
        content_type="application/json",
        headers={"X-CSRFToken": str(token)},
    )
    assert accepted.status_code == 200
    assert accepted.json()["bio"] == "Hello"


def test_tokens_are_made_from_a_session_not_from_a_token(api, learner, learner_client):
    assert_error(api.send("post", "/api/v1/tokens/", {"name": "more"}), 403, "session_required")
    confirm_password(learner_client)

    response = learner_client.post(
        "/api/v1/tokens/", {"name": "CI", "scope": "read_write"}, content_type="application/json"
    )

    assert response.status_code == 201
    body = response.json()
    assert body["token"].startswith("swt_")
    assert ApiToken.objects.get(uuid=body["uuid"]).token_hash == hash_token(body["token"])
    listed = api.get("/api/v1/tokens/").json()
    assert "token" not in listed["results"][0]
    assert AuditEvent.objects.filter(action=AccountAction.TOKEN_CREATED, actor=learner).exists()


def test_a_token_is_revoked_through_the_api_and_audited(api, learner, other_api):
    made = create_api_token(owner=learner, name="old script")
    path = f"/api/v1/tokens/{made.api_token.uuid}/"

    assert_error(other_api.delete(path), 404, "not_found")
    assert api.delete(path).status_code == 204

    assert_error(ApiClient(made.token).get("/api/v1/me/"), 401, "token_revoked")
    assert AuditEvent.objects.filter(action=AccountAction.TOKEN_REVOKED, actor=learner).exists()


def test_making_a_token_refuses_bad_input(learner_client):
    confirm_password(learner_client)

    def post(data):
        return learner_client.post("/api/v1/tokens/", data, content_type="application/json")

    assert_error(post({}), 400, "invalid")
    assert_error(post({"name": "x", "scope": "admin"}), 400, "invalid")
    past = (timezone.now() - timedelta(days=1)).isoformat()
    assert_error(post({"name": "x", "expires_at": past}), 422, "expiry")


@pytest.fixture
def tight_rates(monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", "5/min")
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "token", "3/min")


def test_each_token_has_its_own_budget(learner, tight_rates):
    first, second = token_client(learner), token_client(learner)
    for _ in range(3):
        assert first.get("/api/v1/me/").status_code == 200

    refused = first.get("/api/v1/me/")

    assert_error(refused, 429, "throttled")
    assert int(refused["Retry-After"]) > 0
    assert second.get("/api/v1/me/").status_code == 200


def test_the_user_budget_spans_every_token_and_the_session(learner, learner_client, tight_rates):
    clients = [token_client(learner), token_client(learner), learner_client]
    answers = [clients[n % 3].get("/api/v1/me/").status_code for n in range(6)]

    assert answers == [200] * 5 + [429]


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "code"),
    [
        ("get", "/api/v1/nowhere/", {}, 404, "not_found"),
        ("get", "/api/v1/credentials/not-a-uuid/", {}, 404, "not_found"),
        ("put", "/api/v1/me/", {"content_type": "application/json"}, 405, "method_not_allowed"),
        (
            "post",
            "/api/v1/collections/",
            {"data": "x", "content_type": "text/plain"},
            415,
            "unsupported_media_type",
        ),
        (
            "post",
            "/api/v1/collections/",
            {"data": "{not json", "content_type": "application/json"},
            400,
            "parse_error",
        ),
    ],
)
def test_every_error_has_the_one_shape(api, method, path, kwargs, status, code):
    response = getattr(api, method)(path, **kwargs)

    assert_error(response, status, code)


def test_a_too_large_body_is_a_413_before_it_is_read(api):
    body = b'{"text": "' + b"a" * (7 * 1024 * 1024) + b'"}'

    response = api.post("/api/v1/credentials/import/text/", body, content_type="application/json")

    assert_error(response, 413, "too_large")


def test_errors_answer_json_whatever_the_accept_header(api):
    response = api.get(
        "/api/v1/credentials/00000000-0000-0000-0000-000000000000/",
        headers={"Accept": "application/pdf"},
    )

    assert_error(response, 404, "not_found")


def test_every_operation_needs_credentials(anonymous):
    schema = anonymous.get("/api/schema/?format=json").json()
    checked = 0
    for path, item in schema["paths"].items():
        concrete = re.sub(r"\{[a-z_]+\}", "00000000-0000-0000-0000-000000000000", path)
        for method in item.keys() & {"get", "post", "put", "patch", "delete"}:
            assert_error(anonymous.send(method, concrete, {}), 401, "not_authenticated")
            checked += 1

    assert checked >= 40
