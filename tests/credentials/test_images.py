"""Badge images: small, decoded under a cap and an import budget, SVGs rendered for real."""

import base64
import io
import json
import time
from pathlib import Path

import pytest
from PIL import Image, ImageFile

from credentials import images
from credentials.images import ImageBudget, ImageError, badge_png, to_png
from credentials.models import CredentialSource
from credentials.services import import_credential
from tests.credentials.support import fixtures
from tests.credentials.support.issuer import did_key_issuer

VECTORS = Path(__file__).resolve().parents[2].parent / "shared" / "vectors"
VECTOR_SVGS = sorted(VECTORS.rglob("*.svg")) if VECTORS.is_dir() else []
SVG_HEAD = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    'viewBox="0 0 10 10">'
)


def bomb_png(side: int = 6300) -> bytes:
    """A 1-bit black square: a few kilobytes that decode to `side`² pixels."""
    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, format="PNG", optimize=True)
    return out.getvalue()


def data_uri(data: bytes, media_type: str = "image/png") -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode()}"


def with_image(credential: dict, ref: str) -> dict:
    credential["credentialSubject"]["achievement"]["image"] = {"id": ref, "type": "Image"}
    return credential


def svg_with_image(href: str) -> bytes:
    return (SVG_HEAD + f'<image width="10" height="10" xlink:href="{href}"/></svg>').encode()


def drawn(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    return image.convert("RGBA")


def is_blank(image: Image.Image) -> bool:
    return all(low == high for low, high in image.getextrema())


@pytest.fixture
def decoded_sizes(monkeypatch):
    """The size of every raster Pillow actually decodes (once each, however often loaded)."""
    sizes = []
    seen = set()
    kept = []  # alive, so that no id is reused
    original = ImageFile.ImageFile.load

    def load(self):
        if id(self) not in seen:
            seen.add(id(self))
            kept.append(self)
            sizes.append(self.size)
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return sizes


# Image bombs


def test_a_badge_image_is_capped_at_what_a_badge_needs(decoded_sizes):
    with pytest.raises(ImageError, match="too many pixels"):
        to_png(bomb_png(4100))
    assert decoded_sizes == []


def test_a_badge_image_at_the_cap_is_stored_small():
    assert drawn(to_png(bomb_png(4096))).size == (512, 512)


def test_pillow_refuses_past_the_cap_on_its_own():
    assert Image.MAX_IMAGE_PIXELS == images.MAX_PIXELS


def test_one_import_has_a_pixel_budget(decoded_sizes):
    budget = ImageBudget()
    ref = data_uri(bomb_png(4096))
    stored = [badge_png(baked=None, image_ref=ref, budget=budget) for _ in range(10)]
    assert sum(png is not None for png in stored) == 4
    assert stored[4:] == [None] * 6
    assert len(decoded_sizes) == 4


def test_one_import_has_a_time_budget(decoded_sizes):
    budget = ImageBudget(seconds=0.0)
    assert badge_png(baked=None, image_ref=data_uri(bomb_png(16)), budget=budget) is None
    assert decoded_sizes == []


def test_only_badge_formats_are_decoded():
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, format="TIFF")
    with pytest.raises(ImageError, match="unreadable"):
        to_png(out.getvalue())


@pytest.mark.django_db
def test_a_presentation_of_image_bombs_imports_within_seconds(learner, decoded_sizes):
    bomb = data_uri(bomb_png())
    members = [
        with_image(
            fixtures.achievement_credential(
                "https://issuer.example", credential_id=f"urn:uuid:bomb-{index}"
            ),
            bomb,
        )
        for index in range(200)
    ]
    data = json.dumps(fixtures.presentation(members)).encode()
    started = time.monotonic()
    outcome = import_credential(learner=learner, data=data, source=CredentialSource.UPLOAD)
    assert time.monotonic() - started < 5
    assert len(outcome.created) == 200
    assert all(not credential.image for credential in outcome.created)
    assert decoded_sizes == []


@pytest.mark.django_db
def test_a_credential_that_fails_verification_gets_no_picture(learner, decoded_sizes):
    credential = with_image(fixtures.achievement_credential("https://issuer.example"), "x")
    credential["credentialSubject"]["achievement"]["image"]["id"] = data_uri(bomb_png(16))
    data = json.dumps(credential).encode()
    [stored] = import_credential(learner=learner, data=data, source=CredentialSource.UPLOAD).created
    assert stored.verdict == "failed"
    assert not stored.image
    assert decoded_sizes == []


@pytest.mark.django_db
def test_a_verified_credential_keeps_its_picture(learner):
    issuer = did_key_issuer()
    picture = io.BytesIO()
    Image.new("RGB", (64, 64), "#c04000").save(picture, format="PNG")
    credential = issuer.sign(with_image(issuer.credential(), data_uri(picture.getvalue())))
    data = json.dumps(credential).encode()
    [stored] = import_credential(learner=learner, data=data, source=CredentialSource.UPLOAD).created
    assert stored.verdict != "failed"
    with stored.image.open("rb") as handle:
        assert drawn(handle.read()).getpixel((10, 10)) == (0xC0, 0x40, 0x00, 255)


