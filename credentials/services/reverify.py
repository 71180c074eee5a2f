"""Verifying stored credentials again, and telling the learner what changed."""

import logging
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credentials import i18n
from credentials.audit import AuditAction, record_audit_event
from credentials.changes import credential_changed
from credentials.fetcher import one_fetch_per_url
from credentials.formats import read_credentials
from credentials.formats.base import CredentialFormatError
from credentials.mail import mail_learner
from credentials.models import Credential
from credentials.services.duplicates import claim_id
from credentials.services.imports import recipient_context_for
from credentials.services.results import (
    RESULT_FIELDS,
    apply_result,
    could_not_run,
    fingerprint_for,
    proof_passed,
)
from credentials.verification.engine import VerificationResult, verify
from credentials.verification.verdict import Verdict

logger = logging.getLogger(__name__)

NOTIFY_VERDICTS = {Verdict.REVOKED, Verdict.EXPIRED}


def reverify_credential(
    *, credential: Credential, actor: models.Model | None = None, now: datetime | None = None
) -> Credential:
    """Verify a stored credential again from its original bytes and record the result."""
    if credential.is_self_reported:
        raise ValidationError(_("Self-reported learning is not verified."), code="self_reported")
    top = credential.parent or credential
    try:
        with top.original.open("rb") as handle:
            data = handle.read()
        found = read_credentials(data, filename=top.original_name)
        parsed = next((p for p in found if p.index == top.position), found[0])
        result = verify(parsed, recipient=recipient_context_for(top.owner), now=now)
    except Exception as exc:
        # Whatever stopped the check, the verdict it had stands, marked as not checked again.
        reason = exc.reason if isinstance(exc, CredentialFormatError) else str(exc)
        _record_recheck_failure(
            [top, *top.children.all()], reason={"message": reason[:500]}, at=now
        )
        if isinstance(exc, CredentialFormatError):
            raise ValidationError(exc.reason, code="unreadable") from exc
        raise
    with transaction.atomic():
        changed = _record_result(top, result)
        for child, child_result in zip(
            top.children.order_by("position"), result.children, strict=False
        ):
            changed += _record_result(child, child_result)
        if top.parent_id is None and proof_passed(result):
            claim_id(top, fingerprint_for(result, original_sha256=top.original_sha256))
        record_audit_event(
            action=AuditAction.CREDENTIAL_REVERIFIED,
            actor=actor,
            target=top,
            detail=i18n.label(Verdict(top.verdict).label),
        )
        credential_changed(credential=top)
        if changed:
            _notify_verdict_changes(top.owner, changed)
    credential.refresh_from_db()
    return credential


def _record_recheck_failure(
    credentials: list[Credential], *, reason: dict[str, Any], at: datetime | None
) -> None:
    """Keep each credential's verdict and checks, and say since when and why no check ran."""
    when = at or timezone.now()
    for credential in credentials:
        credential.recheck_failed_at = credential.recheck_failed_at or when
        credential.recheck_error = reason
        credential.recheck_failures += 1
        credential.save(
            update_fields=["recheck_failed_at", "recheck_error", "recheck_failures", "updated_at"]
        )


def _transient_reason(result: VerificationResult) -> dict[str, Any]:
    """The first check that could not run, as the page shows it again in its reader's language."""
    check = next((check for check in result.checks if check.is_transient), None)
    if check is None:
        return {"message": str(result.message)[:500]}
    data = check.as_dict()
    return {"message": data["message"][:500], "message_source": data["message_source"]}


def _record_result(credential: Credential, result: VerificationResult) -> list[Credential]:
    if could_not_run(result):
        if credential.last_verified_at is None:
            # No check ever ran to the end: there is no verdict to keep, show the newer one.
            apply_result(credential, result)
            credential.save(update_fields=[*RESULT_FIELDS, "verified_at", "updated_at"])
        _record_recheck_failure(
            [credential], reason=_transient_reason(result), at=result.verified_at
        )
        return []
    previous = credential.verdict
    apply_result(credential, result)
    fields = ["verdict", "verdict_message", "checks", "recipient_code", "verified_at", "updated_at"]
    fields += ["last_verified_at", "recheck_failed_at", "recheck_error", "recheck_failures"]
    changed = []
    if credential.verdict != previous:
        credential.verdict_changed_at = result.verified_at
        fields.append("verdict_changed_at")
        if credential.verdict in NOTIFY_VERDICTS:
            credential.has_unseen_change = True
            fields.append("has_unseen_change")
            changed.append(credential)
    credential.save(update_fields=fields)
    return changed


def _notify_verdict_changes(learner: models.Model, changed: list[Credential]) -> None:
    mail_learner(
        learner=learner,
        templates="credentials/email/verdict_changed",
        context=lambda: {
            "credentials": changed,
            "items": [
                {
                    "name": credential.name,
                    "issuer": credential.issuer_name,
                    "explanation": credential.verdict_explanation,
                    "url": f"{settings.SITE_URL}{credential.get_absolute_url()}",
                }
                for credential in changed
            ],
            "site_url": settings.SITE_URL,
        },
    )


def reverify_all(*, now: datetime | None = None) -> int:
    """Verify every stored credential again; each remote URL is fetched once per run."""
    count = 0
    with one_fetch_per_url():
        for credential in (
            Credential.objects.top_level()
            .verifiable()
            .select_related("owner")
            .order_by("verified_at")
            .iterator(chunk_size=200)
        ):
            try:
                reverify_credential(credential=credential, now=now)
            except Exception as exc:  # one credential's failure must not stop the others
                # reverify_credential recorded it on the row; the verdict stands, marked.
                logger.warning("re-verification of %s could not run: %s", credential.uuid, exc)
                continue
            count += 1
    return count


def queue_recheck(credential_id: int) -> None:
    """After the transaction commits, queue a background re-check of one credential.

    A broker that cannot take the message must never undo what the caller changed: the
    nightly run re-checks every credential anyway.
    """
    transaction.on_commit(lambda: _send_reverify(credential_id))


def _send_reverify(credential_id: int) -> None:
    # Imported here: the tasks module imports these services.
    from credentials.tasks import reverify_credential_task

    try:
        reverify_credential_task.delay(credential_id)
    except Exception as exc:  # any broker failure, as the docstring says
        logger.warning("could not queue a re-check of credential %s: %s", credential_id, exc)
