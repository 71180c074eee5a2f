"""allauth's account pages read like the rest of the site, in English and Canadian French.

The wording comes from config/allauth_locale, the second LOCALE_PATHS entry:
each msgid there is one of allauth's own, so the catalog replaces allauth's
text without copying its templates. These tests need compiled messages
(`make messages`, which `make test` runs first).
"""

import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import allauth
import polib
import pyotp
import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
OVERRIDES = ROOT / "config" / "allauth_locale"
CATALOGS = {
    "en": OVERRIDES / "en" / "LC_MESSAGES" / "django.po",
    "fr_CA": OVERRIDES / "fr_CA" / "LC_MESSAGES" / "django.po",
}
SITE_CATALOG = ROOT / "locale" / "fr_CA" / "LC_MESSAGES" / "django.po"
# allauth's msgids are its English source text; its French catalog lists every one.
ALLAUTH_CATALOG = Path(allauth.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"
FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr-CA"}
NBSP = "\u00a0"
# allauth's France French, which a fr-CA reader must never meet on these pages.
FRANCE_FRENCH = [
    "e-mail",
    "Merci de",
    "merci de",
    "Création de compte",
    "Options alternatives",
    "vous enregistrer",
    "Vous pouvez donc",
    "Connexion",
    "Êtes-vous sûr(e)",
    "'",  # the site writes a curly apostrophe (U+2019)
]
CODE_RE = re.compile(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4})\s*$", re.MULTILINE)
# Elements that start a new line of text; inline ones (a, strong, span) join their words.
BLOCKS = {"title", "p", "div", "li", "h1", "h2", "label", "button", "option", "td", "th", "form"}
PLACEHOLDER_RE = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w+\}")


def catalog(language: str) -> polib.POFile:
    return polib.pofile(str(CATALOGS[language]))


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER_RE.findall(text))


class _Reader(HTMLParser):
    """The text a reader meets: page title, content and messages, without markup or scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self.parts.append(" ")
        if tag in {"script", "style"}:
            self._skipping += 1
        for name, value in attrs:
            if name in {"placeholder", "title", "aria-label", "alt"} and value:
                self.parts.append(f" {value} ")

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.parts.append(" ")
        if tag in {"script", "style"} and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def reader_text(response) -> str:
    assert response.status_code == 200, response.status_code
    reader = _Reader()
    reader.feed(response.content.decode())
    # Only ASCII white space collapses: a non-breaking space is part of the wording.
    return re.sub(r"[ \t\r\n\f]+", " ", "".join(reader.parts)).strip()


def sign_up(client: Client, email: str, capture) -> object:
    data = {"email": email, "password1": PASSWORD, "password2": PASSWORD, "accept_privacy": "on"}
    with capture(execute=True):
        return client.post(reverse("account_signup"), data, follow=True)


def reauthenticate(client: Client) -> None:
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def enrol_totp(client: Client) -> pyotp.TOTP:
    reauthenticate(client)
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
    totp = pyotp.TOTP(secret)
    response = client.post(reverse("mfa_activate_totp"), {"code": totp.now()})
    assert response.status_code == 302
    return totp


# The catalogs themselves


@pytest.mark.parametrize("language", CATALOGS)
def test_the_overrides_are_compiled(language):
    """Without an up-to-date .mo, Django keeps allauth's wording: run `make messages`."""
    po = CATALOGS[language]
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run `make messages`"
    assert mo.stat().st_mtime >= po.stat().st_mtime, f"{mo} is stale: run `make messages`"


def test_the_overrides_are_the_second_locale_path_so_makemessages_never_writes_there():
    assert [Path(path) for path in settings.LOCALE_PATHS] == [ROOT / "locale", OVERRIDES]


@pytest.mark.parametrize("language", CATALOGS)
def test_every_override_is_still_one_of_allauths_msgids(language):
    """An allauth upgrade that rewords a string would silently bring its old text back."""
    allauth_msgids = {
        (entry.msgctxt, entry.msgid): entry.msgid_plural
        for entry in polib.pofile(str(ALLAUTH_CATALOG))
        if not entry.obsolete
    }
    entries = [entry for entry in catalog(language) if not entry.obsolete]
    assert entries
    gone = [entry.msgid for entry in entries if (entry.msgctxt, entry.msgid) not in allauth_msgids]
    assert not gone, f"no longer in allauth {allauth.__version__}: {gone}"
    for entry in entries:
        assert entry.msgid_plural == allauth_msgids[(entry.msgctxt, entry.msgid)], entry.msgid


