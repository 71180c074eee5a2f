"""Every state change of connected platforms: consent, refusal, delivery, disconnection."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credentials import i18n
from credentials.models import Credential, CredentialSource
from credentials.services import record_audit_event
from credentials.services.replace import read_one, replace_credential
from wallet.audit import AccountAction
from wallet.curation_services import index_credentials
from wallet.hostapi import scopes
from wallet.hostapi.models import (
    Delivery,
    DeliveryKind,
    PlatformClient,
    PlatformConnection,
    ProfileSuggestion,
)
from wallet.imports import import_credentials_for
from wallet.models import Wallet
from wallet.services import update_profile

# A delivery says it is an OB 3.0 credential or a CLR by its type.
KIND_TYPES = {
    DeliveryKind.OB: {"OpenBadgeCredential", "AchievementCredential"},
    DeliveryKind.CLR: {"ClrCredential"},
}


class NotAllowed(Exception):
    """The platform may not do this (replace another platform's credential)."""


def grant_consent(
    *, learner: models.Model, client: PlatformClient, scope: str, reads_all: bool
) -> PlatformConnection:
    """Record the learner's consent for a platform, widening an active connection's scopes."""
    granted = client.get_allowed_scope(scope)
    with transaction.atomic():
        connection = (
            PlatformConnection.objects.select_for_update()
            .owned_by(learner)
            .active()
            .filter(client=client)
            .first()
        )
        if connection is None:
            connection = PlatformConnection(owner=learner, client=client)
        connection.scope = " ".join(scopes.split(f"{connection.scope} {granted}"))
        connection.reads_all = reads_all
        connection.save()
        if client.first_consent_at is None:
            PlatformClient.objects.filter(pk=client.pk).update(first_consent_at=timezone.now())
        record_audit_event(
            action=AccountAction.PLATFORM_CONSENTED,
            actor=learner,
            target=connection,
            detail=i18n.gettext("%(name)s (%(host)s)") % {"name": client.name, "host": client.host},
        )
    return connection


def refuse_consent(*, learner: models.Model, client: PlatformClient) -> None:
    """Record that the learner refused a platform's request."""
    record_audit_event(
        action=AccountAction.PLATFORM_REFUSED,
        actor=learner,
        target=client,
        detail=i18n.gettext("%(name)s (%(host)s)") % {"name": client.name, "host": client.host},
    )


def disconnect_platform(*, connection: PlatformConnection, actor: models.Model) -> None:
    """Stop a platform at once: its tokens and codes stop working; what it delivered stays."""
    with transaction.atomic():
        updated = PlatformConnection.objects.filter(
            pk=connection.pk, disconnected_at__isnull=True
        ).update(disconnected_at=timezone.now())
        if not updated:
            return
        connection.tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        connection.codes.all().delete()
        record_audit_event(
            action=AccountAction.PLATFORM_DISCONNECTED,
            actor=actor,
            target=connection,
            detail=i18n.gettext("%(name)s (%(host)s)")
            % {"name": connection.client.name, "host": connection.client.host},
        )


@dataclass(frozen=True)
class DeliveryOutcome:
    credential: Credential
    is_new: bool


def _refs(data: bytes, kind: DeliveryKind) -> tuple[str, str]:
    """The issuer id and credential id a delivery names, before anything is verified."""
    parsed = read_one(data)
    document = parsed.document
    types = document.get("type") or []
    types = {types} if isinstance(types, str) else set(types)
    if not types & KIND_TYPES[kind]:
        expected = "ClrCredential" if kind == DeliveryKind.CLR else "OpenBadgeCredential"
        raise ValidationError(
            _("This endpoint takes a %(type)s.") % {"type": expected}, code="wrong_type"
        )
    issuer = document.get("issuer")
    issuer_ref = issuer.get("id") if isinstance(issuer, dict) else issuer
    credential_ref = document.get("id")
    if not isinstance(issuer_ref, str) or not isinstance(credential_ref, str):
        raise ValidationError(
            _("The credential needs an id and an issuer with an id."), code="no_id"
        )
    return issuer_ref[:2000], credential_ref[:2000]


def deliver_credential(
    *, connection: PlatformConnection, data: bytes, kind: DeliveryKind
) -> DeliveryOutcome:
    """Store a credential a platform sends, or replace the one it sent before with the same ids.

    Runs the one import service; a credential that cannot be read or fails verification is
    refused with the reason and nothing is stored.
    """
    learner, client = connection.owner, connection.client
    try:
        issuer_ref, credential_ref = _refs(data, kind)
        earlier = (
            Delivery.objects.select_related("credential", "client")
            .filter(
                credential__owner=learner,
                issuer_ref=issuer_ref,
                credential_ref=credential_ref,
            )
            .first()
        )
        if earlier is not None and earlier.client_id != client.pk:
            raise NotAllowed(
                _("Another platform delivered this credential; only it can replace it.")
            )
        if earlier is not None:
            outcome = _replace(earlier, data=data, client=client)
        else:
            outcome = _create(learner, client, data, kind, issuer_ref, credential_ref)
    except (ValidationError, NotAllowed) as exc:
        reason = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        record_audit_event(
            action=AccountAction.PLATFORM_DELIVERY_REFUSED,
            actor=learner,
            target=connection,
            detail=i18n.gettext("%(name)s: %(reason)s")
            % {"name": client.name, "reason": reason[:200]},
        )
        raise
    PlatformConnection.objects.filter(pk=connection.pk).update(last_used_at=timezone.now())
    return outcome


def _create(
    learner: models.Model,
    client: PlatformClient,
    data: bytes,
    kind: DeliveryKind,
    issuer_ref: str,
    credential_ref: str,
) -> DeliveryOutcome:
    with transaction.atomic():
        imported = import_credentials_for(
            learner=learner,
            data=data,
            source=CredentialSource.PLATFORM,
            source_url=client.client_uri,
            refuse_failed=True,
        )
        credential = imported.created[0]
        Delivery.objects.create(
            credential=credential,
            client=client,
            platform_name=client.name,
            platform_host=client.host,
            kind=kind,
            issuer_ref=issuer_ref,
            credential_ref=credential_ref,
        )
        record_audit_event(
            action=AccountAction.PLATFORM_DELIVERED,
            actor=learner,
            target=credential,
            detail=i18n.gettext("%(name)s (%(host)s)") % {"name": client.name, "host": client.host},
        )
    return DeliveryOutcome(credential=credential, is_new=True)


def _replace(earlier: Delivery, *, data: bytes, client: PlatformClient) -> DeliveryOutcome:
    with transaction.atomic():
        credential = replace_credential(
            credential=earlier.credential,
            data=data,
            source=CredentialSource.PLATFORM,
            source_url=client.client_uri,
        )
        Delivery.objects.filter(pk=earlier.pk).update(
            replaced_at=timezone.now(), updated_at=timezone.now()
        )
        index_credentials(credentials=[credential])
        record_audit_event(
            action=AccountAction.PLATFORM_REPLACED,
            actor=credential.owner,
            target=credential,
            detail=i18n.gettext("%(name)s (%(host)s)") % {"name": client.name, "host": client.host},
        )
    return DeliveryOutcome(credential=credential, is_new=False)


def as_delivered(credential: Credential) -> dict | str:
    """The credential as it arrived: its compact JWS, or its JSON (also when it was baked)."""
    if credential.original_content_type == "application/jwt":
        with credential.original.open("rb") as handle:
            return handle.read().decode("ascii", errors="replace").strip()
    return credential.document


def suggest_profile(
    *, connection: PlatformConnection, name: str, description: str
) -> ProfileSuggestion:
    """Keep a platform's profile change for the learner to review; nothing shows it yet."""
    name = " ".join(name.split())
    description = description.strip()
    if len(name) > 120 or len(description) > 2000:
        raise ValidationError(
            _("Keep the name under 120 characters and the description under 2000."),
            code="too_long",
        )
    if not name and not description:
        raise ValidationError(_("Send a name or a description."), code="empty")
    with transaction.atomic():
        suggestion, _created = ProfileSuggestion.objects.update_or_create(
            connection=connection, defaults={"name": name, "description": description}
        )
        record_audit_event(
            action=AccountAction.PLATFORM_PROFILE_SUGGESTED,
            actor=connection.owner,
            target=connection,
            detail=i18n.gettext("%(name)s (%(host)s)")
            % {"name": connection.client.name, "host": connection.client.host},
        )
    return suggestion


def apply_profile_suggestion(*, suggestion: ProfileSuggestion, actor: models.Model) -> Wallet:
    """Apply the parts of a platform's profile change it sent; the rest stays as it was."""
    wallet = Wallet.objects.get(user=suggestion.connection.owner)
    with transaction.atomic():
        wallet = update_profile(
            wallet=wallet,
            display_name=suggestion.name or wallet.display_name,
            headline=wallet.headline,
            bio=suggestion.description or wallet.bio,
        )
        record_audit_event(
            action=AccountAction.PLATFORM_PROFILE_APPLIED,
            actor=actor,
            target=suggestion.connection,
            detail=i18n.gettext("%(name)s (%(host)s)")
            % {
                "name": suggestion.connection.client.name,
                "host": suggestion.connection.client.host,
            },
        )
        suggestion.delete()
    return wallet


def dismiss_profile_suggestion(*, suggestion: ProfileSuggestion) -> None:
    """Drop a platform's profile change without applying it."""
    suggestion.delete()
