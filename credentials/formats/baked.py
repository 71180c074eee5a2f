"""Finding the credential baked into a PNG (iTXt/tEXt chunk) or an SVG (openbadges element)."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from credentials.formats.base import CredentialFormatError
from credentials.formats.jwt import COMPACT_JWS

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# The same ceiling Pillow uses before it calls an image a decompression bomb.
MAX_IMAGE_PIXELS = 89_478_485
MAX_CHUNKS = 10_000
OB2_KEYWORD = "openbadges"
OB3_KEYWORD = "openbadgecredential"


@dataclass(frozen=True)
class BakedPayload:
    """The text baked into an image and which generation of Open Badges put it there."""

    text: str
    is_ob3: bool


def is_png(data: bytes) -> bool:
    """Whether the bytes start with the PNG signature."""
    return data.startswith(PNG_SIGNATURE)


def looks_like_svg(data: bytes) -> bool:
    """Whether the bytes look like XML/SVG text."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return (
        head.startswith(b"<?xml") or head.startswith(b"<svg") or head.startswith(b"<!doctype svg")
    )


def _inflate(data: bytes, limit: int) -> bytes:
    """Inflate zlib data, refusing more than `limit` bytes of output."""
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, limit)
    except zlib.error as exc:
        raise CredentialFormatError(
            _("The badge image has a corrupt compressed text chunk.")
        ) from exc
    if inflater.unconsumed_tail:
        raise CredentialFormatError(
            _("The text baked into the image inflates beyond %(size)s (a decompression bomb?).")
            % {"size": filesizeformat(limit)}
        )
    return out


def _text_from_itxt(body: bytes, limit: int) -> tuple[str, str]:
    """The keyword and text of an iTXt chunk."""
    keyword, sep, rest = body.partition(b"\x00")
    if not sep or len(rest) < 2:
        raise CredentialFormatError(_("The badge image has a malformed iTXt chunk."))
    compressed, method, rest = rest[0], rest[1], rest[2:]
    _language, _sep, rest = rest.partition(b"\x00")
    _translated, _sep, text = rest.partition(b"\x00")
    if compressed:
        if method != 0:
            raise CredentialFormatError(_("The badge image uses an unknown compression."))
        text = _inflate(text, limit)
    return keyword.decode("latin-1"), text.decode("utf-8", errors="strict")


def read_png(data: bytes) -> BakedPayload:
    """The Open Badges payload of a baked PNG; refuses bombs and truncated files."""
    limit = settings.FETCH_MAX_BYTES
    position = len(PNG_SIGNATURE)
    payload: BakedPayload | None = None
    seen_header = False
    for _count in range(MAX_CHUNKS):
        if position + 8 > len(data):
            raise CredentialFormatError(_("The PNG image is truncated."))
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        crc = data[position + 8 + length : position + 12 + length]
        if len(body) != length or len(crc) != 4:
            raise CredentialFormatError(_("The PNG image is truncated."))
        if zlib.crc32(kind + body) != struct.unpack(">I", crc)[0]:
            raise CredentialFormatError(_("The PNG image is corrupt (a chunk checksum fails)."))
        position += 12 + length
        if kind == b"IHDR":
            if len(body) < 8:
                raise CredentialFormatError(_("The PNG image has a malformed header."))
            width, height = struct.unpack(">II", body[:8])
            if width * height > MAX_IMAGE_PIXELS:
                raise CredentialFormatError(
                    _("The image is %(w)d×%(h)d pixels, too large (a decompression bomb?).")
                    % {"w": width, "h": height}
                )
            seen_header = True
        elif kind == b"iTXt" and payload is None:
            try:
                keyword, text = _text_from_itxt(body, limit)
            except UnicodeDecodeError as exc:
                raise CredentialFormatError(
                    _("The text baked into the image is not UTF-8.")
                ) from exc
            if keyword in (OB2_KEYWORD, OB3_KEYWORD):
                payload = BakedPayload(text=text.strip(), is_ob3=keyword == OB3_KEYWORD)
        elif kind == b"tEXt" and payload is None:
            keyword, _sep, text_bytes = body.partition(b"\x00")
            if keyword == OB2_KEYWORD.encode():
                payload = BakedPayload(text=text_bytes.decode("latin-1").strip(), is_ob3=False)
        elif kind == b"IEND":
            break
    else:
        raise CredentialFormatError(_("The PNG image has too many chunks."))
    if not seen_header:
        raise CredentialFormatError(_("The PNG image has no header."))
    if payload is None or not payload.text:
        raise CredentialFormatError(_("This image has no badge baked into it."))
    return payload


def _local_name(tag: str) -> tuple[str, str]:
    """The namespace and local name of an ElementTree tag."""
    if tag.startswith("{"):
        namespace, _sep, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


def _is_badge_element(element: Element) -> bool:
    """Whether an element is an openbadges assertion/credential element."""
    namespace, local = _local_name(element.tag)
    namespace = namespace.lower()
    is_ob_namespace = "openbadges" in namespace or "imsglobal" in namespace
    return is_ob_namespace and local in ("assertion", "credential")


def read_svg(data: bytes) -> BakedPayload:
    """The Open Badges payload of a baked SVG; a DOCTYPE is allowed, entities are not."""
    try:
        root = defusedxml.ElementTree.fromstring(
            data, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except defusedxml.EntitiesForbidden as exc:
        raise CredentialFormatError(
            _("The SVG declares XML entities, which are refused (entity expansion attack).")
        ) from exc
    except defusedxml.ExternalReferenceForbidden as exc:
        raise CredentialFormatError(
            _("The SVG refers to external files, which are refused (XXE).")
        ) from exc
    except defusedxml.DefusedXmlException as exc:
        raise CredentialFormatError(_("The SVG uses a refused XML feature.")) from exc
    except (ParseError, ValueError) as exc:
        raise CredentialFormatError(_("The SVG is not well-formed XML.")) from exc
    for element in root.iter():
        if not _is_badge_element(element):
            continue
        _namespace, local = _local_name(element.tag)
        text = (element.text or "").strip()
        verify = (element.get("verify") or "").strip()
        # A signed OB 2.0 SVG keeps its JWS in `verify`; the text beside it is only a copy.
        if verify and (COMPACT_JWS.match(verify) or not text):
            text = verify
        if text:
            return BakedPayload(text=text, is_ob3=local == "credential")
    raise CredentialFormatError(_("This SVG has no badge baked into it."))
