"""Deleting the account (after re-authentication) and reading its audit history."""

import io
import json
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from credentials import i18n
from credentials.audit import AuditAction
from credentials.models import AuditEvent, Credential, CredentialSource
from credentials.services import create_self_reported, import_credential, record_audit_event
from tests.conftest import PASSWORD
from tests.wallet.support import client_for, signed_document
from wallet import curation_services, export_services, services
from wallet.audit import AccountAction
from wallet.models import ApiTokenScope, ExportJob, User, Wallet

pytestmark = pytest.mark.django_db
DELETE = reverse("wallet:account_delete")
HISTORY = reverse("wallet:account_history")


def reauthenticated(user) -> Client:
    client = Client()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302
    return client


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (50, 50)).save(out, "PNG")
    return out.getvalue()


def fill_wallet(user) -> list[str]:
    """Give the learner one of everything; return the names of their stored files."""
    data = json.dumps(signed_document(user.email)).encode()
    credential = import_credential(learner=user, data=data, source=CredentialSource.PASTE).created[
        0
    ]
    curation_services.index_credentials(credentials=[credential])
    curation_services.set_credential_tags(credential=credential, names=["mine"])
    curation_services.update_credential_notes(
        credential=credential, note="n", public_description="p"
    )
    curation_services.create_collection(owner=user, name="C", credentials=[credential])
    curation_services.add_skill(owner=user, name="Extra", credentials=[credential])
    create_self_reported(
        learner=user, title="Self", evidence_file=SimpleUploadedFile("e.pdf", b"%PDF", "x/y")
    )
    services.add_recipient_identifier(owner=user, value="did:web:me.example")
    services.set_profile_photo(wallet=services.ensure_wallet(user=user), data=png())
    job = ExportJob.objects.create(owner=user)
    export_services.build_export(job=job)
    if hasattr(Credential, "share_links"):
        from sharing import services as sharing_services

        sharing_services.create_share_link(
            owner=user,
            title="Link",
            selection=sharing_services.Selection.of(credentials=[credential]),
            expires_at=sharing_services.default_expiry(),
        )
    names = [job.file.name, Wallet.objects.get(user=user).photo.name]
    for item in Credential.objects.owned_by(user):
        names.extend(f.name for f in (item.original, item.evidence_file, item.image) if f)
    return names


def files_under(folder: str) -> list[str]:
    if not default_storage.exists(folder):
        return []
    folders, files = default_storage.listdir(folder)
    return [f"{folder}/{name}" for name in files] + [
        name for child in folders for name in files_under(f"{folder}/{child}")
    ]


def rows_pointing_at(user_pk: int) -> dict[str, int]:
    found = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                isinstance(field, models.ForeignKey | models.OneToOneField)
                and field.related_model is User
                and field.concrete
            ):
                count = model._default_manager.filter(**{field.attname: user_pk}).count()
                if count:
                    found[f"{model._meta.label}.{field.name}"] = count
    return found


def test_deleting_needs_a_login_then_a_fresh_password(learner, employer):
    assert reverse("account_login") in employer.get(DELETE).url
    client = client_for(learner)
    response = client.get(DELETE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    response = client.post(response.url, {"password": "wrong password"})
    assert response.status_code == 200
    response = client.post(
        reverse("account_reauthenticate") + f"?next={DELETE}", {"password": PASSWORD}
    )
    assert response.url == DELETE
    assert "Delete my account" in client.get(DELETE).text


def test_deleting_asks_for_the_box_to_be_ticked(learner):
    client = reauthenticated(learner)
    response = client.post(DELETE, {})
    assert response.status_code == 400
    assert "id_confirm_error" in response.text
    assert User.objects.filter(pk=learner.pk).exists()


def test_deleting_leaves_no_row_or_file_only_pseudonymised_audit_rows(
    learner, other_learner, django_capture_on_commit_callbacks
):
    names = fill_wallet(learner)
    fill_wallet(other_learner)
    assert all(default_storage.exists(name) for name in names)
    record_audit_event(
        action=AuditAction.ADMIN_CHANGE,
        actor=other_learner,
        target=learner,
        detail=i18n.gettext("x"),
    )
    client = reauthenticated(learner)
    pk, email, user_uuid = learner.pk, learner.email, str(learner.uuid)
    reference = services.pseudonym_for(learner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(DELETE, {"confirm": "on"})
    assert response.url == reverse("wallet:home")
    assert not User.objects.filter(pk=pk).exists()
    assert rows_pointing_at(pk) == {}
    assert not EmailAddress.objects.filter(email=email).exists()
    assert not Credential.objects.filter(owner_id=pk).exists()
    assert not [name for name in names if default_storage.exists(name)]
    for kind in ["originals", "images", "evidence", "exports", "photos", "transcripts"]:
        assert files_under(f"{kind}/{user_uuid}") == []
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(pk)]
    traces = AuditEvent.objects.filter(actor_ref=reference)
    assert traces.filter(action="account.deleted").exists()
    assert traces.filter(action="credential.imported").exists()
    assert not traces.exclude(detail="").exists()
    assert not AuditEvent.objects.filter(target_id=user_uuid).exists()
    assert AuditEvent.objects.get(action="admin.change").target_id == reference
    for event in AuditEvent.objects.all():
        assert email not in f"{event.detail} {event.target_id} {event.actor_ref}"
    assert len(reference) == 64 and user_uuid not in reference
    assert Credential.objects.filter(owner=other_learner).count() == 2
    assert client.get(reverse("wallet:dashboard")).status_code == 302


def test_pseudonymised_rows_are_kept_a_year_then_deleted(learner, other_learner):
    services.delete_account(user=learner)
    kept = AuditEvent.objects.filter(actor__isnull=True).count()
    record_audit_event(action=AccountAction.LOGIN, actor=other_learner)
    assert services.delete_old_audit_traces() == 0
    AuditEvent.objects.filter(actor__isnull=True).update(
        created_at=timezone.now() - timedelta(days=366)
    )
    assert services.delete_old_audit_traces() == kept
    assert AuditEvent.objects.filter(actor=other_learner).exists()


def test_the_history_lists_the_learners_own_events_only(learner, other_learner, employer):
    record_audit_event(
        action=AccountAction.LANGUAGE_CHANGED,
        actor=learner,
        detail=i18n.label(dict(settings.LANGUAGES)["fr-ca"]),
    )
    record_audit_event(
        action=AccountAction.TOKEN_CREATED,
        actor=other_learner,
        detail=i18n.label(ApiTokenScope.READ.label),
    )
    record_audit_event(action=AccountAction.MFA_RESET, actor=other_learner, target=learner)
    page = client_for(learner).get(HISTORY).text
    assert "French (Canada)" in page
    assert "API token created" not in page
    assert "Two-factor authentication reset by an admin" in page
    assert reverse("account_login") in employer.get(HISTORY).url
