"""An offer whose issuer wants the learner to sign in: authorisation code with PKCE."""

import http.client
from urllib.parse import unquote, urlsplit

import pytest
from django.urls import reverse

from credentials.models import ImportJob, JobStatus
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db

PAGE = "/wallet/receive/"


def _follow_at_the_issuer(address: str) -> str:
    """What the learner's browser does at the issuer: sign in, approve, get sent back."""
    parts = urlsplit(address)
    connection = http.client.HTTPConnection(parts.netloc, timeout=5)
    connection.request("GET", f"{parts.path}?{parts.query}")
    response = connection.getresponse()
    assert response.status == 302, response.read()
    location = response.getheader("Location")
    connection.close()
    return location


def test_the_learner_signs_in_at_the_issuer_and_comes_back_to_the_credential(
    learner_client, make_issuer, django_capture_on_commit_callbacks
):
    issuer = make_issuer(sign_in=True)
    preview = learner_client.post(PAGE, {"offer": issuer.offer_link()})
    assert "sign in on its site" in preview.text
    accepted = learner_client.post(PAGE, {"step": "accept", "offer": issuer.offer_link()})
    assert accepted.status_code == 302
    assert accepted["Location"].startswith(issuer.url("/issuer/authorize?"))
    sent = issuer.authorization_requests
    job = ImportJob.objects.get()
    assert job.status == JobStatus.PENDING
    back = _follow_at_the_issuer(accepted["Location"])
    request = sent[0]
    assert request["code_challenge_method"] == "S256"
    assert request["redirect_uri"].endswith(reverse("wallet:receive_callback"))
    with django_capture_on_commit_callbacks(execute=True):
        response = learner_client.get(back.replace("http://testserver", ""))
    assert response["Location"] == reverse("wallet:import_job", kwargs={"job_uuid": job.uuid})
    job.refresh_from_db()
    assert job.status == JobStatus.READY, job.error
    recipient = next(c for c in job.credentials.get().checks if c["name"] == "recipient")
    assert recipient["code"] == "recipient_confirmed"


def test_a_forged_return_does_not_complete_anyones_offer(
    learner_client, other_learner, make_issuer, client
):
    issuer = make_issuer(sign_in=True)
    learner_client.post(PAGE, {"step": "accept", "offer": issuer.offer_link()})
    job = ImportJob.objects.get()
    forged = learner_client.get(
        reverse("wallet:receive_callback"), {"state": f"{job.uuid}.guess", "code": "x"}
    )
    assert forged.status_code == 400
    client.force_login(other_learner)
    stolen = client.get(
        reverse("wallet:receive_callback"), {"state": f"{job.uuid}.guess", "code": "x"}
    )
    assert stolen.status_code == 400
    accented = learner_client.get(
        reverse("wallet:receive_callback"), {"state": f"{job.uuid}.devinée", "code": "x"}
    )
    assert accented.status_code == 400
    job.refresh_from_db()
    assert job.status == JobStatus.PENDING


def test_a_refused_sign_in_fails_the_job_with_the_reason(learner_client, make_issuer):
    issuer = make_issuer(sign_in=True)
    accepted = learner_client.post(PAGE, {"step": "accept", "offer": issuer.offer_link()})
    state = dict(item.split("=", 1) for item in urlsplit(accepted["Location"]).query.split("&"))[
        "state"
    ]
    learner_client.get(
        reverse("wallet:receive_callback"), {"state": unquote(state), "error": "access_denied"}
    )
    job = ImportJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert "access_denied" in job.error


def test_over_the_api_a_sign_in_offer_is_refused_with_where_to_open_it(learner, make_issuer):
    issuer = make_issuer(sign_in=True)
    response = token_client(learner).send(
        "post", "/api/v1/credentials/import/offer/", {"offer": issuer.offer_link()}
    )
    assert response.status_code == 422
    assert "sign in on its site" in response.json()["error"]["message"]
