"""The issuer check: is the signing key the issuer's, and is the issuer in the registry?

Policy. A valid signature by a key the issuer id does not control (a `urn:uuid` issuer
signing with a did:key, as in 1EdTech's `simple-did-key-method.json`; a key carried in a
JWT `jwk` header; a key whose controller document does not list it under
`assertionMethod`) proves the credential is unchanged, not who issued it: the check is a
`warning` ("key not linked to <issuer>") and the verdict at best `verified_with_warnings`.
The operator can vouch for such a key by listing it (or its DID) in a trusted-issuer
entry; the check then passes and names that entry. An issuer id in the registry never
vouches for a key it does not control. Unknown issuers are a warning, never a failure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from credentials.i18n import gettext as _
from credentials.verification import checks
from credentials.verification.checks import CheckName, CheckResult, Code


@dataclass(frozen=True)
class KeyLink:
    """How the proof's key relates to the issuer, as found while verifying the proof.

    `is_linked` is True when the issuer controls the key (a DID/key document controlled by
    the issuer id that lists the key under `assertionMethod`, an OB 2.0 key in the issuer's
    `publicKey`, or a hosted assertion served from the issuer's allowed origin); False when
    the key proves integrity only (a JWT `jwk` header, or a key someone else controls).
    """

    is_linked: bool
    key_id: str = ""
    controller: str = ""
    how: str = ""


def _registry_names(identifiers: list[str]) -> list[str]:
    """Names of active registry entries listing any of the identifiers."""
    # Imported here so the formats and checks stay importable without the app registry.
    from credentials.models import TrustedIssuer

    return list(TrustedIssuer.objects.matching(identifiers).values_list("name", flat=True))


def check_issuer(
    *,
    issuer_id: str | None,
    issuer_name: str,
    link: KeyLink | None,
    at: datetime,
) -> CheckResult:
    """Passed when the key is the issuer's and the issuer is trusted; otherwise a warning.

    A key the issuer id does not control can still pass when the site's registry lists that
    very key (or its controller): the operator then vouches for it, e.g. for an issuer with
    a `urn:uuid` id that signs with a did:key.
    """
    if link is None:
        return checks.not_checked(
            CheckName.ISSUER,
            Code.SKIPPED,
            _("Who issued it cannot be confirmed without a valid signature."),
            at,
        )
    shown = issuer_name or issuer_id or _("the issuer")
    key_identifiers = [link.key_id, link.controller] if link.key_id != "jwk" else []
    if link.is_linked:
        trusted = _registry_names([issuer_id or "", *key_identifiers])
    else:
        trusted = _registry_names(key_identifiers)
    details = {
        "issuer_id": issuer_id or "",
        "key_id": link.key_id,
        "key_controller": link.controller,
        "is_key_linked": link.is_linked,
        "is_trusted": bool(trusted),
        "registry_entries": trusted,
    }
    if not link.is_linked and trusted:
        return checks.passed(
            CheckName.ISSUER,
            _("Signed by a key this site’s registry lists for %(entry)s.") % {"entry": trusted[0]},
            at,
            **details,
        )
    if not link.is_linked:
        message = _(
            "Key not linked to %(issuer)s: the signature proves the credential is unchanged, "
            "not that %(issuer)s issued it (%(how)s)."
        ) % {"issuer": shown, "how": link.how or link.key_id}
        return checks.warning(CheckName.ISSUER, Code.KEY_NOT_LINKED, message, at, **details)
    if not trusted:
        return checks.warning(
            CheckName.ISSUER,
            Code.ISSUER_UNKNOWN,
            _("Signed by %(issuer)s, which is not in this site’s trusted-issuer registry.")
            % {"issuer": shown},
            at,
            **details,
        )
    if trusted[0] == shown:
        message = _("Signed by %(issuer)s, a trusted issuer.") % {"issuer": shown}
    else:
        message = _("Signed by %(issuer)s, trusted as “%(entry)s”.") % {
            "issuer": shown,
            "entry": trusted[0],
        }
    return checks.passed(CheckName.ISSUER, message, at, **details)
