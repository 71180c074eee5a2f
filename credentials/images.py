"""Badge images: stored at import, re-encoded to PNG, never hot-linked.

Whatever arrives (a baked PNG, an SVG, a data URI or a remote image) is
decoded under size limits and written out again as a plain PNG, which drops
EXIF and any other metadata (including a baked assertion).
"""

import base64
import binascii
import io
import logging
import re
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes
from xml.etree.ElementTree import Element

import cairosvg.surface
import defusedxml.ElementTree
from defusedxml import DefusedXmlException
from django.conf import settings
from PIL import Image, UnidentifiedImageError

from credentials.fetcher import FetchError, fetch

logger = logging.getLogger(__name__)

MAX_SIDE = 512
# A badge is shown at most 512 px wide; issuers ship artwork up to print size, a few thousand
# pixels a side. 4096 x 4096 (16.7 MP, 64 MB once RGBA) holds every real badge while one decode
# stays near a third of a second; the old 40 MP cap let a 5 KB 1-bit PNG cost seconds of CPU.
MAX_PIXELS = 4096 * 4096
# Pillow's own guard follows the same cap: past it Pillow only warns (and raises at twice it),
# so decoding below turns the warning into an error too.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
MAX_SVG_BYTES = 1024 * 1024
# CairoSVG gives up only after 100,000 <use> references (13 s of CPU for a 2 KB file); a badge
# draws a few dozen, so a larger reference tree is refused before rendering.
MAX_SVG_REFERENCES = 2_000
MAX_SVG_DEPTH = 100
# Formats a badge comes in; Pillow's other decoders (TIFF, PSD, ...) are never reached.
RASTER_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")
# The budget of one import, over all its images. A presentation may hold hundreds of
# credentials and, without Redis, the import runs inside the request where no Celery time limit
# applies: past this, the remaining credentials are stored without a picture.
IMPORT_IMAGE_PIXELS = 4 * MAX_PIXELS
IMPORT_IMAGE_SECONDS = 5.0
# What CairoSVG draws for a resource it may not fetch (its own safe_fetch does the same).
_NOTHING = b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>'
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_ROOT_TAG = re.compile(rb"<svg\b[^>]*>", re.IGNORECASE)
_AUTO_SIZE = re.compile(rb"(?<![-\w])(?:width|height)\s*:\s*auto\s*(?:;|(?=[\"']))", re.IGNORECASE)


class ImageError(ValueError):
    """The image could not be read safely."""


@dataclass
class ImageBudget:
    """What one import may still spend on images: pixels decoded and seconds spent."""

    pixels: int = IMPORT_IMAGE_PIXELS
    seconds: float = IMPORT_IMAGE_SECONDS

    def check_time(self) -> None:
        if self.seconds <= 0:
            raise ImageError("the import's image time budget is spent")

    def spend_pixels(self, count: int) -> None:
        if count > self.pixels:
            raise ImageError("the import's image pixel budget is spent")
        self.pixels -= count


def badge_png(
    *, baked: bytes | None, image_ref: str, budget: ImageBudget | None = None
) -> bytes | None:
    """A sanitised PNG for a credential, or None when it has no usable image."""
    budget = budget if budget is not None else ImageBudget()
    started = time.monotonic()
    try:
        budget.check_time()
        if baked:
            return to_png(baked, budget=budget)
        data = _load_ref(image_ref)
        return to_png(data, budget=budget) if data else None
    except (ImageError, FetchError) as exc:
        logger.info("badge image skipped: %s", exc)
        return None
    finally:
        budget.seconds -= time.monotonic() - started


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


