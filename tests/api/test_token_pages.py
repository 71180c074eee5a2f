"""The learner's API token pages: make (shown once), list, revoke."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from credentials.models import AuditEvent
from tests.api.conftest import ApiClient, assert_error
from tests.conftest import PASSWORD
from wallet.audit import AccountAction
from wallet.models import ApiToken
from wallet.tokens import create_api_token, hash_token

pytestmark = pytest.mark.django_db

TOKEN_RE = re.compile(r'value="(swt_[A-Za-z0-9_-]+)"')
NEW_PASSWORD = "a quite different passphrase 77"
MAKE = {"name": "Nightly sync", "scope": "read_write", "expiry": "30"}


def confirm_password(client: Client) -> None:
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.text


@pytest.fixture
def confirmed_client(learner_client) -> Client:
    """The learner, logged in and having just confirmed their password."""
    confirm_password(learner_client)
    return learner_client


def test_the_pages_need_a_login(learner):
    made = create_api_token(owner=learner, name="script")

    for path in ["/api/tokens/", f"/api/tokens/{made.api_token.uuid}/revoke/"]:
        response = Client().get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_a_new_token_is_shown_once_and_works(confirmed_client, learner):
    learner_client = confirmed_client
    response = learner_client.post("/api/tokens/", MAKE)

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


def test_a_token_without_a_name_is_refused(confirmed_client):
    response = confirmed_client.post("/api/tokens/", {"name": " ", "scope": "read", "expiry": "30"})

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


def test_making_a_token_asks_for_the_password_again_then_makes_it(
    learner_client, learner, django_capture_on_commit_callbacks
):
    response = learner_client.post("/api/tokens/", MAKE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not ApiToken.objects.exists()
    # allauth replays the suspended form once the password is confirmed.
    with django_capture_on_commit_callbacks(execute=True):
        response = learner_client.post(response["Location"], {"password": PASSWORD}, follow=True)
    assert ApiToken.objects.filter(owner=learner, name="Nightly sync").exists()


def test_making_a_token_sends_the_security_notice(
    confirmed_client, learner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = confirmed_client.post("/api/tokens/", MAKE)

    token = TOKEN_RE.search(response.content.decode()).group(1)
    [message] = mail.outbox
    assert message.to == [learner.email]
    assert message.subject == "[Skills Wallet] API token made"
    assert "“Nightly sync” (read and write)" in message.body
    assert "IP address: 127.0.0.1" in message.body
    assert token not in message.body


def test_the_api_makes_a_token_only_after_a_recent_password_confirmation(
    learner_client, learner, django_capture_on_commit_callbacks
):
    body = {"name": "Nightly sync", "scope": "read"}
    response = learner_client.post("/api/v1/tokens/", body, content_type="application/json")

    assert_error(response, 403, "reauthentication_required")
    assert not ApiToken.objects.exists()
    confirm_password(learner_client)
    with django_capture_on_commit_callbacks(execute=True):
        response = learner_client.post("/api/v1/tokens/", body, content_type="application/json")
    assert response.status_code == 201
    [message] = mail.outbox
    assert "“Nightly sync” (read only)" in message.body


def test_a_password_reset_revokes_every_token(learner, django_capture_on_commit_callbacks):
    made = [create_api_token(owner=learner, name=f"script {n}") for n in range(2)]
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": learner.email})
    link = re.search(r"https?://\S+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body)
    form_page = client.get(link.group(1), follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    learner.refresh_from_db()
    assert learner.check_password(NEW_PASSWORD)
    for new in made:
        assert_error(ApiClient(new.token).get("/api/v1/me/"), 401, "token_revoked")


def test_a_password_change_offers_to_revoke_the_tokens(learner_client, learner):
    kept = create_api_token(owner=learner, name="kept")
    change = {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}

    page = learner_client.get(reverse("account_change_password")).content.decode()
    assert "Also revoke my API tokens" in page
    learner_client.post(reverse("account_change_password"), change)
    assert ApiClient(kept.token).get("/api/v1/me/").status_code == 200

    stopped = create_api_token(owner=learner, name="stopped")
    change = {"oldpassword": NEW_PASSWORD, "password1": PASSWORD, "password2": PASSWORD}
    response = learner_client.post(
        reverse("account_change_password"), {**change, "revoke_api_tokens": "on"}
    )
    assert response.status_code == 302
    assert not ApiToken.objects.filter(owner=learner, revoked_at__isnull=True).exists()
    assert_error(ApiClient(stopped.token).get("/api/v1/me/"), 401, "token_revoked")


def test_a_password_change_does_not_offer_it_without_tokens(learner_client):
    page = learner_client.get(reverse("account_change_password")).content.decode()

    assert "Also revoke my API tokens" not in page
