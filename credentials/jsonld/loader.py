"""Bundled JSON-LD contexts and a document loader that never touches the network."""

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from .errors import UnknownContextError

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"

# URL -> file in contexts/; SOURCES.md says where each file came from.
CONTEXT_FILES: dict[str, str] = {
    "https://www.w3.org/2018/credentials/v1": "credentials-v1.jsonld",
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
    "https://www.w3.org/2018/credentials/examples/v1": "credentials-examples-v1.jsonld",
    "https://www.w3.org/ns/credentials/examples/v2": "credentials-examples-v2.jsonld",
    "https://www.w3.org/ns/credentials/status/v1": "credentials-status-v1.jsonld",
    "https://w3id.org/vc/status-list/2021/v1": "status-list-2021-v1.jsonld",
    "https://w3id.org/vc-revocation-list-2020/v1": "revocation-list-2020-v1.jsonld",
    "https://w3id.org/security/data-integrity/v1": "data-integrity-v1.jsonld",
    "https://w3id.org/security/data-integrity/v2": "data-integrity-v2.jsonld",
    "https://w3id.org/security/multikey/v1": "multikey-v1.jsonld",
    "https://w3id.org/security/suites/ed25519-2020/v1": "ed25519-signature-2020-v1.jsonld",
    "https://w3id.org/security/v1": "security-v1.jsonld",
    "https://w3id.org/security/v2": "security-v2.jsonld",
    "https://www.w3.org/ns/did/v1": "did-v1.jsonld",
    "https://w3id.org/dcc/v1": "dcc-v1.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context.json": "ob-v3p0-3.0.0.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json": "ob-v3p0-3.0.1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json": "ob-v3p0-3.0.2.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": "ob-v3p0-extensions.json",
    "https://purl.imsglobal.org/spec/clr/v2p0/context.json": "clr-v2p0-2.0.0.json",
    "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json": "clr-v2p0-2.0.1.json",
    "https://w3id.org/openbadges/v2": "ob-v2p0.jsonld",
    "https://w3id.org/citizenship/v4rc1": "citizenship-v4rc1.jsonld",
    "https://www.w3.org/ns/odrl.jsonld": "odrl.jsonld",
    "https://w3id.org/security/suites/ed25519-2018/v1": "ed25519-signature-2018-v1.jsonld",
    "https://w3id.org/security/suites/jws-2020/v1": "jws-2020-v1.json",
    "https://w3c-ccg.github.io/lds-jws2020/contexts/lds-jws2020-v1.json": "jws-2020-v1.json",
    "https://w3id.org/security/suites/x25519-2020/v1": "x25519-key-agreement-2020-v1.json",
    "https://w3c-ccg.github.io/vc-ed/plugfest-1-2022/jff-vc-edu-plugfest-1-context.json": (
        "jff-vc-edu-plugfest-1-context.json"
    ),
    "https://identity.foundation/.well-known/did-configuration/v1": "did-configuration-v1.jsonld",
    # Blockcerts publishes each version under three URLs (see @blockcerts/schemas'
    # context_urls.json): the w3id short form, the w3id schema path and blockcerts.org.
    "https://w3id.org/blockcerts/v3": "blockcerts-v3.0.json",
    "https://w3id.org/blockcerts/schema/3.0/context.json": "blockcerts-v3.0.json",
    "https://www.blockcerts.org/schema/3.0/context.json": "blockcerts-v3.0.json",
    "https://w3id.org/blockcerts/v3.1": "blockcerts-v3.1.json",
    "https://w3id.org/blockcerts/schema/3.1/context.json": "blockcerts-v3.1.json",
    "https://www.blockcerts.org/schema/3.1/context.json": "blockcerts-v3.1.json",
    "https://w3id.org/blockcerts/v3.2": "blockcerts-v3.2.json",
    "https://w3id.org/blockcerts/schema/3.2/context.json": "blockcerts-v3.2.json",
    "https://www.blockcerts.org/schema/3.2/context.json": "blockcerts-v3.2.json",
}


def known_contexts() -> set[str]:
    """Return the context URLs the wallet can process."""
    return set(CONTEXT_FILES)


@cache
def _read_context(url: str) -> dict[str, Any]:
    """Parse one bundled context file once per process."""
    return json.loads((CONTEXTS_DIR / CONTEXT_FILES[url]).read_text(encoding="utf-8"))


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Load a bundled context for pyld; refuse every other URL."""
    if not isinstance(url, str) or url not in CONTEXT_FILES:
        raise UnknownContextError(str(url)[:300])
    # The "static" tag lets pyld keep the resolved context in its shared cache,
    # so repeated verifications do not process the same context again.
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": copy.deepcopy(_read_context(url)),
        "tag": "static",
    }
