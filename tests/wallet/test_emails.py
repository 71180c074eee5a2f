"""What a learner reads in the site's emails: wording, language, and both parts of each mail.

Mail is rendered in the request and sent by a task once the transaction commits
(tasks run eagerly here): `django_capture_on_commit_callbacks(execute=True)`
sends it into `mail.outbox`.
"""

import json
import re
import uuid
from datetime import UTC, datetime

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from credentials.mail import render_html, text_blocks
from credentials.models import CredentialSource
from credentials.services import import_credential, reverify_credential
from tests.conftest import PASSWORD
from tests.credentials.support.issuer import did_key_issuer
from tests.wallet.test_accounts import CODE_RE, enrol_totp, reauthenticate

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr-CA"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
NEW_PASSWORD = "a brand new passphrase 7"
# allauth's own French (France French, or the wrong words), never what a learner reads.
ALLAUTH_FRENCH = ["e-mail", "E-mail", "Vous recevez cet", "code de connexion", "se connecter à"]


def html_part(message) -> str:
    return {mimetype: content for content, mimetype in message.alternatives}["text/html"]


def html_text(html: str) -> str:
    """The words of the HTML part, tags dropped, white space collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def french_learner(learner):
    learner.preferred_language = "fr-ca"
    learner.save(update_fields=["preferred_language"])
    return learner


def logged_in(user, **headers) -> Client:
    client = Client(**headers)
    client.force_login(user)
    return client


def add_address(client: Client, email: str, capture, **headers):
    reauthenticate(client)
    with capture(execute=True):
        response = client.post(
            reverse("account_email"), {"action_add": "", "email": email}, **headers
        )
    assert response.status_code == 302, response.status_code
    message = mail.outbox[-1]
    assert message.to == [email]
    return message


# 1. Adding an address: the learner's language, and words about adding, not signing up


def test_a_french_learner_adding_an_address_gets_the_code_in_french(
    learner, django_capture_on_commit_callbacks
):
    french_learner(learner)
    # The page is read in English: the address is not an account's yet, so the
    # logged-in learner's own language decides.
    client = logged_in(learner, **ENGLISH)
    message = add_address(
        client, "ada@work.example.org", django_capture_on_commit_callbacks, **ENGLISH
    )
    assert message.subject == "[Skills Wallet] Confirmez votre adresse courriel"
    body = message.body
    assert body.startswith("Bonjour de la part de Skills Wallet!")
    assert (
        "Quelqu’un, probablement vous, a demandé d’ajouter cette adresse courriel au compte "
        "Skills Wallet ada@example.org." in body
    )
    assert (
        "Voici votre code de vérification. Entrez-le dans la fenêtre de navigateur où vous "
        "l’avez demandé." in body
    )
    assert CODE_RE.search(body)
    assert "Si ce n’était pas vous, vous pouvez ignorer ce courriel." in body
    assert "\n\n\n" not in body
    for wording in [*ALLAUTH_FRENCH, "inscri", "enregistr"]:
        assert wording not in body, wording


def test_adding_an_address_speaks_of_adding_it_not_of_registering(
    learner, django_capture_on_commit_callbacks
):
    client = logged_in(learner)
    message = add_address(client, "ada@work.example.org", django_capture_on_commit_callbacks)
    assert message.subject == "[Skills Wallet] Confirm your email address"
    assert (
        "Someone, probably you, asked to add this email address to the Skills Wallet account "
        "ada@example.org." in message.body
    )
    assert "Here is your verification code." in message.body
    for wording in ["register", "sign up", "signup"]:
        assert wording not in message.body.lower(), wording


def test_signing_up_speaks_of_signing_up(db, django_capture_on_commit_callbacks):
    data = {
        "email": "marie@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "accept_privacy": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        Client(**FRENCH).post(reverse("account_signup"), data)
    message = mail.outbox[-1]
    assert message.subject == "[Skills Wallet] Confirmez votre adresse courriel"
    assert (
        "Quelqu’un, probablement vous, a utilisé cette adresse courriel pour s’inscrire à "
        "Skills Wallet." in message.body
    )
    assert "Voici votre code de vérification." in message.body
    for wording in ALLAUTH_FRENCH:
        assert wording not in message.body, wording


# 3. The HTML part: paragraphs, not the template's hard line breaks


def test_the_html_part_joins_a_paragraphs_lines_and_keeps_lists():
    body = (
        "Hello from Skills Wallet!\n\n"
        "You tried to signup for an\naccount using email address:\n\n"
        "ada@example.org\n\n"
        "The change was made from:\n\n- IP address: 127.0.0.1\n- Browser: <Firefox>\n"
        "- Date: today\n\n"
        "Thank you for using Skills Wallet.\nhttps://wallet.example.org\n\n"
    )
    assert text_blocks(body) == [
        {"text": "Hello from Skills Wallet!"},
        {"text": "You tried to signup for an account using email address:"},
        {"text": "ada@example.org"},
        {"text": "The change was made from:"},
        {"list": ["IP address: 127.0.0.1", "Browser: <Firefox>", "Date: today"]},
        {"text": "Thank you for using Skills Wallet. https://wallet.example.org"},
    ]
    html = render_html(subject="A subject\n", body=body)
    assert "<br" not in html
    assert "<p>You tried to signup for an account using email address:</p>" in html
    assert "<li>Browser: &lt;Firefox&gt;</li>" in html
    assert '<a href="https://wallet.example.org"' in html
    assert "<p></p>" not in html
    assert "<title>A subject</title>" in html


def test_an_allauth_mail_reads_in_paragraphs_in_both_parts(
    learner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("account_reset_password"), {"email": learner.email})
    message = mail.outbox[-1]
    assert message.subject == "[Skills Wallet] Reset your password"
    # The text part keeps its blank-line paragraphs; the HTML part has one <p> each.
    paragraphs = message.body.split("\n\n")
    assert paragraphs[0] == "Hello from Skills Wallet!"
    assert paragraphs[1] == (
        "Someone, probably you, asked to reset the password of your Skills Wallet account. "
        "If it wasn’t you, you can ignore this email: your password stays as it is. "
        "Otherwise, open the link below to choose a new password."
    )
    link = paragraphs[2]
    assert re.fullmatch(r"https?://\S+/accounts/password/reset/key/\S+", link)
    html = html_part(message)
    assert "<br" not in html and "<p></p>" not in html
    assert f"<p>{paragraphs[1]}</p>" in html
    assert f'href="{link}"' in html
    assert "<p>Thank you for using Skills Wallet. " in html


# 4. An unknown address: the language of the page it was asked from


def test_a_reset_for_an_unknown_address_answers_in_the_pages_language(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = Client(**FRENCH).post(
            reverse("account_reset_password"), {"email": "personne@example.org"}
        )
    assert response.status_code == 302
    message = mail.outbox[-1]
    assert message.to == ["personne@example.org"]
    assert message.subject == "[Skills Wallet] Aucun compte n’utilise cette adresse courriel"
    body = message.body
    assert (
        "Quelqu’un, probablement vous, a tenté d’utiliser un compte Skills Wallet avec "
        "l’adresse courriel personne@example.org, mais aucun compte n’utilise cette adresse."
        in body
    )
    assert "Si vous n’avez rien demandé, vous pouvez ignorer ce courriel." in body
    assert "Si c’était vous, vous pouvez vous inscrire avec le lien ci-dessous." in body
    assert "/accounts/signup/" in body
    for wording in [*ALLAUTH_FRENCH, "Unknown", "You are receiving"]:
        assert wording not in body, wording


# 5. Security notices: in the learner's language, short, and never a secret


def assert_a_french_notice(message, learner, *, subject: str, change: str) -> None:
    assert message.to == [learner.email]
    assert message.subject == f"[Skills Wallet] {subject}"
    body = message.body
    assert f"Cette modification vient d’être apportée à votre compte Skills Wallet{NBSP}:" in body
    assert change in body
    assert "Si vous n’êtes pas à l’origine de cette modification, réinitialisez votre mot" in body
    assert f"- Adresse IP{NBSP}: 127.0.0.1" in body
    for wording in [*ALLAUTH_FRENCH, "You are receiving", "proper security"]:
        assert wording not in body, wording
    html = html_part(message)
    assert f"<li>Adresse IP{NBSP}: 127.0.0.1</li>" in html
    assert 'lang="fr-ca"' in html


def test_a_password_change_sends_a_french_notice_without_the_password(
    learner, django_capture_on_commit_callbacks
):
    french_learner(learner)
    client = logged_in(learner, **ENGLISH)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_change_password"),
            {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
    assert response.status_code == 302
    [message] = mail.outbox
    assert_a_french_notice(
        message,
        learner,
        subject="Mot de passe modifié",
        change="Votre mot de passe a été modifié.",
    )
    for secret in [PASSWORD, NEW_PASSWORD]:
        assert secret not in message.body and secret not in html_part(message)


def test_a_notice_names_the_browser_behind_the_change(learner, django_capture_on_commit_callbacks):
    firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
    client = logged_in(learner, HTTP_USER_AGENT=firefox)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_change_password"),
            {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
    [message] = mail.outbox
    assert "Firefox 128 on Windows" in message.body
    assert "Gecko/20100101" not in message.body


def test_turning_on_two_factor_sends_a_french_notice_without_the_secret_or_codes(
    learner, django_capture_on_commit_callbacks
):
    french_learner(learner)
    client = logged_in(learner, **ENGLISH)
    with django_capture_on_commit_callbacks(execute=True):
        totp = enrol_totp(client)
    [message] = mail.outbox
    assert_a_french_notice(
        message,
        learner,
        subject="Application d’authentification activée",
        change="Application d’authentification activée.",
    )
    recovery = Authenticator.objects.get(user=learner, type=Authenticator.Type.RECOVERY_CODES)
    secrets = [totp.secret, totp.now(), *recovery.wrap().get_unused_codes()]
    for part in [message.subject, message.body, html_part(message)]:
        for secret in secrets:
            assert secret not in part
        assert not CODE_RE.search(part)


def test_new_recovery_codes_send_a_notice_without_the_codes(
    learner, django_capture_on_commit_callbacks
):
    client = logged_in(learner)
    enrol_totp(client)
    reauthenticate(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_generate_recovery_codes"))
    assert response.status_code == 302
    message = mail.outbox[-1]
    assert message.subject == "[Skills Wallet] New recovery codes generated"
    assert "This change was just made to your Skills Wallet account:" in message.body
    assert (
        "New recovery codes for two-factor authentication have been generated. Your previous "
        "codes no longer work." in message.body
    )
    recovery = Authenticator.objects.get(user=learner, type=Authenticator.Type.RECOVERY_CODES)
    for code in recovery.wrap().get_unused_codes():
        assert code not in message.body and code not in html_part(message)


def test_removing_an_address_and_changing_the_primary_one_send_french_notices(
    learner, django_capture_on_commit_callbacks
):
    french_learner(learner)
    EmailAddress.objects.create(user=learner, email="ada@work.example.org", verified=True)
    client = logged_in(learner, **ENGLISH)
    reauthenticate(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_email"), {"action_primary": "", "email": "ada@work.example.org"}
        )
    assert_a_french_notice(
        mail.outbox[-1],
        learner,
        subject="Adresse courriel principale modifiée",
        change=(
            "Votre adresse courriel principale est maintenant ada@work.example.org au lieu de "
            "ada@example.org."
        ),
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_email"), {"action_remove": "", "email": "ada@example.org"})
    message = mail.outbox[-1]
    assert message.to == ["ada@work.example.org"]
    assert message.subject == "[Skills Wallet] Adresse courriel retirée"
    assert "L’adresse courriel ada@example.org a été retirée de votre compte." in message.body


# 6. A credential whose status changed at the nightly re-verification


def expiring_credential(learner, name: str):
    """A stored credential, valid until 2099, issued to the learner's address."""
    issuer = did_key_issuer()
    document = issuer.credential(
        name=name,
        credential_id=f"urn:uuid:{uuid.uuid4()}",
        subject_id=None,
        valid_until="2099-01-01T00:00:00Z",
        identifier={
            "type": "IdentityObject",
            "identityHash": learner.email,
            "identityType": "emailAddress",
            "hashed": False,
        },
    )
    document["credentialSubject"]["achievement"].pop("image", None)
    data = json.dumps(issuer.sign(document)).encode()
    return import_credential(learner=learner, data=data, source=CredentialSource.PASTE).created[0]


