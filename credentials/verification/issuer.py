"""The issuer check: what is proven about who signed, in one of four levels.

- *registered* (`issuer_registered`, passed): a registry the site trusts (its own
  `TrustedIssuer` entries, or an external registry an admin configured) lists the signing
  key, or an issuer id that controls it. The check names the registry that vouches.
- *domain-proven* (`issuer_domain`, warning): the key is bound to a web domain: a did:web
  DID document served from it, the domain's DID configuration linking a did:key/did:jwk
  issuer whose profile names that domain, or an Open Badges 2.0 profile and key served from
  the issuer's own origin. It stays a warning: owning a domain is not being the organisation
  the name claims (look-alike domains cost a few dollars), and only a registry says who an
  organisation is; so `verified` keeps meaning "vouched for by a registry", as it did.
- *self-asserted* (`issuer_self_asserted`, warning): nothing binds the key to anyone; the
  issuer's name is its own claim. A key the issuer id does not control (a `urn:uuid` issuer
  signing with a did:key, a key carried in a JWT `jwk` header, a key its controller does not
  list under `assertionMethod`) proves integrity only: that is this level too, with the more
  precise code `key_not_linked`, unless a registry lists that very key.
- *impersonation* (`issuer_impersonation`, failed): the issuer's name, or the domain of the
  address it claims, is a registered issuer's, yet the key is none of those registered under
  that name and not bound to that issuer's domain.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from credentials.i18n import gettext as _
from credentials.verification import checks
from credentials.verification.checks import CheckName, CheckResult, Code
from credentials.verification.registries import (
    RegisteredIssuer,
    RegistryEntry,
    all_entries,
    domain_of,
    group_by_name,
    is_within,
    name_key,
)


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


class IdentityLevel:
    """The levels stored in the issuer check's `identity_level` detail."""

    REGISTERED = "registered"
    DOMAIN = "domain_proven"
    SELF_ASSERTED = "self_asserted"
    IMPERSONATION = "impersonation"


@dataclass(frozen=True)
class DomainBinding:
    """The web domain the key is bound to, and how; or why none could be checked."""

    domain: str = ""
    how: str = ""
    error: str = ""
    is_transient: bool = False


def claimed_url(profile: Any) -> str:
    """The web address an issuer profile claims (`url`, OB 2.0 and 3.0 alike)."""
    url = profile.get("url") if isinstance(profile, dict) else None
    if isinstance(url, dict):
        url = url.get("id")
    return url if isinstance(url, str) and url.startswith(("https://", "http://")) else ""


def _bound_domain(
    link: KeyLink, issuer_id: str, issuer_url: str, issuer_domain: str, at: datetime
) -> DomainBinding:
    """The domain a key the issuer controls is bound to, if any."""
    if not link.is_linked:
        return DomainBinding()
    if issuer_domain:
        return DomainBinding(issuer_domain, _("its issuer profile and key are served from there"))
    if link.controller.startswith("did:web:") and domain_of(link.controller):
        return DomainBinding(domain_of(link.controller), _("its did:web DID document"))
    controller_domain = domain_of(link.controller) if "://" in link.controller else ""
    if controller_domain and controller_domain == domain_of(link.key_id):
        return DomainBinding(controller_domain, _("its key and profile are served from there"))
    if issuer_id.startswith("did:") and not issuer_id.startswith("did:web:") and issuer_url:
        # Imported here: the linkage check verifies proofs, which import the families' helpers.
        from credentials.verification.domain_linkage import check_domain_linkage

        linkage = check_domain_linkage(issuer_id, issuer_url, at=at)
        if linkage.is_linked:
            return DomainBinding(domain_of(linkage.origin), _("the domain’s DID configuration"))
        return DomainBinding(error=linkage.reason, is_transient=linkage.is_transient)
    return DomainBinding()


def _covers(domains: set[str] | frozenset[str], others: set[str] | frozenset[str]) -> bool:
    """Whether any domain of one set is within or above a domain of the other."""
    return any(is_within(a, b) or is_within(b, a) for a in domains for b in others)


def _impersonated(
    groups: list[RegisteredIssuer],
    *,
    name: str,
    claimed_domains: set[str],
    vouchable: set[str],
    vouching: list[RegistryEntry],
    binding: DomainBinding,
) -> tuple[RegisteredIssuer, str] | None:
    """The registered issuer whose name or domain is claimed under a key not its own."""
    key = name_key(name)
    vouched_domains = {domain for entry in vouching for domain in entry.domains}
    for group in groups:
        by_name = bool(key) and group.key == key
        by_domain = next(
            (
                claimed
                for claimed in sorted(claimed_domains)
                if any(is_within(claimed, domain) for domain in group.domains)
            ),
            "",
        )
        if not by_name and not by_domain:
            continue
        if group.identifiers & vouchable:
            continue
        if binding.domain and any(is_within(binding.domain, d) for d in group.domains):
            continue
        # The same organisation listed under another name by another registry.
        if by_domain and not by_name and _covers(vouched_domains, group.domains):
            continue
        return group, "" if by_name else by_domain
    return None


