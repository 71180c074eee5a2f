"""Badge images: stored at import, re-encoded to PNG, never hot-linked.

Whatever arrives (a baked PNG, an SVG, a data URI or a remote image) is
decoded under size limits and written out again as a plain PNG, which drops
EXIF and any other metadata (including a baked assertion).
"""

import base64
import binascii
import io
import logging
from urllib.parse import unquote_to_bytes

import cairosvg
import cairosvg.url
from django.conf import settings
from PIL import Image, UnidentifiedImageError

from credentials.fetcher import FetchError, fetch

logger = logging.getLogger(__name__)

MAX_SIDE = 512
MAX_PIXELS = 40_000_000
MAX_SVG_BYTES = 1024 * 1024


class ImageError(ValueError):
    """The image could not be read safely."""


def badge_png(*, baked: bytes | None, image_ref: str) -> bytes | None:
    """A sanitised PNG for a credential, or None when it has no usable image."""
    try:
        if baked:
            return to_png(baked)
        data = _load_ref(image_ref)
        return to_png(data) if data else None
    except (ImageError, FetchError) as exc:
        logger.info("badge image skipped: %s", exc)
        return None


def _load_ref(ref: str) -> bytes | None:
    if not ref:
        return None
    if ref.startswith("data:"):
        header, _, payload = ref.partition(",")
        if len(payload) > settings.IMPORT_MAX_BYTES * 2:
            raise ImageError("data URI too large")
        try:
            if header.endswith(";base64"):
                return base64.b64decode(payload, validate=False)
            return unquote_to_bytes(payload)
        except (binascii.Error, ValueError) as exc:
            raise ImageError("undecodable data URI") from exc
    if ref.startswith(("https://", "http://")):
        response = fetch(
            ref, accept="image/png,image/svg+xml,image/*", max_bytes=settings.IMPORT_MAX_BYTES
        )
        if response.status != 200:
            raise ImageError(f"image answered HTTP {response.status}")
        return response.body
    return None


def to_png(data: bytes) -> bytes:
    """Decode a PNG, JPEG, GIF, WebP or SVG image and re-encode it as a small PNG."""
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise ImageError("image too large")
    if _looks_like_svg(data):
        data = _rasterise_svg(data)
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ImageError("image has too many pixels")
            image.draft("RGBA", (MAX_SIDE, MAX_SIDE))
            image.load()
            frame = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as exc:
        raise ImageError("unreadable image") from exc
    frame.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    frame.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _looks_like_svg(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<?xml", b"<svg", b"<!doctype", b"<!--")) and b"<svg" in head


def _embedded_only(url: str, resource_type: str) -> bytes:
    # An SVG may embed data: images; it may never make us fetch a file or a URL.
    if url.startswith("data:"):
        return cairosvg.url.fetch(url, resource_type)
    raise ImageError("SVG refers to an external resource")


def _rasterise_svg(data: bytes) -> bytes:
    if len(data) > MAX_SVG_BYTES:
        raise ImageError("SVG too large")
    if b"<!ENTITY" in data.upper():
        raise ImageError("SVG declares entities")
    try:
        # unsafe=False: no external files, no entity resolution, no remote fetches.
        return cairosvg.svg2png(
            bytestring=data,
            output_width=MAX_SIDE,
            output_height=MAX_SIDE,
            unsafe=False,
            url_fetcher=_embedded_only,
        )
    except Exception as exc:  # cairosvg raises many unrelated types on bad input
        raise ImageError("unreadable SVG") from exc
