"""Contexts bundled for legacy suites and older credentials: each loads and defines its terms,
beside the VC context it is published to be used with."""

import json
from pathlib import Path
from typing import Any

import pytest

from credentials.jsonld import expand_strict, known_contexts
from credentials.jsonld.loader import CONTEXT_FILES, CONTEXTS_DIR, document_loader

VC1 = "https://www.w3.org/2018/credentials/v1"
VC2 = "https://www.w3.org/ns/credentials/v2"
SEC = "https://w3id.org/security#"
OB = "https://imsglobal.github.io/openbadges-specification/ob_v3p0.html#"
BC = "https://w3id.org/blockcerts#"
LINKAGE = "https://identity.foundation/.well-known/resources/did-configuration/#"

pytestmark = pytest.mark.django_db(databases=[])


def credential(contexts: list[str], **fields: Any) -> dict[str, Any]:
    """A VC 1.1 credential under `contexts`, with extra fields."""
    return {
        "@context": [VC1, *contexts],
        "id": "urn:uuid:0d9c8f3a-2b1e-4f5a-8c7d-6e5f4a3b2c1d",
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "issuanceDate": "2024-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner"},
        **fields,
    }


def key_document(context: str, key_type: str, **material: Any) -> dict[str, Any]:
    """A DID document listing one key of `key_type`."""
    return {
        "@context": ["https://www.w3.org/ns/did/v1", context],
        "id": "did:example:issuer",
        "verificationMethod": [
            {"id": "did:example:issuer#key-1", "type": key_type, "controller": "did:example:issuer"}
            | material
        ],
    }


def _flatten(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


# context URL -> (a document using one of its terms, an IRI that term must expand to)
CASES: dict[str, tuple[dict[str, Any], str]] = {
    "https://www.w3.org/ns/odrl.jsonld": (
        {
            "@context": "https://www.w3.org/ns/odrl.jsonld",
            "@type": "Policy",
            "uid": "https://example.org/policy/1",
            "permission": [{"target": "https://example.org/book", "action": "read"}],
        },
        "http://www.w3.org/ns/odrl/2/permission",
    ),
    "https://www.w3.org/2018/credentials/examples/v1": (
        # Imports ODRL: loading it used to stop at the missing import.
        credential(
            ["https://www.w3.org/2018/credentials/examples/v1"],
            credentialSubject={"id": "did:example:learner", "alumniOf": "Example University"},
        ),
        "http://schema.org/alumniOf",
    ),
    "https://w3id.org/security/suites/ed25519-2018/v1": (
        key_document(
            "https://w3id.org/security/suites/ed25519-2018/v1",
            "Ed25519VerificationKey2018",
            publicKeyBase58="H3C2AVvLMv6gmMNam3uVAjZpfkcJCwDwnZn6z3wXmqPV",
        ),
        f"{SEC}publicKeyBase58",
    ),
    "https://w3id.org/security/suites/jws-2020/v1": (
        credential(
            ["https://w3id.org/security/suites/jws-2020/v1"],
            proof={
                "type": "JsonWebSignature2020",
                "created": "2024-01-01T00:00:00Z",
                "proofPurpose": "assertionMethod",
                "verificationMethod": "did:example:issuer#key-1",
                "jws": "eyJhbGciOiJFUzI1NiJ9..c2ln",
            },
        ),
        f"{SEC}jws",
    ),
    "https://w3c-ccg.github.io/lds-jws2020/contexts/lds-jws2020-v1.json": (
        key_document(
            "https://w3c-ccg.github.io/lds-jws2020/contexts/lds-jws2020-v1.json",
            "JsonWebKey2020",
            publicKeyJwk={
                "kty": "OKP",
                "crv": "Ed25519",
                "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
            },
        ),
        f"{SEC}publicKeyJwk",
    ),
    "https://w3id.org/security/suites/x25519-2020/v1": (
        key_document(
            "https://w3id.org/security/suites/x25519-2020/v1",
            "X25519KeyAgreementKey2020",
            publicKeyMultibase="z6LSeu9HkTHSfLLeUs2nnzUSNedgDUevfNQgQjQC23ZCit6F",
        ),
        f"{SEC}X25519KeyAgreementKey2020",
    ),
    "https://w3c-ccg.github.io/vc-ed/plugfest-1-2022/jff-vc-edu-plugfest-1-context.json": (
        credential(
            ["https://w3c-ccg.github.io/vc-ed/plugfest-1-2022/jff-vc-edu-plugfest-1-context.json"],
            type=["VerifiableCredential", "OpenBadgeCredential"],
            credentialSubject={
                "type": "AchievementSubject",
                "achievement": {"type": "Achievement", "name": "Plugfest"},
            },
        ),
        f"{OB}AchievementSubject",
    ),
    "https://identity.foundation/.well-known/did-configuration/v1": (
        credential(
            ["https://identity.foundation/.well-known/did-configuration/v1"],
            type=["VerifiableCredential", "DomainLinkageCredential"],
            credentialSubject={"id": "did:example:issuer", "origin": "https://issuer.example"},
        ),
        f"{LINKAGE}origin",
    ),
    **{
        url: (
            credential([url], credentialSubject={"id": "did:example:learner", "claim": {}})
            | {"metadata": "{}", "display": {"contentMediaType": "text/plain", "content": "Hi"}},
            f"{BC}display",
        )
        for url in (
            "https://w3id.org/blockcerts/v3",
            "https://w3id.org/blockcerts/v3.1",
            "https://w3id.org/blockcerts/v3.2",
        )
    },
}


@pytest.mark.parametrize("url", CASES)
def test_each_bundled_context_loads_and_defines_its_terms(url: str):
    assert url in known_contexts()
    loaded = document_loader(url)
    assert loaded["documentUrl"] == url
    assert "@context" in loaded["document"]
    document, iri = CASES[url]
    assert iri in _flatten(expand_strict(document))


@pytest.mark.parametrize("version", ["3.0", "3.1", "3.2"])
def test_every_url_blockcerts_publishes_a_version_at_loads_the_same_context(version: str):
    short = "https://w3id.org/blockcerts/v3" + ("" if version == "3.0" else version[1:])
    urls = [
        short,
        f"https://w3id.org/blockcerts/schema/{version}/context.json",
        f"https://www.blockcerts.org/schema/{version}/context.json",
    ]
    documents = [document_loader(url)["document"] for url in urls]
    assert documents[0] == documents[1] == documents[2]


def test_every_bundled_file_is_listed_with_its_source():
    sources = (CONTEXTS_DIR / "SOURCES.md").read_text(encoding="utf-8")
    for name in set(CONTEXT_FILES.values()):
        assert (CONTEXTS_DIR / name).is_file(), name
        assert f"`{name}`" in sources, name
    assert not {path.name for path in Path(CONTEXTS_DIR).glob("*.json*")} - set(
        CONTEXT_FILES.values()
    )
