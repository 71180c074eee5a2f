"""Resolve a verification method id (did:key, did:jwk, did:web, an https key document) to a key.

Every remote document comes through `credentials.fetcher.fetch_json(url, cache=True)`.
`KeyResolutionError.transient` tells "could not fetch" (try again later: the
verdict is `unverifiable`) from "this key is bad or missing" (`failed`).
"""

import base64
import binascii
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urldefrag

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from credentials.fetcher import FetchError, fetch_json

PublicKey = ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey | rsa.RSAPublicKey

_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")
_BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BASE58_INDEX = {char: index for index, char in enumerate(_BASE58_ALPHABET)}
_ED25519_HEADER = b"\xed\x01"
# Multicodec varints of compressed EC points: p256-pub 0x1200, p384-pub 0x1201,
# secp256k1-pub 0xe7; the value is (curve, compressed point length, name).
_EC_MULTIKEYS: dict[bytes, tuple[type[ec.EllipticCurve], int, str]] = {
    b"\x80\x24": (ec.SECP256R1, 33, "P-256"),
    b"\x81\x24": (ec.SECP384R1, 49, "P-384"),
    b"\xe7\x01": (ec.SECP256K1, 33, "secp256k1"),
}
_MIN_RSA_BITS = 2048
_MAX_ID_LENGTH = 4096
_VM_LISTS = (
    "verificationMethod",
    "publicKey",
    "assertionMethod",
    "authentication",
    "capabilityInvocation",
    "capabilityDelegation",
)


