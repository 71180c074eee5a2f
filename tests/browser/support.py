"""Steps and builders the browser journeys share: forms, sign-up, TOTP, credentials."""

import json
import re
import time

import pyotp
from django.core import mail
from django.utils import translation

from credentials.models import CredentialSource
from credentials.services import import_credential
from tests.conftest import PASSWORD
from tests.wallet.support import alignment, signed_document
from wallet.curation_services import index_credentials

CODE_RE = re.compile(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4})\s*$", re.MULTILINE)


def language_of(locale: str) -> str:
    """The site's language a browser set to `locale` gets, as in settings.LANGUAGES."""
    return translation.get_supported_language_variant(locale.lower())


def submit(page) -> None:
    """Press the first submit button of the page's main content and wait for what it loads."""
    page.locator("main button[type=submit]").first.click()
    page.wait_for_load_state("load")


def sign_up(tab, email: str) -> None:
    """Fill the sign-up form on the current page, then type the code the email gives."""
    page = tab.page
    page.fill("#id_email", email)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.check("#id_accept_privacy")
    submit(page)
    tab.audit()
    code = CODE_RE.search(mail.outbox[-1].body).group(1)
    page.fill("#id_code", code)
    submit(page)
    assert page.url.endswith("/wallet/"), page.url


def log_in(tab, email: str) -> None:
    """Log in through the login page (no second factor) and land on the wallet, with axe."""
    page = tab.page
    page.goto("/accounts/login/")
    tab.audit()
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").first.click()
    page.wait_for_url("**/wallet/")
    tab.audit()


def enrol_totp(tab) -> tuple[pyotp.TOTP, int]:
    """Turn on the authenticator app; gives it and the 30 s window whose code was used."""
    page = tab.page
    page.goto("/accounts/2fa/totp/activate/")
    tab.audit()
    page.fill("#id_password", PASSWORD)
    submit(page)
    tab.audit()
    totp = pyotp.TOTP(page.input_value("#authenticator_secret"))
    code, used_window = fresh_code(totp)
    page.fill("#id_code", code)
    submit(page)
    assert "/totp/activate/" not in page.url, "the authenticator code was refused"
    return totp, used_window


def fresh_code(totp: pyotp.TOTP) -> tuple[str, int]:
    """A code with time left to reach the server inside its own window.

    A code read in the last seconds of its window arrives in the next one and
    is refused; wait for the new window instead.
    """
    while 30 - time.time() % 30 < 5:
        time.sleep(0.5)
    now = time.time()
    return totp.at(now), int(now // 30)


def wait_for_next_totp_window(used_window: int) -> None:
    """A TOTP code is single-use within its window: wait for the next one."""
    while int(time.time() // 30) == used_window:
        time.sleep(0.5)


def email_identifier(email: str) -> dict:
    """A credential subject's identifier naming `email` in plain text."""
    return {
        "type": "IdentityObject",
        "identityHash": email,
        "identityType": "emailAddress",
        "hashed": False,
    }


def for_learner(issuer, email: str, **options) -> dict:
    """A signed OB 3.0 credential whose recipient is `email`."""
    return issuer.signed(subject_id=None, identifier=email_identifier(email), **options)


SKILLS = ["Soudage", "Gestion de projet", "Communication orale", "Sécurité au travail"]


def a_dozen_credentials(learner) -> dict[str, bytes]:
    """Twelve signed credentials across four skills, imported and indexed; their originals
    by uuid. The sixth is "Développement durable", the others "Atelier <n>"."""
    originals = {}
    for index in range(12):
        skill = SKILLS[index % len(SKILLS)]
        name = f"Atelier {index + 1}" if index != 5 else "Développement durable"
        data = json.dumps(
            signed_document(
                learner.email,
                name=name,
                alignments=[alignment(skill, framework="CNP", code=f"S{index % len(SKILLS)}")],
            ),
            indent=index % 3,
        ).encode()
        credential = import_credential(
            learner=learner, data=data, source=CredentialSource.UPLOAD, filename=f"{index}.json"
        ).created[0]
        index_credentials(credentials=[credential])
        originals[str(credential.uuid)] = data
    return originals
