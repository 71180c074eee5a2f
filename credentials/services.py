"""State changes owned by the credentials app."""

import logging

from django.db import models

from credentials.models import AuditAction, AuditEvent

logger = logging.getLogger(__name__)


def record_audit_event(
    *,
    action: AuditAction,
    actor: models.Model | None = None,
    target: models.Model | None = None,
    detail: str = "",
) -> AuditEvent:
    """Append one audit event; callers never pass secrets in `detail`."""
    target_type = target._meta.label_lower if target is not None else ""
    target_id = str(getattr(target, "uuid", None) or getattr(target, "pk", "")) if target else ""
    event = AuditEvent.objects.create(
        action=action,
        actor=actor if actor is not None and actor.pk else None,
        target_type=target_type,
        target_id=target_id,
        detail=detail[:300],
    )
    logger.info("audit action=%s target=%s:%s", action, target_type, target_id)
    return event
