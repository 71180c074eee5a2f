"""Admin: actions call services, the registry import, audit entries, safe displays."""

import io
import json

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from credentials import i18n
from credentials.audit import AuditAction
from credentials.models import (
    AuditEvent,
    Credential,
    CredentialSource,
    ImportJob,
    JobStatus,
    TrustedIssuer,
)
from credentials.services import import_credential, record_audit_event
from sharing.models import Transcript
from tests.credentials.support.issuer import did_key_issuer
from tests.sharing.conftest import make_link
from wallet.audit import AccountAction
from wallet.models import ExportJob

pytestmark = pytest.mark.django_db


def stored(learner, **options) -> Credential:
    data = json.dumps(did_key_issuer().signed(**options)).encode()
    return import_credential(learner=learner, data=data, source=CredentialSource.PASTE).created[0]


def test_the_index_shows_the_service_at_a_glance(admin_client_, learner):
    stored(learner)
    page = admin_client_.get("/admin/").text
    assert "Service at a glance" in page
    assert "Active learners" in page
    assert "Credentials verified with warnings" in page


def test_admin_finds_a_learner_by_email_and_sees_their_credentials(admin_client_, learner):
    credential = stored(learner)
    listing = admin_client_.get("/admin/wallet/user/", {"q": "ada@"}).text
    assert learner.email in listing
    page = admin_client_.get(reverse("admin:wallet_user_change", args=[learner.pk])).text
    assert credential.name in page


def test_the_reverify_action_runs_the_service_and_is_audited(admin_client_, learner):
    credential = stored(learner)
    response = admin_client_.post(
        reverse("admin:credentials_credential_changelist"),
        {"action": "reverify", "_selected_action": [credential.pk]},
        follow=True,
    )
    assert "1 credential verified again" in response.text
    assert AuditEvent.objects.filter(
        action=AuditAction.CREDENTIAL_REVERIFIED,
        target_id=str(credential.uuid),
        actor__is_staff=True,
    ).exists()


def test_a_credential_cannot_be_edited_in_admin(admin_client_, learner):
    credential = stored(learner)
    url = reverse("admin:credentials_credential_change", args=[credential.pk])
    admin_client_.post(url, {"name": "Forged", "verdict": "verified"})
    credential.refresh_from_db()
    assert credential.name == "Teamwork"
    assert 'name="name"' not in admin_client_.get(url).text


def test_disabling_an_account_ends_its_sessions_and_is_audited(admin_client_, learner):
    learner_session = Client()
    learner_session.force_login(learner)
    assert learner_session.get("/wallet/").status_code == 200
    admin_client_.post(
        reverse("admin:wallet_user_changelist"),
        {"action": "disable_accounts", "_selected_action": [learner.pk]},
    )
    learner.refresh_from_db()
    assert not learner.is_active
    assert learner_session.get("/wallet/").status_code == 302
    assert AuditEvent.objects.filter(action=AccountAction.ACCOUNT_DISABLED).exists()


def test_resetting_mfa_removes_every_authenticator(admin_client_, learner):
    Authenticator.objects.create(user=learner, type="totp", data={"secret": "x"})
    admin_client_.post(
        reverse("admin:wallet_user_changelist"),
        {"action": "reset_mfa", "_selected_action": [learner.pk]},
    )
    assert not Authenticator.objects.filter(user=learner).exists()
    event = AuditEvent.objects.get(action=AccountAction.MFA_RESET)
    assert event.target_id == str(learner.uuid)


def test_authenticator_secrets_are_never_shown(admin_client_, learner):
    authenticator = Authenticator.objects.create(
        user=learner, type="totp", data={"secret": "SUPERSECRETVALUE"}
    )
    page = admin_client_.get(
        reverse("admin:mfa_authenticator_change", args=[authenticator.pk])
    ).text
    assert "SUPERSECRETVALUE" not in page


def test_marking_an_issuer_untrusted_is_audited(admin_client_):
    issuer = TrustedIssuer.objects.create(name="Uni", identifiers=["did:web:uni.example"])
    admin_client_.post(
        reverse("admin:credentials_trustedissuer_changelist"),
        {"action": "mark_untrusted", "_selected_action": [issuer.pk]},
    )
    issuer.refresh_from_db()
    assert not issuer.is_active
    assert AuditEvent.objects.filter(action=AuditAction.ADMIN_CHANGE, detail="not trusted").exists()


def test_every_admin_edit_is_an_audit_event(admin_client_):
    admin_client_.post(
        reverse("admin:credentials_trustedissuer_add"),
        {
            "name": "College",
            "homepage": "https://college.example",
            "identifiers": '["did:web:c"]',
            "is_active": "on",
        },
    )
    event = AuditEvent.objects.get(action=AuditAction.ADMIN_CHANGE)
    assert event.detail == "added credentials.trustedissuer"


