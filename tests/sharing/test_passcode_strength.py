"""New passcodes are long enough or suggested; old short ones keep working, with a nudge."""

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.urls import reverse

from sharing.models import ShareLink
from sharing.services.links import READABLE_SYMBOLS
from tests.api.conftest import assert_error, token_client
from tests.sharing.conftest import PASSCODE, make_link, public_path
from tests.sharing.test_link_views import form_data

pytestmark = pytest.mark.django_db

SHORT_NUDGE = "This passcode is short; choose a longer one."


def test_a_new_7_character_passcode_is_refused_with_a_clear_message(learner_client, credential):
    response = learner_client.post(
        reverse("sharing:link_create"), form_data([credential], passcode="seven77")
    )
    assert response.status_code == 400
    assert "A passcode needs at least 8 characters" in response.text
    assert not ShareLink.objects.exists()


def test_an_8_character_passcode_is_taken(learner_client, credential):
    response = learner_client.post(
        reverse("sharing:link_create"), form_data([credential], passcode="eight888")
    )
    assert response.status_code == 302
    link = ShareLink.objects.get()
    assert check_password("eight888", link.passcode_hash)
    assert link.has_short_passcode is False


def test_a_new_7_character_passcode_is_refused_through_the_api(credential):
    api = token_client(credential.owner)
    body = {"title": "Short", "credentials": [str(credential.uuid)], "passcode": "seven77"}
    error = assert_error(api.send("post", "/api/v1/share-links/", body), 422, "passcode")
    assert "at least 8 characters" in error["message"]
    assert not ShareLink.objects.exists()


def test_the_form_suggests_a_passphrase_and_uses_it_when_asked(learner_client, credential):
    page = learner_client.get(reverse("sharing:link_create"))
    suggested = page.context["form"].suggested
    assert len(suggested) == 14
    assert set(suggested.replace("-", "")) <= set(READABLE_SYMBOLS)
    assert suggested in page.text
    response = learner_client.post(
        reverse("sharing:link_create"),
        form_data([credential], suggested_passcode=suggested, use_suggested_passcode="on"),
    )
    assert response.status_code == 302
    link = ShareLink.objects.get()
    assert check_password(suggested, link.passcode_hash)
    assert suggested not in learner_client.get(link.get_absolute_url()).text


def test_a_tampered_suggestion_is_replaced_not_trusted(learner_client, credential):
    response = learner_client.post(
        reverse("sharing:link_create"),
        form_data([credential], suggested_passcode="1234", use_suggested_passcode="on"),
    )
    assert response.status_code == 302
    assert not check_password("1234", ShareLink.objects.get().passcode_hash)


def test_typing_a_passcode_and_asking_for_the_suggestion_is_refused(learner_client, credential):
    response = learner_client.post(
        reverse("sharing:link_create"),
        form_data([credential], passcode=PASSCODE, use_suggested_passcode="on"),
    )
    assert response.status_code == 400
    assert "Type a passcode or use the suggested one, not both." in response.text


@pytest.fixture
def old_short_link(learner, credential):
    """A link whose 4-character passcode was set before the minimum, as the migration left it."""
    link = make_link(learner, [credential], passcode=PASSCODE)
    ShareLink.objects.filter(pk=link.pk).update(
        passcode_hash=make_password("1234"), has_short_passcode=None
    )
    link.refresh_from_db()
    return link


def test_an_old_short_passcode_still_opens_the_link_and_its_owner_sees_the_nudge(
    old_short_link, employer, learner_client, credential
):
    detail = learner_client.get(old_short_link.get_absolute_url())
    assert "This passcode was set before passcodes needed 8 characters" in detail.text
    assert employer.post(public_path(old_short_link), {"passcode": "1234"}).status_code == 302
    assert credential.name in employer.get(public_path(old_short_link)).text
    old_short_link.refresh_from_db()
    assert old_short_link.has_short_passcode is True
    assert SHORT_NUDGE in learner_client.get(old_short_link.get_absolute_url()).text
    assert SHORT_NUDGE in learner_client.get(reverse("sharing:link_list")).text


def test_an_old_passcode_typed_right_and_long_enough_loses_the_nudge(
    learner, credential, employer, learner_client
):
    link = make_link(learner, [credential], passcode=PASSCODE)
    ShareLink.objects.filter(pk=link.pk).update(has_short_passcode=None)
    employer.post(public_path(link), {"passcode": PASSCODE})
    link.refresh_from_db()
    assert link.has_short_passcode is False
    detail = learner_client.get(link.get_absolute_url()).text
    assert SHORT_NUDGE not in detail
    assert "set before passcodes needed 8 characters" not in detail


def test_a_new_passcode_ends_the_nudge(old_short_link, learner_client, credential):
    response = learner_client.post(
        reverse("sharing:link_edit", args=[old_short_link.uuid]),
        form_data([credential], passcode="a-longer-passcode"),
    )
    assert response.status_code == 302
    old_short_link.refresh_from_db()
    assert old_short_link.has_short_passcode is False
    assert SHORT_NUDGE not in learner_client.get(old_short_link.get_absolute_url()).text
