"""Account → Connected platforms: the list, and disconnecting (owner only)."""

from django.test import Client

from credentials.models import AuditEvent, Credential
from tests.hostapi.support import as_json, badge
from wallet.hostapi.models import PlatformConnection


def test_the_page_needs_a_login(employer):
    answer = employer.get("/wallet/account/platforms/")
    assert answer.status_code == 302
    assert "/accounts/login/" in answer["Location"]


def test_the_page_lists_each_platform_with_what_it_may_do(
    connected, learner_client, learner, issuer
):
    connected.upsert("ob", as_json(badge(issuer, learner.email)))
    page = learner_client.get("/wallet/account/platforms/").content.decode()
    assert "Example Academy" in page
    assert "Put Open Badges into your wallet" in page
    assert "Reads only what it delivered." in page
    assert "Delivered 1 credential." in page


def test_the_account_page_links_to_it(learner_client):
    assert "/wallet/account/platforms/" in learner_client.get("/wallet/profile/").content.decode()


def test_an_empty_page_says_so(learner_client):
    assert (
        "No platform is connected"
        in learner_client.get("/wallet/account/platforms/").content.decode()
    )


def test_another_learner_cannot_disconnect_it(connected, other_learner):
    connection = PlatformConnection.objects.get()
    intruder = Client()
    intruder.force_login(other_learner)
    answer = intruder.post(f"/wallet/account/platforms/{connection.uuid}/disconnect/")
    assert answer.status_code == 404
    assert connected.get_credentials("ob").status_code == 200


def test_disconnecting_stops_the_platform_and_keeps_what_it_delivered(
    connected, learner, learner_client, issuer
):
    connected.upsert("ob", as_json(badge(issuer, learner.email)))
    connection = PlatformConnection.objects.get()
    answer = learner_client.post(
        f"/wallet/account/platforms/{connection.uuid}/disconnect/", follow=True
    )
    assert "Example Academy is disconnected" in answer.content.decode()
    assert connected.get_credentials("ob").status_code == 401
    assert connected.upsert("ob", as_json(badge(issuer, learner.email))).status_code == 401
    assert Credential.objects.filter(owner=learner).count() == 1
    assert AuditEvent.objects.filter(action="platform.disconnected").count() == 1
    assert (
        "No platform is connected"
        in learner_client.get("/wallet/account/platforms/").content.decode()
    )


def test_disconnecting_needs_a_post(connected, learner_client):
    connection = PlatformConnection.objects.get()
    assert (
        learner_client.get(f"/wallet/account/platforms/{connection.uuid}/disconnect/").status_code
        == 405
    )


def test_the_account_history_shows_the_consent_and_the_delivery(
    connected, learner, learner_client, issuer
):
    connected.upsert("ob", as_json(badge(issuer, learner.email)))
    page = learner_client.get("/wallet/account/history/").content.decode()
    assert "Platform connected" in page
    assert "Credential delivered by a platform" in page


def test_deleting_the_account_stops_every_platform(connected, learner, issuer):
    from wallet.services import delete_account

    connected.upsert("ob", as_json(badge(issuer, learner.email)))
    delete_account(user=learner)
    assert not PlatformConnection.objects.exists()
    assert connected.get_credentials("ob").status_code == 401
