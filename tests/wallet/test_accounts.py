"""Accounts: sign up, verify by code, MFA, password reset, more addresses."""

import re

import pyotp
import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from credentials.models import AuditEvent
from tests.conftest import PASSWORD
from wallet.audit import AccountAction
from wallet.models import Wallet

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new passphrase 7"
CODE_RE = re.compile(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4})\s*$", re.MULTILINE)


def last_code() -> str:
    match = CODE_RE.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def sign_up(client: Client, email: str, *, language: str = "en", **extra) -> object:
    data = {
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "accept_privacy": "on",
        **extra,
    }
    return client.post(reverse("account_signup"), data, HTTP_ACCEPT_LANGUAGE=language)


def test_signup_sends_a_code_and_logs_in_once_verified(django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, "new@example.org")
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new@example.org"]
    html = dict((mimetype, body) for body, mimetype in message.alternatives)["text/html"]
    code = last_code()
    assert code in html

    user = get_user_model().objects.get(email="new@example.org")
    assert user.privacy_accepted_at is not None
    assert Wallet.objects.filter(user=user).count() == 1
    assert client.get(reverse("wallet:dashboard")).status_code == 302

    response = client.post(reverse("account_email_verification_sent"), {"code": code})
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="new@example.org").verified
    page = client.get(reverse("wallet:dashboard"))
    assert page.status_code == 200
    assert "Your wallet is empty" in page.text

    actions = set(AuditEvent.objects.filter(actor=user).values_list("action", flat=True))
    assert {
        AccountAction.ACCOUNT_CREATED,
        AccountAction.EMAIL_VERIFIED,
        AccountAction.LOGIN,
    } <= actions


def test_signup_requires_consent_to_the_privacy_notice():
    response = sign_up(Client(), "new@example.org", accept_privacy="")
    assert response.status_code == 200
    assert "Please accept the privacy notice" in response.text
    assert not get_user_model().objects.filter(email="new@example.org").exists()


