"""The account history reads each entry in the learner's language, never admin shorthand."""

from datetime import UTC, datetime

import pytest
from django.db.migrations.loader import MigrationLoader
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags

from credentials import i18n
from credentials.audit import AuditAction, audit_action_choices
from credentials.models import FORMAT_CHOICES, AuditEvent, CredentialSource
from credentials.services import record_audit_event
from credentials.verification.verdict import Verdict
from sharing.audit import ShareLinkAction
from wallet.audit import AccountAction
from wallet.models import ApiTokenScope

pytestmark = pytest.mark.django_db

HISTORY = reverse("wallet:account_history")


def entries() -> list[tuple[str, i18n.Message]]:
    """Details built the way the services build them, in whatever language is active."""
    formats = dict(FORMAT_CHOICES)
    selection = [
        i18n.ngettext("%(count)d credential", "%(count)d credentials", 2) % {"count": 2},
        i18n.ngettext("%(count)d collection", "%(count)d collections", 1) % {"count": 1},
    ]
    return [
        (
            AuditAction.CREDENTIAL_IMPORTED,
            i18n.gettext("%(format)s (%(source)s)")
            % {
                "format": i18n.label(formats["ob3-vc"]),
                "source": i18n.label(CredentialSource.UPLOAD.label),
            },
        ),
        (AuditAction.CREDENTIAL_IMPORTED, i18n.label(formats["self-reported"])),
        (AuditAction.CREDENTIAL_DELETED, i18n.label(formats["blockcerts"])),
        (AuditAction.CREDENTIAL_REVERIFIED, i18n.label(Verdict.VERIFIED_WITH_WARNINGS.label)),
        (AccountAction.CREDENTIAL_HIDDEN, i18n.gettext("Shown again")),
        (
            ShareLinkAction.SHARE_LINK_CREATED,
            i18n.gettext("Shows %(what)s; passcode on") % {"what": i18n.Joined(selection)},
        ),
        (
            ShareLinkAction.SHARE_LINK_CHANGED,
            i18n.gettext("Now expires on %(date)s")
            % {"date": i18n.When(datetime(2027, 2, 26, 12, tzinfo=UTC))},
        ),
        (
            AccountAction.TOKEN_CREATED,
            i18n.gettext("%(access)s, expires on %(date)s")
            % {
                "access": i18n.label(ApiTokenScope.READ_WRITE.label),
                "date": i18n.When(datetime(2027, 1, 31, 12, tzinfo=UTC)),
            },
        ),
        (
            AccountAction.MFA_RESET,
            i18n.ngettext("%(count)d authenticator removed", "%(count)d authenticators removed", 1)
            % {"count": 1},
        ),
    ]


ENGLISH = [
    "Open Badges 3.0 / Verifiable Credential (file upload)",
    "Self-reported",
    "Blockcerts",
    "Verified with warnings",
    "Shown again",
    "Shows 2 credentials, 1 collection; passcode on",
    "Now expires on Feb. 26, 2027",
    "Read and write, expires on Jan. 31, 2027",
    "1 authenticator removed",
]

FRENCH = [
    "Open Badges 3.0 / attestation vérifiable (téléversement de fichier)",
    "Autodéclaré",
    "Blockcerts",
    "Vérifié avec avertissements",
    "Affiché de nouveau",
    "Affiche 2 titres, 1 collection; code d’accès activé",
    "Expire maintenant le 26 février 2027",
    "Lecture et écriture, expire le 31 janvier 2027",
    "1 authentificateur supprimé",
]


def history_text(learner, **headers) -> str:
    client = Client()
    client.force_login(learner)
    return " ".join(strip_tags(client.get(HISTORY, **headers).text).split())


@pytest.mark.parametrize("writer_language", ["en", "fr-ca"])
@pytest.mark.parametrize(("accept", "expected"), [("en-CA", ENGLISH), ("fr-CA", FRENCH)])
def test_each_entry_reads_in_the_readers_language_whatever_the_writers(
    learner, writer_language, accept, expected
):
    with translation.override(writer_language):
        for action, detail in entries():
            record_audit_event(action=action, actor=learner, target=learner, detail=detail)
    page = history_text(learner, HTTP_ACCEPT_LANGUAGE=accept)
    for phrase in expected:
        assert phrase in page
    for shorthand in ["ob3-vc", "via upload", "1 collections", "read_write", "msgid"]:
        assert shorthand not in page


def test_admins_read_the_detail_in_english_whatever_the_writers_language(learner):
    with translation.override("fr-ca"):
        action, detail = entries()[5]
        event = record_audit_event(action=action, actor=learner, detail=detail)
    assert event.detail == "Shows 2 credentials, 1 collection; passcode on"
    assert event.detail_data["msgid"] == "Shows %(what)s; passcode on"


def test_an_old_free_text_row_shows_its_action_and_nothing_of_its_shorthand(learner):
    AuditEvent.objects.create(
        action=ShareLinkAction.SHARE_LINK_CHANGED,
        actor=learner,
        detail="2 credentials, 1 collections, 0 skills, passcode on",
    )
    AuditEvent.objects.create(action=AuditAction.CREDENTIAL_IMPORTED, actor=learner, detail="odd")
    page = history_text(learner)
    assert "Share link changed" in page
    assert "Credential imported" in page
    assert "1 collections" not in page
    assert "odd" not in page
    assert "Lien de partage modifié" in history_text(learner, HTTP_ACCEPT_LANGUAGE="fr-CA")


def test_a_detail_it_cannot_read_shows_nothing_rather_than_shorthand(learner):
    AuditEvent.objects.create(
        action=ShareLinkAction.SHARE_LINK_CHANGED,
        actor=learner,
        detail="expiry 2027-13-45",
        detail_data={"msgid": "Now expires on %(date)s", "params": {"date": {"date": "2027-13"}}},
    )
    page = history_text(learner)
    assert "2027-13" not in page
    assert "Share link changed" in page


def test_a_verdict_reads_in_english_too(learner):
    record_audit_event(
        action=AuditAction.CREDENTIAL_REVERIFIED,
        actor=learner,
        detail=i18n.label(Verdict.VERIFIED.label),
    )
    client = Client()
    client.force_login(learner)
    assert '<td data-label="Details">Verified</td>' in client.get(HISTORY).text


def test_an_action_registered_by_sharing_needs_no_credentials_migration(learner):
    event = record_audit_event(action=ShareLinkAction.PASSCODE_LOCKOUT, actor=learner)
    event.full_clean()
    assert (ShareLinkAction.PASSCODE_LOCKOUT, ShareLinkAction.PASSCODE_LOCKOUT.label) in (
        audit_action_choices()
    )
    # The migrations hold the registry's callable, never the list of actions.
    state = MigrationLoader(None, ignore_no_migrations=True).project_state()
    field = state.models["credentials", "auditevent"].fields["action"]
    assert field.choices == [] or callable(getattr(field.choices, "func", field.choices))
    assert "share_link" not in repr(field.deconstruct())


def test_an_action_no_app_registered_is_refused(learner):
    with pytest.raises(ValueError, match="unregistered"):
        record_audit_event(action="share_link.teleported", actor=learner)
