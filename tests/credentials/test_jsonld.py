"""JSON-LD: bundled contexts only, strict expansion, and RDFC-1.0 canonical N-Quads."""

import json
from pathlib import Path
from typing import Any

import pytest
from pyld import jsonld as pyld_jsonld

from credentials import jsonld
from credentials.jsonld import (
    JsonLdError,
    canonicalize,
    document_loader,
    expand_strict,
    known_contexts,
    processing,
)

VC1 = "https://www.w3.org/2018/credentials/v1"
VC2 = "https://www.w3.org/ns/credentials/v2"
OB303 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
VECTORS = Path(__file__).resolve().parents[2].parent / "shared" / "vectors"

REQUIRED_CONTEXTS = {
    VC1,
    VC2,
    "https://www.w3.org/2018/credentials/examples/v1",
    "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
    OB303,
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
    "https://purl.imsglobal.org/spec/clr/v2p0/context.json",
    "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
    "https://w3id.org/security/data-integrity/v1",
    "https://w3id.org/security/data-integrity/v2",
    "https://w3id.org/security/multikey/v1",
    "https://w3id.org/security/suites/ed25519-2020/v1",
    "https://www.w3.org/ns/did/v1",
    "https://w3id.org/vc/status-list/2021/v1",
    "https://w3id.org/security/v1",
    "https://w3id.org/security/v2",
}


def vc1(**fields: Any) -> dict[str, Any]:
    """A small VC 1.1 credential (its context has no @vocab) with extra fields."""
    return {
        "@context": [VC1],
        "id": "urn:uuid:1b1f5c9e-1d31-4d4f-9f1e-6d1c1c7e0a01",
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "issuanceDate": "2024-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner"},
        **fields,
    }


def test_it_bundles_every_context_the_formats_need():
    assert known_contexts() >= REQUIRED_CONTEXTS


@pytest.mark.parametrize("url", sorted(REQUIRED_CONTEXTS))
def test_every_bundled_context_is_a_json_ld_context(url: str):
    loaded = document_loader(url)
    assert loaded["documentUrl"] == url
    assert "@context" in loaded["document"]


def test_the_loader_refuses_a_context_it_does_not_bundle_instead_of_fetching():
    with pytest.raises(JsonLdError, match=r"unknown JSON-LD context: https://evil\.example/ctx"):
        document_loader("https://evil.example/ctx")


def test_expansion_with_an_unknown_context_says_which_one():
    doc = vc1()
    doc["@context"] = [VC1, "https://evil.example/ctx"]
    with pytest.raises(JsonLdError) as caught:
        expand_strict(doc)
    assert caught.value.reason == "unknown JSON-LD context: https://evil.example/ctx"


def test_a_well_formed_credential_expands():
    expanded = expand_strict(vc1())
    assert expanded[0]["@type"] == ["https://www.w3.org/2018/credentials#VerifiableCredential"]


def test_it_refuses_a_term_no_context_defines():
    with pytest.raises(JsonLdError, match="'favouriteColour'"):
        expand_strict(vc1(favouriteColour="green"))


def test_it_refuses_an_undefined_term_nested_in_the_subject():
    doc = vc1()
    doc["credentialSubject"]["nickname"] = "Ace"
    with pytest.raises(JsonLdError, match="'nickname'"):
        expand_strict(doc)


def test_it_refuses_an_undefined_type():
    with pytest.raises(JsonLdError, match="undefined type 'MadeUpCredential'"):
        expand_strict(vc1(type=["VerifiableCredential", "MadeUpCredential"]))


def test_it_refuses_a_relative_id_whose_data_would_not_be_signed():
    doc = vc1()
    doc["credentialSubject"]["id"] = "learner-7"
    with pytest.raises(JsonLdError, match="relative or invalid id 'learner-7'"):
        expand_strict(doc)


def test_it_refuses_a_term_mapped_to_null():
    doc = vc1(hidden="x")
    doc["@context"] = [VC1, {"hidden": None}]
    with pytest.raises(JsonLdError, match="mapped to null"):
        expand_strict(doc)


def test_it_refuses_a_blank_node_property():
    doc = vc1(secret="x")
    doc["@context"] = [VC1, {"secret": "_:secret"}]
    with pytest.raises(JsonLdError, match="does not map to an absolute IRI"):
        expand_strict(doc)


def test_it_refuses_index_maps_whose_keys_are_not_signed():
    doc = vc1(notes={"first": "a", "second": "b"})
    doc["@context"] = [
        VC1,
        {"notes": {"@id": "https://example.org/notes", "@container": "@index"}},
    ]
    with pytest.raises(JsonLdError, match="index map key"):
        expand_strict(doc)


