"""ecdsa-sd-2023 (W3C vc-di-ecdsa): ECDSA P-256 selective disclosure.

The issuer signs, with its own key, proofHash || publicKey || mandatoryHash, where
`publicKey` is a key made for this one proof, and signs every other statement with that
proof-scoped key. A *base* proof (header 0xd9 0x5d 0x00) carries the HMAC key that labels
blank nodes and goes to the holder only; a *derived* proof (0xd9 0x5d 0x01) carries the
signatures of the statements the holder reveals and the map from the verifier's canonical
blank node labels to the HMAC labels that were signed.

The spec defines the suite for P-256 and SHA-256 only (its proof values have fixed 64-byte
signatures and 32-byte HMAC labels), so an issuer key on another curve is unsupported.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
from dataclasses import dataclass
from typing import Any

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from credentials.jsonld import JsonLdError, expand_strict
from credentials.verification.keys import ResolvedKey, resolve_key
from credentials.verification.suites import sd_primitives as sd
from credentials.verification.suites.base import (
    ProofCode,
    ProofError,
    SuiteInput,
    canonical_nquads,
    data_integrity_config,
    jsonld_error,
    register,
)

SUITE = "ecdsa-sd-2023"
BASE_HEADER = b"\xd9\x5d\x00"
DERIVED_HEADER = b"\xd9\x5d\x01"
P256_MULTIKEY_HEADER = b"\x80\x24"
_SIGNATURE_LENGTH = 64
_PUBLIC_KEY_LENGTH = 35  # multicodec p256-pub (2 bytes) + compressed point (33)
_HMAC_KEY_LENGTH = 32
_MAX_PROOF_VALUE = 1_000_000


@dataclass(frozen=True)
class BaseProofValue:
    """The parts of a base proof value (parseBaseProofValue)."""

    base_signature: bytes
    public_key: bytes
    hmac_key: bytes
    signatures: list[bytes]
    mandatory_pointers: list[str]


@dataclass(frozen=True)
class DerivedProofValue:
    """The parts of a derived proof value (parseDerivedProofValue), label map decompressed."""

    base_signature: bytes
    public_key: bytes
    signatures: list[bytes]
    label_map: dict[str, str]
    mandatory_indexes: list[int]


@dataclass(frozen=True)
class VerifyData:
    """What the signatures are checked over (createVerifyData)."""

    base_signature: bytes
    proof_hash: bytes
    public_key: bytes
    signatures: list[bytes]
    non_mandatory: list[str]
    mandatory_hash: bytes


# --- proof values ---------------------------------------------------------------------------


def _encode(header: bytes, components: list[Any]) -> str:
    return "u" + sd.b64url_encode(header + cbor2.dumps(components))


def _no_tags(_decoder: Any) -> Any:
    raise cbor2.CBORDecodeError("CBOR tags are not allowed in an ecdsa-sd-2023 proof value")


def _decode(proof_value: Any, header: bytes) -> Any:
    """Multibase base64url, then the header, then exactly one untagged CBOR item."""
    if not isinstance(proof_value, str) or not proof_value.startswith("u"):
        raise ProofError("the proofValue is not a multibase base64url value ('u…')")
    if len(proof_value) > _MAX_PROOF_VALUE:
        raise ProofError("the proofValue is too large")
    text = proof_value[1:]
    try:
        if "=" in text or len(text) % 4 == 1:
            raise ValueError("padded or truncated")
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as error:
        raise ProofError("the proofValue is not valid base64url") from error
    if raw[:3] != header:
        raise ProofError("the proofValue does not start with the expected ecdsa-sd-2023 header")
    stream = io.BytesIO(raw[3:])
    try:
        decoder = cbor2.CBORDecoder(
            stream,
            tag_hook=lambda _decoder, _tag: _no_tags(_decoder),
            semantic_decoders=dict.fromkeys([*range(300), 55799], _no_tags),
            allow_indefinite=False,
            allow_duplicate_keys=False,
            max_depth=4,
        )
        components = decoder.decode()
    except (cbor2.CBORError, ValueError, TypeError, OverflowError) as error:
        raise ProofError(f"the proofValue is not valid CBOR ({error})") from error
    if stream.tell() != len(raw) - 3:
        raise ProofError("the proofValue has bytes after its CBOR value")
    if not isinstance(components, list) or len(components) != 5:
        raise ProofError("the proofValue must hold an array of five components")
    return components


def _is_bytes(value: Any, length: int) -> bool:
    return isinstance(value, bytes) and len(value) == length


def _signature_list(value: Any) -> list[bytes]:
    if not isinstance(value, list) or not all(_is_bytes(item, _SIGNATURE_LENGTH) for item in value):
        raise ProofError("the proofValue's signatures must be 64-byte P-256 signatures")
    return value


def _check_common(base_signature: Any, public_key: Any) -> None:
    if not _is_bytes(base_signature, _SIGNATURE_LENGTH):
        raise ProofError("the proofValue's base signature is not a 64-byte P-256 signature")
    if not _is_bytes(public_key, _PUBLIC_KEY_LENGTH) or not public_key.startswith(
        P256_MULTIKEY_HEADER
    ):
        raise ProofError("the proofValue's proof-scoped key is not a P-256 multikey")


def serialize_base_proof_value(value: BaseProofValue) -> str:
    """serializeBaseProofValue."""
    components = [
        value.base_signature,
        value.public_key,
        value.hmac_key,
        list(value.signatures),
        list(value.mandatory_pointers),
    ]
    return _encode(BASE_HEADER, components)


def parse_base_proof_value(proof_value: Any) -> BaseProofValue:
    """parseBaseProofValue, checking each component's type and length."""
    base_signature, public_key, hmac_key, signatures, pointers = _decode(proof_value, BASE_HEADER)
    _check_common(base_signature, public_key)
    if not _is_bytes(hmac_key, _HMAC_KEY_LENGTH):
        raise ProofError("the proofValue's HMAC key is not 32 bytes")
    if not isinstance(pointers, list) or not all(isinstance(item, str) for item in pointers):
        raise ProofError("the proofValue's mandatory pointers must be strings")
    return BaseProofValue(
        base_signature, public_key, hmac_key, _signature_list(signatures), pointers
    )


