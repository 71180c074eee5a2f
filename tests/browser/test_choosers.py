"""Long credential lists get a "find in this list" box: a learner with many credentials
narrows the share form's choices by typing, keeps what they ticked, and makes the link."""

import re

import pytest
from django.utils import translation

from sharing.models import ShareLink
from tests.browser.support import a_dozen_credentials, language_of, log_in
from tests.conftest import make_learner
from wallet.curation_services import create_collection
from wallet.models import Skill

pytestmark = pytest.mark.browser


def texts(locale: str) -> dict[str, str]:
    with translation.override(language_of(locale)):
        count = translation.gettext("{shown} of {total} shown")
        return {
            "find": translation.gettext("Find in this list"),
            "1 of 12": count.format(shown=1, total=12),
            "2 of 12": count.format(shown=2, total=12),
        }


def shown_choices(page) -> list[str]:
    """The credential names in view; each label reads "name — issuer"."""
    labels = page.locator("#id_credentials .share-choice:visible label").all_inner_texts()
    return sorted(label.split(" — ")[0] for label in labels)


def choice(page, name: str):
    return page.get_by_label(re.compile(rf"^{re.escape(name)} — "))


@pytest.mark.parametrize("locale", ["en-CA", "fr-CA"])
def test_a_learner_narrows_the_credentials_to_share_by_typing(browse, transactional_db, locale):
    t = texts(locale)
    learner = make_learner("chooser@example.org")
    a_dozen_credentials(learner)
    tab = browse(locale=locale, width=375)
    page = tab.page
    log_in(tab, learner.email)

    page.goto("/share/new/")
    tab.audit()
    assert len(shown_choices(page)) == 12
    find = page.get_by_label(t["find"])
    find.fill("developpement")
    assert shown_choices(page) == ["Développement durable"]
    assert t["1 of 12"] in page.inner_text("main")
    tab.audit()
    choice(page, "Développement durable").check()

    # What was ticked stays in view while the learner looks for something else.
    find.fill("ATELIER 2")
    assert shown_choices(page) == ["Atelier 2", "Développement durable"]
    assert t["2 of 12"] in page.inner_text("main")
    choice(page, "Atelier 2").check()
    find.press("Enter")
    assert page.url.endswith("/share/new/")
    assert not ShareLink.objects.exists()

    find.fill("")
    assert len(shown_choices(page)) == 12
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.fill("#id_title", "Pour Hydro")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state("load")
    tab.audit()
    link = ShareLink.objects.get()
    assert sorted(link.credentials.values_list("name", flat=True)) == [
        "Atelier 2",
        "Développement durable",
    ]


def test_the_collection_and_skill_choosers_filter_too(browse, transactional_db):
    learner = make_learner("collector@example.org")
    a_dozen_credentials(learner)
    collection = create_collection(owner=learner, name="Candidature")
    skill = Skill.objects.get(owner=learner, name="Soudage")
    tab = browse()
    page = tab.page
    log_in(tab, learner.email)

    for path in (collection.get_absolute_url(), skill.get_absolute_url()):
        page.goto(path)
        tab.audit()
        page.get_by_label("Find in this list").fill("durable")
        # The skill's own credentials are ticked already and stay in view.
        rows = page.locator(
            "form[data-checklist-filter] input[type=checkbox]:not(:checked):visible"
        )
        assert rows.count() == 1, path
        row = rows.first.evaluate("input => input.closest('div').textContent")
        assert "Développement durable" in row, path