class KeyResolutionError(Exception):
    """A key could not be resolved.

    `transient` is True when fetching failed, not the key; `unsupported` when the wallet
    cannot read this kind of key or DID method (nothing is proven wrong about it).
    """

    def __init__(self, reason: str, *, transient: bool = False, unsupported: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient
        self.unsupported = unsupported


@dataclass(frozen=True)
class ResolvedKey:
    """A public key, who controls it, and whether the controller lists it for assertions."""

    id: str
    controller: str | None
    public_key: PublicKey
    type: str
    controller_document: dict[str, Any] | None
    is_assertion_method: bool


def base58_encode(data: bytes) -> str:
    """Encode bytes as base58btc (Bitcoin alphabet)."""
    number = int.from_bytes(data, "big")
    encoded = ""
    while number:
        number, remainder = divmod(number, 58)
        encoded = _BASE58_ALPHABET[remainder] + encoded
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + encoded


def base58_decode(text: str) -> bytes:
    """Decode base58btc, raising ValueError on a character outside the alphabet."""
    number = 0
    for char in text:
        if char not in _BASE58_INDEX:
            raise ValueError(f"{char!r} is not a base58btc character")
        number = number * 58 + _BASE58_INDEX[char]
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    zeros = len(text) - len(text.lstrip("1"))
    return b"\0" * zeros + body


def multibase_decode(value: Any) -> bytes:
    """Decode a base58btc multibase string ("z…"), the only base these suites use."""
    if not isinstance(value, str) or not value.startswith("z") or len(value) > _MAX_ID_LENGTH:
        raise ValueError("expected a base58btc multibase value starting with 'z'")
    return base58_decode(value[1:])


def b64url_decode(text: str) -> bytes:
    """Decode unpadded base64url strictly (no padding, no other alphabet)."""
    if not isinstance(text, str) or not _BASE64URL.fullmatch(text) or len(text) % 4 == 1:
        raise ValueError("not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as error:
        raise ValueError("not base64url") from error


def _multikey_public_key(value: Any, where: str) -> PublicKey:
    """Read a multicodec-prefixed public key (Ed25519, P-256, P-384, secp256k1) from multibase."""
    try:
        raw = multibase_decode(value)
    except ValueError as error:
        raise KeyResolutionError(f"{where}: publicKeyMultibase is not valid ({error})") from error
    if raw.startswith(_ED25519_HEADER):
        if len(raw) != 34:
            raise KeyResolutionError(f"{where}: the key has the wrong length for its type")
        return ed25519.Ed25519PublicKey.from_public_bytes(raw[2:])
    if raw[:2] in _EC_MULTIKEYS:
        curve, length, name = _EC_MULTIKEYS[raw[:2]]
        if len(raw) != 2 + length:
            raise KeyResolutionError(f"{where}: the key has the wrong length for its type")
        try:
            return ec.EllipticCurvePublicKey.from_encoded_point(curve(), raw[2:])
        except ValueError as error:
            raise KeyResolutionError(f"{where}: not a valid {name} point") from error
    raise KeyResolutionError(
        f"{where}: unsupported key type (only Ed25519, P-256, P-384 and secp256k1 multikeys)",
        unsupported=True,
    )


def _checked_rsa(key: rsa.RSAPublicKey, where: str) -> rsa.RSAPublicKey:
    """Refuse RSA keys too short to be trusted."""
    if key.key_size < _MIN_RSA_BITS:
        raise KeyResolutionError(f"{where}: RSA key of {key.key_size} bits is too short")
    return key


# JWK `crv` -> (curve, coordinate length); secp256k1 is JsonWebSignature2020's ES256K.
_JWK_CURVES: dict[str, tuple[ec.EllipticCurve, int]] = {
    "P-256": (ec.SECP256R1(), 32),
    "P-384": (ec.SECP384R1(), 48),
    "secp256k1": (ec.SECP256K1(), 32),
}


def public_key_from_jwk(jwk: Any, where: str = "JWK") -> PublicKey:
    """Build a public key from a JWK: OKP Ed25519, EC P-256/P-384, or RSA ≥ 2048 bits."""
    if not isinstance(jwk, dict):
        raise KeyResolutionError(f"{where}: a JWK must be a JSON object")
    kty, crv = jwk.get("kty"), jwk.get("crv")
    try:
        if kty == "OKP" and crv == "Ed25519":
            raw = b64url_decode(jwk.get("x", ""))
            if len(raw) != 32:
                raise KeyResolutionError(f"{where}: Ed25519 key must be 32 bytes")
            return ed25519.Ed25519PublicKey.from_public_bytes(raw)
        if kty == "EC" and crv in _JWK_CURVES:
            curve, size = _JWK_CURVES[crv]
            x, y = b64url_decode(jwk.get("x", "")), b64url_decode(jwk.get("y", ""))
            if len(x) != size or len(y) != size:
                raise KeyResolutionError(f"{where}: {crv} coordinates have the wrong length")
            numbers = ec.EllipticCurvePublicNumbers(
                int.from_bytes(x, "big"), int.from_bytes(y, "big"), curve
            )
            return numbers.public_key()
        if kty == "RSA":
            n, e = b64url_decode(jwk.get("n", "")), b64url_decode(jwk.get("e", ""))
            numbers = rsa.RSAPublicNumbers(int.from_bytes(e, "big"), int.from_bytes(n, "big"))
            return _checked_rsa(numbers.public_key(), where)
    except ValueError as error:
        raise KeyResolutionError(f"{where}: the JWK is not a valid key ({error})") from error
    raise KeyResolutionError(
        f"{where}: unsupported JWK (kty={kty!r}, crv={crv!r})", unsupported=True
    )


def public_key_from_pem(pem: Any, where: str = "publicKeyPem") -> PublicKey:
    """Load a PEM public key: Ed25519, EC P-256/P-384, or RSA ≥ 2048 bits."""
    if not isinstance(pem, str) or len(pem) > 16_384:
        raise KeyResolutionError(f"{where}: not a PEM public key")
    try:
        key = serialization.load_pem_public_key(pem.strip().encode("ascii"))
    except (ValueError, UnicodeError, UnsupportedAlgorithm) as error:
        raise KeyResolutionError(f"{where}: not a valid PEM public key") from error
    if isinstance(key, rsa.RSAPublicKey):
        return _checked_rsa(key, where)
    if isinstance(key, ed25519.Ed25519PublicKey):
        return key
    if isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name in ("secp256r1", "secp384r1"):
        return key
    raise KeyResolutionError(
        f"{where}: unsupported key type {type(key).__name__}", unsupported=True
    )


def public_key_from_method(method: dict[str, Any], where: str) -> PublicKey:
    """Read the key material of a verification method in any of the supported shapes."""
    if "publicKeyMultibase" in method:
        return _multikey_public_key(method["publicKeyMultibase"], where)
    if "publicKeyJwk" in method:
        return public_key_from_jwk(method["publicKeyJwk"], where)
    if "publicKeyPem" in method:
        return public_key_from_pem(method["publicKeyPem"], where)
    if "publicKeyBase58" in method:
        try:
            raw = base58_decode(str(method["publicKeyBase58"]))
        except ValueError as error:
            raise KeyResolutionError(f"{where}: publicKeyBase58 is not valid") from error
        if len(raw) != 32:
            raise KeyResolutionError(f"{where}: publicKeyBase58 is not a 32-byte Ed25519 key")
        return ed25519.Ed25519PublicKey.from_public_bytes(raw)
    raise KeyResolutionError(f"{where}: the verification method carries no public key")


def _type_of(method: dict[str, Any]) -> str:
    """Name the verification method's type (the first, when it lists several)."""
    kind = method.get("type")
    if isinstance(kind, list):
        kind = next((item for item in kind if isinstance(item, str)), "")
    return kind if isinstance(kind, str) else ""


def _absolute(reference: Any, base: str) -> str | None:
    """Resolve "#fragment" references against a DID or document URL."""
    if not isinstance(reference, str):
        return None
    return base + reference if reference.startswith("#") else reference


def find_method(document: dict[str, Any], method_id: str) -> dict[str, Any] | None:
    """Find the verification method with `method_id` anywhere it may be listed."""
    base = str(document.get("id") or "")
    for name in _VM_LISTS:
        entries = document.get(name)
        for entry in entries if isinstance(entries, list) else [entries]:
            if isinstance(entry, dict) and _absolute(entry.get("id"), base) == method_id:
                return entry
    return None


def lists_assertion_method(document: dict[str, Any], method_id: str) -> bool:
    """Tell whether the document names `method_id` under assertionMethod."""
    base = str(document.get("id") or "")
    entries = document.get("assertionMethod")
    for entry in entries if isinstance(entries, list) else [entries]:
        reference = entry.get("id") if isinstance(entry, dict) else entry
        if _absolute(reference, base) == method_id:
            return True
    return False


def _fetch_document(url: str, what: str) -> dict[str, Any]:
    """Fetch a JSON object through the fetcher, turning its errors into key errors."""
    try:
        document = fetch_json(url, cache=True)
    except FetchError as error:
        raise KeyResolutionError(
            f"could not fetch the {what} {url}: {error.reason}", transient=error.transient
        ) from error
    if not isinstance(document, dict):
        raise KeyResolutionError(f"the {what} at {url} is not a JSON object")
    return document


def _did_key(did: str, fragment: str) -> ResolvedKey:
    """Resolve did:key: the key is in the identifier, so it is its own assertion method."""
    identifier = did.removeprefix("did:key:")
    if fragment and fragment != identifier:
        raise KeyResolutionError(f"{did}#{fragment}: a did:key fragment must repeat the key")
    public_key = _multikey_public_key(identifier, did)
    method_id = f"{did}#{identifier}"
    method = {
        "id": method_id,
        "type": "Multikey",
        "controller": did,
        "publicKeyMultibase": identifier,
    }
    document = {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [method],
        "assertionMethod": [method_id],
        "authentication": [method_id],
    }
    return ResolvedKey(method_id, did, public_key, "Multikey", document, True)


def _did_jwk(did: str, fragment: str) -> ResolvedKey:
    """Resolve did:jwk: the identifier is the base64url JWK; its one key is "#0"."""
    if fragment not in ("", "0"):
        raise KeyResolutionError(f"{did}#{fragment}: a did:jwk has only the key #0")
    try:
        jwk = json.loads(b64url_decode(did.removeprefix("did:jwk:")))
    except (ValueError, UnicodeDecodeError) as error:
        raise KeyResolutionError(f"{did}: the identifier is not a base64url JWK") from error
    if isinstance(jwk, dict) and "d" in jwk:
        raise KeyResolutionError(f"{did}: the JWK contains a private key")
    public_key = public_key_from_jwk(jwk, did)
    method_id = f"{did}#0"
    method = {"id": method_id, "type": "JsonWebKey", "controller": did, "publicKeyJwk": jwk}
    document = {"id": did, "verificationMethod": [method], "assertionMethod": [method_id]}
    return ResolvedKey(method_id, did, public_key, "JsonWebKey", document, True)


def did_web_url(did: str) -> str:
    """Turn did:web:host[%3Aport][:path…] into the URL of its DID document."""
    parts = did.removeprefix("did:web:").split(":")
    host = unquote(parts[0])
    if not host or any(not part for part in parts) or "/" in host or "@" in host:
        raise KeyResolutionError(f"{did}: not a valid did:web identifier")
    path = "/".join(unquote(part) for part in parts[1:])
    if any(segment in (".", "..") for segment in path.split("/")):
        raise KeyResolutionError(f"{did}: not a valid did:web identifier")
    return f"https://{host}/{path}/did.json" if path else f"https://{host}/.well-known/did.json"


def _from_controller_document(
    document: dict[str, Any], method_id: str, controller: str
) -> ResolvedKey:
    """Pick a verification method out of a controller document."""
    method = find_method(document, method_id)
    if method is None:
        raise KeyResolutionError(f"{controller} lists no key {method_id}")
    method_controller = method.get("controller", controller)
    if method_controller != controller:
        raise KeyResolutionError(
            f"{method_id} is controlled by {method_controller}, not {controller}"
        )
    public_key = public_key_from_method(method, method_id)
    is_assertion = lists_assertion_method(document, method_id)
    return ResolvedKey(method_id, controller, public_key, _type_of(method), document, is_assertion)


def _did_web(did: str, fragment: str) -> ResolvedKey:
    """Resolve did:web by fetching its DID document over https."""
    document = _fetch_document(did_web_url(did), "DID document")
    if document.get("id") != did:
        raise KeyResolutionError(f"the DID document for {did} names a different id")
    if not fragment:
        raise KeyResolutionError(f"{did}: a did:web key id needs a #fragment")
    return _from_controller_document(document, f"{did}#{fragment}", did)


def resolve_did_document(did: str) -> dict[str, Any]:
    """Return the DID document of a did:key, did:jwk or did:web (fetched for did:web)."""
    if did.startswith("did:web:"):
        document = _fetch_document(did_web_url(did), "DID document")
        if document.get("id") != did:
            raise KeyResolutionError(f"the DID document for {did} names a different id")
        return document
    return _resolve_did(did, "").controller_document or {}


def _resolve_did(did: str, fragment: str) -> ResolvedKey:
    """Dispatch on the DID method."""
    if did.startswith("did:key:"):
        return _did_key(did, fragment)
    if did.startswith("did:jwk:"):
        return _did_jwk(did, fragment)
    if did.startswith("did:web:"):
        return _did_web(did, fragment)
    method = did.split(":")[1] if did.count(":") >= 2 else did
    raise KeyResolutionError(
        f"unsupported DID method {method[:40]!r} (did:key, did:jwk, did:web)", unsupported=True
    )


def _controller_lists(controller: str, method_id: str) -> tuple[dict[str, Any], bool]:
    """Fetch an https key's controller and tell whether it lists the key for assertions."""
    if controller.startswith("did:"):
        document = resolve_did_document(controller)
    else:
        document = _fetch_document(controller, "key controller document")
    if document.get("id") not in (None, controller):
        raise KeyResolutionError(f"the controller document at {controller} names a different id")
    listed = lists_assertion_method(document, method_id)
    public_keys = document.get("publicKey")
    for entry in public_keys if isinstance(public_keys, list) else [public_keys]:
        reference = entry.get("id") if isinstance(entry, dict) else entry
        listed = listed or reference == method_id
    return document, listed


def _https_key(method_id: str) -> ResolvedKey:
    """Resolve a key published as a JSON document at an https URL."""
    url, _fragment = urldefrag(method_id)
    document = _fetch_document(url, "key document")
    if document.get("id") == method_id:
        method = document
    else:
        found = find_method(document, method_id)
        if found is None:
            raise KeyResolutionError(f"the document at {url} has no key {method_id}")
        method = found
        if document.get("id") and "controller" not in method:
            method = {**method, "controller": document["id"]}
    public_key = public_key_from_method(method, method_id)
    controller = method.get("controller") or method.get("owner")
    if not isinstance(controller, str):
        return ResolvedKey(method_id, None, public_key, _type_of(method), None, False)
    if controller == document.get("id") and method is not document:
        listed = lists_assertion_method(document, method_id)
        return ResolvedKey(method_id, controller, public_key, _type_of(method), document, listed)
    controller_document, listed = _controller_lists(controller, method_id)
    return ResolvedKey(
        method_id, controller, public_key, _type_of(method), controller_document, listed
    )


def resolve_key(verification_method: Any) -> ResolvedKey:
    """Resolve a verification method id to its public key and controller."""
    if not isinstance(verification_method, str) or not verification_method:
        raise KeyResolutionError("the verification method is not an id string")
    if len(verification_method) > _MAX_ID_LENGTH:
        raise KeyResolutionError("the verification method id is too long")
    if verification_method.startswith("did:"):
        did, _, fragment = verification_method.partition("#")
        return _resolve_did(did, fragment)
    if verification_method.startswith(("https://", "http://")):
        return _https_key(verification_method)
    raise KeyResolutionError(
        f"cannot resolve key {verification_method[:200]!r}: not a DID or https URL",
        unsupported=True,
    )
