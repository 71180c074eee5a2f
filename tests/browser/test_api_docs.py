"""The interactive docs in a real browser: Swagger UI renders every operation under the
site's CSP, with no violation and no serious accessibility problem."""

import pytest

pytestmark = pytest.mark.browser


def test_the_docs_render_under_the_strict_csp(browse, transactional_db):
    tab = browse()
    page = tab.page
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))

    page.goto("/api/docs/")
    page.wait_for_selector(".opblock-summary", timeout=20000)
    tab.audit()

    assert page.locator(".opblock").count() >= 40
    assert "Make a share link" in page.inner_text("#swagger-ui")
    page.locator(".opblock-summary").first.click()
    page.wait_for_selector(".opblock-body")
    assert not [text for text in problems if "Content Security Policy" in text], problems
    assert problems == []


def test_the_token_page_shows_a_new_token_once(browse, live_server, learner, transactional_db):
    from django.conf import settings
    from django.test import Client

    from tests.conftest import PASSWORD

    client = Client()
    client.force_login(learner)
    # Making a token asks for the password again: this session has just confirmed it.
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    tab = browse()
    tab.page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = tab.page

    page.goto("/api/tokens/")
    tab.audit()
    page.fill("#id_name", "Nightly sync")
    page.check("input[name=scope][value=read_write]")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    tab.audit()

    assert page.input_value("#new-token").startswith("swt_")