def test_an_svg_embedding_a_raster_bomb_is_refused_without_decoding_it(decoded_sizes):
    started = time.monotonic()
    with pytest.raises(ImageError, match="too many pixels"):
        to_png(svg_with_image(data_uri(bomb_png())))
    assert time.monotonic() - started < 2
    assert (6300, 6300) not in decoded_sizes


def test_an_svg_embedding_a_jpeg_reaches_pillow_only_through_the_cap(decoded_sizes):
    picture = io.BytesIO()
    Image.new("RGB", (5000, 4000)).save(picture, format="JPEG")
    with pytest.raises(ImageError, match="too many pixels"):
        to_png(svg_with_image(data_uri(picture.getvalue(), "image/jpeg")))
    assert decoded_sizes == []


def test_an_svg_use_bomb_is_refused_before_rendering():
    parts = [SVG_HEAD, '<defs><rect id="a0" width="1" height="1"/>']
    for level in range(1, 8):
        parts.append(f'<g id="a{level}">' + f'<use xlink:href="#a{level - 1}"/>' * 10 + "</g>")
    parts.append('</defs><use xlink:href="#a7"/></svg>')
    started = time.monotonic()
    with pytest.raises(ImageError, match="too many referenced"):
        to_png("".join(parts).encode())
    assert time.monotonic() - started < 1


def test_an_svg_use_cycle_is_refused():
    svg = (
        SVG_HEAD + '<g id="a"><use xlink:href="#b"/></g><g id="b"><use xlink:href="#a"/></g></svg>'
    )
    with pytest.raises(ImageError, match="too deeply"):
        to_png(svg.encode())


# SVG badges


@pytest.mark.skipif(not VECTOR_SVGS, reason=f"no baked SVG badges under {VECTORS}")
@pytest.mark.parametrize("path", VECTOR_SVGS, ids=lambda path: path.name)
def test_a_real_svg_badge_is_stored_as_a_png_with_its_picture(path):
    image = drawn(to_png(path.read_bytes()))
    assert image.size == (512, 512)
    assert not is_blank(image)


def test_an_svg_badge_made_here_is_drawn():
    svg = SVG_HEAD + '<rect width="10" height="10" fill="#ff0000"/></svg>'
    png = badge_png(
        baked=fixtures.baked_svg("{}").replace(b"<rect", b'<rect fill="#0000ff"'), image_ref=""
    )
    assert drawn(png).getpixel((256, 256)) == (0, 0, 255, 255)
    assert drawn(to_png(svg.encode())).getpixel((256, 256)) == (255, 0, 0, 255)


def test_an_svg_may_embed_a_small_data_image():
    picture = io.BytesIO()
    Image.new("RGB", (8, 8), "#00ff00").save(picture, format="PNG")
    image = drawn(to_png(svg_with_image(data_uri(picture.getvalue()))))
    assert image.getpixel((256, 256)) == (0, 255, 0, 255)


@pytest.mark.parametrize("scheme", ["http", "file"])
def test_an_svg_never_fetches_an_external_image(local_server, tmp_path, scheme):
    picture = io.BytesIO()
    Image.new("RGB", (8, 8), "#00ff00").save(picture, format="PNG")
    secret = tmp_path / "secret.png"
    secret.write_bytes(picture.getvalue())
    href = local_server.add("/picture.png", picture.getvalue(), content_type="image/png")
    if scheme == "file":
        href = secret.as_uri()
    svg = (
        SVG_HEAD
        + '<rect width="10" height="10" fill="#ffffff"/>'
        + f'<image width="10" height="10" xlink:href="{href}"/></svg>'
    )
    image = drawn(to_png(svg.encode()))
    assert local_server.requests == []
    assert image.getpixel((256, 256)) == (255, 255, 255, 255)


def unverifiable(index: int, image: str) -> dict:
    """A credential with a proof of a kind this wallet cannot check: not failed, so its image
    is decoded, and anyone can make one."""
    credential = with_image(
        fixtures.achievement_credential(
            "https://issuer.example", credential_id=f"urn:uuid:unverifiable-{index}"
        ),
        image,
    )
    credential["proof"] = {
        "type": "DataIntegrityProof",
        "cryptosuite": "future-suite-2099",
        "verificationMethod": "https://issuer.example/keys/1",
        "proofPurpose": "assertionMethod",
        "created": "2024-01-01T00:00:00Z",
        "proofValue": "z111",
    }
    return credential


@pytest.mark.django_db
def test_an_api_import_of_image_bombs_that_pass_as_unverifiable_holds_to_its_budget(
    learner, decoded_sizes
):
    from tests.api.conftest import ApiClient
    from wallet.models import ApiTokenScope
    from wallet.tokens import create_api_token

    token = create_api_token(owner=learner, name="bombs", scope=ApiTokenScope.READ_WRITE).token
    heavy = data_uri(bomb_png(4096))
    members = [unverifiable(index, heavy) for index in range(100)]
    text = json.dumps(fixtures.presentation(members))
    started = time.monotonic()
    response = ApiClient(token).send("post", "/api/v1/credentials/import/text/", {"text": text})
    elapsed = time.monotonic() - started
    assert response.status_code == 201, response.content
    created = response.json()["created"]
    assert len(created) == 100
    assert {item["verdict"] for item in created} == {"unverifiable"}
    assert len(decoded_sizes) <= images.IMPORT_IMAGE_PIXELS // images.MAX_PIXELS
    assert elapsed < images.IMPORT_IMAGE_SECONDS + 3
