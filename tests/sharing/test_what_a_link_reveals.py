"""What a link shows before its passcode, and of a learner who gave no name."""

import pytest
from django.utils import translation

from sharing.views.learner import transcript_filename
from tests.sharing.conftest import PASSCODE, make_link, public_path
from wallet.models import Wallet

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["svg", "png"])
def test_a_locked_links_qr_download_is_named_for_nothing(employer, learner, credential, kind):
    link = make_link(learner, [credential], passcode=PASSCODE, title="Interview at Acme Corp")
    download = employer.get(public_path(link, f"/qr.{kind}") + "?download=1")
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="share-link-qr.{kind}"'
    assert "acme" not in download["Content-Disposition"].lower()


def test_an_unlocked_links_qr_download_is_named_after_its_title(employer, learner, credential):
    link = make_link(learner, [credential], passcode=PASSCODE, title="Interview at Acme Corp")
    employer.post(public_path(link), {"passcode": PASSCODE})
    download = employer.get(public_path(link, "/qr.svg") + "?download=1")
    assert 'filename="interview-at-acme-corp-qr.svg"' in download["Content-Disposition"]


def test_a_link_without_a_passcode_names_its_qr_download_after_its_title(
    employer, learner, credential
):
    link = make_link(learner, [credential], title="Acme Corp")
    download = employer.get(public_path(link, "/qr.png") + "?download=1")
    assert 'filename="acme-corp-qr.png"' in download["Content-Disposition"]


def test_a_learner_with_no_display_name_is_not_named_after_their_address(
    employer, learner, credential
):
    Wallet.objects.filter(user=learner).update(display_name="")
    link = make_link(learner, [credential])
    local_part = learner.email.split("@")[0]
    page = employer.get(public_path(link)).text
    assert "A Skills Wallet learner" in page
    assert f">{local_part}<" not in page
    assert employer.get(public_path(link, ".json")).json()["learner"] == "A Skills Wallet learner"
    assert local_part not in transcript_filename(link)


def test_the_neutral_name_is_translated(employer, learner, credential):
    Wallet.objects.filter(user=learner).update(display_name="")
    link = make_link(learner, [credential], language="fr-ca")
    with translation.override("fr-ca"):
        assert transcript_filename(link).startswith("releve-de-une-personne")


def test_a_display_name_is_still_shown(employer, learner, credential):
    Wallet.objects.filter(user=learner).update(display_name="Ada Lovelace")
    link = make_link(learner, [credential])
    assert "Ada Lovelace" in employer.get(public_path(link)).text
