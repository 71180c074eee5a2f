"""The registries the site trusts: its own trusted issuers, by hand or from a file, and the
external registries it fetches by URL. Any change re-verifies the credentials it affects."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credentials import i18n
from credentials.audit import AuditAction
from credentials.fetcher import FetchError, fetch_json
from credentials.formats import safejson
from credentials.formats.base import CredentialFormatError
from credentials.models import Credential, IssuerRegistry, TrustedIssuer
from credentials.services import queue_recheck, record_audit_event
from credentials.verification.checks import CheckName
from credentials.verification.registries import (
    domain_of,
    is_within,
    name_key,
    parse_dcc_registry,
)

logger = logging.getLogger(__name__)


@dataclass
class RegistryChange:
    """What a registry change touched: names, identifiers and domains, before and after."""

    names: set[str] = field(default_factory=set)
    identifiers: set[str] = field(default_factory=set)
    domains: set[str] = field(default_factory=set)

    def add(self, name: str, identifiers: Iterable[str], websites: Iterable[str] = ()) -> None:
        """Count one entry, as it was or as it is now."""
        if name_key(name):
            self.names.add(name_key(name))
        self.identifiers |= {item for item in identifiers if item}
        self.domains |= {domain_of(item) for item in [*websites, *identifiers]} - {""}

    def add_issuer(self, issuer: TrustedIssuer) -> None:
        """Count a trusted issuer, as it is now."""
        self.add(issuer.name, issuer.identifiers or [], [issuer.homepage])

    def add_registry_entries(self, entries: Any) -> None:
        """Count every entry of an external registry's copy."""
        for identifier, entry in (entries or {}).items() if isinstance(entries, dict) else []:
            if isinstance(entry, dict):
                self.add(str(entry.get("name") or ""), [identifier], [str(entry.get("url") or "")])

    def __bool__(self) -> bool:
        return bool(self.names or self.identifiers or self.domains)

    def touches(self, credential: Credential) -> bool:
        """Whether the credential's stored issuer or key is among what changed."""
        details: dict[str, Any] = {}
        for check in credential.checks if isinstance(credential.checks, list) else []:
            if isinstance(check, dict) and check.get("name") == CheckName.ISSUER:
                details = check.get("details") if isinstance(check.get("details"), dict) else {}
        identifiers = {
            credential.issuer_id,
            *(str(details.get(name) or "") for name in ("issuer_id", "key_id", "key_controller")),
        } - {""}
        if identifiers & self.identifiers:
            return True
        names = {name_key(credential.issuer_name), name_key(str(details.get("issuer_name") or ""))}
        if names & self.names:
            return True
        domains = {
            domain_of(value)
            for value in (credential.issuer_id, details.get("issuer_url"), details.get("issuer_id"))
        } | {str(details.get("domain") or "")}
        return any(is_within(mine, theirs) for mine in domains - {""} for theirs in self.domains)


def queue_reverification(*, change: RegistryChange) -> list[int]:
    """Queue, once committed, a re-verification of every credential the change touches.

    "Touches" is read from what each credential's stored issuer check recorded: its issuer
    id, key and key controller among the changed identifiers, its issuer's name (normalised
    as for impersonation) among the changed names, or its domains under a changed domain.
    """
    if not change:
        return []
    rows = (
        Credential.objects.verifiable()
        .only("pk", "parent_id", "issuer_id", "issuer_name", "checks")
        .iterator(chunk_size=500)
    )
    # A credential inside a record is verified again with the record it came in.
    queued = sorted({row.parent_id or row.pk for row in rows if change.touches(row)})
    for credential_id in queued:
        queue_recheck(credential_id)
    return queued


def refresh_issuer_registry(*, registry: IssuerRegistry) -> IssuerRegistry:
    """Fetch an external registry again and keep its entries; an error keeps the old ones.

    The registry is in the Digital Credentials Consortium's format:
    {"meta": {...}, "registry": {"<did>": {"name", "location", "url"}}}.
    """
    try:
        entries = parse_dcc_registry(fetch_json(registry.url))
    except (FetchError, ValueError) as exc:
        # An outage must not drop the issuers it vouches for: the last copy stands.
        registry.last_error = str(getattr(exc, "reason", exc))[:500]
        registry.save(update_fields=["last_error", "updated_at"])
        return registry
    with transaction.atomic():
        old = registry.entries if isinstance(registry.entries, dict) else {}
        changed = {key for key in set(old) | set(entries) if old.get(key) != entries.get(key)}
        change = RegistryChange()
        change.add_registry_entries({key: old[key] for key in changed if key in old})
        change.add_registry_entries({key: entries[key] for key in changed if key in entries})
        registry.entries = entries
        registry.last_fetched_at = timezone.now()
        registry.last_error = ""
        registry.save(update_fields=["entries", "last_fetched_at", "last_error", "updated_at"])
        if change:
            record_audit_event(
                action=AuditAction.ADMIN_CHANGE,
                target=registry,
                detail=i18n.gettext("registry refresh"),
            )
            if registry.is_active:
                queue_reverification(change=change)
    return registry


