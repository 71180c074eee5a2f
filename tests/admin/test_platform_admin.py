"""Connected platforms and holder keys in admin: listed and viewed, never edited, never a
secret on the page; disconnecting a platform goes through the learner's own service."""

import pytest
from django.test import Client
from django.urls import reverse

from credentials.models import AuditEvent, Credential
from tests.admin.test_admin_reading import content_of, listed, results_of
from tests.credentials.support.issuer import did_key_issuer
from tests.hostapi.platform import StandInPlatform
from tests.hostapi.support import as_json, badge
from wallet import holder_keys
from wallet.audit import AccountAction
from wallet.hostapi.models import (
    AuthorizationCode,
    PlatformClient,
    PlatformConnection,
    PlatformToken,
)
from wallet.models import HolderKey, HolderKeyType

pytestmark = pytest.mark.django_db

CLIENT_LIST = reverse("admin:wallet_platformclient_changelist")
CONNECTION_LIST = reverse("admin:wallet_platformconnection_changelist")
KEY_LIST = reverse("admin:wallet_holderkey_changelist")


@pytest.fixture
def connected(local_server, learner_client) -> StandInPlatform:
    platform = StandInPlatform(http=Client(), site=local_server)
    platform.connect(learner_client)
    # A second, unfinished consent leaves a code behind: it is a secret too.
    learner_client.post(platform.authorization_path(), {"decision": "approve"}, secure=True)
    return platform


def secrets_of(platform: StandInPlatform) -> list[str]:
    """Every secret the wallet knows for a platform, as sent and as stored."""
    client = PlatformClient.objects.get(client_id=platform.client_id)
    stored = [client.client_secret_hash]
    for token in PlatformToken.objects.all():
        stored += [token.access_token_hash, token.refresh_token_hash]
    stored += [code.code_hash for code in AuthorizationCode.objects.all()]
    assert AuthorizationCode.objects.exists()
    return [platform.client_secret, platform.access_token, platform.refresh_token, *stored]


def pages_of(admin_client_: Client, model: str, pk: int) -> list[str]:
    listing = admin_client_.get(reverse(f"admin:wallet_{model}_changelist"))
    detail = admin_client_.get(reverse(f"admin:wallet_{model}_change", args=[pk]))
    assert listing.status_code == 200 and detail.status_code == 200
    return [listing.text, detail.text]


def test_a_platform_registration_is_listed_and_shows_no_secret(admin_client_, connected):
    client = PlatformClient.objects.get()
    listing, detail = pages_of(admin_client_, "platformclient", client.pk)
    rows = results_of(listing)
    assert "Example Academy" in rows and "127.0.0.1" in rows
    # One connection, counted in the list.
    assert ">1</td>" in rows
    assert "<h1>View platform registration</h1>" in detail
    logo = reverse("hostapi:platform_logo", args=[client.uuid])
    assert f'<img src="{logo}" alt="Logo of Example Academy"' in detail
    for page in (listing, detail):
        for secret in secrets_of(connected):
            assert secret not in page
        for name in ("secret", "hash", "access_token", "access token", "refresh"):
            assert name not in content_of(page).lower(), name


def test_a_connection_is_listed_and_shows_no_secret(admin_client_, connected, learner):
    connection = PlatformConnection.objects.get()
    listing, detail = pages_of(admin_client_, "platformconnection", connection.pk)
    rows = results_of(listing)
    assert learner.email in rows and "Example Academy" in rows
    assert "OB credential.readonly" in rows
    assert "<h1>View connected platform</h1>" in detail
    assert "View on site" not in detail
    for page in (listing, detail):
        for secret in secrets_of(connected):
            assert secret not in page
        assert "hash" not in content_of(page).lower()


def test_connections_are_found_by_learner_or_platform_and_filtered_by_status(
    admin_client_, connected, learner
):
    for query in (learner.email, "Academy"):
        assert listed(admin_client_.get(CONNECTION_LIST, {"q": query}).text) == 1
    assert "0 connected platforms" in admin_client_.get(CONNECTION_LIST, {"q": "nobody"}).text
    assert listed(admin_client_.get(CONNECTION_LIST, {"status": "connected"}).text) == 1
    disconnected = admin_client_.get(CONNECTION_LIST, {"status": "disconnected"}).text
    assert "0 connected platforms" in disconnected
    assert listed(admin_client_.get(CLIENT_LIST, {"q": "127.0.0.1"}).text) == 1


def test_nothing_about_a_platform_is_added_edited_or_deleted_in_admin(admin_client_, connected):
    client = PlatformClient.objects.get()
    connection = PlatformConnection.objects.get()
    for model, row in (("platformclient", client), ("platformconnection", connection)):
        assert admin_client_.get(reverse(f"admin:wallet_{model}_add")).status_code == 403
        page = admin_client_.get(reverse(f"admin:wallet_{model}_change", args=[row.pk])).text
        assert 'name="_save"' not in page
        delete = reverse(f"admin:wallet_{model}_delete", args=[row.pk])
        assert delete not in page
        assert admin_client_.post(delete, {"post": "yes"}).status_code == 403
    assert PlatformClient.objects.exists() and PlatformConnection.objects.exists()
    index = admin_client_.get("/admin/").text
    assert "platform token" not in index.lower() and "authorization code" not in index.lower()


def test_disconnecting_in_admin_stops_the_platform_and_is_audited(
    admin_client_, connected, learner, admin_user
):
    connected.upsert("ob", as_json(badge(did_key_issuer(), learner.email)))
    connection = PlatformConnection.objects.get()
    assert ">1</td>" in results_of(admin_client_.get(CONNECTION_LIST).text)
    answer = admin_client_.post(
        CONNECTION_LIST,
        {"action": "disconnect", "_selected_action": [connection.pk]},
        follow=True,
    )
    assert "1 platform disconnected." in answer.text
    connection.refresh_from_db()
    assert connection.disconnected_at is not None
    assert not PlatformToken.objects.filter(revoked_at__isnull=True).exists()
    assert not AuthorizationCode.objects.exists()
    assert connected.get_credentials("ob").status_code == 401
    assert Credential.objects.filter(owner=learner).count() == 1
    event = AuditEvent.objects.get(action=AccountAction.PLATFORM_DISCONNECTED)
    assert event.actor == admin_user
    assert ">0</td>" in results_of(answer.text)

    again = admin_client_.post(
        CONNECTION_LIST,
        {"action": "disconnect", "_selected_action": [connection.pk]},
        follow=True,
    )
    assert "0 platforms disconnected." in again.text
    assert AuditEvent.objects.filter(action=AccountAction.PLATFORM_DISCONNECTED).count() == 1


def test_holder_keys_are_listed_by_did_and_never_show_a_private_key(admin_client_, learner):
    ed = holder_keys.holder_key_for(learner=learner, key_type=HolderKeyType.ED25519)
    p256 = holder_keys.holder_key_for(learner=learner, key_type=HolderKeyType.P256)
    listing, detail = pages_of(admin_client_, "holderkey", ed.pk)
    rows = results_of(listing)
    assert ed.did in rows and p256.did in rows and learner.email in rows
    assert "<h1>View holder key</h1>" in detail and ed.did in detail
    assert 'name="_save"' not in detail
    for page in (listing, detail):
        for key in HolderKey.objects.all():
            assert key.private_key_encrypted not in page
        assert "private" not in content_of(page).lower()
    assert listed(admin_client_.get(KEY_LIST, {"q": learner.email}).text) == 2
    assert listed(admin_client_.get(KEY_LIST, {"q": p256.did}).text) == 1