def test_a_french_signup_gets_french_mail_and_keeps_the_language(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(Client(), "marie@example.org", language="fr-CA")
    user = get_user_model().objects.get(email="marie@example.org")
    assert user.preferred_language == "fr-ca"
    assert "Bonjour de la part de Skills Wallet" in mail.outbox[0].body


def test_an_unverified_learner_cannot_log_in(db):
    from tests.conftest import make_learner

    make_learner("pending@example.org", verified=False)
    client = Client()
    client.post(reverse("account_login"), {"login": "pending@example.org", "password": PASSWORD})
    assert client.get(reverse("wallet:dashboard")).status_code == 302


def test_the_wallet_is_created_once_per_account(learner):
    from wallet.services import ensure_wallet

    ensure_wallet(user=learner)
    ensure_wallet(user=learner)
    assert Wallet.objects.filter(user=learner).count() == 1


def test_a_superuser_made_by_command_gets_a_wallet_on_first_visit(db):
    user = get_user_model().objects.create_superuser(email="root@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    client = Client()
    client.force_login(user)
    assert client.get(reverse("wallet:dashboard")).status_code == 200
    assert Wallet.objects.filter(user=user).count() == 1


def reauthenticate(client: Client) -> None:
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.text


def enrol_totp(client: Client) -> pyotp.TOTP:
    assert client.get(reverse("mfa_activate_totp")).status_code == 302
    reauthenticate(client)
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    totp = pyotp.TOTP(secret)
    response = client.post(reverse("mfa_activate_totp"), {"code": totp.now()})
    assert response.status_code == 302, response.text
    return totp


def log_in(client: Client, email: str) -> object:
    return client.post(reverse("account_login"), {"login": email, "password": PASSWORD})


def test_mfa_login_needs_a_totp_code(learner, django_capture_on_commit_callbacks):
    client = Client()
    log_in(client, learner.email)
    with django_capture_on_commit_callbacks(execute=True):
        totp = enrol_totp(client)
    assert Authenticator.objects.filter(user=learner, type="totp").exists()
    stored = Authenticator.objects.get(user=learner, type="totp").data["secret"]
    assert stored != totp.secret, "TOTP secret must be encrypted at rest"
    client.post(reverse("account_logout"))

    fresh = Client()
    response = log_in(fresh, learner.email)
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert fresh.get(reverse("wallet:dashboard")).status_code == 302
    fresh.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert fresh.get(reverse("wallet:dashboard")).status_code == 302
    fresh.post(reverse("mfa_authenticate"), {"code": totp.at(_next_window())})
    # A code from another time window is refused; the current one works.
    fresh.post(reverse("mfa_authenticate"), {"code": totp.now()})
    assert fresh.get(reverse("wallet:dashboard")).status_code == 200
    assert AuditEvent.objects.filter(actor=learner, action=AccountAction.MFA_TOTP_ENABLED).exists()


def _next_window() -> int:
    import time

    return int(time.time()) + 90


def test_a_learner_with_totp_can_add_a_second_address(learner, django_capture_on_commit_callbacks):
    client = Client()
    log_in(client, learner.email)
    enrol_totp(client)
    reauthenticate(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_email"), {"action_add": "", "email": "ada@work.example.org"}
        )
    assert response.status_code == 302, response.text
    assert mail.outbox[-1].to == ["ada@work.example.org"]
    code = last_code()
    client.post(reverse("account_email_verification_sent"), {"code": code})
    address = EmailAddress.objects.get(email="ada@work.example.org")
    assert address.user == learner
    assert address.verified


def test_password_reset_by_emailed_link(learner, django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": learner.email})
    body = mail.outbox[-1].body
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else "/" + path
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            form_url,
            {"password1": "a brand new passphrase 7", "password2": "a brand new passphrase 7"},
        )
    assert response.status_code == 302
    assert Client().login(email=learner.email, password=NEW_PASSWORD)
    assert AuditEvent.objects.filter(actor=learner, action=AccountAction.PASSWORD_RESET).exists()


def test_failed_logins_are_audited_without_the_password(learner):
    Client().post(reverse("account_login"), {"login": learner.email, "password": "wrong-guess-1"})
    event = AuditEvent.objects.get(action=AccountAction.LOGIN_FAILED)
    assert "wrong-guess-1" not in event.detail
    assert learner.email not in event.detail


def test_failed_logins_lock_the_account_for_a_while(learner):
    client = Client()
    for attempt in range(5):
        client.post(reverse("account_login"), {"login": learner.email, "password": f"w-{attempt}"})
    response = client.post(reverse("account_login"), {"login": learner.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.text
    assert client.get(reverse("wallet:dashboard")).status_code == 302


def test_login_requests_are_rate_limited_per_client(learner):
    client = Client()
    statuses = {client.get(reverse("account_login")).status_code for _ in range(3)}
    assert statuses == {200}
    for _ in range(31):
        response = client.post(
            reverse("account_login"), {"login": "x@example.org", "password": "x"}
        )
    assert response.status_code == 429
    assert "Too many attempts" in response.text


def test_admin_logs_in_through_allauth(admin_user):
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_language_switcher_remembers_the_choice(learner_client, learner):
    response = learner_client.post(
        reverse("wallet:set_language"), {"language": "fr-ca", "next": "/wallet/"}
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.preferred_language == "fr-ca"
    page = learner_client.get("/wallet/")
    assert "Mon portefeuille" in page.text


@pytest.mark.parametrize("accept, current", [("fr-CA,fr;q=0.9", "fr-ca"), ("en-CA", "en")])
def test_the_language_switcher_offers_what_it_accepts_with_the_current_one_chosen(
    learner_client, learner, accept, current
):
    page = learner_client.get("/wallet/", HTTP_ACCEPT_LANGUAGE=accept).text
    switcher = re.search(r'<select id="language-select".*?</select>', page, re.DOTALL).group()
    options = re.findall(r'<option value="([^"]+)"[^>]*?( selected)?>', switcher)
    assert [value for value, selected in options if selected] == [current]
    for value, _ in options:
        learner_client.post(reverse("wallet:set_language"), {"language": value, "next": "/"})
        learner.refresh_from_db()
        assert learner.preferred_language == value


def test_the_language_switcher_refuses_an_offsite_next(learner_client):
    response = learner_client.post(
        reverse("wallet:set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response.url == "/"


@pytest.mark.parametrize("required", [True, False])
def test_staff_without_mfa_are_sent_to_enrol_when_admin_requires_it(admin_user, settings, required):
    settings.ADMIN_REQUIRES_MFA = required
    client = Client()
    client.force_login(admin_user)
    response = client.get("/admin/")
    if required:
        assert response.status_code == 302
        assert response.url == reverse("mfa_index")
    else:
        assert response.status_code == 200


def test_staff_with_totp_enter_admin(admin_user, settings):
    settings.ADMIN_REQUIRES_MFA = True
    client = Client()
    log_in(client, admin_user.email)
    enrol_totp(client)
    assert client.get("/admin/").status_code == 200


def test_non_staff_cannot_reach_admin(learner_client):
    response = learner_client.get("/admin/")
    assert response.status_code == 302
    assert "/accounts/login/" in response.url or "/admin/login/" in response.url


def test_mail_is_sent_from_the_request_when_the_broker_is_down(
    learner, monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    from credentials import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis")

    monkeypatch.setattr(tasks.send_email, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(reverse("account_reset_password"), {"email": learner.email})
    assert response.status_code == 302
    assert mail.outbox[-1].to == [learner.email]
