"""The trusted-issuer registry: what admins mark trusted, by hand or from a file."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from credentials.formats import safejson
from credentials.formats.base import CredentialFormatError
from credentials.models import AuditAction, TrustedIssuer
from credentials.services import record_audit_event


def set_issuers_trusted(*, issuers: Any, is_trusted: bool, actor: models.Model) -> int:
    """Add issuers to, or take them out of, the trusted-issuer registry."""
    with transaction.atomic():
        count = 0
        for issuer in issuers:
            if issuer.is_active == is_trusted:
                continue
            issuer.is_active = is_trusted
            issuer.save(update_fields=["is_active", "updated_at"])
            record_audit_event(
                action=AuditAction.ADMIN_CHANGE,
                actor=actor,
                target=issuer,
                detail="trusted" if is_trusted else "not trusted",
            )
            count += 1
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
    with transaction.atomic():
        for entry in cleaned:
            issuer, _created = TrustedIssuer.objects.update_or_create(
                name=entry["name"], defaults=entry
            )
            record_audit_event(
                action=AuditAction.ADMIN_CHANGE,
                actor=actor,
                target=issuer,
                detail="registry import",
            )
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
