"""The host API's resources as a platform calls them: upsertCredential (new, replaced,
refused), getCredentials (paging, since, what a platform may read) and getProfile."""

import json
import uuid
from datetime import UTC, datetime

from django.test import Client

from credentials.models import AuditEvent, Credential, CredentialSource
from tests.credentials.support import fixtures
from tests.hostapi.platform import StandInPlatform
from tests.hostapi.support import as_json, badge, clr, identity
from wallet.curation_services import (
    set_credential_hidden,
    set_credential_tags,
    update_credential_notes,
)
from wallet.hostapi.models import Delivery
from wallet.imports import import_credentials_for
from wallet.models import Wallet


def minor(response) -> str:
    return response.json()["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"]


def test_a_replacement_keeps_the_learners_notes_and_tags(connected, learner, issuer):
    credential_id = f"urn:uuid:{uuid.uuid4()}"
    assert (
        connected.upsert(
            "ob", as_json(badge(issuer, learner.email, credential_id=credential_id))
        ).status_code
        == 201
    )
    credential = Credential.objects.get(owner=learner)
    update_credential_notes(
        credential=credential, note="Ask Sam for a reference", public_description=""
    )
    set_credential_tags(credential=credential, names=["welding"])
    newer = badge(issuer, learner.email, credential_id=credential_id, name="Teamwork, level 2")
    answer = connected.upsert("ob", as_json(newer))
    assert answer.status_code == 200
    assert answer.json()["name"] == "Teamwork, level 2"
    credential.refresh_from_db()
    assert credential.name == "Teamwork, level 2"
    assert credential.curation.note == "Ask Sam for a reference"
    assert [tag.name for tag in credential.curation.tags.all()] == ["welding"]
    assert Credential.objects.filter(owner=learner).count() == 1
    assert AuditEvent.objects.filter(action="platform.replaced").count() == 1


def test_another_platform_cannot_replace_the_first_platforms_credential(
    connected, learner, learner_client, local_server, issuer
):
    credential_id = f"urn:uuid:{uuid.uuid4()}"
    connected.upsert("ob", as_json(badge(issuer, learner.email, credential_id=credential_id)))
    other = StandInPlatform(http=Client(), site=local_server, name="Other Platform")
    other.connect(learner_client)
    answer = other.upsert(
        "ob", as_json(badge(issuer, learner.email, credential_id=credential_id, name="Forged"))
    )
    assert answer.status_code == 403
    assert minor(answer) == "forbidden"
    assert Credential.objects.get(owner=learner).name == "Teamwork"


def test_a_credential_that_fails_verification_is_refused_and_nothing_is_stored(
    connected, learner, issuer
):
    tampered = badge(issuer, learner.email)
    tampered["name"] = "Changed after signing"
    answer = connected.upsert("ob", as_json(tampered))
    assert answer.status_code == 400
    assert minor(answer) == "invalid_data"
    assert answer.json()["imsx_description"]
    assert not Credential.objects.exists()
    assert not Delivery.objects.exists()
    assert AuditEvent.objects.filter(action="platform.delivery_refused").count() == 1


def test_malformed_bodies_are_refused(connected):
    for body, content_type in [
        ("{not json", "application/json"),
        ("[]", "application/json"),
        ('{"type": ["VerifiableCredential"]}', "application/json"),
        ("not.a-jws", "text/plain"),
        ("<xml/>", "application/xml"),
    ]:
        answer = connected.upsert("ob", body, content_type)
        assert answer.status_code == 400, body
        assert answer.json()["imsx_codeMajor"] == "failure"
    assert not Credential.objects.exists()


def test_each_endpoint_takes_its_own_kind(connected, learner, issuer):
    answer = connected.upsert("clr", as_json(badge(issuer, learner.email)))
    assert answer.status_code == 400
    assert "ClrCredential" in answer.json()["imsx_description"]


def test_a_compact_jws_comes_back_as_it_was_delivered(connected, learner, issuer):
    document = issuer.credential(
        credential_id=f"urn:uuid:{uuid.uuid4()}",
        subject_id=None,
        identifier=identity(learner.email),
    )
    document["credentialSubject"]["achievement"].pop("image", None)
    token = issuer.jwt({"vc": document, "iss": issuer.id, "jti": document["id"], "nbf": 1704067200})
    answer = connected.upsert("ob", token, "text/plain")
    assert answer.status_code == 201
    assert answer.content.decode() == token
    listed = connected.get_credentials("ob").json()
    assert listed["compactJwsString"] == [token]
    assert listed["credential"] == []


def test_paging_with_total_and_links(connected, learner, issuer):
    sent = [badge(issuer, learner.email, name=f"Badge {n}") for n in range(3)]
    for document in sent:
        assert connected.upsert("ob", as_json(document)).status_code == 201
    first = connected.get_credentials("ob", limit=2)
    assert first["X-Total-Count"] == "3"
    assert 'rel="next"' in first["Link"] and "offset=2" in first["Link"]
    second = connected.get_credentials("ob", limit=2, offset=2)
    ids = [item["id"] for item in first.json()["credential"] + second.json()["credential"]]
    assert ids == [document["id"] for document in sent]
    assert 'rel="next"' not in second["Link"]
    assert 'rel="prev"' in second["Link"]


def test_since_keeps_only_what_was_issued_after(connected, learner, issuer):
    connected.upsert("ob", as_json(badge(issuer, learner.email)))
    Credential.objects.update(issued_at=datetime(2024, 1, 1, tzinfo=UTC))
    later = connected.get_credentials("ob", since="2025-01-01T00:00:00Z")
    assert later["X-Total-Count"] == "0"
    earlier = connected.get_credentials("ob", since="2023-01-01T00:00:00Z")
    assert earlier["X-Total-Count"] == "1"


