"""The learner's whole journey in one sitting, through the browser alone: sign up, verify
the email, turn on the authenticator app, import an OB 2.0 baked badge, an OB 3.0
credential and a CLR, read their verdicts, tag, note and collect one, share them behind
a passcode for 30 days, take the QR code and the PDF transcript; an employer in another
browser opens the link, checks the credentials and keeps copies; the learner revokes the
link and the employer's reload finds it gone."""

import io
import json
import re
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import zxingcpp
from django.utils import timezone, translation
from django.utils.text import capfirst
from PIL import Image

from credentials.models import TrustedIssuer
from credentials.verification.checks import CheckName, CheckStatus
from credentials.verification.verdict import Verdict
from sharing.models import ShareLink
from tests.browser.support import (
    email_identifier,
    enrol_totp,
    for_learner,
    language_of,
    sign_up,
    submit,
)
from tests.credentials.support import fixtures
from tests.credentials.support.issuer import did_key_issuer
from tests.sharing.conftest import PASSCODE

pytestmark = pytest.mark.browser

MESSAGES = [
    "Your wallet is empty",
    "Import your first credential",
    "Import a credential",
    "The credential was imported and verified.",
    "Credentials in this record",
    "The tags were saved.",
    "Your notes were saved.",
    "The collection was created; now add credentials.",
    "The collections were saved.",
    "New share link",
    "In 30 days",
    "Your link is ready. Copy it and send it.",
    "Open it as a reader sees it",
    "You are looking at your own link. Your visits are not counted.",
    "QR code for print (PNG)",
    "QR code for print (SVG)",
    "Make or download the transcript",
    "PDF transcript",
    "No transcript yet.",
    "Make the transcript",
    "Download the PDF",
    "This link is protected",
    "That passcode is not right. Check it and try again.",
    "Download the PDF transcript",
    "Download for verification software (JSON)",
    "Revoke…",
    "Revoke the link",
    "The link is revoked: it no longer opens.",
    "This link is no longer available",
]


def texts(locale: str) -> dict:
    """What the pages say in `locale`, looked up in the project's own translations."""
    with translation.override(language_of(locale)):
        t = {message: translation.gettext(message) for message in MESSAGES}
        t["totp activated"] = translation.gettext("Authenticator app activated.")
        t["verified"] = capfirst(str(Verdict.VERIFIED.label))
        t["passed"] = capfirst(str(CheckStatus.PASSED.label))
        t["checks"] = {
            name: capfirst(str(name.label))
            for name in (CheckName.PROOF, CheckName.ISSUER, CheckName.RECIPIENT)
        }
        t["ready"] = translation.gettext("Ready, made on %(when)s.").split("%(when)s")[0]
        t["three credentials"] = translation.ngettext(
            "%(counter)s credential", "%(counter)s credentials", 3
        ) % {"counter": 3}
    return t


def credential_files(site, tmp_path: Path, email: str) -> dict[str, Path]:
    """The three files the learner got from their issuers, each issued to `email`, from
    issuers the site's registry trusts: a PNG with an OB 2.0 hosted assertion baked in
    (served by the issuer's local site), a signed OB 3.0 credential and a signed CLR 2.0."""
    issuer_url = site.add("/issuer", fixtures.ob2_issuer(site.url("/issuer")))
    badge = site.add("/badge", fixtures.ob2_badge(site.url("/badge"), issuer_url))
    assertion = fixtures.ob2_assertion(site.url("/assertions/1"), badge, email=email)
    site.add("/assertions/1", assertion)
    signer = did_key_issuer()
    TrustedIssuer.objects.create(name="Example Issuers", identifiers=[issuer_url, signer.id])

    ob3 = for_learner(signer, email, name="Welding", credential_id=f"urn:uuid:{uuid.uuid4()}")
    members = [
        for_learner(signer, email, name=name, credential_id=f"urn:uuid:{uuid.uuid4()}")
        for name in ("Algebra", "Geometry")
    ]
    clr = fixtures.clr_credential(signer.id, members)
    clr["credentialSubject"].pop("id")
    clr["credentialSubject"]["identifier"] = [email_identifier(email)]
    files = {
        "png": tmp_path / "robotics.png",
        "ob3": tmp_path / "welding.json",
        "clr": tmp_path / "transcript.json",
    }
    files["png"].write_bytes(fixtures.baked_png(json.dumps(assertion), ob3=False))
    files["ob3"].write_text(json.dumps(ob3))
    files["clr"].write_text(json.dumps(signer.sign(clr)))
    return files


