"""The learner's API token pages: make (shown once), list, revoke."""

import re

import pytest
from django.test import Client

from credentials.models import AuditEvent
from tests.api.conftest import ApiClient, assert_error
from wallet.audit import AccountAction
from wallet.models import ApiToken
from wallet.tokens import create_api_token, hash_token

pytestmark = pytest.mark.django_db

TOKEN_RE = re.compile(r'value="(swt_[A-Za-z0-9_-]+)"')


def test_the_pages_need_a_login(learner):
    made = create_api_token(owner=learner, name="script")

    for path in ["/api/tokens/", f"/api/tokens/{made.api_token.uuid}/revoke/"]:
        response = Client().get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_a_new_token_is_shown_once_and_works(learner_client, learner):
    response = learner_client.post(
        "/api/tokens/", {"name": "Nightly sync", "scope": "read_write", "expiry": "30"}
    )

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = TOKEN_RE.search(response.content.decode()).group(1)
    row = ApiToken.objects.get(owner=learner)
    assert row.token_hash == hash_token(token)
    assert row.expires_at is not None
    assert ApiClient(token).get("/api/v1/me/").status_code == 200
    again = learner_client.get("/api/tokens/").content.decode()
    assert token not in again
    assert "Nightly sync" in again
    assert row.prefix in again


def test_a_token_without_a_name_is_refused(learner_client):
    response = learner_client.post("/api/tokens/", {"name": " ", "scope": "read", "expiry": "30"})

    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_revoke_after_confirming(learner_client, learner):
    made = create_api_token(owner=learner, name="old script")
    path = f"/api/tokens/{made.api_token.uuid}/revoke/"

    assert learner_client.get(path).status_code == 200
    assert ApiToken.objects.get(pk=made.api_token.pk).revoked_at is None
    response = learner_client.post(path)

    assert response.status_code == 302
    assert ApiToken.objects.get(pk=made.api_token.pk).revoked_at is not None
    assert_error(ApiClient(made.token).get("/api/v1/me/"), 401, "token_revoked")
    assert AuditEvent.objects.filter(action=AccountAction.TOKEN_REVOKED, actor=learner).exists()


def test_another_learners_token_is_a_404(other_learner, learner):
    made = create_api_token(owner=learner, name="mine")
    client = Client()
    client.force_login(other_learner)

    assert client.post(f"/api/tokens/{made.api_token.uuid}/revoke/").status_code == 404
    assert ApiToken.objects.get(pk=made.api_token.pk).revoked_at is None
    assert "mine" not in client.get("/api/tokens/").content.decode()
