"""What is proven about the issuer reaches the employer: page, JSON download and API."""

import pytest

from tests.sharing.conftest import import_signed, make_link, public_path

pytestmark = pytest.mark.django_db


def test_the_employer_page_says_when_an_issuer_is_confirmed(employer, learner):
    confirmed = import_signed(learner, name="Teamwork", trusted=True)
    page = employer.get(public_path(make_link(learner, [confirmed]))).text
    assert "Issued by Example University, confirmed: it is on this site’s list of trusted" in page
    assert confirmed.issuer_id[:40] in page


def test_the_employer_page_says_when_an_issuer_is_only_its_own_claim(employer, learner):
    unconfirmed = import_signed(learner, name="Robotics", trusted=False)
    page = employer.get(public_path(make_link(learner, [unconfirmed]))).text
    assert "Says it was issued by “Example University”, but nothing confirms who issued it." in page
    # The issuer's identifier is there to be compared.
    assert unconfirmed.issuer_id[:40] in page
    assert "authentic" not in page
    assert "who issued it is not confirmed" in page


def test_a_borrowed_registered_name_reads_failed_and_says_whose_name_it_is(learner):
    import_signed(learner, name="Teamwork", trusted=True)
    # Another key, the same issuer name as the registered entry: not theirs.
    borrowed = import_signed(learner, name="Robotics", trusted=False)
    assert borrowed.verdict == "failed"
    assert borrowed.issuer_identity["level"] == "impersonation"
    assert borrowed.issuer_identity["impersonated_name"] == "Example University"
    assert borrowed.verdict_explanation == (
        "This credential claims an issuer’s name that is not its own."
    )


def test_the_json_download_carries_the_identity_level_and_every_check_code(employer, learner):
    credential = import_signed(learner, name="Robotics", trusted=False)
    document = employer.get(public_path(make_link(learner, [credential]), ".json")).json()
    [entry] = document["credentials"]
    assert entry["issuerIdentity"]["level"] == "self_asserted"
    assert entry["issuerIdentity"]["issuerId"] == credential.issuer_id
    codes = {check["name"]: check["code"] for check in entry["checks"]}
    assert codes["issuer"] == "issuer_self_asserted"
    assert codes["recipient"] == "recipient_confirmed"


def test_the_api_gives_the_identity_level_with_the_registry_that_vouches(learner, client):
    credential = import_signed(learner, name="Teamwork", trusted=True)
    client.force_login(learner)
    body = client.get(f"/api/v1/credentials/{credential.uuid}/").json()
    assert body["issuer_identity"]["level"] == "registered"
    assert body["issuer_identity"]["issuer_id"] == credential.issuer_id
    assert body["issuer_identity"]["registered_name"] == "Example University"
