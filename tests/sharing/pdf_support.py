"""Reading transcripts the way a person and a program would: text, QR codes, attachments."""

import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import zxingcpp
from PIL import Image
from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    """All the text of the PDF with whitespace removed (lines break long URLs)."""
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def pdf_pages(data: bytes) -> list:
    return list(PdfReader(io.BytesIO(data)).pages)


def qr_codes_per_page(data: bytes) -> list[list[str]]:
    """Decode the QR codes a phone would see on each printed page.

    The page is rasterised with poppler's pdftoppm; without it, the images
    embedded in each page are decoded instead.
    """
    if shutil.which("pdftoppm"):
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder) / "transcript.pdf"
            source.write_bytes(data)
            subprocess.run(
                ["pdftoppm", "-r", "150", "-png", str(source), str(Path(folder) / "page")],
                check=True,
                timeout=60,
            )
            pages = sorted(Path(folder).glob("page*.png"))
            return [[code.text for code in zxingcpp.read_barcodes(Image.open(p))] for p in pages]
    found = []
    for page in pdf_pages(data):
        texts = []
        for image in page.images:
            texts.extend(code.text for code in zxingcpp.read_barcodes(image.image))
        found.append(texts)
    return found


def pdf_attachments(data: bytes) -> dict[str, bytes]:
    reader = PdfReader(io.BytesIO(data))
    return {name: contents[0] for name, contents in reader.attachments.items()}
