"""POST /api/v1/credentials/import/offer/: an offer in, a job to poll, the credential out."""

import pytest
from django.urls import reverse

from credentials.models import ImportJob
from tests.api.conftest import ApiClient, token_client
from wallet.models import ApiTokenScope

pytestmark = pytest.mark.django_db

URL = "/api/v1/credentials/import/offer/"


@pytest.fixture
def api(learner) -> ApiClient:
    return token_client(learner)


def _poll(api: ApiClient, response) -> dict:
    assert response.status_code == 202, response.content
    return api.get(response["Location"]).json()


def test_an_offer_is_received_and_the_job_ends_ready_with_the_credential(
    api, make_issuer, django_capture_on_commit_callbacks
):
    issuer = make_issuer()
    with django_capture_on_commit_callbacks(execute=True):
        response = api.send("post", URL, {"offer": issuer.offer_link()})
    job = _poll(api, response)
    assert job["status"] == "ready", job
    assert len(job["credentials"]) == 1
    credential = api.get(
        reverse("api:credential_detail", kwargs={"credential_uuid": job["credentials"][0]})
    ).json()
    recipient = next(check for check in credential["checks"] if check["name"] == "recipient")
    assert recipient["code"] == "recipient_confirmed"


def test_an_offer_with_a_transaction_code(api, make_issuer, django_capture_on_commit_callbacks):
    issuer = make_issuer(tx_code="7301")
    with django_capture_on_commit_callbacks(execute=True):
        response = api.send("post", URL, {"offer": issuer.offer_link(), "tx_code": "7301"})
    assert _poll(api, response)["status"] == "ready"


def test_a_missing_transaction_code_is_a_422_before_any_job(api, make_issuer):
    issuer = make_issuer(tx_code="7301")
    response = api.send("post", URL, {"offer": issuer.offer_link()})
    assert response.status_code == 422
    assert "transaction code" in response.json()["error"]["message"]
    assert not ImportJob.objects.exists()


def test_a_wrong_transaction_code_ends_the_job_failed_with_the_reason(
    api, make_issuer, django_capture_on_commit_callbacks
):
    issuer = make_issuer(tx_code="7301")
    with django_capture_on_commit_callbacks(execute=True):
        response = api.send("post", URL, {"offer": issuer.offer_link(), "tx_code": "0000"})
    job = _poll(api, response)
    assert job["status"] == "failed"
    assert "refused the code" in job["error"]


def test_a_vcapi_exchange_link_over_the_api(api, make_exchange, django_capture_on_commit_callbacks):
    exchange = make_exchange()
    with django_capture_on_commit_callbacks(execute=True):
        response = api.send("post", URL, {"offer": exchange.deep_link()})
    assert _poll(api, response)["status"] == "ready"


def test_a_read_only_token_or_no_token_may_not_receive(learner, make_issuer):
    issuer = make_issuer()
    assert (
        token_client(learner, ApiTokenScope.READ)
        .send("post", URL, {"offer": issuer.offer_link()})
        .status_code
        == 403
    )
    assert ApiClient().send("post", URL, {"offer": issuer.offer_link()}).status_code in (401, 403)


def test_bad_input_is_a_clear_error(api):
    assert api.send("post", URL, {}).status_code == 400
    assert api.send("post", URL, {"offer": "x" * 20000}).status_code == 400
    response = api.send("post", URL, {"offer": "openid-credential-offer://?credential_offer=%7B"})
    assert response.status_code == 422
    assert "not valid JSON" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    "offer",
    [
        "https://[issuer.example/offer",
        "openid-credential-offer://?credential_offer_uri=https://[issuer.example/1",
    ],
)
def test_an_offer_whose_address_cannot_be_read_is_refused(api, offer):
    response = api.send("post", URL, {"offer": offer})
    assert response.status_code in (400, 422), response.content[:300]
    assert response.json()["error"]["message"]
    assert not ImportJob.objects.exists()
