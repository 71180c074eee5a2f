"""A VC-API exchange with DID authentication, from the link to the credential in the wallet."""

import pytest
from django.core.exceptions import ValidationError

from credentials.models import Credential, ImportJob, JobStatus
from tests.receive.issuers import VcApiExchange, started
from wallet import receive
from wallet.models import HolderKey, HolderKeyType

pytestmark = pytest.mark.django_db


def _run(job: ImportJob) -> ImportJob:
    receive.run_offer_import(job=job, will_retry=False)
    job.refresh_from_db()
    return job


def _recipient(credential: Credential) -> dict:
    return next(check for check in credential.checks if check["name"] == "recipient")


def test_an_lcw_deep_link_ends_with_the_credential_bound_to_the_ed25519_key(learner, make_exchange):
    exchange = make_exchange()
    job = _run(receive.request_offer_import(learner=learner, offer=exchange.deep_link()))
    assert job.status == JobStatus.READY, job.error
    credential = job.credentials.get()
    key = HolderKey.objects.get(owner=learner, key_type=HolderKeyType.ED25519)
    assert credential.name == "Teamwork"
    assert credential.verdict in ("verified", "verified_with_warnings")
    assert _recipient(credential)["code"] == "recipient_confirmed"
    assert _recipient(credential)["details"]["holder_key"] == key.did
    assert exchange.refusals == []


def test_a_pasted_exchange_url_works_the_same(learner, make_exchange):
    exchange = make_exchange()
    job = _run(receive.request_offer_import(learner=learner, offer=exchange.exchange_url()))
    assert job.status == JobStatus.READY, job.error


def test_the_older_vc_request_url_link_answers_its_challenge(learner, make_exchange):
    exchange = make_exchange()
    job = _run(receive.request_offer_import(learner=learner, offer=exchange.legacy_link()))
    assert job.status == JobStatus.READY, job.error
    assert _recipient(job.credentials.get())["code"] == "recipient_confirmed"


def test_a_presentation_over_the_wrong_challenge_is_refused(learner, make_exchange):
    exchange = make_exchange(wrong_challenge=True)
    job = _run(receive.request_offer_import(learner=learner, offer=exchange.deep_link()))
    assert job.status == JobStatus.FAILED
    assert "HTTP 400" in job.error
    assert exchange.refusals == ["wrong challenge"]
    assert not Credential.objects.exists()


def test_the_job_keeps_only_the_exchanges_origin(learner, make_exchange):
    exchange = make_exchange()
    link = exchange.exchange_url()
    job = receive.request_offer_import(learner=learner, offer=link)
    assert job.url == exchange.url("/")
    assert "exchanges" not in job.url


def test_an_exchange_that_asks_for_something_else_fails_with_the_reason(learner, settings):
    class AsksForCredentials(VcApiExchange):
        def handle(self, method, path, headers, body):
            return 200, {
                "verifiablePresentationRequest": {
                    "query": [{"type": "QueryByExample"}],
                    "challenge": "c",
                }
            }

    exchange = started(AsksForCredentials(), settings)
    try:
        job = _run(receive.request_offer_import(learner=learner, offer=exchange.exchange_url()))
    finally:
        exchange.stop()
    assert job.status == JobStatus.FAILED
    assert "more than proof of your key" in job.error


def test_hostile_links_are_refused_with_a_clear_message(learner):
    for link, expected in [
        ("https://lcw.app/request.html?request=" + "[" * 5000, "not valid JSON"),
        ('https://lcw.app/request.html?request={"protocols": {"oid4vp": "x"}}', "no exchange"),
        ("https://lcw.app/request.html?vc_request_url=https://issuer.example/", "no challenge"),
        ("https://lcw.app/request.html?vc_request_url=ftp://x/&challenge=c", "web address"),
    ]:
        with pytest.raises(ValidationError, match=expected):
            receive.request_offer_import(learner=learner, offer=link)
    assert not ImportJob.objects.exists()


def test_proof_addressed_to_another_site_is_never_signed(learner, make_exchange):
    exchange = make_exchange(domain="bank.example")
    job = _run(receive.request_offer_import(learner=learner, offer=exchange.deep_link()))
    assert job.status == JobStatus.FAILED
    assert "another site (bank.example)" in job.error
    assert not [request for request in exchange.requests if b"proof" in request[2]]


def test_a_domain_that_is_not_an_address_fails_the_job_not_the_worker(learner, make_exchange):
    exchange = make_exchange(domain="https://[bank.example")
    job = _run(receive.request_offer_import(learner=learner, offer=exchange.deep_link()))
    assert job.status == JobStatus.FAILED
    assert "another site" in job.error
    assert not [request for request in exchange.requests if b"proof" in request[2]]
