"""Receiving an OpenID4VCI offer: from pasting it to a verified credential bound to the learner."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse

from credentials.formats.base import CredentialFormat
from credentials.jobs import requeue_stale_jobs
from credentials.models import AuditEvent, Credential, ImportJob, JobStatus
from wallet import receive
from wallet.models import HolderKey, OfferImport

pytestmark = pytest.mark.django_db


def _check(credential: Credential, name: str) -> dict:
    return next(check for check in credential.checks if check["name"] == name)


def _recipient(credential: Credential) -> dict:
    return _check(credential, "recipient")


def _run(job: ImportJob) -> ImportJob:
    receive.run_offer_import(job=job, will_retry=False)
    job.refresh_from_db()
    return job


def test_an_offer_ends_with_the_credential_verified_and_bound_to_the_learners_key(
    learner, make_issuer
):
    issuer = make_issuer()
    job = _run(receive.request_offer_import(learner=learner, offer=issuer.offer_link()))
    assert job.status == JobStatus.READY, job.error
    credential = job.credentials.get()
    assert credential.name == "Teamwork"
    assert _check(credential, "proof")["status"] == "passed"
    assert credential.verdict in ("verified", "verified_with_warnings")
    key = HolderKey.objects.get(owner=learner, did=issuer.proof_headers[0]["kid"].split("#")[0])
    assert key.is_active
    recipient = _recipient(credential)
    assert recipient["status"] == "passed"
    assert recipient["code"] == "recipient_confirmed"
    assert "key the learner holds" in recipient["message"]
    assert credential.recipient_code == "recipient_confirmed"
    assert recipient["details"]["holder_key"] == key.did
    assert credential.get_source_display() == "received from the issuer"


def test_it_proves_with_es256_first_and_the_proof_names_its_type(learner, make_issuer):
    issuer = make_issuer()
    _run(receive.request_offer_import(learner=learner, offer=issuer.offer_link()))
    header = issuer.proof_headers[0]
    assert header["typ"] == "openid4vci-proof+jwt"
    assert header["alg"] == "ES256"
    assert header["kid"].startswith("did:jwk:")


def test_an_issuer_that_takes_only_eddsa_gets_the_ed25519_did_key(learner, make_issuer):
    issuer = make_issuer(algorithms=["EdDSA"])
    job = _run(receive.request_offer_import(learner=learner, offer=issuer.offer_link()))
    assert job.status == JobStatus.READY, job.error
    assert issuer.proof_headers[0]["kid"].startswith("did:key:z6Mk")


def test_an_issuer_that_takes_only_es256_gets_a_p256_proof(learner, make_issuer):
    issuer = make_issuer(algorithms=["ES256"])
    job = _run(receive.request_offer_import(learner=learner, offer=issuer.offer_link()))
    assert job.status == JobStatus.READY, job.error
    assert {header["alg"] for header in issuer.proof_headers} == {"ES256"}


def test_an_issuer_whose_algorithms_the_wallet_lacks_fails_with_the_reason(learner, make_issuer):
    issuer = make_issuer(algorithms=["RS256"])
    job = _run(receive.request_offer_import(learner=learner, offer=issuer.offer_link()))
    assert job.status == JobStatus.FAILED
    assert "RS256" in job.error
    assert not Credential.objects.exists()


def test_the_transaction_code_is_sent_and_a_wrong_one_is_refused(learner, make_issuer):
    issuer = make_issuer(tx_code="493536")
    wrong = _run(
        receive.request_offer_import(learner=learner, offer=issuer.offer_link(), tx_code="111111")
    )
    assert wrong.status == JobStatus.FAILED
    assert "check it" in wrong.error
    right = _run(
        receive.request_offer_import(learner=learner, offer=issuer.offer_link(), tx_code="493536")
    )
    assert right.status == JobStatus.READY, right.error
    assert _recipient(right.credentials.get())["code"] == "recipient_confirmed"


def test_an_offer_that_needs_a_code_is_refused_before_queueing_without_one(learner, make_issuer):
    issuer = make_issuer(tx_code="493536")
    with pytest.raises(Exception, match="transaction code"):
        receive.request_offer_import(learner=learner, offer=issuer.offer_link())
    assert not ImportJob.objects.exists()


def test_a_stale_nonce_is_refused_and_retried_with_a_fresh_one(learner, make_issuer):
    issuer = make_issuer(expire_first_nonce=True)
    job = _run(receive.request_offer_import(learner=learner, offer=issuer.offer_link()))
    assert job.status == JobStatus.READY, job.error
    assert len(issuer.nonces) == 2


@pytest.mark.parametrize("credential_format", ["jwt_vc_json", "jwt_vc_json-ld"])
def test_a_jwt_credential_is_stored_and_bound_to_the_key(learner, make_issuer, credential_format):
    issuer = make_issuer(credential_format=credential_format)
    job = _run(receive.request_offer_import(learner=learner, offer=issuer.offer_link()))
    assert job.status == JobStatus.READY, job.error
    credential = job.credentials.get()
    assert credential.format == CredentialFormat.OB3_JWT
    assert _recipient(credential)["code"] == "recipient_confirmed"


def test_a_deferred_credential_is_polled_until_it_arrives(learner, make_issuer):
    issuer = make_issuer(deferred_polls=2)
    job = receive.request_offer_import(learner=learner, offer=issuer.offer_link())
    assert receive.run_offer_import(job=job, will_retry=False) == 1
    job.refresh_from_db()
    assert job.status == JobStatus.PENDING
    assert receive.run_offer_import(job=job, will_retry=False) == 1
    assert receive.run_offer_import(job=job, will_retry=False) is None
    job.refresh_from_db()
    assert job.status == JobStatus.READY, job.error
    assert _recipient(job.credentials.get())["code"] == "recipient_confirmed"


def test_the_offer_and_codes_are_kept_nowhere_readable(learner, make_issuer, caplog):
    issuer = make_issuer(tx_code="493536")
    code = issuer.pre_authorized_code
    job = receive.request_offer_import(learner=learner, offer=issuer.offer_link(), tx_code="493536")
    stored = OfferImport.objects.get(job=job)
    assert code not in stored.secret_encrypted and "493536" not in stored.secret_encrypted
    assert job.url == issuer.identifier
    _run(job)
    stored.refresh_from_db()
    assert stored.secret_encrypted == ""
    trail = json.dumps(list(AuditEvent.objects.values()), default=str)
    for secret in (code, "493536"):
        assert secret not in trail
        assert secret not in caplog.text
        assert secret not in json.dumps(list(ImportJob.objects.values()), default=str)


def test_a_used_offer_fails_with_a_reason_the_learner_can_act_on(learner, make_issuer):
    issuer = make_issuer()
    link = issuer.offer_link()
    _run(receive.request_offer_import(learner=learner, offer=link))
    again = _run(receive.request_offer_import(learner=learner, offer=link))
    assert again.status == JobStatus.FAILED
    assert "used or has expired" in again.error


def test_hostile_offers_are_refused_with_a_clear_message(learner):
    for offer, expected in [
        ("openid-credential-offer://?credential_offer=not-json", "not valid JSON"),
        ('openid-credential-offer://?credential_offer={"credential_issuer": 3}', "issuer"),
        ("openid-credential-offer://?credential_offer_uri=file:///etc/passwd", "web address"),
        ("x" * 20000, "too long"),
        ("openid-credential-offer://?credential_offer=" + "[" * 10000, "not valid JSON"),
    ]:
        with pytest.raises(Exception, match=expected):
            receive.request_offer_import(learner=learner, offer=offer)
    assert not ImportJob.objects.exists()


def test_the_job_page_shows_the_credential_once_received(learner_client, learner, make_issuer):
    issuer = make_issuer()
    job = _run(receive.request_offer_import(learner=learner, offer=issuer.offer_link()))
    response = learner_client.get(reverse("wallet:import_job", kwargs={"job_uuid": job.uuid}))
    assert response.status_code == 302
    assert response["Location"] == job.credentials.get().get_absolute_url()


def test_an_offer_by_reference_is_fetched_by_the_job(learner, make_issuer):
    issuer = make_issuer()
    job = receive.request_offer_import(learner=learner, offer=issuer.offer_by_reference())
    assert job.url == issuer.url("/")
    job = _run(job)
    assert job.status == JobStatus.READY, job.error
    assert job.url == issuer.identifier


def test_a_deferred_credential_is_polled_in_the_background_until_it_arrives(
    learner, make_issuer, django_capture_on_commit_callbacks
):
    issuer = make_issuer(deferred_polls=1)
    with django_capture_on_commit_callbacks(execute=True):
        job = receive.request_offer_import(learner=learner, offer=issuer.offer_link())
    job.refresh_from_db()
    assert job.status == JobStatus.PENDING
    assert requeue_stale_jobs(older_than=timedelta(0)) == 1
    job.refresh_from_db()
    assert job.status == JobStatus.READY, job.error
    assert job.credentials.count() == 1


def test_a_format_the_wallet_does_not_read_is_refused_by_name(learner, make_issuer):
    issuer = make_issuer(credential_format="mso_mdoc")
    job = _run(receive.request_offer_import(learner=learner, offer=issuer.offer_link()))
    assert job.status == JobStatus.FAILED
    assert "mso_mdoc" in job.error


def test_an_issuer_that_binds_bare_keys_gets_the_jwk_in_the_proof(learner, make_issuer):
    issuer = make_issuer(binding_methods=["jwk"], algorithms=["ES256"])
    job = _run(receive.request_offer_import(learner=learner, offer=issuer.offer_link()))
    assert job.status == JobStatus.READY, job.error
    header = issuer.proof_headers[0]
    assert "kid" not in header
    assert header["jwk"]["kty"] == "EC" and "d" not in header["jwk"]
