"""The issue's "done when", as a new user would try it: an issuer platform written from the
specification registers, gets the learner's consent, delivers an OB 3.0 credential and a CLR,
reads them back, refreshes its token; the learner sees both verified, each with the platform
it came from, and disconnects the platform."""

from credentials.models import Credential, TrustedIssuer
from credentials.verification.verdict import Verdict
from tests.hostapi.support import as_json, badge, clr


def test_a_platform_delivers_reads_back_refreshes_and_is_disconnected(
    platform, learner, learner_client, issuer
):
    TrustedIssuer.objects.create(name="Example University", identifiers=[issuer.id])
    document = platform.discover("ob")
    assert document["info"]["x-imssf-privacyPolicyUrl"].endswith("/privacy/")
    clr_scheme = platform.http.get("/ims/clr/v2p0/discovery", secure=True).json()["components"]
    assert (
        "https://purl.imsglobal.org/spec/clr/v2p0/scope/credential.upsert"
        in clr_scheme["securitySchemes"]["OAuth2ACG"]["flows"]["authorizationCode"]["scopes"]
    )
    assert platform.register().status_code == 201

    path = platform.authorization_path()
    page = learner_client.get(path, secure=True)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Example Academy" in text and "127.0.0.1" in text
    assert "Put Open Badges into your wallet" in text
    answer = learner_client.post(path, {"decision": "approve"}, secure=True)
    assert platform.exchange(platform.code_from(answer["Location"])).status_code == 200

    sent_badge = badge(issuer, learner.email, name="Teamwork")
    created = platform.upsert("ob", as_json(sent_badge))
    assert created.status_code == 201
    assert created.json()["id"] == sent_badge["id"]
    record = clr(issuer, learner.email, [badge(issuer, learner.email, name="Welding")])
    assert platform.upsert("clr", as_json(record)).status_code == 201

    badges = platform.get_credentials("ob")
    assert badges.status_code == 200
    assert badges["X-Total-Count"] == "1"
    assert [item["id"] for item in badges.json()["credential"]] == [sent_badge["id"]]
    records = platform.get_credentials("clr").json()["credential"]
    assert [item["id"] for item in records] == [record["id"]]

    old_token = platform.access_token
    assert platform.refresh().status_code == 200
    assert platform.access_token != old_token
    assert platform.get_credentials("ob").status_code == 200
    assert platform.get_credentials("ob", limit=1).status_code == 200

    for credential_id in (sent_badge["id"], record["id"]):
        credential = Credential.objects.get(owner=learner, document__id=credential_id)
        assert credential.verdict == Verdict.VERIFIED, credential.verdict_message
        page = learner_client.get(credential.get_absolute_url()).content.decode()
        assert "Delivered by Example Academy (127.0.0.1)" in page
        assert "delivered by the issuer&#x27;s platform" in page

    listing = learner_client.get("/wallet/account/platforms/").content.decode()
    assert "Example Academy" in listing
    connection = learner.platform_connections.get()
    disconnect = f"/wallet/account/platforms/{connection.uuid}/disconnect/"
    assert learner_client.post(disconnect).status_code == 302
    assert platform.get_credentials("ob").status_code == 401
    assert platform.refresh().status_code == 400
    assert Credential.objects.owned_by(learner).top_level().count() == 2
