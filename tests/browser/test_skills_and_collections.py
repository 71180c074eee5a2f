"""The skills table and a collection's page, on a phone and a desktop, in both languages:
axe finds nothing, nothing scrolls sideways, the reorder buttons line up in columns, and
"Share this collection" opens the share-link form with the collection ticked."""

import pytest
from django.utils import translation

from credentials.models import Credential
from tests.browser.support import language_of, log_in
from tests.conftest import make_learner
from tests.wallet.support import bulk_credentials
from wallet import curation_services
from wallet.models import Skill

pytestmark = pytest.mark.browser
LONG_NAME = "Attestation de compétences en gestion de projets de développement durable"


def texts(locale: str) -> dict[str, str]:
    with translation.override(language_of(locale)):
        gettext, ngettext = translation.gettext, translation.ngettext
        return {
            "skills": gettext("Your skills"),
            "no framework": gettext("No framework"),
            "none yet": gettext("No credential backs this skill yet."),
            "2 verified": ngettext("%(count)d verified", "%(count)d verified", 2) % {"count": 2},
            "1 revoked": ngettext("%(count)d revoked", "%(count)d revoked", 1) % {"count": 1},
            "find": gettext("Find credentials with “%(name)s”") % {"name": "Soudage"},
            "share": gettext("Share this collection…"),
            "move down": gettext("Move down"),
            "take out": gettext("Take out"),
        }


def a_curated_wallet(email: str):
    """Two skills (one in a framework, one not), one skill with no credential, and a
    collection whose names are short and long."""
    learner = make_learner(email)
    credentials = bulk_credentials(learner, 4, prefix="Atelier")
    credentials[0].name = LONG_NAME
    credentials[2].verdict = "revoked"
    Credential.objects.bulk_update(credentials, ["name", "verdict"])
    welding = Skill.objects.create(
        owner=learner, key="cnp:7237", name="Soudage", framework="CNP", code="7237"
    )
    welding.credentials.set(credentials[:3])
    listening = Skill.objects.create(owner=learner, key="ecoute", name="Écoute active")
    listening.credentials.set(credentials[3:])
    curation_services.add_skill(owner=learner, name="Entretien de véhicules")
    collection = curation_services.create_collection(
        owner=learner, name="Candidature Hydro", credentials=credentials
    )
    return learner, collection


def check(tab) -> None:
    tab.audit()
    assert tab.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        tab.page.url
    )


def lefts(page, name: str) -> list[float]:
    """The left edge of every button whose accessible name starts with `name`."""
    buttons = page.locator(".collection-items button").filter(has_text=name)
    return [round(box["x"]) for box in (b.bounding_box() for b in buttons.all())]


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("locale", ["en-CA", "fr-CA"])
def test_the_skills_table_and_a_collection_page(browse, transactional_db, locale, width):
    t = texts(locale)
    learner, collection = a_curated_wallet(f"grid-{width}-{locale.lower()}@example.org")
    tab = browse(locale=locale, width=width)
    page = tab.page
    log_in(tab, learner.email)

    page.goto("/wallet/skills/")
    check(tab)
    table = page.get_by_role("table", name=t["skills"])
    assert table.locator("tbody tr").count() == 3
    welding = table.locator("tr").filter(has=page.get_by_role("rowheader", name="Soudage"))
    assert t["2 verified"] in welding.inner_text() and t["1 revoked"] in welding.inner_text()
    listening = table.locator("tr").filter(has=page.get_by_role("rowheader", name="Écoute active"))
    assert t["no framework"] in listening.inner_text()
    assert t["none yet"] in table.inner_text()
    page.get_by_role("link", name=t["find"]).click()
    page.wait_for_load_state("load")
    check(tab)
    assert page.locator(".credential-card .card-title a").count() == 3

    page.goto(collection.get_absolute_url())
    check(tab)
    # Four rows: the first has no "Move up", the last no "Move down"; the buttons that are
    # there line up whatever the length of the name before them.
    assert len(set(lefts(page, t["move down"]))) == 1
    assert len(set(lefts(page, t["take out"]))) == 1
    take_out = page.get_by_role("button", name=t["take out"]).first
    assert take_out.evaluate("b => getComputedStyle(b).borderTopStyle") == "solid"
    assert take_out.evaluate("b => getComputedStyle(b).textDecorationLine") == "none"

    page.get_by_role("link", name=t["share"]).click()
    page.wait_for_load_state("load")
    check(tab)
    assert page.get_by_label("Candidature Hydro").is_checked()