@pytest.mark.parametrize("language", CATALOGS)
def test_overrides_are_translated_keep_their_placeholders_and_are_not_fuzzy(language):
    po = catalog(language)
    assert not po.fuzzy_entries(), [entry.msgid for entry in po.fuzzy_entries()]
    assert not po.untranslated_entries(), [entry.msgid for entry in po.untranslated_entries()]
    assert not po.obsolete_entries()
    for entry in po:
        if entry.msgid_plural:
            forms = [entry.msgstr_plural[0], entry.msgstr_plural[1]]
            assert all(forms), entry.msgid
            expected = placeholders(entry.msgid_plural)
        else:
            forms = [entry.msgstr]
            expected = placeholders(entry.msgid)
        for text in forms:
            assert placeholders(text) == expected, (entry.msgid, text)


def test_english_overrides_change_the_wording_and_spare_the_sites_own_strings():
    site_msgids = {entry.msgid for entry in polib.pofile(str(SITE_CATALOG))}
    for entry in catalog("en"):
        assert entry.msgstr != entry.msgid, f"no change: {entry.msgid}"
        # The site's own templates would change too (English has no site catalog).
        assert entry.msgid not in site_msgids, entry.msgid
        assert "Sign In" not in entry.msgstr and "Sign Out" not in entry.msgstr


def test_every_english_override_has_a_french_one():
    """Django fills a French gap from the English catalog: it would show English."""
    french = {entry.msgid for entry in catalog("fr_CA")}
    missing = [entry.msgid for entry in catalog("en") if entry.msgid not in french]
    assert not missing, missing


def test_french_overrides_are_canadian_french():
    for entry in catalog("fr_CA"):
        for text in entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]:
            assert not re.search(r"e-?mail", PLACEHOLDER_RE.sub("", text), re.IGNORECASE), text
            assert "'" not in text.replace('href="', ""), f"straight apostrophe: {text}"
            # The site's typography: a non-breaking space before a colon and inside
            # guillemets; none before ; ! ? (as everywhere in locale/fr_CA).
            assert set(re.findall(r"(.):", text)) <= {NBSP}, text
            assert not re.search(r"\s[;!?]", text), text
            assert not re.search(r"«(?!\u00a0)|(?<!\u00a0)»", text), text


def test_french_overrides_agree_with_the_sites_catalog_where_both_translate():
    """The site's catalog comes first in LOCALE_PATHS: where both translate a msgid, it wins."""
    site = {entry.msgid: entry.msgstr for entry in polib.pofile(str(SITE_CATALOG)) if entry.msgstr}
    for entry in catalog("fr_CA"):
        if entry.msgid in site:
            assert entry.msgstr == site[entry.msgid], entry.msgid


# The emails allauth sends, in English and Canadian French

ALLAUTH_TEMPLATES = Path(allauth.__file__).parent / "templates"
SITE_TEMPLATES = ROOT / "templates"
EMAIL_PREFIXES = sorted(
    str(path.relative_to(ALLAUTH_TEMPLATES)).removesuffix("_subject.txt")
    for folder in ["account/email", "mfa/email"]
    for path in (ALLAUTH_TEMPLATES / folder).glob("*_subject.txt")
)
# allauth's English in its emails that the site rewords.
ALLAUTH_EMAIL_ENGLISH = [
    "You are receiving",
    "You're receiving",
    "signup",
    "register",
    "in your open browser window",
    "password forgotten procedure",
    "proper security precautions",
    "Two-Factor",
    "our database",
    "sign-in",
]
URL_OR_ADDRESS_RE = re.compile(r"https?://\S+|\S+@\S+")


def email_msgids() -> dict[str, list[str]]:
    """allauth's msgids in the email templates a learner can receive, by template.

    A template the site replaces (templates/account/email/…) sends the site's own
    wording instead, from the site's catalog.
    """
    found: dict[str, list[str]] = {}
    for entry in polib.pofile(str(ALLAUTH_CATALOG)):
        for path, _line in entry.occurrences:
            template = path.removeprefix("templates/")
            if not template.startswith(("account/email/", "mfa/email/")):
                continue
            if (SITE_TEMPLATES / template).exists():
                continue
            found.setdefault(entry.msgid, []).append(template)
    return found