def upload(tab, path: Path) -> None:
    """Import one file from the import page's upload form."""
    page = tab.page
    page.goto("/wallet/import/")
    tab.audit()
    page.set_input_files("#id_upload-file", str(path))
    page.locator("#import-upload button[type=submit]").click()
    page.wait_for_load_state("load")


def checks_in(scope) -> dict[str, str]:
    """The verification checks table under `scope`, as {check: result} the way it reads."""
    rows = scope.locator("table.checks tbody tr")
    return {
        rows.nth(i).locator("th").inner_text(): rows.nth(i).locator("td").first.inner_text()
        for i in range(rows.count())
    }


def assert_verified(scope, t: dict) -> None:
    """The verdict says verified and the proof, issuer and recipient checks passed."""
    verdict = scope.locator(".verdict").first
    assert "verdict-verified" in verdict.get_attribute("class")
    assert t["verified"] in verdict.inner_text()
    results = checks_in(scope)
    for name in t["checks"].values():
        assert results[name] == t["passed"], results


def assert_verified_for_employer(card, t: dict) -> None:
    """The employer's card reads as confirmed, and its check table, once opened, shows the
    proof, issuer and recipient checks passed."""
    assert card.get_attribute("data-verdict") == "verified"
    assert "share-tone-good" in card.get_attribute("class")
    card.locator("details.share-checks > summary").click()
    results = checks_in(card)
    for name in t["checks"].values():
        assert results[name] == t["passed"], results


def downloaded(page, link_name: str) -> bytes:
    """Click the link called `link_name` and give the bytes the browser saved."""
    with page.expect_download() as download:
        page.get_by_role("link", name=link_name, exact=True).click()
    return Path(download.value.path()).read_bytes()


