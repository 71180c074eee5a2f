"""The demo data verifies offline, with a real signature from the demo issuer key."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from credentials.models import Credential

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_var_dir(settings, tmp_path):
    """seed_demo keeps its password under var/: this test's, never the developer's."""
    settings.VAR_DIR = tmp_path


def printed_password(out: io.StringIO) -> str:
    return re.search(r"password: (\S+)", out.getvalue()).group(1)


def test_seed_demo_creates_a_learner_with_credentials_that_verify_offline(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "demo@example.org" in out.getvalue()
    verdicts = dict(Credential.objects.values_list("name", "verdict"))
    assert verdicts["Data Analysis Fundamentals"] == "verified"
    assert verdicts["Team Leadership"] == "verified"
    assert verdicts["Workplace Safety"] == "expired"
    assert verdicts["Volunteer sign-language interpreter"] == "self_reported"
    proofs = [c.checks[0]["status"] for c in Credential.objects.exclude(checks=[])]
    assert proofs == ["passed"] * 3
    # A demo credential reads as one, not as something an administrator imported.
    sources = {c.get_source_display() for c in Credential.objects.exclude(checks=[])}
    assert sources == {"demo credential"}


def test_seed_demo_a_second_time_keeps_and_prints_the_same_password(settings):
    settings.DEBUG = True
    first, second = io.StringIO(), io.StringIO()
    call_command("seed_demo", stdout=first)
    call_command("seed_demo", stdout=second)

    assert Credential.objects.count() == 4
    assert printed_password(first) == printed_password(second)
    user = get_user_model().objects.get(email="demo@example.org")
    assert user.check_password(printed_password(second))


def test_seed_demo_prints_a_new_password_once_the_kept_one_no_longer_works(settings):
    settings.DEBUG = True
    first, second = io.StringIO(), io.StringIO()
    call_command("seed_demo", stdout=first)
    user = get_user_model().objects.get(email="demo@example.org")
    user.set_password("changed by the learner 123")
    user.save()
    call_command("seed_demo", stdout=second)

    assert printed_password(second) != printed_password(first)
    user.refresh_from_db()
    assert user.check_password(printed_password(second))


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
