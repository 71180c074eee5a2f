"""Import journey: every source and format through the real page, with axe."""

import hashlib
import json

import pytest
from django.utils import translation

from tests.browser.support import for_learner, log_in
from tests.conftest import make_learner
from tests.credentials.support import fixtures
from tests.credentials.support.issuer import did_key_issuer
from tests.credentials.test_verify_jwt import claims_for

pytestmark = pytest.mark.browser

EMAIL = "journey@example.org"


def submit_in(tab, section: str) -> None:
    tab.page.locator(f"#import-{section} button[type=submit]").click()
    tab.page.wait_for_load_state("load")


@pytest.mark.parametrize("locale", ["en-CA", "fr-CA"])
def test_a_learner_imports_every_kind_of_credential(
    browse, transactional_db, tmp_path, local_server, locale
):
    with translation.override(locale.lower()):
        t = {
            text: translation.gettext(text)
            for text in [
                "Import your first credential",
                "verified with warnings",
                "Issued to an email address the learner has verified.",
                "Download the original",
                "Open Badges 3.0 / VC-JWT",
                "Credentials in this record",
                "Self-reported",
            ]
        }
        duplicate_key = translation.gettext("The JSON repeats the key “%(key)s”.") % {"key": "a"}
    make_learner(EMAIL)
    issuer = did_key_issuer()
    tab = browse(locale=locale)
    page = tab.page
    log_in(tab, EMAIL)

    page.click(f"text={t['Import your first credential']}")
    tab.audit()

    # A baked PNG badge, uploaded.
    png = fixtures.baked_png(json.dumps(for_learner(issuer, EMAIL, name="Baked Badge")))
    png_path = tmp_path / "badge.png"
    png_path.write_bytes(png)
    page.set_input_files("#id_upload-file", str(png_path))
    submit_in(tab, "upload")
    assert page.locator("h1").inner_text() == "Baked Badge"
    assert t["verified with warnings"].capitalize() in page.inner_text("main")
    assert t["Issued to an email address the learner has verified."] in page.inner_text("main")
    tab.audit()
    with page.expect_download() as download:
        page.click(f"text={t['Download the original']}")
    assert (
        hashlib.sha256(download.value.path().read_bytes()).digest() == hashlib.sha256(png).digest()
    )

    # An OB 3.0 JSON credential, pasted.
    page.goto("/wallet/import/")
    tab.audit()
    document = for_learner(
        issuer,
        EMAIL,
        name="Pasted Credential",
        credential_id="urn:uuid:00000000-0000-4000-8000-00000000000a",
    )
    page.fill("#id_paste-text", json.dumps(document))
    submit_in(tab, "paste")
    assert page.locator("h1").inner_text() == "Pasted Credential"
    tab.audit()

    # A VC-JWT, pasted.
    page.goto("/wallet/import/")
    credential = issuer.credential(
        name="Token Credential", credential_id="urn:uuid:00000000-0000-4000-8000-00000000000b"
    )
    page.fill("#id_paste-text", issuer.jwt(claims_for(credential)))
    submit_in(tab, "paste")
    assert page.locator("h1").inner_text() == "Token Credential"
    assert t["Open Badges 3.0 / VC-JWT"] in page.inner_text("main")
    tab.audit()

    # A CLR with two nested credentials, uploaded.
    members = [
        for_learner(
            issuer,
            EMAIL,
            name=name,
            credential_id=f"urn:uuid:00000000-0000-4000-8000-00000000001{i}",
        )
        for i, name in enumerate(["Algebra", "Geometry"])
    ]
    clr = issuer.sign(fixtures.clr_credential(issuer.id, members))
    clr_path = tmp_path / "record.json"
    clr_path.write_text(json.dumps(clr))
    page.goto("/wallet/import/")
    page.set_input_files("#id_upload-file", str(clr_path))
    submit_in(tab, "upload")
    main = page.inner_text("main")
    assert t["Credentials in this record"] in main
    assert "Algebra" in main and "Geometry" in main
    tab.audit()
    page.click("text=Geometry")
    tab.audit()

    # From a web address, through a background job.
    local_server.add(
        "/hosted.json",
        json.dumps(
            for_learner(
                issuer,
                EMAIL,
                name="Fetched Credential",
                credential_id="urn:uuid:00000000-0000-4000-8000-00000000000c",
            )
        ).encode(),
        content_type="application/json",
    )
    page.goto("/wallet/import/")
    page.fill("#id_url-url", local_server.url("/hosted.json"))
    submit_in(tab, "url")
    page.wait_for_url("**/credentials/**")
    assert page.locator("h1").inner_text() == "Fetched Credential"
    tab.audit()

    # Self-reported learning.
    page.goto("/wallet/import/")
    page.fill("#id_self-title", "Taught myself bookbinding")
    page.fill("#id_self-description", "<b>Three</b> books")
    submit_in(tab, "self")
    main = page.inner_text("main")
    assert t["Self-reported"] in main
    assert "<b>Three</b> books" in main
    tab.audit()

    # A refused file says exactly why and stores nothing.
    page.goto("/wallet/import/")
    page.fill("#id_paste-text", '{"a": 1, "a": 2}')
    submit_in(tab, "paste")
    assert duplicate_key in page.inner_text("main")
    tab.audit()

    page.goto("/wallet/")
    for name in ["Baked Badge", "Pasted Credential", "Token Credential", "Fetched Credential"]:
        assert name in page.inner_text("main")
    tab.audit()
