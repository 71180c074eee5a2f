"""Selective disclosure in the browser: a learner sees which fields of a credential the
issuer made mandatory, leaves the grade out on the share form, and the employer's page
says details were left out while the JSON download lacks the grade and still verifies in
Digital Bazaar's independent verifier. axe runs on every page visited."""

import json

import pytest

from tests.browser.support import log_in, submit
from tests.conftest import make_learner
from tests.sharing.independent import assert_independently_verified
from tests.sharing.test_selective_disclosure import GRADE, import_base

pytestmark = pytest.mark.browser


def test_a_learner_withholds_the_grade_and_the_employer_gets_a_verifiable_rest(
    browse, live_server, settings, transactional_db
):
    settings.SITE_URL = live_server.url
    learner = make_learner("withhold@example.org")
    credential, data = import_base(learner)

    tab = browse(width=375)
    page = tab.page
    log_in(tab, learner.email)

    page.goto(f"/credentials/{credential.uuid}/")
    tab.audit()
    panel = page.inner_text("#selective-disclosure")
    assert "Allows selective disclosure" in panel
    assert "issuer" in panel and "validFrom" in panel

    page.goto(f"/share/new/?credential={credential.uuid}")
    tab.audit()
    page.fill("#id_title", "Acme Corp")
    page.locator("#withhold-fields summary").first.click()
    tab.audit()
    page.check(f"input[name='withhold-{credential.uuid}'][value='{GRADE}']")
    submit(page)
    assert "/share/" in page.url
    tab.audit()
    share_url = page.input_value("#share-url")

    reader_tab = browse(width=375)
    reader = reader_tab.page
    reader.goto(share_url)
    reader_tab.audit()
    main = reader.inner_text("main")
    assert "The learner left some details of this credential out." in main
    assert "A+ with honours" not in main

    download = reader.request.get(share_url.rstrip("/") + ".json")
    assert download.ok
    assert json.loads(data)["proof"]["proofValue"] not in download.text()
    [vc] = download.json()["presentation"]["verifiableCredential"]
    assert "result" not in vc["credentialSubject"]
    assert_independently_verified(vc)