def compress_label_map(label_map: dict[str, str]) -> dict[int, bytes]:
    """compressLabelMap: {"c14n3": "u…"} -> {3: HMAC bytes}."""
    return {
        int(key.removeprefix("c14n")): base64.urlsafe_b64decode(
            value[1:] + "=" * (-len(value[1:]) % 4)
        )
        for key, value in label_map.items()
    }


def decompress_label_map(compressed: dict[int, bytes]) -> dict[str, str]:
    """decompressLabelMap: {3: HMAC bytes} -> {"c14n3": "u…"}."""
    return {f"c14n{key}": "u" + sd.b64url_encode(value) for key, value in compressed.items()}


def serialize_derived_proof_value(value: DerivedProofValue) -> str:
    """serializeDerivedProofValue."""
    components = [
        value.base_signature,
        value.public_key,
        list(value.signatures),
        compress_label_map(value.label_map),
        list(value.mandatory_indexes),
    ]
    return _encode(DERIVED_HEADER, components)


def parse_derived_proof_value(proof_value: Any) -> DerivedProofValue:
    """parseDerivedProofValue, checking each component's type and length."""
    base_signature, public_key, signatures, label_map, indexes = _decode(
        proof_value, DERIVED_HEADER
    )
    _check_common(base_signature, public_key)
    if not isinstance(label_map, dict) or not all(
        isinstance(key, int) and not isinstance(key, bool) and key >= 0 and _is_bytes(value, 32)
        for key, value in label_map.items()
    ):
        raise ProofError("the proofValue's label map must map integers to 32-byte labels")
    if not isinstance(indexes, list) or not all(
        isinstance(item, int) and not isinstance(item, bool) for item in indexes
    ):
        raise ProofError("the proofValue's mandatory indexes must be integers")
    return DerivedProofValue(
        base_signature,
        public_key,
        _signature_list(signatures),
        decompress_label_map(label_map),
        indexes,
    )


def proof_header(proof_value: Any) -> bytes:
    """The first three bytes of a proof value, or b"" when it cannot be read."""
    if not isinstance(proof_value, str) or not proof_value.startswith("u"):
        return b""
    head = proof_value[1:5]
    try:
        return base64.urlsafe_b64decode(head + "=" * (-len(head) % 4))[:3]
    except (binascii.Error, ValueError):
        return b""


# --- hashing --------------------------------------------------------------------------------


def unsecured(document: dict[str, Any]) -> dict[str, Any]:
    """The document without its proofs."""
    return {key: value for key, value in document.items() if key != "proof"}


def proof_hash(proof: dict[str, Any], document: dict[str, Any]) -> bytes:
    """SHA-256 of the canonical proof options (the proof less its value, in the document's
    context)."""
    config = data_integrity_config(proof, document)
    return hashlib.sha256(canonical_nquads(config, "the proof options").encode("utf-8")).digest()


def serialize_sign_data(proof_hash_: bytes, public_key: bytes, mandatory_hash: bytes) -> bytes:
    """serializeSignData: what the issuer's key signs."""
    return proof_hash_ + public_key + mandatory_hash


