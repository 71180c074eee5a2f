"""Whose credential it is: one issued to someone else stays in the learner's wallet,
is not offered for sharing, and never reaches an employer."""

import pytest
from allauth.account import signals
from allauth.account.models import EmailAddress
from django.urls import reverse

from credentials.models import Credential
from credentials.verification.checks import Code
from credentials.verification.verdict import Verdict
from sharing.content import shared_content
from sharing.models import ShareLink
from tests.api.conftest import assert_error, token_client
from tests.sharing.conftest import import_signed, make_link, public_path
from wallet.curation_services import create_collection
from wallet.services import add_recipient_identifier

pytestmark = pytest.mark.django_db

EVE = "eve@example.org"
REFUSED = "“Welding” names someone else as its recipient"


@pytest.fixture
def mine(learner) -> Credential:
    return import_signed(learner, name="Teamwork")


@pytest.fixture
def someone_elses(learner) -> Credential:
    return import_signed(learner, name="Welding", email=EVE)


@pytest.fixture
def link(learner, mine, someone_elses) -> ShareLink:
    """A link to the learner's credential and a collection that also holds Eve's."""
    collection = create_collection(owner=learner, name="All", credentials=[mine, someone_elses])
    return make_link(learner, [mine], collections=[collection])


def form_data(credentials) -> dict:
    return {
        "title": "Acme Corp",
        "credentials": [str(credential.uuid) for credential in credentials],
        "expiry": "90",
        "language": "en",
    }


def test_a_credential_issued_to_someone_else_is_kept_as_a_mismatch_not_a_forgery(someone_elses):
    assert someone_elses.recipient_code == Code.RECIPIENT_MISMATCH
    assert someone_elses.verdict == Verdict.VERIFIED_WITH_WARNINGS
    assert someone_elses.recipient_email == EVE
    assert not someone_elses.is_shareable


def test_the_employers_page_leaves_it_out_even_through_a_collection(employer, link):
    page = employer.get(public_path(link)).text
    assert "Teamwork" in page
    assert "Welding" not in page


def test_the_json_download_and_the_json_answer_leave_it_out(employer, link):
    download = employer.get(public_path(link, ".json")).json()
    answer = employer.get(public_path(link), HTTP_ACCEPT="application/json").json()
    for document in (download, answer):
        assert [entry["name"] for entry in document["credentials"]] == ["Teamwork"]


def test_the_transcript_leaves_it_out(link):
    assert [item.credential.name for item in shared_content(link).items] == ["Teamwork"]


def test_its_image_is_not_served_through_the_link(employer, link, someone_elses):
    path = public_path(link, f"/images/{someone_elses.uuid}.png")
    assert employer.get(path).status_code == 404


def test_a_credential_whose_address_was_removed_drops_out_of_a_link_it_was_in(
    employer, learner, django_capture_on_commit_callbacks
):
    work = EmailAddress.objects.create(user=learner, email="ada@work.example", verified=True)
    credential = import_signed(learner, name="Forklift", email=work.email)
    link = make_link(learner, [credential])
    assert "Forklift" in employer.get(public_path(link)).text

    with django_capture_on_commit_callbacks(execute=True):
        work.delete()
        signals.email_removed.send(
            sender=EmailAddress, request=None, user=learner, email_address=work
        )

    credential.refresh_from_db()
    assert credential.recipient_code == Code.RECIPIENT_MISMATCH
    # The cached list moved with the re-check: the same link no longer shows it.
    assert "Forklift" not in employer.get(public_path(link)).text


def test_the_share_form_does_not_offer_it_and_refuses_it_by_name(
    learner_client, mine, someone_elses
):
    page = learner_client.get(reverse("sharing:link_create")).text
    assert "Teamwork" in page
    assert "Welding" not in page

    response = learner_client.post(reverse("sharing:link_create"), form_data([mine, someone_elses]))

    assert response.status_code == 400
    assert REFUSED in response.text
    assert ShareLink.objects.count() == 0


def test_the_api_refuses_it_by_name_when_a_link_is_made_or_changed(learner, mine, someone_elses):
    api = token_client(learner)
    made = api.send(
        "post",
        "/api/v1/share-links/",
        {"title": "Acme", "credentials": [str(mine.uuid), str(someone_elses.uuid)]},
    )
    error = assert_error(made, 422, "recipient_mismatch")
    assert REFUSED in error["message"]

    link = make_link(learner, [mine])
    changed = api.send(
        "patch",
        f"/api/v1/share-links/{link.uuid}/",
        {"credentials": [str(mine.uuid), str(someone_elses.uuid)]},
    )
    assert_error(changed, 422, "recipient_mismatch")
    assert list(link.credentials.all()) == [mine]


def test_a_link_that_already_held_it_can_still_be_changed(learner, mine, someone_elses):
    link = make_link(learner, [mine])
    # Chosen before its recipient check changed.
    link.credentials.add(someone_elses)
    response = token_client(learner).send(
        "patch", f"/api/v1/share-links/{link.uuid}/", {"title": "Acme, round 2"}
    )
    assert response.status_code == 200, response.content


def test_its_page_says_so_and_offers_to_verify_the_address_instead_of_sharing(
    learner_client, someone_elses
):
    page = learner_client.get(someone_elses.get_absolute_url()).text
    assert "Issued to someone else" in page
    assert EVE in page
    assert reverse("account_email") in page
    assert reverse("sharing:linkedin_create", args=[someone_elses.uuid]) not in page
    assert f"{reverse('sharing:link_create')}?credential=" not in page


def test_linkedin_refuses_it_with_the_reason(learner_client, someone_elses):
    response = learner_client.get(
        reverse("sharing:linkedin_create", args=[someone_elses.uuid]), follow=True
    )
    assert response.redirect_chain[0][0] == someone_elses.get_absolute_url()
    assert REFUSED in response.text
    assert ShareLink.objects.count() == 0


def test_verifying_the_address_it_names_checks_it_again_and_makes_it_shareable(
    employer, learner, someone_elses, django_capture_on_commit_callbacks
):
    address = EmailAddress.objects.create(user=learner, email=EVE, verified=True)

    with django_capture_on_commit_callbacks(execute=True):
        signals.email_confirmed.send(sender=EmailAddress, request=None, email_address=address)

    someone_elses.refresh_from_db()
    assert someone_elses.recipient_code == Code.RECIPIENT_CONFIRMED
    assert someone_elses.verdict == Verdict.VERIFIED
    link = make_link(learner, [someone_elses])
    assert "Welding" in employer.get(public_path(link)).text


def test_adding_the_identifier_it_names_makes_it_unproven_and_shareable(
    learner, django_capture_on_commit_callbacks
):
    credential = import_signed(
        learner, name="Robotics", subject_id="did:example:ada-work", identifier=None
    )
    assert credential.recipient_code == Code.RECIPIENT_MISMATCH

    with django_capture_on_commit_callbacks(execute=True):
        add_recipient_identifier(owner=learner, value="did:example:ada-work")

    credential.refresh_from_db()
    assert credential.recipient_code == Code.RECIPIENT_UNPROVEN
    assert make_link(learner, [credential]).credentials.get() == credential
