"""The account history reads each entry in the learner's language, never admin shorthand."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import strip_tags

from credentials.models import AuditAction
from credentials.services import record_audit_event

pytestmark = pytest.mark.django_db

HISTORY = reverse("wallet:account_history")

ENTRIES = [
    (AuditAction.CREDENTIAL_IMPORTED, "ob3-vc via upload"),
    (AuditAction.CREDENTIAL_IMPORTED, "self-reported"),
    (AuditAction.CREDENTIAL_REVERIFIED, "verified_with_warnings"),
    (AuditAction.CREDENTIAL_HIDDEN, "shown"),
    (AuditAction.SHARE_LINK_CREATED, "2 credentials, 1 collections, 0 skills, passcode on"),
    (AuditAction.SHARE_LINK_CHANGED, "expiry 2027-02-26"),
    (AuditAction.TOKEN_CREATED, "read_write, expires 2027-01-31"),
    (AuditAction.MFA_RESET, "1 removed"),
    (AuditAction.LOGIN_RATE_LIMITED, "failed logins"),
]

ENGLISH = [
    "Open Badges 3.0 / Verifiable Credential (file upload)",
    "Self-reported",
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


@pytest.mark.parametrize(("accept", "expected"), [("en-CA", ENGLISH), ("fr-CA", FRENCH)])
def test_each_entry_reads_as_a_phrase_in_the_learners_language(learner, accept, expected):
    for action, detail in ENTRIES:
        record_audit_event(action=action, actor=learner, target=learner, detail=detail)
    page = history_text(learner, HTTP_ACCEPT_LANGUAGE=accept)
    for phrase in expected:
        assert phrase in page
    for shorthand in ["ob3-vc", "via upload", "1 collections", "read_write", "failed logins"]:
        assert shorthand not in page


def test_a_detail_it_cannot_read_shows_nothing_rather_than_shorthand(learner):
    record_audit_event(
        action=AuditAction.SHARE_LINK_CHANGED, actor=learner, detail="expiry 2027-13-45"
    )
    record_audit_event(action=AuditAction.CREDENTIAL_IMPORTED, actor=learner, detail="<b>odd")
    page = history_text(learner)
    assert "2027-13-45" not in page
    assert "odd" not in page
    assert "Share link changed" in page


def test_a_verdict_reads_in_english_too(learner):
    record_audit_event(action=AuditAction.CREDENTIAL_REVERIFIED, actor=learner, detail="verified")
    client = Client()
    client.force_login(learner)
    assert '<td data-label="Details">Verified</td>' in client.get(HISTORY).text
