"""Audit events: the actions every app may record, and the one way to record them.

`credentials` is the bottom app, so it cannot list the actions of the apps above
it. Each app registers its own `TextChoices` in `AppConfig.ready()`; the
`action` column takes its choices from this registry through a callable, so a
new action in any app needs no migration here.
"""

import logging
from typing import TYPE_CHECKING

from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from credentials import i18n
from credentials.i18n import Message, source_of

if TYPE_CHECKING:
    from credentials.models import AuditEvent

logger = logging.getLogger(__name__)


class AuditActionRegistry:
    """The audit actions every installed app registered, with their translated labels."""

    def __init__(self) -> None:
        self._labels: dict[str, str | Promise] = {}

    def register(self, actions: type[models.TextChoices]) -> None:
        for action in actions:
            known = self._labels.get(action.value)
            if known is not None and str(known) != str(action.label):
                raise ValueError(f"audit action {action.value!r} is registered twice")
            self._labels[action.value] = action.label

    def __contains__(self, value: object) -> bool:
        return value in self._labels

    def label(self, value: str) -> str:
        """The label of `value` in the active language, or the value itself when unknown."""
        return str(self._labels.get(value, value))

    def choices(self) -> list[tuple[str, str | Promise]]:
        return list(self._labels.items())


AUDIT_ACTIONS = AuditActionRegistry()


def audit_action_choices() -> list[tuple[str, str | Promise]]:
    """The `choices` of `AuditEvent.action`: a callable, so migrations never list them."""
    return AUDIT_ACTIONS.choices()


class AuditAction(models.TextChoices):
    """The actions credentials records; the apps above register their own."""

    CREDENTIAL_IMPORTED = "credential.imported", _("Credential imported")
    CREDENTIAL_DELETED = "credential.deleted", _("Credential deleted")
    CREDENTIAL_REVERIFIED = "credential.reverified", _("Credential verified again")
    ADMIN_CHANGE = "admin.change", _("Changed in admin")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def about(self, user: models.Model) -> "AuditEventQuerySet":
        """What the user did, and what was done to their account."""
        return self.filter(
            models.Q(actor=user)
            | models.Q(target_type=user._meta.label_lower, target_id=str(user.uuid))
        )


AUDIT_ACTIONS.register(AuditAction)


def record_audit_event(
    *,
    action: str,
    actor: models.Model | None = None,
    target: models.Model | None = None,
    detail: Message | None = None,
) -> "AuditEvent":
    """Append one audit event; callers never pass secrets in `detail`.

    `detail` is built with `credentials.i18n`: its source (message id and
    parameters) is kept for the learner's history, in their language; its English
    text for admins.
    """
    # Imported here: the model takes its `choices` from this module.
    from credentials.models import AuditEvent

    if action not in AUDIT_ACTIONS:
        raise ValueError(f"unregistered audit action {action!r}")
    if detail is not None and not isinstance(detail, Message):
        # Plain text could not be shown in the reader's language: build it with `i18n`.
        raise TypeError("an audit detail is a credentials.i18n message")
    detail_data = source_of(detail) or {}
    with translation.override("en"):
        text = i18n.render(detail_data, stored_text=False) or "" if detail_data else ""
    target_type = target._meta.label_lower if target is not None else ""
    target_id = str(getattr(target, "uuid", None) or getattr(target, "pk", "")) if target else ""
    event = AuditEvent.objects.create(
        action=action,
        actor=actor if actor is not None and actor.pk else None,
        target_type=target_type,
        target_id=target_id,
        detail=text[:300],
        detail_data=detail_data,
    )
    logger.info("audit action=%s target=%s:%s", action, target_type, target_id)
    return event


def describe(event: "AuditEvent") -> str:
    """The event's detail in the active language; "" for a row written before details had
    a message id (its action label still says what happened)."""
    return i18n.render(event.detail_data, stored_text=False) or ""