def test_every_allauth_email_msgid_a_learner_can_receive_has_canadian_french():
    french = {entry.msgid for entry in catalog("fr_CA")}
    missing = [msgid for msgid in email_msgids() if msgid not in french]
    assert not missing, missing


def test_email_subjects_in_title_case_have_english_overrides():
    english = {entry.msgid: entry.msgstr for entry in catalog("en")}
    for msgid, templates in email_msgids().items():
        is_subject = any(template.endswith("_subject.txt") for template in templates)
        if is_subject and any(word[0].isupper() for word in msgid.split()[1:]):
            assert msgid in english, f"Title Case subject: {msgid}"
            assert not any(word[0].isupper() for word in english[msgid].split()[1:]), msgid


@pytest.fixture
def email_context(learner):
    return {
        "user": learner,
        "email": learner.email,
        "code": "ABCD-EFGH",
        "password_reset_url": "https://wallet.example.org/accounts/password/reset/key/1-x/",
        "signup_url": "https://wallet.example.org/accounts/signup/",
        "activate_url": "https://wallet.example.org/accounts/confirm-email/x/",
        "username": "",
        "from_email": "ada@example.org",
        "to_email": "ada@work.example.org",
        "deleted_email": "ada@old.example.org",
        "ip": "192.0.2.1",
        "user_agent": "Firefox",
        "timestamp": datetime(2026, 1, 31, 12, 0, tzinfo=UTC),
        "current_site": None,
        "site_url": "https://wallet.example.org",
        "new_address": True,
    }


def render_email(prefix: str, language: str, context: dict) -> tuple[str, str, str]:
    from allauth.account.adapter import get_adapter
    from django.utils import translation

    with translation.override(language):
        message = get_adapter().render_mail(prefix, "ada@example.org", context)
    html = {mimetype: content for content, mimetype in message.alternatives}["text/html"]
    return message.subject, message.body, html


@pytest.mark.parametrize("prefix", EMAIL_PREFIXES)
def test_every_allauth_email_reads_in_the_sites_english(prefix, email_context):
    subject, body, html = render_email(prefix, "en", email_context)
    subject = subject.removeprefix(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX)
    assert not any(word[0].isupper() for word in subject.split()[1:]), subject
    words = URL_OR_ADDRESS_RE.sub("", body)
    for wording in ALLAUTH_EMAIL_ENGLISH:
        assert wording not in words, f"{prefix}: {wording!r} in {body}"
    assert body.startswith("Hello from Skills Wallet!")
    # The HTML part: a paragraph per blank-line paragraph, never a line break mid-sentence.
    assert "<br" not in html and "<p></p>" not in html, html


@pytest.mark.parametrize("prefix", EMAIL_PREFIXES)
def test_every_allauth_email_reads_in_canadian_french(prefix, email_context):
    subject, body, html = render_email(prefix, "fr-ca", email_context)
    for text in [subject, body]:
        words = URL_OR_ADDRESS_RE.sub("", text)
        for wording in FRANCE_FRENCH:
            assert wording not in words, f"{prefix}: {wording!r} in {text}"
        assert not re.search(r"\be-?mail\b", words, re.IGNORECASE), f"{prefix}: {text}"
        for english in ["Your ", "You ", "The ", "This ", "Hello", "Thank", "Email"]:
            assert english not in words, f"{prefix}: {english!r} in {text}"
        # A non-breaking space before a colon, none before ; ! ? (the site's typography).
        assert not re.search(r"[^\u00a0]:|\s[;!?]", words), text
    assert body.startswith("Bonjour de la part de Skills Wallet!")
    assert "code de connexion" not in body or prefix.endswith("login_code"), body
    assert "<br" not in html and "<p></p>" not in html, html


# The pages, in English


@pytest.mark.django_db
def test_the_login_page_says_log_in():
    text = reader_text(Client().get(reverse("account_login")))
    assert "Log in · Skills Wallet" in text
    assert "No account yet? Sign up first." in text
    assert "Keep me logged in" in text
    assert "Log in with a passkey" in text
    for allauth_wording in ["Sign In", "Remember Me", "sign in", "Sign Up"]:
        assert allauth_wording not in text


def test_a_wrong_password_is_explained_plainly(learner):
    response = Client().post(reverse("account_login"), {"login": learner.email, "password": "x"})
    assert "That email address and password do not match." in reader_text(response)


