"""Registry changes re-verify the credentials they affect, and admins manage registries."""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from credentials import registry as registry_services
from credentials.models import Credential, IssuerRegistry, TrustedIssuer
from credentials.registry import import_trusted_issuers, refresh_issuer_registry
from tests.credentials.support.server import local_server_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

ISSUER_DID = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"


@pytest.fixture
def queued(monkeypatch):
    """The credential ids whose re-verification was queued."""
    ids: list[int] = []
    monkeypatch.setattr(
        registry_services, "queue_recheck", lambda pk: transaction.on_commit(lambda: ids.append(pk))
    )
    return ids


def _stored(owner, *, issuer_id, issuer_name, fingerprint):
    return Credential.objects.create(
        owner=owner,
        format="ob3-vc",
        source="upload",
        original_content_type="application/json",
        fingerprint=fingerprint,
        name="Teamwork",
        issuer_id=issuer_id,
        issuer_name=issuer_name,
        verdict="verified_with_warnings",
        checks=[
            {
                "name": "issuer",
                "status": "warning",
                "code": "issuer_self_asserted",
                "details": {"issuer_id": issuer_id, "key_id": f"{issuer_id}#key-1"},
            }
        ],
    )


@pytest.fixture
def admin_browser(admin_user, settings):
    """An admin's browser (MFA is the admin login's business, tested elsewhere)."""
    settings.ADMIN_REQUIRES_MFA = False
    browser = Client()
    browser.force_login(admin_user)
    return browser


@pytest.fixture
def held(learner):
    """One credential from Example College, one from an unrelated issuer."""
    return (
        _stored(learner, issuer_id=ISSUER_DID, issuer_name="Example College", fingerprint="a"),
        _stored(learner, issuer_id="did:web:other.test", issuer_name="Other", fingerprint="b"),
    )


def test_importing_trusted_issuers_queues_the_credentials_they_name(
    held, queued, django_capture_on_commit_callbacks
):
    data = b'{"issuers": [{"name": "Example College", "identifiers": ["' + ISSUER_DID.encode()
    with django_capture_on_commit_callbacks(execute=True):
        import_trusted_issuers(data=data + b'"]}]}')
    assert queued == [held[0].pk]


def test_a_new_issuer_whose_name_a_credential_borrows_queues_it_too(
    held, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        import_trusted_issuers(
            data=b'{"issuers": [{"name": "EXAMPLE college", "identifiers": ["did:web:c.test"]}]}'
        )
    assert queued == [held[0].pk]


def test_an_admin_edit_of_a_trusted_issuer_queues_before_and_after(
    held, queued, admin_browser, django_capture_on_commit_callbacks
):
    issuer = TrustedIssuer.objects.create(name="Example College", identifiers=[ISSUER_DID])
    url = reverse("admin:credentials_trustedissuer_change", args=[issuer.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_browser.post(
            url,
            {
                "name": "Renamed",
                "homepage": "",
                "identifiers": '["did:web:other.test"]',
                "is_active": "on",
            },
        )
    assert response.status_code == 302
    assert sorted(queued) == sorted(credential.pk for credential in held)


def test_marking_an_issuer_untrusted_queues_its_credentials(
    held, queued, admin_user, django_capture_on_commit_callbacks
):
    TrustedIssuer.objects.create(name="Example College", identifiers=[ISSUER_DID])
    with django_capture_on_commit_callbacks(execute=True):
        registry_services.set_issuers_trusted(
            issuers=TrustedIssuer.objects.all(), is_trusted=False, actor=admin_user
        )
    assert queued == [held[0].pk]


def test_a_registry_refresh_that_changes_entries_queues_what_they_affect(
    held, queued, local_server, django_capture_on_commit_callbacks
):
    url = local_server.add(
        "/registry.json", {"meta": {}, "registry": {ISSUER_DID: {"name": "Example College"}}}
    )
    registry = IssuerRegistry.objects.create(name="Consortium", url=url)
    with django_capture_on_commit_callbacks(execute=True):
        refresh_issuer_registry(registry=registry)
    assert queued == [held[0].pk]
    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        refresh_issuer_registry(registry=registry)
    assert queued == []


def test_the_queued_task_really_verifies_the_credential_again(
    held, local_server, django_capture_on_commit_callbacks, monkeypatch
):
    verified: list[int] = []
    monkeypatch.setattr(
        "credentials.tasks.reverify_credential",
        lambda *, credential: verified.append(credential.pk),
    )
    url = local_server.add(
        "/registry.json", {"meta": {}, "registry": {ISSUER_DID: {"name": "Example College"}}}
    )
    with django_capture_on_commit_callbacks(execute=True):
        refresh_issuer_registry(registry=IssuerRegistry.objects.create(name="Consortium", url=url))
    assert verified == [held[0].pk]


def test_an_admin_adds_a_registry_and_it_is_fetched(
    admin_browser, local_server, django_capture_on_commit_callbacks
):
    url = local_server.add(
        "/registry.json", {"meta": {}, "registry": {ISSUER_DID: {"name": "Example College"}}}
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_browser.post(
            reverse("admin:credentials_issuerregistry_add"),
            {"name": "Consortium", "url": url, "is_active": "on"},
        )
    assert response.status_code == 302
    registry = IssuerRegistry.objects.get()
    assert registry.entries == {ISSUER_DID: {"name": "Example College"}}
    assert registry.last_fetched_at is not None


def test_an_admin_refreshes_a_registry_from_the_list(
    admin_browser, local_server, django_capture_on_commit_callbacks
):
    url = local_server.add("/registry.json", {"meta": {}, "registry": {}})
    registry = IssuerRegistry.objects.create(name="Consortium", url=url)
    local_server.add(
        "/registry.json", {"meta": {}, "registry": {ISSUER_DID: {"name": "Example College"}}}
    )
    response = admin_browser.post(
        reverse("admin:credentials_issuerregistry_changelist"),
        {"action": "refresh_now", "_selected_action": [registry.pk]},
    )
    assert response.status_code == 302
    registry.refresh_from_db()
    assert ISSUER_DID in registry.entries