def test_the_audit_log_is_read_only(admin_client_, learner):
    event = AuditEvent.objects.create(action=AccountAction.LOGIN, actor=learner)
    assert admin_client_.get(reverse("admin:credentials_auditevent_add")).status_code == 403
    response = admin_client_.post(
        reverse("admin:credentials_auditevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    listing = admin_client_.get(
        reverse("admin:credentials_auditevent_changelist"), {"action__exact": "account.login"}
    )
    assert listing.status_code == 200


def test_the_trusted_issuer_registry_imports_a_good_file(tmp_path):
    path = tmp_path / "issuers.json"
    path.write_text(
        json.dumps(
            {
                "issuers": [
                    {
                        "name": "Uni",
                        "homepage": "https://uni.example",
                        "identifiers": ["did:web:uni.example"],
                    }
                ]
            }
        )
    )
    out = io.StringIO()
    call_command("import_trusted_issuers", str(path), stdout=out)
    assert "1 trusted issuer imported." in out.getvalue()
    assert TrustedIssuer.objects.get().identifiers == ["did:web:uni.example"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "JSON"),
        ('{"issuers": []}', "non-empty list"),
        ('{"issuers": [{"name": "A"}]}', "list of identifiers"),
        (
            '{"issuers": [{"name": "A", "identifiers": ["x"], "homepage": "javascript:x"}]}',
            "not a web address",
        ),
        ('{"issuers": [{"identifiers": ["x"]}]}', "needs a name"),
        ('{"issuers": [{"name": "A", "identifiers": ["x"]}, 3]}', "Entry 2"),
    ],
)
def test_the_registry_import_rejects_a_bad_file_and_saves_nothing(tmp_path, content, message):
    path = tmp_path / "issuers.json"
    path.write_text(content)
    with pytest.raises(CommandError) as refused:
        call_command("import_trusted_issuers", str(path))
    assert message in str(refused.value)
    assert TrustedIssuer.objects.count() == 0


def test_a_trusted_registry_entry_turns_the_issuer_check_into_a_pass(learner):
    issuer = did_key_issuer()
    TrustedIssuer.objects.create(name="Example University", identifiers=[issuer.id])
    data = json.dumps(issuer.signed()).encode()
    credential = import_credential(
        learner=learner, data=data, source=CredentialSource.PASTE
    ).created[0]
    check = next(c for c in credential.checks if c["name"] == "issuer")
    assert check["status"] == "passed"
    assert "trusted issuer" in check["message"]


def test_login_rate_limits_are_audited(learner):
    client = Client()
    for attempt in range(6):
        client.post(reverse("account_login"), {"login": learner.email, "password": f"bad{attempt}"})
    assert AuditEvent.objects.filter(action=AccountAction.LOGIN_RATE_LIMITED).exists()


def test_no_audit_entry_holds_a_secret(learner, django_capture_on_commit_callbacks):
    client = Client()
    client.post(reverse("account_login"), {"login": learner.email, "password": "hunter2-secret"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": learner.email})
    for event in AuditEvent.objects.all():
        text = f"{event.detail} {event.target_id} {event.actor_ref}"
        assert "hunter2" not in text
        assert "@" not in text


def test_api_tokens_show_no_hash_and_can_be_revoked(admin_client_, learner):
    from wallet.models import ApiToken
    from wallet.tokens import create_api_token

    created = create_api_token(owner=learner, name="Nightly")
    token = ApiToken.objects.get()
    page = admin_client_.get(reverse("admin:wallet_apitoken_change", args=[token.pk])).text
    assert token.token_hash not in page
    assert created.token not in page
    admin_client_.post(
        reverse("admin:wallet_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_credentials_page_reads_its_checks_and_cannot_be_saved(admin_client_, learner):
    credential = stored(learner)
    url = reverse("admin:credentials_credential_change", args=[credential.pk])
    page = admin_client_.get(url).text
    assert "<th scope='row'>Proof</th><td>Passed</td><td><code>ok</code></td>" in page
    assert "message_source" not in page
    assert 'name="_save"' not in page
    assert "View on site" not in page
    french = admin_client_.get(url, HTTP_ACCEPT_LANGUAGE="fr-CA").text
    assert "La signature est valide" in french


def test_an_import_jobs_credentials_are_listed_never_offered(admin_client_, learner, other_learner):
    mine, theirs = stored(learner, name="Welding"), stored(other_learner, name="Plumbing")
    job = ImportJob.objects.create(owner=learner, url="https://issuer.example/badge.json")
    job.credentials.add(mine)
    page = admin_client_.get(reverse("admin:credentials_importjob_change", args=[job.pk])).text
    assert 'name="credentials"' not in page
    assert str(mine) in page
    assert str(theirs) not in page


def test_failed_exports_and_transcripts_can_be_looked_into(admin_client_, learner):
    ExportJob.objects.create(owner=learner, status=JobStatus.FAILED, error="Disk full")
    link = make_link(learner, [stored(learner, subject_id=f"mailto:{learner.email}")])
    Transcript.objects.create(link=link, status=JobStatus.FAILED, error="Font missing")
    exports = admin_client_.get(reverse("admin:wallet_exportjob_changelist")).text
    transcripts = admin_client_.get(reverse("admin:sharing_transcript_changelist")).text
    assert "Disk full" in exports and learner.email in exports
    assert "Font missing" in transcripts and learner.email in transcripts


def test_account_actions_count_only_the_accounts_they_changed(admin_client_, learner):
    changelist = reverse("admin:wallet_user_changelist")
    action = {"action": "disable_accounts", "_selected_action": [learner.pk]}
    assert "1 account disabled." in admin_client_.post(changelist, action, follow=True).text
    assert "0 accounts disabled." in admin_client_.post(changelist, action, follow=True).text
    reset = {"action": "reset_mfa", "_selected_action": [learner.pk]}
    page = admin_client_.post(changelist, reset, follow=True).text
    assert "Two-factor authentication reset for 0 accounts." in page


def test_the_audit_trail_names_who_and_what_plainly(admin_client_, learner, admin_user):
    record_audit_event(action=AccountAction.LOGIN, actor=learner, target=learner)
    record_audit_event(
        action=AccountAction.LOGIN_RATE_LIMITED, detail=i18n.gettext("Too many failed logins")
    )
    page = admin_client_.get(reverse("admin:credentials_auditevent_changelist")).text
    assert f'<td class="field-actor_shown">{learner.email}</td>' in page
    assert "the service" in page
    assert '<td class="field-target_kind">user</td>' in page
    assert "wallet.user</td>" not in page