def test_a_vocab_makes_terms_defined():
    doc = vc1(favouriteColour="green")
    doc["@context"] = [VC1, {"@vocab": "https://example.org/vocab#"}]
    expanded = expand_strict(doc)
    assert expanded[0]["https://example.org/vocab#favouriteColour"] == [{"@value": "green"}]


def test_the_published_vc2_context_has_no_vocab_so_undefined_terms_are_refused():
    doc = {
        "@context": [VC2],
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "credentialSubject": {"id": "did:example:learner", "nickname": "Ace"},
    }
    with pytest.raises(JsonLdError, match="'nickname'"):
        expand_strict(doc)


def test_it_refuses_an_undefined_term_inside_an_open_badges_type_scope():
    doc = {
        "@context": [VC2, OB303],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "did:example:issuer", "type": ["Profile"], "name": "Issuer"},
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "urn:uuid:6f2b1a1e-4b1d-4f39-9d1b-4a6c8e1f0b01",
                "type": ["Achievement"],
                "name": "Teamwork",
                "criteria": {"narrative": "Work together."},
                "description": "Works well with others.",
                "secretGrade": "A+",
            },
        },
    }
    with pytest.raises(JsonLdError, match="'secretGrade'"):
        expand_strict(doc)


@pytest.mark.skipif(not (VECTORS / "dcc").is_dir(), reason=f"DCC vectors not found at {VECTORS}")
def test_it_refuses_the_dcc_safe_mode_breaker():
    path = VECTORS / "dcc/verifier-core/verifiableCredentials_eddsa_v2_safeModeBreaker.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    with pytest.raises(JsonLdError, match="undefined type 'StatusList2021Entry'"):
        expand_strict(doc)


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        ([1, 2], "must be a JSON object"),
        ({"name": "x"}, "has no @context"),
        ({"@context": 42}, "invalid JSON-LD"),
        ({"@context": [VC1], "@id": {"nested": True}}, "invalid JSON-LD"),
        ({"@context": {"@version": 2.0}}, "invalid JSON-LD"),
    ],
)
def test_hostile_input_gives_a_clear_error(doc: Any, expected: str):
    with pytest.raises(JsonLdError, match=expected):
        expand_strict(doc)


def test_deep_nesting_is_refused_without_crashing():
    doc = vc1()
    node: dict[str, Any] = doc["credentialSubject"]
    for _ in range(3000):
        node["@nest"] = {}
        node = node["@nest"]
    with pytest.raises(JsonLdError):
        expand_strict(doc)


def test_canonical_n_quads_escape_control_characters_as_rdfc_requires():
    doc = {
        "@context": {"note": "https://example.org/note"},
        "@id": "https://example.org/thing",
        "note": 'a\bb\fc\x01d\x7fe\tf\ng\rh"i\\j\x0bk\x1fl',
    }
    expected = (
        "<https://example.org/thing> <https://example.org/note> "
        '"a\\bb\\fc\\u0001d\\u007Fe\\tf\\ng\\rh\\"i\\\\j\\u000Bk\\u001Fl" .\n'
    )
    assert canonicalize(doc) == expected


def test_canonical_n_quads_keep_other_characters_as_themselves():
    doc = {
        "@context": {"note": "https://example.org/note"},
        "@id": "https://example.org/thing",
        "note": "é ✓ 😀 \u00a0",
    }
    assert '"é ✓ 😀 \u00a0"' in canonicalize(doc)


def test_a_lone_surrogate_is_escaped_not_a_crash():
    doc = {
        "@context": {"note": "https://example.org/note"},
        "@id": "https://example.org/thing",
        "note": json.loads('"x\\ud800y"'),
    }
    assert '"x\\uD800y"' in canonicalize(doc)


def test_blank_nodes_get_canonical_labels():
    doc = vc1()
    del doc["id"]
    nquads = canonicalize(doc)
    assert "_:c14n0" in nquads


def test_processed_contexts_are_cached_between_calls(monkeypatch: pytest.MonkeyPatch):
    calls: list[str] = []

    def counting_loader(url: str, options: Any = None) -> dict[str, Any]:
        calls.append(url)
        return document_loader(url, options)

    monkeypatch.setattr(processing, "document_loader", counting_loader)
    monkeypatch.setattr(
        pyld_jsonld,
        "_resolved_context_cache",
        type(pyld_jsonld._resolved_context_cache)(maxsize=100),
    )
    canonicalize(vc1())
    assert calls == [VC1]
    canonicalize(vc1(id="urn:uuid:2b1f5c9e-1d31-4d4f-9f1e-6d1c1c7e0a02"))
    expand_strict(vc1())
    assert calls == [VC1]


def test_the_public_api_is_small():
    assert set(jsonld.__all__) == {
        "JsonLdError",
        "UnknownContextError",
        "canonicalize",
        "document_loader",
        "expand_strict",
        "known_contexts",
    }