@pytest.mark.django_db
def test_signing_up_reads_sign_up_and_asks_for_the_emailed_code(django_capture_on_commit_callbacks):
    client = Client()
    text = reader_text(client.get(reverse("account_signup")))
    assert "Sign up · Skills Wallet" in text
    assert "Already have an account? Log in." in text
    assert "Signup" not in text and "Sign Up" not in text
    text = reader_text(sign_up(client, "new@example.org", django_capture_on_commit_callbacks))
    assert "We have emailed a confirmation code to new@example.org." in text
    assert "Enter the code we emailed you" in text
    code = CODE_RE.search(mail.outbox[-1].body).group(1)
    response = client.post(reverse("account_email_verification_sent"), {"code": code}, follow=True)
    text = reader_text(response)
    assert "Your email address new@example.org is confirmed." in text
    assert "You are logged in as new@example.org." in text


def test_logging_out_says_log_out(learner_client):
    text = reader_text(learner_client.get(reverse("account_logout")))
    assert "Log out · Skills Wallet" in text
    assert "Are you sure you want to log out?" in text
    assert "Sign Out" not in text and "sign out" not in text
    response = learner_client.post(reverse("account_logout"), follow=True)
    assert "You have logged out." in reader_text(response)


def test_the_email_page_offers_only_what_applies(learner_client, learner):
    response = learner_client.get(reverse("account_email"))
    text = reader_text(response)
    assert "Email addresses · Skills Wallet" in text
    assert "These are the email addresses on your account: ada@example.org Verified Primary" in text
    assert "Add an email address" in text
    # The only address, verified and primary: nothing to choose, make primary or remove.
    html = response.content.decode()
    for action in ["action_primary", "action_send", "action_remove"]:
        assert f'name="{action}"' not in html
    assert 'type="radio"' not in html
    assert '<span class="pill pill-success">' in html

    EmailAddress.objects.create(user=learner, email="ada@work.example.org", verified=False)
    response = learner_client.get(reverse("account_email"))
    text = reader_text(response)
    for button in ["Make primary", "Send a verification code", "Remove"]:
        assert button in text
    assert "Make Primary" not in text and "Re-send Verification" not in text
    assert response.content.decode().count('type="radio"') == 2


def test_the_password_pages_use_sentence_case(learner_client):
    text = reader_text(learner_client.get(reverse("account_change_password")))
    assert "Change password · Skills Wallet" in text
    assert "Current password" in text and "New password (again)" in text
    assert "Change Password" not in text and "Current Password" not in text
    text = reader_text(Client().get(reverse("account_reset_password")))
    assert "Password reset · Skills Wallet" in text and "Reset my password" in text
    assert "Password Reset" not in text and "Reset My Password" not in text


def test_two_factor_pages_read_as_the_side_nav_does(learner_client):
    response = learner_client.get(reverse("mfa_index"))
    text = reader_text(response)
    assert "Two-factor authentication · Skills Wallet" in text
    assert "Two-Factor Authentication" not in text
    html = response.content.decode()
    for heading in ["Authenticator app", "Security keys", "Recovery codes"]:
        assert re.search(rf"<h2>\s*{heading}\s*</h2>", html), heading
    # Each panel's action is a button in a row, not an item of a bulleted list.
    content = html.split('<div class="card">', 1)[1].split("</main>", 1)[0]
    assert "<li>" not in content
    assert re.search(r'<div class="form-actions">\s*<a href="/accounts/2fa/totp/activate/"', html)

    text = reader_text(learner_client.get(reverse("mfa_activate_totp"), follow=True))
    assert "Confirm it’s you" in text and "Confirm Access" not in text
    assert "Other options" in text
    enrol_totp(learner_client)
    text = reader_text(learner_client.get(reverse("mfa_index")))
    assert "Your authenticator app is active." in text
    assert "10 of your 10 recovery codes are still unused." in text


def test_the_second_factor_at_login_says_log_in(learner):
    client = Client()
    client.force_login(learner)
    enrol_totp(client)
    client.post(reverse("account_logout"))
    fresh = Client()
    response = fresh.post(
        reverse("account_login"), {"login": learner.email, "password": PASSWORD}, follow=True
    )
    text = reader_text(response)
    assert "Log in · Skills Wallet" in text
    assert "Enter the code from your authenticator app, or a recovery code" in text
    assert "Sign In" not in text


# The pages, in Canadian French