def test_bad_query_parameters_are_refused(connected):
    for params in ({"limit": "0"}, {"limit": "many"}, {"offset": "-1"}, {"since": "yesterday"}):
        answer = connected.get_credentials("ob", **params)
        assert answer.status_code == 400, params
        assert minor(answer) == "invalid_query_parameter"


def test_a_platform_reads_only_what_it_delivered_unless_the_learner_chose_more(
    platform, learner, learner_client, issuer
):
    own = import_credentials_for(
        learner=learner,
        data=as_json(badge(issuer, learner.email, name="Uploaded")).encode(),
        source=CredentialSource.PASTE,
    ).created[0]
    platform.connect(learner_client)
    assert platform.get_credentials("ob")["X-Total-Count"] == "0"

    wider = StandInPlatform(http=Client(), site=platform.site, name="Portfolio")
    wider.connect(learner_client, reads_all=True)
    assert [item["name"] for item in wider.get_credentials("ob").json()["credential"]] == [
        "Uploaded"
    ]
    set_credential_hidden(credential=own, is_hidden=True, actor=learner)
    assert wider.get_credentials("ob")["X-Total-Count"] == "0"


def test_a_credential_already_in_the_wallet_is_not_modified(connected, learner, issuer):
    document = badge(issuer, learner.email)
    import_credentials_for(
        learner=learner, data=as_json(document).encode(), source=CredentialSource.PASTE
    )
    assert connected.upsert("ob", as_json(document)).status_code == 304
    assert not Delivery.objects.exists()


def test_a_clr_reads_back_with_its_members_verified(connected, learner, issuer):
    record = clr(issuer, learner.email, [badge(issuer, learner.email, name="Welding")])
    assert connected.upsert("clr", as_json(record)).status_code == 201
    stored = Credential.objects.get(owner=learner, parent__isnull=True)
    assert [child.name for child in stored.children.all()] == ["Welding"]
    assert connected.get_credentials("ob")["X-Total-Count"] == "0"
    assert (
        json.loads(connected.get_credentials("clr").content)["credential"][0]["id"] == record["id"]
    )


def test_get_profile_shows_only_what_the_learner_wrote(connected, learner):
    Wallet.objects.filter(user=learner).update(display_name="Ada L.", bio="Welder and teacher.")
    profile = connected.get_profile().json()
    assert profile["type"] == ["Profile"]
    assert profile["name"] == "Ada L."
    assert profile["description"] == "Welder and teacher."
    assert learner.email not in json.dumps(profile)


def test_put_profile_is_a_suggestion_the_learner_reviews(connected, learner, learner_client):
    Wallet.objects.filter(user=learner).update(display_name="Ada")
    answer = connected.http.put(
        "/ims/ob/v3p0/profile",
        json.dumps({"type": ["Profile"], "name": "Ada Lovelace", "description": "<b>Welder</b>"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {connected.access_token}",
        secure=True,
    )
    assert answer.status_code == 202
    assert connected.get_profile().json()["name"] == "Ada"
    page = learner_client.get("/wallet/account/platforms/").content.decode()
    assert "Ada Lovelace" in page and "&lt;b&gt;Welder&lt;/b&gt;" in page
    connection = learner.platform_connections.get()
    learner_client.post(
        f"/wallet/account/platforms/{connection.uuid}/profile/", {"decision": "apply"}
    )
    wallet = Wallet.objects.get(user=learner)
    assert (wallet.display_name, wallet.bio) == ("Ada Lovelace", "<b>Welder</b>")
    assert AuditEvent.objects.filter(action="platform.profile_applied").count() == 1


def test_a_dismissed_profile_suggestion_changes_nothing(
    connected, learner, learner_client, other_learner
):
    connected.http.put(
        "/ims/ob/v3p0/profile",
        json.dumps({"name": "Someone Else"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {connected.access_token}",
        secure=True,
    )
    connection = learner.platform_connections.get()
    intruder = Client()
    intruder.force_login(other_learner)
    url = f"/wallet/account/platforms/{connection.uuid}/profile/"
    assert intruder.post(url, {"decision": "apply"}).status_code == 404
    learner_client.post(url, {"decision": "dismiss"})
    assert Wallet.objects.get(user=learner).display_name != "Someone Else"
    assert "Someone Else" not in learner_client.get("/wallet/account/platforms/").content.decode()


def test_a_bad_put_profile_is_refused(connected):
    for body in ("[]", "{not json", json.dumps({"name": 5}), json.dumps({"name": "x" * 200}), "{}"):
        answer = connected.http.put(
            "/ims/ob/v3p0/profile",
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {connected.access_token}",
            secure=True,
        )
        assert answer.status_code == 400, body
        assert minor(answer) == "invalid_data"


def test_without_a_token_the_resources_answer_401(platform):
    answer = platform.http.get("/ims/ob/v3p0/credentials", secure=True)
    assert answer.status_code == 401
    assert answer["WWW-Authenticate"].startswith("Bearer")
    assert minor(answer) == "unauthorizedrequest"


def test_a_baked_badge_is_read_as_its_credential_json(platform, learner, learner_client, issuer):
    document = badge(issuer, learner.email, name="Baked")
    import_credentials_for(
        learner=learner,
        data=fixtures.baked_png(json.dumps(document)),
        source=CredentialSource.UPLOAD,
        filename="badge.png",
    )
    platform.connect(learner_client, reads_all=True)
    listed = platform.get_credentials("ob").json()
    assert [item["id"] for item in listed["credential"]] == [document["id"]]
