"""The demo data verifies offline, with a real signature from the demo issuer key."""

import io

import pytest
from django.core.management import CommandError, call_command

from credentials.models import Credential

pytestmark = pytest.mark.django_db


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


def test_seed_demo_a_second_time_resets_the_password_only(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    assert Credential.objects.count() == 4


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
