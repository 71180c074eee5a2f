"""Freshness: a check that cannot run keeps the verdict it had, says so, and goes stale."""

import importlib
import json
from datetime import timedelta
from uuid import uuid4

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from credentials.models import Credential, CredentialSource
from credentials.services import import_credential, reverify_all, reverify_credential
from tests.credentials.support import fixtures
from tests.credentials.support.issuer import (  # noqa: F401
    did_web_issuer,
    site_fixture,
    web_fixture,
)
from tests.sharing.conftest import make_link, public_path

pytestmark = pytest.mark.django_db

LIST_URL = "https://status.example/lists/fresh"
migration = importlib.import_module("credentials.migrations.0008_freshness_and_duplicates")


def publish_list(web, issuer, *, revoked: set[int]) -> None:
    listing = fixtures.status_list(LIST_URL, issuer.id, revoked=revoked)
    web.add(LIST_URL, json.dumps(issuer.sign(listing)).encode())


def import_with_status(learner, issuer, **options) -> Credential:
    document = issuer.signed(
        subject_id=None,
        identifier={
            "type": "IdentityObject",
            "identityHash": learner.email,
            "identityType": "emailAddress",
            "hashed": False,
        },
        status=fixtures.status_entry(LIST_URL, 7),
        **options,
    )
    [credential] = import_credential(
        learner=learner, data=json.dumps(document).encode(), source=CredentialSource.PASTE
    ).created
    return credential


def test_a_json_credential_naming_svg_is_stored_as_json_and_reads_revoked_after_a_recheck(
    learner, web
):
    issuer = did_web_issuer(web)
    publish_list(web, issuer, revoked=set())
    credential = import_with_status(learner, issuer, name='<svg onload="x"> Teamwork')
    assert credential.original_content_type == "application/json"
    assert credential.original_name.endswith(".json")

    publish_list(web, issuer, revoked={7})
    assert reverify_all() == 1
    credential.refresh_from_db()
    assert credential.verdict == "revoked"
    assert credential.recheck_failed_at is None


def test_the_migration_gives_an_original_typed_as_svg_its_parsed_type_back(learner, web):
    issuer = did_web_issuer(web)
    publish_list(web, issuer, revoked=set())
    credential = import_with_status(learner, issuer, name="<svg> Teamwork")
    # As the first-bytes sniffing stored it.
    Credential.objects.filter(pk=credential.pk).update(
        original_content_type="image/svg+xml", original_name="credential-0.svg"
    )
    svg = Credential.objects.get(pk=credential.pk)
    svg.pk = None
    svg.uuid = uuid4()
    svg.fingerprint = "sha256:svg"
    svg.original_name = "badge.svg"
    svg.original.save("badge.svg", ContentFile(fixtures.baked_svg("{}")), save=False)
    svg.save()

    migration.repair_content_types(apps, None)

    credential.refresh_from_db()
    assert credential.original_content_type == "application/json"
    assert credential.original_name == "credential-0.json"
    assert Credential.objects.get(pk=svg.pk).original_content_type == "image/svg+xml"

    publish_list(web, issuer, revoked={7})
    reverify_credential(credential=credential)
    assert credential.verdict == "revoked"


def test_a_recheck_that_cannot_run_keeps_the_verdict_and_says_since_when_and_why(learner, web):
    issuer = did_web_issuer(web)
    publish_list(web, issuer, revoked=set())
    credential = import_with_status(learner, issuer)
    verdict, checks, checked = credential.verdict, credential.checks, credential.last_verified_at
    assert checked is not None

    web.add(LIST_URL, b"down for maintenance", status=503)
    reverify_credential(credential=credential)
    first_failure = credential.recheck_failed_at
    reverify_credential(credential=credential)

    assert credential.verdict == verdict
    assert credential.checks == checks
    assert credential.last_verified_at == checked
    assert credential.recheck_failed_at == first_failure is not None
    assert credential.recheck_failures == 2
    assert "503" in credential.recheck_error["message"]


def test_a_definitive_result_always_replaces_a_kept_verdict(learner, web):
    issuer = did_web_issuer(web)
    publish_list(web, issuer, revoked=set())
    credential = import_with_status(learner, issuer)
    web.add(LIST_URL, b"", status=503)
    reverify_credential(credential=credential)
    assert credential.recheck_failures == 1

    publish_list(web, issuer, revoked={7})
    reverify_credential(credential=credential)
    assert credential.verdict == "revoked"
    assert credential.recheck_failed_at is None
    assert credential.recheck_failures == 0
    assert credential.recheck_error == {}


def test_a_recheck_that_raises_keeps_the_verdict_and_the_run_goes_on(learner, web, monkeypatch):
    issuer = did_web_issuer(web)
    publish_list(web, issuer, revoked=set())
    credential = import_with_status(learner, issuer)

    def broken(*args, **kwargs):
        raise RuntimeError("the verifier broke")

    monkeypatch.setattr("credentials.services.reverify.verify", broken)
    assert reverify_all() == 0
    credential.refresh_from_db()
    assert credential.verdict == "verified_with_warnings"
    assert credential.recheck_error == {"message": "the verifier broke"}


def test_a_verdict_unconfirmed_for_the_configured_days_is_stale_for_learner_and_employer(
    learner, learner_client, employer, web, settings
):
    settings.VERDICT_STALE_AFTER_DAYS = 7
    issuer = did_web_issuer(web)
    publish_list(web, issuer, revoked=set())
    credential = import_with_status(learner, issuer)
    web.add(LIST_URL, b"", status=503)
    reverify_credential(credential=credential)
    assert not credential.is_verdict_stale

    Credential.objects.filter(pk=credential.pk).update(
        last_verified_at=timezone.now() - timedelta(days=8)
    )
    credential.refresh_from_db()
    assert credential.is_verdict_stale

    page = learner_client.get(credential.get_absolute_url()).content.decode()
    assert "Could not check again since" in page
    assert "Stale verdict" in page

    link = make_link(learner, [credential])
    shared = employer.get(public_path(link)).content.decode()
    assert "this result may be out of date" in shared


def test_the_admin_lists_credentials_whose_recheck_keeps_failing(
    admin_user, learner, web, settings
):
    settings.ADMIN_REQUIRES_MFA = False
    issuer = did_web_issuer(web)
    publish_list(web, issuer, revoked=set())
    failing = import_with_status(learner, issuer)
    fine = import_with_status(
        learner, issuer, credential_id="urn:uuid:30000000-0000-4000-8000-000000000000"
    )
    web.add(LIST_URL, b"", status=503)
    reverify_credential(credential=failing)
    reverify_credential(credential=failing)

    client = Client()
    client.force_login(admin_user)
    page = client.get(
        "/admin/credentials/credential/", {"freshness": "failing_repeatedly"}
    ).content.decode()
    assert f"/{failing.pk}/change/" in page
    assert f"/{fine.pk}/change/" not in page
