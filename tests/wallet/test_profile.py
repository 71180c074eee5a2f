"""The profile: name, headline, bio, a cleaned photo, emails and unproven identifiers."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from credentials.models import RecipientIdentifier
from tests.wallet.support import client_for
from wallet.models import Wallet

pytestmark = pytest.mark.django_db
PROFILE = reverse("wallet:profile")


def jpeg_with_exif(width: int = 1200, height: int = 800) -> bytes:
    exif = Image.Exif()
    exif[0x010E] = "SECRET-DESCRIPTION"
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def upload(client, data: bytes, name: str = "me.jpg"):
    return client.post(
        reverse("wallet:profile_photo_upload"),
        {"photo": SimpleUploadedFile(name, data, content_type="image/jpeg")},
    )


def test_every_profile_view_needs_a_login(employer):
    for url in [PROFILE, reverse("wallet:profile_photo")]:
        assert reverse("account_login") in employer.get(url).url
    for name in ["profile_photo_upload", "profile_photo_remove", "identifier_add"]:
        assert reverse("account_login") in employer.post(reverse(f"wallet:{name}")).url


def test_the_profile_is_saved_and_escaped(learner):
    client = client_for(learner)
    response = client.post(
        PROFILE,
        {"display_name": " Ada  L. ", "headline": "<b>Étudiante</b>", "bio": "Bonjour"},
        follow=True,
    )
    wallet = Wallet.objects.get(user=learner)
    assert (wallet.display_name, wallet.headline, wallet.bio) == (
        "Ada L.",
        "<b>Étudiante</b>",
        "Bonjour",
    )
    assert "&lt;b&gt;Étudiante&lt;/b&gt;" in response.text
    for field in ["display_name", "headline", "bio"]:
        assert f'for="id_{field}"' in response.text


def test_a_too_long_headline_is_refused_with_its_error_tied_to_it(learner):
    response = client_for(learner).post(PROFILE, {"headline": "x" * 161})
    assert response.status_code == 400
    assert "id_headline_error" in response.text


def test_the_photo_is_turned_upright_shrunk_and_stripped_of_exif(learner):
    client = client_for(learner)
    response = upload(client, jpeg_with_exif())
    assert response.status_code == 302
    wallet = Wallet.objects.get(user=learner)
    stored = wallet.photo.open("rb").read()
    assert b"SECRET-DESCRIPTION" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "PNG"
        assert max(image.size) <= 400
        assert image.size[0] < image.size[1]
        assert not image.getexif()
    served = client.get(reverse("wallet:profile_photo"))
    assert b"".join(served.streaming_content) == stored


@pytest.mark.parametrize(
    "data",
    [b"not an image", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", b"\x89PNG\r\n\x1a\n"],
)
def test_a_bad_photo_is_refused_and_nothing_is_stored(learner, data):
    response = upload(client_for(learner), data)
    assert response.status_code == 400
    assert "id_photo_error" in response.text
    assert not Wallet.objects.get(user=learner).photo


def test_a_photo_over_the_size_cap_is_refused(learner):
    response = upload(client_for(learner), b"\xff\xd8" + b"0" * (5 * 1024 * 1024 + 1))
    assert response.status_code == 400
    assert "smaller than" in response.text


def test_a_photo_past_pillows_own_ceiling_says_how_many_pixels_are_allowed(learner):
    out = io.BytesIO()
    Image.new("1", (7000, 7000)).save(out, "PNG")
    response = upload(client_for(learner), out.getvalue(), name="huge.png")
    assert response.status_code == 400
    assert "under 25 megapixels" in response.text


def test_replacing_and_removing_the_photo_deletes_the_old_file(
    learner, django_capture_on_commit_callbacks
):
    client = client_for(learner)
    upload(client, jpeg_with_exif())
    first = Wallet.objects.get(user=learner).photo.name
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, jpeg_with_exif(300, 300))
    second = Wallet.objects.get(user=learner).photo.name
    assert first != second
    assert not default_storage.exists(first)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("wallet:profile_photo_remove"))
    assert not Wallet.objects.get(user=learner).photo
    assert not default_storage.exists(second)
    assert client.get(reverse("wallet:profile_photo")).status_code == 404


def test_identifiers_are_added_shown_as_unproven_and_removed(learner):
    client = client_for(learner)
    client.post(reverse("wallet:identifier_add"), {"value": "did:web:ada.example"})
    page = client.get(PROFILE).text
    assert "did:web:ada.example" in page
    assert "unproven" in page
    identifier = RecipientIdentifier.objects.get(owner=learner)
    client.post(reverse("wallet:identifier_remove", args=[identifier.uuid]))
    assert not RecipientIdentifier.objects.exists()


@pytest.mark.parametrize(
    "value", ["", "ada", "javascript:alert(1)", "did:", "https://", "did:web:a b", "x" * 501]
)
def test_bad_identifiers_are_refused(learner, value):
    response = client_for(learner).post(reverse("wallet:identifier_add"), {"value": value})
    assert response.status_code == 400
    assert "id_value_error" in response.text
    assert not RecipientIdentifier.objects.exists()


def test_the_same_identifier_twice_is_refused(learner):
    client = client_for(learner)
    client.post(reverse("wallet:identifier_add"), {"value": "https://ada.example/me"})
    response = client.post(reverse("wallet:identifier_add"), {"value": "https://ada.example/me"})
    assert response.status_code == 400
    assert "already added" in response.text


def test_another_learner_cannot_remove_an_identifier(learner, other_learner):
    identifier = RecipientIdentifier.objects.create(owner=learner, value="did:web:ada.example")
    response = client_for(other_learner).post(
        reverse("wallet:identifier_remove", args=[identifier.uuid])
    )
    assert response.status_code == 404
    assert RecipientIdentifier.objects.exists()


def test_the_profile_links_to_verified_email_addresses(learner):
    page = client_for(learner).get(PROFILE).text
    assert "ada@example.org" in page
    assert reverse("account_email") in page