@pytest.mark.parametrize("locale", ["en-CA", "fr-CA"])
def test_a_learner_signs_up_imports_shares_and_an_employer_checks_until_revoked(
    browse, live_server, settings, site, transactional_db, tmp_path, locale
):
    settings.SITE_URL = live_server.url
    t = texts(locale)
    email = f"journey-{locale.lower()}@example.org"
    files = credential_files(site, tmp_path, email)

    # Sign up, verify the email, turn on the authenticator app.
    tab = browse(locale=locale)
    page = tab.page
    page.goto("/accounts/signup/")
    tab.audit()
    sign_up(tab, email)
    assert page.locator("main h2").first.inner_text() == t["Your wallet is empty"]
    tab.audit()
    enrol_totp(tab)
    assert t["totp activated"] in page.inner_text("body")
    tab.audit()

    # Import the three files, reading each verdict.
    page.goto("/wallet/")
    page.get_by_role("link", name=t["Import your first credential"]).click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == t["Import a credential"]
    tab.audit()

    upload(tab, files["png"])
    assert page.locator("h1").inner_text() == "Robotics"
    assert t["The credential was imported and verified."] in page.inner_text("body")
    assert_verified(page.locator("main"), t)
    tab.audit()

    upload(tab, files["clr"])
    assert page.locator("h1").inner_text() == "Transcript"
    assert_verified(page.locator("main"), t)
    record = page.locator("section[aria-labelledby=children-title]")
    assert record.locator("h2").inner_text() == t["Credentials in this record"]
    assert record.locator(".verdict-verified").count() == 2
    assert t["verified"] in record.inner_text()
    tab.audit()
    record.get_by_role("link", name="Geometry").click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "Geometry"
    assert_verified(page.locator("main"), t)
    tab.audit()

    upload(tab, files["ob3"])
    assert page.locator("h1").inner_text() == "Welding"
    assert_verified(page.locator("main"), t)
    tab.audit()
    welding_url = page.url

    # Tag it, note it, and put it in a new collection.
    page.fill("#id_tags", "atelier, 2024")
    page.locator("form[action$='/tags/'] button[type=submit]").click()
    page.wait_for_load_state("load")
    assert t["The tags were saved."] in page.inner_text("body")
    tab.audit()
    page.fill("#id_note", "Ask for the <advanced> course")
    page.fill("#id_public_description", "I welded the frame of our team's robot.")
    page.locator("form[action$='/notes/'] button[type=submit]").click()
    page.wait_for_load_state("load")
    assert t["Your notes were saved."] in page.inner_text("body")
    assert page.input_value("#id_note") == "Ask for the <advanced> course"
    tab.audit()

    page.goto("/wallet/collections/")
    tab.audit()
    page.fill("#id_name", "Trades")
    submit(page)
    assert t["The collection was created; now add credentials."] in page.inner_text("body")
    tab.audit()
    page.goto(welding_url)
    page.get_by_label("Trades", exact=True).check()
    page.locator("form[action$='/collections/'] button[type=submit]").click()
    page.wait_for_load_state("load")
    assert t["The collections were saved."] in page.inner_text("body")
    assert page.get_by_label("Trades", exact=True).is_checked()
    tab.audit()

    # Share all three behind a passcode, for 30 days.
    page.goto("/share/new/")
    assert page.locator("h1").inner_text() == t["New share link"]
    tab.audit()
    page.fill("#id_title", "Acme Robotics")
    for name in ("Robotics", "Transcript", "Welding"):
        page.get_by_role("checkbox", name=re.compile(rf"^{name} ")).check()
    page.get_by_label(t["In 30 days"], exact=True).check()
    page.fill("#id_passcode", PASSCODE)
    # The signed originals name Ada's address: she chooses to include them for the employer.
    page.check("#id_include_originals_with_email")
    page.select_option("#id_language", language_of(locale))
    page.locator("main form.share-form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "Acme Robotics"
    assert t["Your link is ready. Copy it and send it."] in page.inner_text("body")
    tab.audit()
    link = ShareLink.objects.get()
    assert abs(link.expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=5)
    # The expiry reads in the browser's time zone and language; its moment is the link's.
    expiry = page.locator("time[data-local-time]").first
    assert expiry.get_attribute("datetime") == link.expires_at.isoformat()
    assert str(link.expires_at.year) in expiry.inner_text()
    share_url = page.input_value("#share-url")
    assert share_url.startswith(f"{live_server.url}/s/")
    link_page = page.url

    # Take the QR code from the page as a reader sees it.
    page.get_by_role("link", name=t["Open it as a reader sees it"]).click()
    page.wait_for_load_state("load")
    assert t["You are looking at your own link. Your visits are not counted."] in page.inner_text(
        "main"
    )
    tab.audit()
    png = downloaded(page, t["QR code for print (PNG)"])
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    codes = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert [code.text for code in codes] == [share_url]
    svg = downloaded(page, t["QR code for print (SVG)"])
    assert b"<svg" in svg[:500]

    # Ask for the PDF transcript and take it when the page says it is ready.
    page.goto(link_page)
    page.get_by_role("link", name=t["Make or download the transcript"]).click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == t["PDF transcript"]
    assert t["No transcript yet."] in page.inner_text("main")
    tab.audit()
    page.get_by_role("button", name=t["Make the transcript"]).click()
    page.locator("main [role=status]", has_text=t["ready"]).wait_for(timeout=60_000)
    tab.audit()
    pdf = downloaded(page, t["Download the PDF"])
    assert pdf.startswith(b"%PDF")

    # The employer, in a browser of their own.
    reader_tab = browse(locale=locale)
    reader = reader_tab.page
    reader.goto(share_url)
    assert reader.locator("h1").inner_text() == t["This link is protected"]
    assert "Welding" not in reader.inner_text("main")
    reader_tab.audit()
    reader.fill("#id_passcode", "not-the-passcode")
    submit(reader)
    assert t["That passcode is not right. Check it and try again."] in reader.inner_text("main")
    assert "Welding" not in reader.inner_text("main")
    reader_tab.audit()
    reader.fill("#id_passcode", PASSCODE)
    submit(reader)
    assert reader.url == share_url
    assert reader.locator("#credentials-title").inner_text() == t["three credentials"]
    reader_tab.audit()
    shown = reader.locator(".share-credential")
    assert sorted(shown.locator("h3").all_inner_texts()) == ["Robotics", "Transcript", "Welding"]
    for i in range(shown.count()):
        assert_verified_for_employer(shown.nth(i), t)
    assert "I welded the frame of our team's robot." in reader.inner_text("main")
    assert "<advanced>" not in reader.inner_text("main")

    pdf = downloaded(reader, t["Download the PDF transcript"])
    assert pdf.startswith(b"%PDF")
    document = json.loads(downloaded(reader, t["Download for verification software (JSON)"]))
    shared = document["presentation"]["verifiableCredential"]
    assert sorted(credential["name"] for credential in shared) == ["Transcript", "Welding"]
    assert [assertion["id"] for assertion in document["openBadges2"]] == [site.url("/assertions/1")]

    # The learner revokes; the employer's reload finds the link gone.
    page.goto(link_page)
    tab.audit()
    page.get_by_role("link", name=t["Revoke…"]).click()
    page.wait_for_load_state("load")
    tab.audit()
    page.get_by_role("button", name=t["Revoke the link"]).click()
    page.wait_for_load_state("load")
    assert t["The link is revoked: it no longer opens."] in page.inner_text("body")
    tab.audit()

    gone = reader.reload()
    assert gone.status == 410
    assert reader.locator("h1").inner_text() == t["This link is no longer available"]
    assert "Welding" not in reader.inner_text("main")
    reader_tab.audit()
