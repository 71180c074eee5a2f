"""The curation journey: a learner with a dozen credentials finds one by skill, tags and
annotates it, groups several into a collection, downloads everything and gets
byte-identical originals back, then deletes the account without a trace."""

import hashlib
import json
import re
import zipfile

import pytest
from django.utils import translation

from credentials.models import AuditEvent, Credential
from tests.browser.support import a_dozen_credentials, language_of
from tests.conftest import PASSWORD, make_learner
from wallet.audit import AccountAction
from wallet.models import User

pytestmark = pytest.mark.browser


def texts(locale: str) -> dict[str, str]:
    """What the pages say in `locale`, looked up in the project's own translations."""
    with translation.override(language_of(locale)):
        gettext = translation.gettext
        return {
            "12 credentials": translation.ngettext(
                "%(counter)s credential", "%(counter)s credentials", 12
            )
            % {"counter": 12},
            "find": gettext("Find credentials with “%(name)s”") % {"name": "Gestion de projet"},
            "tags saved": gettext("The tags were saved."),
            "notes saved": gettext("Your notes were saved."),
            "collection created": gettext("The collection was created; now add credentials."),
            "move up": gettext("Move up"),
            "download": gettext("Download the ZIP"),
            "export requested": str(AccountAction.EXPORT_REQUESTED.label),
            "understand": gettext(
                "I understand that my credentials, files and share links will be deleted."
            ),
            "deleted": gettext("Your account and everything in it were deleted."),
        }


def check(tab) -> None:
    """Run axe on the page, and check it fits a 375 px screen without scrolling sideways."""
    tab.audit()
    assert tab.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        tab.page.url
    )


def click(page, selector: str) -> None:
    page.locator(selector).first.click()
    page.wait_for_load_state("load")


@pytest.mark.parametrize("locale", ["en-CA", "fr-CA"])
def test_a_learner_curates_downloads_and_leaves(browse, transactional_db, tmp_path, locale):
    t = texts(locale)
    learner = make_learner("curator@example.org")
    originals = a_dozen_credentials(learner)
    tab = browse(locale=locale, width=375)
    page = tab.page

    page.goto("/accounts/login/")
    check(tab)
    page.fill("#id_login", learner.email)
    page.fill("#id_password", PASSWORD)
    click(page, "main button[type=submit]")
    assert page.url.endswith("/wallet/")
    assert t["12 credentials"] in page.inner_text("main")
    check(tab)

    # Find one by skill, from the skills page.
    page.goto("/wallet/skills/")
    check(tab)
    page.get_by_role("link", name=t["find"]).click()
    page.wait_for_load_state("load")
    check(tab)
    cards = page.locator(".credential-card .card-title a")
    assert cards.count() == 3
    # Then narrow them with an accent-free search.
    page.fill("#id_q", "developpement")
    click(page, "main form[role=search] button[type=submit]")
    check(tab)
    assert page.locator(".credential-card .card-title a").all_inner_texts() == [
        "Développement durable"
    ]
    click(page, ".credential-card .card-title a")
    check(tab)

    # Tag and annotate it.
    page.fill("#id_tags", "stage, été 2024")
    click(page, "form[action$='/tags/'] button[type=submit]")
    assert t["tags saved"] in page.inner_text("body")
    check(tab)
    page.fill("#id_note", "Présenté au comité <vert>")
    page.fill("#id_public_description", "J'ai mené le projet de compostage.")
    click(page, "form[action$='/notes/'] button[type=submit]")
    assert t["notes saved"] in page.inner_text("body")
    check(tab)
    assert page.input_value("#id_note") == "Présenté au comité <vert>"
    credential_url = page.url

    # Group several into a collection, then reorder with the keyboard.
    page.goto("/wallet/collections/")
    check(tab)
    page.fill("#id_name", "Candidature Hydro")
    page.fill("#id_description", "Pour le poste de technicien")
    click(page, "main form button[type=submit]")
    assert t["collection created"] in page.inner_text("body")
    check(tab)
    for name in ["Développement durable", "Atelier 1", "Atelier 2"]:
        # Each choice reads "name — issuer" then its verdict, or "name (self-reported)".
        page.get_by_label(re.compile(rf"{re.escape(name)}( —| \()")).check()
    click(page, "form[action$='/add/'] button[type=submit]")
    check(tab)
    items = page.locator(".collection-item-name a")
    assert items.all_inner_texts() == ["Atelier 1", "Atelier 2", "Développement durable"]
    move_up = re.compile(rf"^{re.escape(t['move up'])}\W+Développement durable$")
    page.get_by_role("button", name=move_up).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check(tab)
    assert items.all_inner_texts() == ["Atelier 1", "Développement durable", "Atelier 2"]

    page.goto(credential_url)
    check(tab)
    assert page.get_by_label("Candidature Hydro").is_checked()
    click(page, "a[href$='/data/']")
    check(tab)
    assert "credentialSubject" in page.inner_text("main")

    page.goto("/wallet/skills/")
    check(tab)
    page.get_by_role("link", name="Gestion de projet", exact=True).click()
    page.wait_for_load_state("load")
    check(tab)
    assert "Développement durable" in page.inner_text("main")

    # Download everything and get the originals back byte for byte.
    page.goto("/wallet/export/")
    check(tab)
    click(page, "form[action$='/export/new/'] button[type=submit]")
    check(tab)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=t["download"]).click()
    path = tmp_path / "export.zip"
    download_info.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert len(manifest["credentials"]) == 12
        for entry in manifest["credentials"]:
            body = archive.read(entry["original"]["path"])
            expected = originals[entry["uuid"]]
            assert hashlib.sha256(body).digest() == hashlib.sha256(expected).digest()
        noted = next(c for c in manifest["credentials"] if c["name"] == "Développement durable")
        assert noted["tags"] == ["stage", "été 2024"] or sorted(noted["tags"]) == [
            "stage",
            "été 2024",
        ]
        assert "&lt;vert&gt;" in archive.read("index.html").decode()

    # Delete the account: re-authenticate, confirm, and nothing of the learner is left.
    page.goto("/wallet/account/history/")
    check(tab)
    assert t["export requested"] in page.inner_text("main")
    page.goto("/wallet/profile/")
    check(tab)
    click(page, "a[href$='/wallet/account/delete/']")
    assert "/accounts/reauthenticate/" in page.url
    check(tab)
    page.fill("#id_password", PASSWORD)
    click(page, "main button[type=submit]")
    assert page.url.endswith("/wallet/account/delete/")
    check(tab)
    page.get_by_label(t["understand"]).check()
    click(page, "main button.button-danger")
    assert t["deleted"] in page.inner_text("body")
    check(tab)
    assert not User.objects.filter(email="curator@example.org").exists()
    assert not Credential.objects.exists()
    assert not AuditEvent.objects.filter(actor__isnull=False).exists()
    assert "curator@example.org" not in page.content()
