"""The transcript PDF: a Django template rendered by WeasyPrint, originals attached.

WeasyPrint only ever sees this site's static files and the stored files it is
handed here: its fetcher refuses file:// paths elsewhere and the network.
"""

import io
import posixpath
import re
from datetime import UTC
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from weasyprint import HTML, Attachment
from weasyprint.urls import URLFetcher, URLFetcherResponse

from credentials.models import Credential
from sharing.content import SharedContent, learner_addresses, shared_original
from sharing.disclosure import is_disclosed_view
from sharing.qr import qr_png

RESOURCE_SCHEME = "wallet-resource:"
QR_RESOURCE = f"{RESOURCE_SCHEME}qr.png"
_PLACEHOLDER = re.compile("\x00(page|pages)\x00")


class RefusedResource(ValueError):
    """The transcript asked for something outside the site's static and stored files."""


class TranscriptFetcher(URLFetcher):
    """Serves only the resources it is given and the site's own static files."""

    def __init__(self, resources: dict[str, tuple[bytes, str]]) -> None:
        super().__init__(allowed_protocols=set(), allow_redirects=False)
        self.resources = resources
        self.static_base = settings.SITE_URL + settings.STATIC_URL

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        if url in self.resources:
            body, content_type = self.resources[url]
            return URLFetcherResponse(url, body, {"Content-Type": content_type})
        if url.startswith(self.static_base):
            return self._static(url)
        raise RefusedResource(f"the transcript may not load {urlsplit(url).scheme} resources")

    def _static(self, url: str) -> URLFetcherResponse:
        relative = posixpath.normpath(unquote(urlsplit(url).path)[len(settings.STATIC_URL) :])
        if relative.startswith(("..", "/")) or "\x00" in relative:
            raise RefusedResource("outside the static files")
        found = finders.find(relative)
        if found:
            with open(found, "rb") as handle:
                body = handle.read()
        elif staticfiles_storage.exists(relative):
            with staticfiles_storage.open(relative) as handle:
                body = handle.read()
        else:
            raise RefusedResource("no such static file")
        content_type = "image/svg+xml" if relative.endswith(".svg") else "application/octet-stream"
        if relative.endswith(".css"):
            content_type = "text/css"
        elif relative.endswith(".png"):
            content_type = "image/png"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


def image_resource(credential_uuid: object) -> str:
    return f"{RESOURCE_SCHEME}image/{credential_uuid}.png"


def attachment_name(position: int, credential: Credential) -> str:
    """'02-data-analysis-fundamentals.json': which credential, in the transcript's order."""
    suffix = PurePosixPath(credential.original_name or "").suffix.lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,5}", suffix):
        suffix = ""
    stem = slugify(credential.name)[:60].strip("-") or "credential"
    return f"{position:02d}-{stem}{suffix}"


def render_transcript_pdf(content: SharedContent, *, share_url: str) -> bytes:
    """The tagged, Letter-size PDF of a link, in the link's language, originals attached."""
    resources: dict[str, tuple[bytes, str]] = {QR_RESOURCE: (qr_png(share_url), "image/png")}
    attachments = []
    addresses = learner_addresses(content.link.owner)
    for position, item in enumerate(content.items, start=1):
        credential = item.credential
        if credential.image:
            with credential.image.open("rb") as handle:
                resources[image_resource(credential.uuid)] = (handle.read(), "image/png")
        original, _withheld = shared_original(content.link, credential, addresses)
        if original:
            attachments.append(
                Attachment(
                    file_obj=io.BytesIO(original),
                    name=attachment_name(position, credential),
                    description=credential.name,
                    relationship="Source",
                )
            )
    # The reader's zone is unknown on paper: times are UTC and say so; dates and words
    # are in the link's language.
    with translation.override(content.link.language), timezone.override(UTC):
        ctx = {
            "content": content,
            "link": content.link,
            "share_url": share_url,
            "qr_src": QR_RESOURCE,
            "generated_at": timezone.now(),
            "page_counter": page_counter_css(),
            "attachment_names": [attachment.name for attachment in attachments],
            "attaches_derived": any(is_disclosed_view(item.credential) for item in content.items),
            "entries": [
                {
                    "item": item,
                    "assessment": item.assessment,
                    "image": image_resource(item.credential.uuid) if item.credential.image else "",
                }
                for item in content.items
            ],
        }
        html = render_to_string("sharing/pdf/transcript.html", ctx)
    document = HTML(
        string=html, base_url=settings.SITE_URL + "/", url_fetcher=TranscriptFetcher(resources)
    )
    return document.write_pdf(pdf_variant="pdf/ua-1", attachments=attachments)


def page_counter_css() -> SafeString:
    """The translated "Page X of Y" as a CSS `content` value built on page counters."""
    text = _("Page %(page)s of %(pages)s") % {"page": "\x00page\x00", "pages": "\x00pages\x00"}
    tokens = []
    for index, piece in enumerate(_PLACEHOLDER.split(text)):
        if index % 2:
            tokens.append(f"counter({piece})")
        elif piece:
            tokens.append(_css_string(piece))
    # Only our own catalogue text, escaped for a CSS string: never imported data.
    return mark_safe(" ".join(tokens))


def _css_string(text: str) -> str:
    escaped = "".join(ch if ch.isalnum() or ch in " .,:;-" else f"\\{ord(ch):x} " for ch in text)
    return f'"{escaped}"'