def check_issuer(
    *,
    issuer_id: str | None,
    issuer_name: str,
    link: KeyLink | None,
    at: datetime,
    issuer_url: str = "",
    issuer_domain: str = "",
) -> CheckResult:
    """The issuer's identity level, with a message that says what is proven.

    `issuer_url` is the address the issuer's profile claims; `issuer_domain` the domain a
    proof family saw serve the issuer's profile and key (Open Badges 2.0).
    """
    if link is None:
        return checks.not_checked(
            CheckName.ISSUER,
            Code.SKIPPED,
            _("Who issued it cannot be confirmed without a valid signature."),
            at,
        )
    shown = issuer_name or issuer_id or _("the issuer")
    key_identifiers = {link.key_id, link.controller} - {"", "jwk"}
    vouchable = key_identifiers | ({issuer_id} if link.is_linked and issuer_id else set())
    entries = all_entries()
    vouching = [entry for entry in entries if entry.identifiers & vouchable]
    binding = _bound_domain(link, issuer_id or "", issuer_url, issuer_domain, at)
    details: dict[str, Any] = {
        "issuer_id": issuer_id or "",
        "issuer_name": issuer_name,
        "issuer_url": issuer_url,
        "key_id": link.key_id,
        "key_controller": link.controller,
        "is_key_linked": link.is_linked,
        "is_trusted": bool(vouching),
        "registry_entries": [entry.name for entry in vouching],
        "domain": binding.domain,
    }
    if binding.error:
        details["domain_error"] = binding.error[:300]
    impersonated = _impersonated(
        group_by_name(entries),
        name=issuer_name,
        claimed_domains={domain_of(issuer_url), domain_of(issuer_id)} - {""},
        vouchable=vouchable,
        vouching=vouching,
        binding=binding,
    )
    if impersonated is not None:
        return _impersonation(impersonated, shown, binding, details, at)
    if vouching:
        return _registered(vouching[0], shown, link, details, at)
    if binding.domain:
        details["identity_level"] = IdentityLevel.DOMAIN
        message = _(
            "Signed by a key bound to %(domain)s (%(how)s). No registry this site trusts lists "
            "it: the name “%(issuer)s” is the issuer’s own claim."
        ) % {"domain": binding.domain, "how": binding.how, "issuer": shown}
        return checks.warning(CheckName.ISSUER, Code.ISSUER_DOMAIN, message, at, **details)
    details["identity_level"] = IdentityLevel.SELF_ASSERTED
    if not link.is_linked:
        message = _(
            "Key not linked to %(issuer)s: the signature proves the credential is unchanged, "
            "not that %(issuer)s issued it (%(how)s)."
        ) % {"issuer": shown, "how": link.how or link.key_id}
        return checks.warning(CheckName.ISSUER, Code.KEY_NOT_LINKED, message, at, **details)
    message = _(
        "Signed by a key nothing links to a known organisation; the name “%(issuer)s” is the "
        "issuer’s own claim."
    ) % {"issuer": shown}
    return checks.warning(CheckName.ISSUER, Code.ISSUER_SELF_ASSERTED, message, at, **details)


def _registered(
    entry: RegistryEntry, shown: str, link: KeyLink, details: dict[str, Any], at: datetime
) -> CheckResult:
    """Passed: a registry the site trusts lists the key or the issuer id that controls it."""
    details |= {
        "identity_level": IdentityLevel.REGISTERED,
        "vouched_by": entry.vouched_by,
        "vouched_by_url": entry.vouched_by_url,
        "registered_name": entry.name,
    }
    is_local = not entry.vouched_by_url
    if not link.is_linked:
        if is_local:
            message = _("Signed by a key this site’s registry lists for %(entry)s.") % {
                "entry": entry.name
            }
        else:
            message = _("Signed by a key %(registry)s lists for %(entry)s.") % {
                "registry": entry.vouched_by,
                "entry": entry.name,
            }
    elif is_local and entry.name == shown:
        message = _("Signed by %(issuer)s, a trusted issuer.") % {"issuer": shown}
    elif is_local:
        message = _("Signed by %(issuer)s, trusted as “%(entry)s”.") % {
            "issuer": shown,
            "entry": entry.name,
        }
    elif entry.name == shown:
        message = _("Signed by %(issuer)s, listed by %(registry)s.") % {
            "issuer": shown,
            "registry": entry.vouched_by,
        }
    else:
        message = _("Signed by %(issuer)s, listed as “%(entry)s” by %(registry)s.") % {
            "issuer": shown,
            "entry": entry.name,
            "registry": entry.vouched_by,
        }
    return checks.passed(CheckName.ISSUER, message, at, code=Code.ISSUER_REGISTERED, **details)


def _impersonation(
    found: tuple[RegisteredIssuer, str],
    shown: str,
    binding: DomainBinding,
    details: dict[str, Any],
    at: datetime,
) -> CheckResult:
    """Failed: a registered issuer's name or domain under a key that is not its own."""
    group, claimed_domain = found
    details |= {
        "identity_level": IdentityLevel.IMPERSONATION,
        "impersonated_name": group.name,
        "impersonated_domain": claimed_domain,
    }
    if binding.is_transient:
        # Its domain could not be asked whether the key is its own: try again, accuse no one.
        return checks.not_checked(
            CheckName.ISSUER,
            Code.UNREACHABLE,
            _("Whether %(issuer)s signed it could not be checked: %(reason)s")
            % {"issuer": shown, "reason": binding.error},
            at,
            is_transient=True,
            **details,
        )
    if claimed_domain:
        message = _(
            "It claims the web address %(domain)s of %(registered)s, a registered issuer, but "
            "is signed with a key %(registered)s has not registered and that domain does not "
            "vouch for."
        ) % {"domain": claimed_domain, "registered": group.name}
    else:
        message = _(
            "It claims to be %(registered)s, a registered issuer, but is signed with a key "
            "%(registered)s has not registered and its web domain does not vouch for."
        ) % {"registered": group.name}
    return checks.failed(CheckName.ISSUER, Code.ISSUER_IMPERSONATION, message, at, **details)