def create_verify_data(document: dict[str, Any], proof: dict[str, Any]) -> VerifyData:
    """createVerifyData: canonicalise the revealed document, put back the signed blank node
    labels, and split the statements into mandatory (hashed) and non-mandatory (signed)."""
    parsed = parse_derived_proof_value(proof.get("proofValue"))
    hashed_proof = proof_hash(proof, document)
    try:
        quads = sd.quads_from_expanded(expand_strict(unsecured(document)))
        nquads, _labels = sd.label_replacement_canonicalize(
            quads, sd.label_map_factory(parsed.label_map)
        )
    except JsonLdError as error:
        raise jsonld_error(error, "the revealed document") from error
    except KeyError as error:
        raise ProofError(
            "the proof's label map does not cover the document's blank nodes: "
            "the credential was changed after it was derived"
        ) from error
    indexes = set(parsed.mandatory_indexes)
    if len(indexes) != len(parsed.mandatory_indexes) or not indexes <= set(range(len(nquads))):
        raise ProofError("the proof's mandatory indexes do not match the revealed statements")
    mandatory = [nq for index, nq in enumerate(nquads) if index in indexes]
    non_mandatory = [nq for index, nq in enumerate(nquads) if index not in indexes]
    return VerifyData(
        parsed.base_signature,
        hashed_proof,
        parsed.public_key,
        parsed.signatures,
        non_mandatory,
        sd.hash_mandatory(mandatory),
    )


def create_base_verify_data(document: dict[str, Any], proof: dict[str, Any]) -> VerifyData:
    """The same checks for a base proof, as the holder receives it: relabel with the HMAC
    key and group by the mandatory pointers, as the issuer did."""
    parsed = parse_base_proof_value(proof.get("proofValue"))
    hashed_proof = proof_hash(proof, document)
    try:
        grouped = sd.canonicalize_and_group(
            unsecured(document),
            sd.hmac_label_map_factory(parsed.hmac_key),
            {"mandatory": parsed.mandatory_pointers},
        )
    except JsonLdError as error:
        raise jsonld_error(error, "the document") from error
    except sd.SelectionError as error:
        raise ProofError(
            f"the proof's mandatory pointers do not fit the document ({error})"
        ) from error
    mandatory = grouped.groups["mandatory"]
    return VerifyData(
        parsed.base_signature,
        hashed_proof,
        parsed.public_key,
        parsed.signatures,
        list(mandatory.non_matching.values()),
        sd.hash_mandatory(mandatory.matching.values()),
    )


# --- signatures -----------------------------------------------------------------------------


def _der(signature: bytes) -> bytes:
    """A raw r || s P-256 signature in the DER form `cryptography` checks."""
    return encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )


def _p256_verify(public_key: ec.EllipticCurvePublicKey, signature: bytes, data: bytes) -> bool:
    try:
        public_key.verify(_der(signature), data, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    return True


def proof_scoped_key(public_key: bytes) -> ec.EllipticCurvePublicKey:
    """The proof-scoped public key from its multikey bytes."""
    try:
        return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), public_key[2:])
    except ValueError as error:
        raise ProofError("the proof-scoped key is not a valid P-256 point") from error


def issuer_p256_key(key: ResolvedKey) -> ec.EllipticCurvePublicKey:
    """The issuer's key, which must be P-256."""
    public_key = key.public_key
    if not isinstance(public_key, ec.EllipticCurvePublicKey):
        raise ProofError(f"{SUITE} needs a P-256 key, but {key.id} is another type")
    if public_key.curve.name != "secp256r1":
        raise ProofError(
            f"{SUITE} is defined for P-256 keys only; {key.id} is {public_key.curve.name}",
            code=ProofCode.UNSUPPORTED_SUITE,
        )
    return public_key


def check_signatures(issuer_key: ec.EllipticCurvePublicKey, data: VerifyData) -> None:
    """Check the issuer's base signature and each statement's signature, or raise."""
    if len(data.signatures) != len(data.non_mandatory):
        raise ProofError(
            f"the proof signs {len(data.signatures)} statements but the document has "
            f"{len(data.non_mandatory)}: the credential was changed after signing"
        )
    to_verify = serialize_sign_data(data.proof_hash, data.public_key, data.mandatory_hash)
    if not _p256_verify(issuer_key, data.base_signature, to_verify):
        raise ProofError(
            "the issuer's signature does not match: the mandatory statements or the proof "
            "options were changed, or it was signed with another key"
        )
    scoped = proof_scoped_key(data.public_key)
    for signature, statement in zip(data.signatures, data.non_mandatory, strict=True):
        if not _p256_verify(scoped, signature, statement.encode("utf-8")):
            raise ProofError(
                "a disclosed statement does not match its signature: the credential was "
                "changed after signing"
            )


@register(SUITE, proof_type="DataIntegrityProof", cryptosuite=SUITE)
def verify_ecdsa_sd(item: SuiteInput) -> ResolvedKey:
    """ecdsa-sd-2023: a derived proof (as a verifier gets it) or a base proof (the holder's)."""
    header = proof_header(item.proof.get("proofValue"))
    if header == BASE_HEADER:
        data = create_base_verify_data(item.document, item.proof)
    else:
        data = create_verify_data(item.document, item.proof)
    key = resolve_key(item.method_id)
    check_signatures(issuer_p256_key(key), data)
    return key
