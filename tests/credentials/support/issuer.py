"""A local web site standing in for issuers: their profiles, keys, DID documents and lists.

`site` is a local server on 127.0.0.1 that the fetcher may reach. `web` routes chosen
internet host names (did:web hosts, status list hosts) to that same server, path
prefixed with the host name, by wrapping the fetcher's target check: every other rule
of the fetcher still runs, on the local address the request really goes to.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from credentials import fetcher
from tests.credentials.support import fixtures, signing
from tests.credentials.support.server import LocalServer


class RoutedWeb:
    """Serves documents as if from internet hosts: `web.add("https://host/path", doc)`."""

    def __init__(self, server: LocalServer) -> None:
        """Route nothing until told."""
        self.server = server
        self.hosts: set[str] = set()

    def local_path(self, url: str) -> str:
        """Where the local server keeps what `url` answers."""
        parts = urlsplit(url)
        path = f"/{parts.hostname}{parts.path or '/'}"
        return f"{path}?{parts.query}" if parts.query else path

    def add(self, url: str, body: Any = b"", **route: Any) -> str:
        """Answer `url` (on any host) with `body`; returns `url`."""
        self.hosts.add(urlsplit(url).hostname or "")
        self.server.add(self.local_path(url), body, **route)
        return url

    def add_file(self, url: str, file: Path) -> str:
        """Answer `url` with the bytes of a file."""
        return self.add(url, file.read_bytes())

    def add_did_web(self, did: str, document: dict[str, Any]) -> str:
        """Publish a did:web DID document where did:web resolution looks for it."""
        parts = did.removeprefix("did:web:").split(":")
        host = parts[0].replace("%3A", ":")
        path = "/".join(parts[1:])
        url = f"https://{host}/{path}/did.json" if path else f"https://{host}/.well-known/did.json"
        return self.add(url, json.dumps(document).encode())


@pytest.fixture(name="site")
def site_fixture(settings: Any) -> Iterator[LocalServer]:
    """A running local server on 127.0.0.1 that the fetcher is allowed to reach."""
    server = LocalServer()
    server.start()
    settings.FETCH_ALLOWLIST = [server.authority]
    settings.FETCH_TIMEOUT = 2.0
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(name="web")
def web_fixture(site: LocalServer, monkeypatch: pytest.MonkeyPatch) -> RoutedWeb:
    """Internet host names answered by the local `site`, through the real fetcher."""
    routed = RoutedWeb(site)
    check_target = fetcher._check_target

    def route(url: str) -> Any:
        """Check the local target instead of a routed internet host."""
        if urlsplit(url).hostname in routed.hosts:
            local = check_target(site.url(routed.local_path(url)))
            return dataclasses.replace(local, url=url)
        return check_target(url)

    monkeypatch.setattr(fetcher, "_check_target", route)
    return routed


@dataclasses.dataclass
class SigningIssuer:
    """An issuer with a fresh Ed25519 key: its id, the key's id, and a way to sign."""

    id: str
    method_id: str
    private_key: Any
    name: str = "Example University"

    def sign(self, document: dict[str, Any], **options: Any) -> dict[str, Any]:
        """Add a Data Integrity proof made with this issuer's key."""
        if options.pop("suite", None) == "Ed25519Signature2020":
            return signing.sign_ed25519_2020(document, self.private_key, self.method_id, **options)
        return signing.sign_data_integrity(document, self.private_key, self.method_id, **options)

    def credential(self, **options: Any) -> dict[str, Any]:
        """An unsigned OB 3.0 credential issued by this issuer."""
        return fixtures.achievement_credential(self.id, **options)

    def signed(self, **options: Any) -> dict[str, Any]:
        """A signed OB 3.0 credential issued by this issuer."""
        return self.sign(self.credential(**options))

    def jwt(self, claims: dict[str, Any], **header: Any) -> str:
        """A compact EdDSA JWS over `claims`, naming this key by kid unless told otherwise."""
        return signing.make_jws(
            claims, self.private_key, "EdDSA", {"kid": self.method_id, **header}
        )


def did_key_issuer() -> SigningIssuer:
    """An issuer whose id is the did:key of its own key (the key is linked by construction)."""
    private_key = Ed25519PrivateKey.generate()
    public_key = private_key.public_key()
    return SigningIssuer(
        id=signing.did_key_for(public_key),
        method_id=signing.verification_method_for(public_key),
        private_key=private_key,
    )


def did_web_issuer(web: RoutedWeb, did: str = "did:web:issuer.example") -> SigningIssuer:
    """An issuer with a did:web DID document, published through `web`."""
    private_key = Ed25519PrivateKey.generate()
    method_id = f"{did}#key-1"
    web.add_did_web(did, signing.did_document_for(did, private_key.public_key()))
    return SigningIssuer(id=did, method_id=method_id, private_key=private_key)
