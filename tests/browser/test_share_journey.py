"""The sharing journey, as a new user would try it: share three credentials behind a
passcode; an employer in another browser opens the link, types the passcode, sees each
credential verified, scans the PDF's QR code back to the live page and downloads the
JSON; the learner revokes and the employer's reload shows the link is gone."""

import io
import json

import pytest
import zxingcpp
from django.utils import translation
from PIL import Image

from tests.browser.support import log_in, submit
from tests.conftest import make_learner
from tests.sharing.conftest import PASSCODE, import_signed
from tests.sharing.pdf_support import pdf_attachments, qr_codes_per_page

pytestmark = pytest.mark.browser


def fits_375(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("locale", ["en-CA", "fr-CA"])
def test_a_learner_shares_with_a_passcode_and_an_employer_checks_then_loses_access(
    browse, live_server, settings, transactional_db, locale
):
    with translation.override(locale.lower()):
        wrong_passcode = translation.gettext("That passcode is not right. Check it and try again.")
        link_revoked = translation.gettext("The link is revoked: it no longer opens.")
        link_gone = translation.gettext("This link is no longer available")
        not_confirmed = translation.gettext("Recipient not confirmed")
    settings.SITE_URL = live_server.url
    learner = make_learner("journey@example.org")
    credentials = [import_signed(learner, name=n) for n in ("Teamwork", "Robotics", "Welding")]

    tab = browse(locale=locale, width=375)
    page = tab.page
    log_in(tab, learner.email)

    page.goto("/share/new/")
    tab.audit()
    assert fits_375(page)
    page.fill("#id_title", "Acme Corp")
    page.fill("#id_message", "Here are my credentials.")
    for credential in credentials:
        page.check(f"input[name=credentials][value='{credential.uuid}']")
    page.fill("#id_passcode", PASSCODE)
    # The signed originals name the learner's address: included by choice.
    page.check("#id_include_originals_with_email")
    submit(page)
    assert "/share/" in page.url
    tab.audit()
    assert fits_375(page)
    share_url = page.input_value("#share-url")
    assert share_url.startswith(f"{live_server.url}/s/")

    page.goto("/share/")
    tab.audit()
    assert "Acme Corp" in page.inner_text("main")

    reader_tab = browse(locale=locale, width=375)
    reader = reader_tab.page
    response = reader.goto(share_url)
    assert response.headers["referrer-policy"] == "same-origin"
    assert "noindex" in response.headers["x-robots-tag"]
    reader_tab.audit()
    assert "Teamwork" not in reader.inner_text("main")
    reader.fill("#id_passcode", "not-the-passcode")
    submit(reader)
    reader_tab.audit()
    assert wrong_passcode in reader.inner_text("main")
    reader.fill("#id_passcode", PASSCODE)
    submit(reader)
    assert reader.url == share_url
    reader_tab.audit()
    assert fits_375(reader)
    main = reader.inner_text("main")
    for credential in credentials:
        assert credential.name in main
    assert reader.locator(".share-credential.share-tone-good").count() == 3
    assert not_confirmed not in main

    pdf = reader.request.get(share_url + "transcript.pdf")
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    data = pdf.body()
    assert len(pdf_attachments(data)) == 3
    scanned = qr_codes_per_page(data)[0]
    assert scanned == [share_url]
    reader.goto(scanned[0])
    reader_tab.audit()
    assert "Teamwork" in reader.inner_text("main")

    qr_on_page = reader.request.get(share_url + "qr.png")
    codes = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr_on_page.body())))
    assert [code.text for code in codes] == [share_url]

    download = reader.request.get(share_url.rstrip("/") + ".json")
    assert download.status == 200
    document = json.loads(download.body())
    assert len(document["presentation"]["verifiableCredential"]) == 3

    page.goto(f"/share/{learner.share_links.get().uuid}/revoke/")
    tab.audit()
    submit(page)
    tab.audit()
    assert link_revoked in page.inner_text("body")

    gone = reader.reload()
    assert gone.status == 410
    reader_tab.audit()
    assert link_gone in reader.inner_text("main")
    assert "Teamwork" not in reader.inner_text("main")
