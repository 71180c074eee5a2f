"""The registries the site trusts, read as one list, and how names and domains compare.

Two sources vouch for issuers: the site's own `TrustedIssuer` entries and the external
registries an admin configured (`IssuerRegistry`, a copy of the Digital Credentials
Consortium's `{"meta": …, "registry": {"<did>": {"name", "location", "url"}}}`). Entries with
the same name, once normalised (`name_key`), are one issuer: what any of them lists is that
issuer's, which is how a registered issuer's second key is not taken for an impostor.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from disarm import skeleton_key

from credentials.i18n import gettext as _


@dataclass(frozen=True)
class RegistryEntry:
    """One entry of a registry: the identifiers it lists, and who lists it."""

    name: str
    identifiers: frozenset[str]
    # The organisation's own websites: its homepage or url, and a did:web naming a whole host.
    domains: frozenset[str]
    vouched_by: str
    vouched_by_url: str = ""


@dataclass
class RegisteredIssuer:
    """Every entry with one normalised name: the identifiers and domains of them all."""

    key: str
    name: str
    identifiers: set[str] = field(default_factory=set)
    domains: set[str] = field(default_factory=set)


def name_key(name: str) -> str:
    """A name as compared for impersonation: case, compatibility forms, look-alike letters
    (the UTS #39 confusables skeleton), spaces and punctuation all folded away."""
    folded = unicodedata.normalize("NFKC", name or "").casefold()
    # "tr39" also folds 0/O and 1/l together: "Examp1e" is the look-alike it should be.
    skeleton = skeleton_key(folded, digit_policy="tr39")
    return "".join(
        char for char in skeleton if not unicodedata.category(char).startswith(("P", "Z", "C"))
    )


def domain_of(identifier: Any) -> str:
    """The host an http(s) URL or a did:web names, lower-cased and without "www."; else ""."""
    if not isinstance(identifier, str):
        return ""
    if identifier.startswith("did:web:"):
        host = unquote(identifier.removeprefix("did:web:").split(":")[0].split("#")[0])
        host = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    elif identifier.startswith(("https://", "http://")):
        try:
            host = urlsplit(identifier).hostname or ""
        except ValueError:
            return ""
    else:
        return ""
    host = host.strip().rstrip(".").lower()
    return host.removeprefix("www.")


def is_within(domain: str, registered: str) -> bool:
    """Whether `domain` is the registered domain or one of its subdomains."""
    return bool(domain and registered) and (
        domain == registered or domain.endswith("." + registered)
    )


def _whole_host_did_web(identifier: str) -> str:
    """The host of a did:web naming a whole host (no path); a path names one tenant of it."""
    did = identifier.partition("#")[0]
    if did.startswith("did:web:") and ":" not in did.removeprefix("did:web:"):
        return domain_of(did)
    return ""


def _entry_domains(website: str, identifiers: list[str]) -> frozenset[str]:
    """The domains an entry's organisation is known by."""
    found = {domain_of(website)} | {_whole_host_did_web(item) for item in identifiers}
    return frozenset(found - {""})


def local_entries() -> list[RegistryEntry]:
    """The site's own trusted issuers."""
    # Imported here so the formats and checks stay importable without the app registry.
    from credentials.models import TrustedIssuer

    return [
        RegistryEntry(
            name=issuer.name,
            identifiers=frozenset(issuer.identifiers or []),
            domains=_entry_domains(issuer.homepage, list(issuer.identifiers or [])),
            vouched_by=str(_("this site’s registry")),
        )
        for issuer in TrustedIssuer.objects.active()
    ]


def external_entries() -> list[RegistryEntry]:
    """The entries of every active external registry, as last fetched."""
    from credentials.models import IssuerRegistry

    found = []
    for registry in IssuerRegistry.objects.active():
        entries = registry.entries if isinstance(registry.entries, dict) else {}
        for identifier, entry in entries.items():
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                continue
            website = entry.get("url") if isinstance(entry.get("url"), str) else ""
            found.append(
                RegistryEntry(
                    name=entry["name"],
                    identifiers=frozenset({identifier}),
                    domains=_entry_domains(website, [identifier]),
                    vouched_by=registry.name,
                    vouched_by_url=registry.url,
                )
            )
    return found


def all_entries() -> list[RegistryEntry]:
    """Every entry of every registry the site trusts, its own first."""
    return local_entries() + external_entries()


def group_by_name(entries: list[RegistryEntry]) -> list[RegisteredIssuer]:
    """One registered issuer per normalised name, with the union of what its entries list."""
    groups: dict[str, RegisteredIssuer] = {}
    for entry in entries:
        key = name_key(entry.name)
        if not key:
            continue
        group = groups.setdefault(key, RegisteredIssuer(key=key, name=entry.name))
        group.identifiers |= entry.identifiers
        group.domains |= entry.domains
    return list(groups.values())


def parse_dcc_registry(document: Any) -> dict[str, dict[str, str]]:
    """The entries of a registry in the DCC format; raises ValueError when it is not one."""
    if not isinstance(document, dict) or not isinstance(document.get("registry"), dict):
        raise ValueError(_("it is not an issuer registry (no “registry” object)"))
    entries: dict[str, dict[str, str]] = {}
    for identifier, entry in document["registry"].items():
        if not isinstance(identifier, str) or not identifier or len(identifier) > 2000:
            continue
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue
        name = entry["name"].strip()[:200]
        if not name:
            continue
        entries[identifier] = {
            key: str(entry[key])[:2000]
            for key in ("location", "url")
            if isinstance(entry.get(key), str)
        } | {"name": name}
    if document["registry"] and not entries:
        raise ValueError(_("none of its entries has a name"))
    return entries