def french_pages(client: Client, capture) -> dict[str, str]:
    """Every account page a learner meets, as read in fr-CA."""
    pages = {}
    anonymous = Client(**FRENCH)
    for name in ["account_login", "account_signup", "account_reset_password"]:
        pages[name] = reader_text(anonymous.get(reverse(name)))
    pages["account_reset_password_done"] = reader_text(
        anonymous.get(reverse("account_reset_password_done"))
    )
    pages["bad reset link"] = reader_text(anonymous.get("/accounts/password/reset/key/1-x/"))
    pages["verification code"] = reader_text(sign_up(anonymous, "marie@example.org", capture))
    for name in ["account_logout", "account_email", "account_change_password", "mfa_index"]:
        pages[name] = reader_text(client.get(reverse(name), **FRENCH))
    pages["reauthenticate"] = reader_text(
        client.get(reverse("mfa_activate_totp"), follow=True, **FRENCH)
    )
    reauthenticate(client)
    pages["mfa_activate_totp"] = reader_text(client.get(reverse("mfa_activate_totp"), **FRENCH))
    pages["mfa_list_webauthn"] = reader_text(client.get(reverse("mfa_list_webauthn"), **FRENCH))
    pages["mfa_add_webauthn"] = reader_text(client.get(reverse("mfa_add_webauthn"), **FRENCH))
    enrol_totp(client)
    for name in ["mfa_index", "mfa_view_recovery_codes", "mfa_generate_recovery_codes"]:
        pages[f"{name} (on)"] = reader_text(client.get(reverse(name), **FRENCH))
    pages["mfa_deactivate_totp"] = reader_text(client.get(reverse("mfa_deactivate_totp"), **FRENCH))
    pages["mfa_reauthenticate"] = reader_text(client.get(reverse("mfa_reauthenticate"), **FRENCH))
    return pages


def test_french_account_pages_speak_canadian_french(learner, django_capture_on_commit_callbacks):
    client = Client()
    client.force_login(learner)
    pages = french_pages(client, django_capture_on_commit_callbacks)
    for name, text in pages.items():
        for wording in FRANCE_FRENCH:
            assert wording not in text, f"{name}: {wording!r} in {text}"
        assert not re.search(r"\be-?mail\b", text, re.IGNORECASE), f"{name}: {text}"

    assert "Se connecter · Skills Wallet" in pages["account_login"]
    assert "Vous n’avez pas encore de compte? Inscrivez-vous d’abord." in pages["account_login"]
    assert "Adresse courriel" in pages["account_login"]
    assert "Vous avez déjà un compte? Connectez-vous." in pages["account_signup"]
    assert "S’inscrire · Skills Wallet" in pages["account_signup"]
    assert "Entrez le code reçu par courriel" in pages["verification code"]
    assert "Voulez-vous vraiment vous déconnecter?" in pages["account_logout"]
    assert (
        f"Voici les adresses courriel de votre compte{NBSP}: ada@example.org"
        in pages["account_email"]
    )
    assert "Ajouter une adresse courriel" in pages["account_email"]
    assert "Modifier le mot de passe" in pages["account_change_password"]
    assert "Confirmez votre identité" in pages["reauthenticate"]
    assert "Autres options" in pages["reauthenticate"]
    assert "Application d’authentification" in pages["mfa_index"]
    assert "balayez ce code QR" in pages["mfa_activate_totp"]
    assert "Il vous reste 10 codes de récupération inutilisés sur 10." in pages["mfa_index (on)"]


def test_french_flash_messages(learner):
    client = Client(**FRENCH)
    response = client.post(
        reverse("account_login"), {"login": learner.email, "password": PASSWORD}, follow=True
    )
    assert "Vous êtes connecté en tant que ada@example.org." in reader_text(response)
    other = Client(**FRENCH)
    other.post(reverse("account_login"), {"login": learner.email, "password": PASSWORD})
    response = client.post(reverse("usersessions_list"), follow=True)
    assert "Les autres sessions sont déconnectées." in reader_text(response)
    response = client.post(reverse("account_logout"), follow=True)
    assert "Vous êtes déconnecté." in reader_text(response)


def test_a_french_wrong_password_is_explained_in_canadian_french(learner):
    response = Client(**FRENCH).post(
        reverse("account_login"), {"login": learner.email, "password": "x"}
    )
    text = reader_text(response)
    assert "Cette adresse courriel et ce mot de passe ne correspondent pas." in text
