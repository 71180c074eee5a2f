"""The learner's own pages as a newcomer meets them, at desktop and phone widths, with axe
on each: a CLR lists its courses with their grades, a credential's checks sit right under
its verdict, its data reads folded with the embedded image shortened, and sharing an
expired credential asks first."""

import base64
import json
import uuid
from pathlib import Path

import pytest
from django.template.defaultfilters import filesizeformat
from django.utils import translation

from credentials.models import CredentialSource, TrustedIssuer
from sharing.models import ShareLink
from tests.browser.support import email_identifier, language_of, log_in
from tests.conftest import make_learner
from tests.credentials.support.issuer import did_key_issuer
from wallet.curation_services import index_credentials
from wallet.imports import import_credentials_for

pytestmark = pytest.mark.browser

CLR_COMPLEX = Path(
    "/work/shared/vectors/1edtech/validator/inspector-clr/src/test/resources/clr20/complex.json"
)


def texts(locale: str) -> dict[str, str]:
    with translation.override(language_of(locale)):
        return {
            "confirm": translation.gettext(
                "Share them even though they failed verification, were revoked or have expired"
            ),
            "image": translation.gettext("[image, %(size)s]") % {"size": filesizeformat(4915)},
            "expired": translation.gettext("“%(name)s” has expired.") % {"name": "First aid"},
        }


def holdings(learner) -> dict[str, object]:
    """A real CLR, a credential with its image embedded, and an expired credential."""
    issuer = did_key_issuer()
    TrustedIssuer.objects.create(name="Example University", identifiers=[issuer.id])
    me = email_identifier(learner.email)
    pictured = issuer.credential(
        name="Welding", credential_id=f"urn:uuid:{uuid.uuid4()}", subject_id=None, identifier=me
    )
    pictured["credentialSubject"]["achievement"]["image"] = {
        "id": "data:image/png;base64," + base64.b64encode(bytes(4915)).decode(),
        "type": "Image",
    }
    expired = issuer.signed(
        name="First aid",
        credential_id=f"urn:uuid:{uuid.uuid4()}",
        subject_id=None,
        identifier=me,
        valid_from="2019-01-01T00:00:00Z",
        valid_until="2020-01-01T00:00:00Z",
    )
    found = {}
    for key, data in {
        "clr": CLR_COMPLEX.read_bytes(),
        "pictured": json.dumps(issuer.sign(pictured)).encode(),
        "expired": json.dumps(expired).encode(),
    }.items():
        outcome = import_credentials_for(learner=learner, data=data, source=CredentialSource.UPLOAD)
        index_credentials(credentials=outcome.created)
        found[key] = outcome.created[0]
    return found


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize(("locale", "width"), [("en-CA", 1280), ("fr-CA", 375)])
def test_a_learner_reads_a_record_a_credential_and_its_data_then_shares_with_care(
    browse, transactional_db, locale, width
):
    t = texts(locale)
    learner = make_learner(f"pages-{width}@example.org")
    held = holdings(learner)
    tab = browse(locale=locale, width=width)
    page = tab.page
    log_in(tab, learner.email)

    # The CLR: every course, with its grade where the record gives one.
    page.goto(held["clr"].get_absolute_url())
    tab.audit()
    record = page.locator("section[aria-labelledby=children-title]")
    assert record.locator(".record-member").count() == 6
    course = record.locator(".record-member", has_text="Health Careers 1").first
    assert course.locator(".achievement-results dd").first.inner_text().startswith("A")
    assert fits(page)

    # A credential: its checks right under the verdict, before sharing and notes.
    page.goto(held["pictured"].get_absolute_url())
    tab.audit()
    tops = page.evaluate(
        """() => ['.credential-header .verdict', '#checks-title', '#about-title', '#id_note']
            .map(selector => document.querySelector(selector).getBoundingClientRect().top)"""
    )
    assert tops == sorted(tops), tops
    assert fits(page)

    # Its data: the embedded image is a short label, nested parts fold and open.
    page.locator("a[href$='/data/']").click()
    page.wait_for_load_state("load")
    tab.audit()
    main = page.locator("main")
    assert t["image"] in main.inner_text()
    assert "base64," not in main.inner_text()
    fold = page.locator("details.data-fold").first
    assert fold.get_attribute("open") is None
    fold.locator("summary").click()
    assert fold.get_attribute("open") is not None
    tab.audit()
    assert fits(page)
    download = page.request.get(page.url + "?download")
    assert "base64," in download.text()

    # Sharing the expired credential asks first, then shows it to the employer labelled.
    page.goto(f"/share/new/?credential={held['expired'].uuid}")
    tab.audit()
    chooser = page.locator("#id_credentials")
    assert chooser.locator(".verdict-expired").count() == 1
    # Each row offered says its verdict (the CLR, issued to someone else, is not offered).
    assert chooser.locator(".verdict").count() == chooser.locator(".share-choice").count() == 2
    assert chooser.locator(".share-choice", has_text="First aid").locator("input").is_checked()
    page.fill("#id_title", "Hydro")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state("load")
    tab.audit()
    assert t["expired"] in page.inner_text("main")
    assert not ShareLink.objects.exists()
    page.get_by_label(t["confirm"]).check()
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state("load")
    tab.audit()
    link = ShareLink.objects.get()
    assert list(link.credentials.values_list("name", flat=True)) == ["First aid"]