AFTER_EXPIRY = datetime(2099, 6, 1, tzinfo=UTC)


def test_an_expired_credential_is_announced_once_with_a_link_to_its_page(
    learner, django_capture_on_commit_callbacks
):
    credential = expiring_credential(learner, "Teamwork")
    with django_capture_on_commit_callbacks(execute=True):
        reverify_credential(credential=credential, now=AFTER_EXPIRY)
    [message] = mail.outbox
    assert message.to == [learner.email]
    assert message.subject == "[Skills Wallet] A credential in your wallet changed status"
    page = settings.SITE_URL + credential.get_absolute_url()
    assert page == settings.SITE_URL + credential.get_absolute_url()
    assert message.body == (
        "Hello from Skills Wallet!\n\n"
        "When we checked your credentials again, one of them changed status:\n\n"
        "- Teamwork (Example University): This credential has expired.\n"
        f"  {page}\n\n"
        "Share links that include it now show this status to the people you shared it with.\n\n"
        f"Thank you for using Skills Wallet.\n{settings.SITE_URL}"
    )
    html = html_part(message)
    assert "<p></p>" not in html and "<br" not in html
    assert f'<li>Teamwork (Example University): This credential has expired. <a href="{page}"' in (
        html
    )
    assert html.rstrip().endswith("</html>")
    assert not re.search(r"<p>\s*</p>", html)


