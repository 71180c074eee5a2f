"""Where a learner is signed in: the sessions page, signing out elsewhere, and clean-up."""

from datetime import datetime, timedelta

import pytest
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from tests.conftest import PASSWORD
from wallet import services
from wallet.tasks import clear_ended_sessions

pytestmark = pytest.mark.django_db

SESSIONS = reverse("usersessions_list")
DASHBOARD = reverse("wallet:dashboard")
FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"
)


def signed_in(user, *, agent: str, address: str) -> Client:
    """A browser that signed in through the login page, as a learner does."""
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(DASHBOARD).status_code == 200
    return client


def sessions_text(client: Client, **headers) -> str:
    """The sessions page as a reader sees it: text without markup, spaces collapsed."""
    return " ".join(strip_tags(client.get(SESSIONS, **headers).text).split())


def test_the_learner_sees_each_browser_they_signed_in_from(learner):
    laptop = signed_in(learner, agent=FIREFOX_WINDOWS, address="198.51.100.7")
    signed_in(learner, agent=SAFARI_IPHONE, address="203.0.113.40")
    page = sessions_text(laptop)
    assert "Firefox 128 on Windows (this browser)" in page
    assert "Mobile Safari 17 on iOS" in page
    assert "198.51.100.7" in page and "203.0.113.40" in page
    assert "Log out the other sessions" in page


def test_signing_out_the_other_sessions_ends_them_and_keeps_this_one(learner):
    laptop = signed_in(learner, agent=FIREFOX_WINDOWS, address="198.51.100.7")
    phone = signed_in(learner, agent=SAFARI_IPHONE, address="203.0.113.40")
    response = laptop.post(SESSIONS, follow=True)
    assert "Logged out of all other sessions." in response.text
    assert "You are logged in only here." in response.text
    assert "203.0.113.40" not in response.text
    assert laptop.get(DASHBOARD).status_code == 200
    assert phone.get(DASHBOARD).status_code == 302


def test_a_learner_never_sees_another_learners_sessions(learner, other_learner):
    signed_in(learner, agent=FIREFOX_WINDOWS, address="198.51.100.7")
    other = signed_in(other_learner, agent=SAFARI_IPHONE, address="203.0.113.40")
    page = sessions_text(other)
    assert "198.51.100.7" not in page
    assert "Firefox" not in page
    assert "You are logged in only here." in page


def test_the_sessions_page_is_for_signed_in_learners_only():
    response = Client().get(SESSIONS)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_signing_out_forgets_the_sign_in(learner):
    laptop = signed_in(learner, agent=FIREFOX_WINDOWS, address="198.51.100.7")
    assert UserSession.objects.filter(user=learner).count() == 1
    laptop.post(reverse("account_logout"))
    assert not UserSession.objects.filter(user=learner).exists()


def test_a_browser_name_the_parser_does_not_know_is_shown_plainly(learner):
    client = signed_in(learner, agent="<script>alert(1)</script>", address="198.51.100.7")
    assert "Unknown browser (this browser)" in sessions_text(client)
    assert "<script>alert(1)" not in client.get(SESSIONS).text


def test_the_page_reads_in_french_with_canadian_times(learner):
    client = signed_in(learner, agent=FIREFOX_WINDOWS, address="198.51.100.7")
    signed_in_at = datetime(2026, 11, 28, 16, 5, tzinfo=timezone.get_default_timezone())
    UserSession.objects.update(created_at=signed_in_at)
    page = sessions_text(client, HTTP_ACCEPT_LANGUAGE="fr-CA")
    assert "Où vous êtes connecté" in page
    assert "Firefox 128 sur Windows (ce navigateur)" in page
    # Django's own fr_CA format printed the 12-hour hour here: "16 04 05".
    assert "Connecté le 28 novembre 2026, 16 h 05" in page


def test_resetting_mfa_signs_the_learner_out_everywhere(learner, admin_user, settings):
    settings.ADMIN_REQUIRES_MFA = False
    phone = signed_in(learner, agent=SAFARI_IPHONE, address="203.0.113.40")
    Authenticator.objects.create(user=learner, type="totp", data={"secret": "x"})
    admin = Client()
    admin.force_login(admin_user)
    admin.post(
        reverse("admin:wallet_user_changelist"),
        {"action": "reset_mfa", "_selected_action": [learner.pk]},
    )
    assert phone.get(DASHBOARD).status_code == 302
    assert not UserSession.objects.filter(user=learner).exists()


def test_the_nightly_clean_up_removes_ended_sessions_and_their_records(learner):
    kept = signed_in(learner, agent=FIREFOX_WINDOWS, address="198.51.100.7")
    signed_in(learner, agent=SAFARI_IPHONE, address="203.0.113.40")
    ended = UserSession.objects.exclude(session_key=kept.session.session_key).get()
    Session.objects.filter(session_key=ended.session_key).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )
    UserSession.objects.create(user=learner, session_key="gone-already", ip="192.0.2.1")

    assert clear_ended_sessions.delay().get() == 2

    assert not Session.objects.filter(session_key=ended.session_key).exists()
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [
        kept.session.session_key
    ]
    assert kept.get(DASHBOARD).status_code == 200


def test_ending_a_learners_sessions_leaves_other_learners_signed_in(learner, other_learner):
    laptop = signed_in(learner, agent=FIREFOX_WINDOWS, address="198.51.100.7")
    other = signed_in(other_learner, agent=SAFARI_IPHONE, address="203.0.113.40")
    services.end_sessions(learner)
    assert laptop.get(DASHBOARD).status_code == 302
    assert other.get(DASHBOARD).status_code == 200