def refresh_issuer_registries() -> int:
    """Refresh every active external registry; returns how many were fetched without error."""
    count = 0
    for registry in IssuerRegistry.objects.active():
        if not refresh_issuer_registry(registry=registry).last_error:
            count += 1
    return count


def set_issuers_trusted(*, issuers: Any, is_trusted: bool, actor: models.Model) -> int:
    """Add issuers to, or take them out of, the trusted-issuer registry."""
    change = RegistryChange()
    with transaction.atomic():
        count = 0
        for issuer in issuers:
            if issuer.is_active == is_trusted:
                continue
            issuer.is_active = is_trusted
            issuer.save(update_fields=["is_active", "updated_at"])
            change.add_issuer(issuer)
            record_audit_event(
                action=AuditAction.ADMIN_CHANGE,
                actor=actor,
                target=issuer,
                detail=i18n.gettext("trusted") if is_trusted else i18n.gettext("not trusted"),
            )
            count += 1
        queue_reverification(change=change)
    return count


def import_trusted_issuers(*, data: bytes, actor: models.Model | None = None) -> int:
    """Create or update registry entries from a JSON file, all or nothing.

    The file is {"issuers": [{"name", "homepage", "identifiers": [...], "trusted"}]}
    (or the bare list); entries are matched by name.
    """
    try:
        document = safejson.loads(data)
    except CredentialFormatError as exc:
        raise ValidationError(exc.reason) from exc
    entries = document.get("issuers") if isinstance(document, dict) else document
    if not isinstance(entries, list) or not entries:
        raise ValidationError(_("The file must hold a non-empty list under “issuers”."))
    cleaned = [_clean_issuer_entry(position, entry) for position, entry in enumerate(entries, 1)]
    change = RegistryChange()
    with transaction.atomic():
        for entry in cleaned:
            for before in TrustedIssuer.objects.filter(name=entry["name"]):
                change.add_issuer(before)
            issuer, _created = TrustedIssuer.objects.update_or_create(
                name=entry["name"], defaults=entry
            )
            change.add_issuer(issuer)
            record_audit_event(
                action=AuditAction.ADMIN_CHANGE,
                actor=actor,
                target=issuer,
                detail=i18n.gettext("registry import"),
            )
        queue_reverification(change=change)
    return len(cleaned)


def _clean_issuer_entry(position: int, entry: object) -> dict[str, Any]:
    where = _("Entry %(position)d") % {"position": position}
    if not isinstance(entry, dict):
        raise ValidationError(_("%(where)s is not an object.") % {"where": where})
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        raise ValidationError(
            _("%(where)s needs a name (up to 200 characters).") % {"where": where}
        )
    identifiers = entry.get("identifiers")
    if (
        not isinstance(identifiers, list)
        or not identifiers
        or not all(isinstance(item, str) and 0 < len(item) <= 2000 for item in identifiers)
    ):
        raise ValidationError(
            _("%(where)s (%(name)s) needs a list of identifiers (DIDs, URLs, key ids).")
            % {"where": where, "name": name}
        )
    homepage = entry.get("homepage", "")
    if not isinstance(homepage, str) or (
        homepage and not homepage.startswith(("https://", "http://"))
    ):
        raise ValidationError(
            _("%(where)s (%(name)s) has a homepage that is not a web address.")
            % {"where": where, "name": name}
        )
    trusted = entry.get("trusted", True)
    if not isinstance(trusted, bool):
        raise ValidationError(
            _("%(where)s (%(name)s): “trusted” must be true or false.")
            % {"where": where, "name": name}
        )
    return {
        "name": name.strip(),
        "homepage": homepage,
        "identifiers": sorted(set(identifiers)),
        "is_active": trusted,
    }


def trusted_issuer_changed(
    *, before: TrustedIssuer | None, after: TrustedIssuer | None
) -> list[int]:
    """Re-verify what an admin's edit, addition or deletion of a trusted issuer affects."""
    change = RegistryChange()
    for issuer in (before, after):
        if issuer is not None:
            change.add_issuer(issuer)
    return queue_reverification(change=change)


def issuer_registry_changed(*, before: IssuerRegistry | None, after: IssuerRegistry) -> None:
    """After an admin saved an external registry: fetch it when its address is new, and
    re-verify its issuers' credentials when it was switched on or off."""
    if before is None or before.url != after.url:
        transaction.on_commit(lambda: _queue_refresh(after.pk))
    if before is not None and before.is_active != after.is_active:
        change = RegistryChange()
        change.add_registry_entries(after.entries)
        queue_reverification(change=change)


def _queue_refresh(registry_id: int) -> None:
    from credentials.tasks import refresh_issuer_registry_task

    try:
        refresh_issuer_registry_task.delay(registry_id)
    except Exception as exc:  # any broker failure: the admin's save must still succeed
        logger.warning("could not queue a refresh of issuer registry %s: %s", registry_id, exc)


def issuer_registry_removed(*, registry: IssuerRegistry) -> list[int]:
    """Before an external registry is deleted: re-verify, once committed, what it vouched for."""
    change = RegistryChange()
    change.add_registry_entries(registry.entries)
    return queue_reverification(change=change)