def test_the_status_email_in_french_with_two_credentials(
    learner, django_capture_on_commit_callbacks
):
    french_learner(learner)
    first = expiring_credential(learner, "Teamwork")
    second = expiring_credential(learner, "Leadership")
    second.issuer_name = ""
    second.save(update_fields=["issuer_name"])
    # Two changes in one message: what the nightly run does for a record and its parts.
    from credentials.services.reverify import _notify_verdict_changes

    for credential in (first, second):
        credential.verdict = "expired"
        credential.checks = [{"name": "expiry", "code": "expired", "status": "failed"}]
    with django_capture_on_commit_callbacks(execute=True):
        _notify_verdict_changes(learner, [first, second])
    [message] = mail.outbox
    assert message.subject == "[Skills Wallet] 2 titres de votre portefeuille ont changé de statut"
    body = message.body
    assert (
        f"Lors de la nouvelle vérification de vos titres, 2 d’entre eux ont changé de "
        f"statut{NBSP}:" in body
    )
    assert f"- Teamwork (Example University){NBSP}: Ce titre est expiré.\n" in body
    assert f"- Leadership{NBSP}: Ce titre est expiré.\n" in body
    for credential in (first, second):
        assert settings.SITE_URL + credential.get_absolute_url() in body
    assert "Les liens de partage qui les incluent affichent désormais ce statut" in body
    assert body.endswith(f"Merci d’utiliser Skills Wallet.\n{settings.SITE_URL}")
    assert "expired" not in body
    assert html_text(html_part(message)).count("Ce titre est expiré.") == 2