def to_png(data: bytes, *, budget: ImageBudget | None = None) -> bytes:
    """Decode a PNG, JPEG, GIF, WebP or SVG image and re-encode it as a small PNG."""
    budget = budget if budget is not None else ImageBudget()
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise ImageError("image too large")
    if _looks_like_svg(data):
        data = _rasterise_svg(data, budget)
    try:
        # catch_warnings is process-wide, not per thread: the size check before load() is
        # what guards; the warning filter only backs it up.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=RASTER_FORMATS) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise ImageError(f"image has too many pixels ({width}×{height})")
                budget.spend_pixels(width * height)
                image.draft("RGBA", (MAX_SIDE, MAX_SIDE))
                image.load()
                frame = image.convert("RGBA")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageError("image has too many pixels") from exc
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ImageError("unreadable image") from exc
    frame.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    frame.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _looks_like_svg(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<?xml", b"<svg", b"<!doctype", b"<!--")) and b"<svg" in head


def _embedded_only(budget: ImageBudget) -> Callable[[str, str], bytes]:
    """A CairoSVG fetcher that reads data: URLs only, rasters through `to_png`'s limits."""

    def fetch_embedded(url: str, resource_type: str) -> bytes:
        # An SVG may embed data: images; it may never make us fetch a file or a URL.
        if not url.startswith("data:"):
            return _NOTHING
        data = _load_ref(url) or b""
        if data.startswith(b"\x1f\x8b"):
            # CairoSVG would gunzip a nested SVG without any limit.
            raise ImageError("SVG embeds a compressed SVG")
        if resource_type == "text/css" or _looks_like_svg(data):
            return data
        # Re-encoded small: CairoSVG then hands cairo a PNG at most MAX_SIDE a side and never
        # reaches Pillow at its default limit.
        return to_png(data, budget=budget)

    return fetch_embedded


def _check_svg_tree(data: bytes) -> None:
    try:
        root = defusedxml.ElementTree.fromstring(data, forbid_dtd=False)
    except (DefusedXmlException, SyntaxError, ValueError) as exc:
        raise ImageError("unreadable SVG") from exc
    by_id = {element.get("id"): element for element in root.iter() if element.get("id")}
    drawn: dict[int, int] = {}

    def count(element: Element, depth: int) -> int:
        # Each element counted once however often it is referenced; a reference cycle or an
        # absurd depth runs into MAX_SVG_DEPTH.
        if depth > MAX_SVG_DEPTH:
            raise ImageError("SVG nests or references too deeply")
        if id(element) in drawn:
            return drawn[id(element)]
        total = 1 + sum(count(child, depth + 1) for child in element)
        href = element.get(_XLINK_HREF) or element.get("href") or ""
        target = by_id.get(href[1:]) if href.startswith("#") else None
        if target is not None:
            total += count(target, depth + 1)
        drawn[id(element)] = total
        return total

    if count(root, 0) > sum(1 for _ in root.iter()) + MAX_SVG_REFERENCES:
        raise ImageError("SVG draws too many referenced elements")


def _without_auto_size(data: bytes) -> bytes:
    # CairoSVG reads `height: auto` in the root's style as no height and draws nothing, where
    # a browser falls back on the viewBox; some issuers' generators (DCC's QR badges) write it.
    match = _ROOT_TAG.search(data)
    if match is None:
        return data
    return data[: match.start()] + _AUTO_SIZE.sub(b"", match.group()) + data[match.end() :]


def _rasterise_svg(data: bytes, budget: ImageBudget) -> bytes:
    if len(data) > MAX_SVG_BYTES:
        raise ImageError("SVG too large")
    if b"<!ENTITY" in data.upper():
        raise ImageError("SVG declares entities")
    _check_svg_tree(data)
    data = _without_auto_size(data)
    budget.spend_pixels(MAX_SIDE * MAX_SIDE)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # svg2png() takes no url_fetcher; the surface's convert() passes it on to the tree.
            # unsafe=False: no external files, no entity resolution, no huge XML trees.
            return cairosvg.surface.PNGSurface.convert(
                bytestring=data,
                output_width=MAX_SIDE,
                output_height=MAX_SIDE,
                unsafe=False,
                url_fetcher=_embedded_only(budget),
            )
    except ImageError:
        raise
    except Exception as exc:  # cairosvg raises many unrelated types on bad input
        raise ImageError("unreadable SVG") from exc
