"""The "Receive from an issuer" page: paste or open, read who offers what, approve."""

import json
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import translation

from credentials.models import ImportJob, JobStatus

pytestmark = pytest.mark.django_db

PAGE = "/wallet/receive/"


def test_it_needs_a_login(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_pasting_an_offer_shows_who_offers_what_before_anything_is_received(
    learner_client, make_issuer
):
    issuer = make_issuer()
    page = learner_client.post(PAGE, {"offer": issuer.offer_link()})
    assert page.status_code == 200
    text = page.text
    assert "Example University offers you this credential:" in text
    assert "Teamwork badge" in text
    assert issuer.identifier in text
    assert not issuer.access_tokens
    assert not ImportJob.objects.exists()


def test_in_french_the_issuers_french_names_are_shown(learner_client, make_issuer):
    issuer = make_issuer()
    learner_client.cookies["django_language"] = "fr-ca"
    # The request leaves its language active in this thread: restore it for the next tests.
    with translation.override("en"):
        page = learner_client.post(
            PAGE, {"offer": issuer.offer_link()}, HTTP_ACCEPT_LANGUAGE="fr-ca"
        )
    assert "Université Exemple" in page.text
    assert "Badge Travail d’équipe" in page.text or "Badge Travail d&#x27;équipe" in page.text


def test_opening_an_offer_link_lands_on_the_same_preview(learner_client, make_issuer):
    issuer = make_issuer()
    page = learner_client.get(f"{PAGE}?credential_offer={quote(json.dumps(issuer.offer()))}")
    assert page.status_code == 200
    assert "Teamwork badge" in page.text


def test_accepting_with_the_transaction_code_ends_with_the_credential(
    learner_client, make_issuer, django_capture_on_commit_callbacks
):
    issuer = make_issuer(tx_code="2468")
    preview = learner_client.post(PAGE, {"offer": issuer.offer_link()})
    assert "Enter the code we emailed you" in preview.text
    assert 'name="tx_code"' in preview.text
    with django_capture_on_commit_callbacks(execute=True):
        response = learner_client.post(
            PAGE, {"step": "accept", "offer": issuer.offer_link(), "tx_code": "2468"}
        )
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("wallet:import_job", kwargs={"job_uuid": job.uuid})
    assert job.status == JobStatus.READY, job.error
    credential_page = learner_client.get(response["Location"], follow=True)
    assert "Teamwork" in credential_page.text


def test_a_bad_offer_is_explained_on_the_page(learner_client):
    page = learner_client.post(PAGE, {"offer": "openid-credential-offer://?credential_offer=%7B"})
    assert page.status_code == 400
    assert "The offer is not valid JSON." in page.text


def test_an_unreachable_issuer_is_explained_not_a_500(learner_client, settings):
    settings.FETCH_ALLOWLIST = ["127.0.0.1:9"]
    offer = {
        "credential_issuer": "http://127.0.0.1:9/issuer",
        "credential_configuration_ids": ["X"],
        "grants": {
            "urn:ietf:params:oauth:grant-type:pre-authorized_code": {"pre-authorized_code": "c"}
        },
    }
    page = learner_client.post(
        PAGE, {"offer": "openid-credential-offer://?credential_offer=" + quote(json.dumps(offer))}
    )
    assert page.status_code == 400
    assert "could not reach" in page.text


def test_an_exchange_link_is_described_by_its_host(learner_client, make_exchange):
    exchange = make_exchange()
    page = learner_client.post(PAGE, {"offer": exchange.deep_link()})
    assert page.status_code == 200
    assert "127.0.0.1 offers to give you credentials." in page.text


def test_a_failed_offer_says_so_and_offers_to_try_again_here(
    learner_client, make_issuer, django_capture_on_commit_callbacks
):
    issuer = make_issuer(tx_code="2468")
    with django_capture_on_commit_callbacks(execute=True):
        response = learner_client.post(
            PAGE, {"step": "accept", "offer": issuer.offer_link(), "tx_code": "1111"}
        )
    page = learner_client.get(response["Location"]).text
    assert "Receiving from an issuer" in page
    assert "The issuer refused the code" in page
    assert f'href="{PAGE}"' in page


def test_opening_a_wallet_deep_link_lands_on_the_exchange_preview(learner_client, make_exchange):
    exchange = make_exchange()
    query = exchange.deep_link().partition("?")[2]
    page = learner_client.get(f"{PAGE}?{query}")
    assert page.status_code == 200
    assert "127.0.0.1 offers to give you credentials." in page.text
    assert exchange.requests == []


@pytest.mark.parametrize(
    "offer",
    [
        "https://[issuer.example/offer",
        "openid-credential-offer://?credential_offer_uri=" + quote("https://[issuer.example/1"),
        "openid-credential-offer://?credential_offer="
        + quote(
            json.dumps({"credential_issuer": "https://[x", "credential_configuration_ids": ["a"]})
        ),
        "https://lcw.app/request.html?request="
        + quote(json.dumps({"protocols": {"vcapi": "https://[issuer.example/x"}})),
        "https://lcw.app/request.html?vc_request_url=https://[issuer.example/&challenge=c",
    ],
)
def test_an_address_that_cannot_be_read_is_refused_in_words(learner_client, offer):
    for step in ({}, {"step": "accept"}):
        page = learner_client.post(PAGE, {"offer": offer, **step})
        assert page.status_code == 400
        assert page.context.get("error")
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        {"credential_offer_uri": "https://[issuer.example/1"},
        {"request": json.dumps({"protocols": {"vcapi": "https://[issuer.example/x"}})},
        {"vc_request_url": "https://[issuer.example/", "challenge": "c"},
    ],
)
def test_an_opened_link_to_an_address_that_cannot_be_read_is_refused(learner_client, query):
    page = learner_client.get(PAGE, query)
    assert page.status_code == 400
    assert page.context["error"]
