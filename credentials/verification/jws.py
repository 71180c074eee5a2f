"""Parse and verify compact JWS / JWT: EdDSA, ES256, ES384, ES256K, RS256 and PS256.

The key comes from, in order: the caller (OB 2.0: the issuer profile's PEM
key), the header's `kid` (resolved through `keys.resolve_key`), the header's
`jwk` (integrity only: `key_source == "jwk-header"`, the key is not linked to
anyone), or a did:key / did:jwk `iss` claim. An algorithm is accepted only
with its own key type, so an RSA key can never be used as an HMAC secret.
"""

import json
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from credentials.verification.keys import (
    KeyResolutionError,
    PublicKey,
    ResolvedKey,
    b64url_decode,
    public_key_from_jwk,
    public_key_from_pem,
    resolve_key,
)

ALGORITHMS = ("RS256", "PS256", "ES256", "ES384", "ES256K", "EdDSA")
# ECDSA algorithms: the curve each requires, its hash, and the length of r and of s.
_ECDSA: dict[str, tuple[str, hashes.HashAlgorithm, int]] = {
    "ES256": ("secp256r1", hashes.SHA256(), 32),
    "ES384": ("secp384r1", hashes.SHA384(), 48),
    "ES256K": ("secp256k1", hashes.SHA256(), 32),
}
MAX_TOKEN_LENGTH = 2 * 1024 * 1024


class JwsError(Exception):
    """A token is malformed or its signature does not hold.

    `transient` when only a fetch failed; `undecided` names the check code when the wallet
    cannot check it (`proof_unsupported_suite` for an algorithm it does not support,
    `key_unresolvable` for a key it cannot resolve): nothing is proven wrong then.
    """

    def __init__(self, reason: str, *, transient: bool = False, undecided: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient
        self.undecided = undecided


@dataclass(frozen=True)
class ParsedJws:
    """The decoded parts of a compact JWS, not yet verified."""

    header: dict[str, Any]
    payload: bytes
    signing_input: bytes
    signature: bytes

    @property
    def algorithm(self) -> str:
        """Return the header's alg."""
        return str(self.header.get("alg"))

    @property
    def claims(self) -> dict[str, Any] | None:
        """Return the payload as a JSON object, or None when it is not one."""
        try:
            value = json.loads(self.payload)
        except (ValueError, RecursionError):
            return None
        return value if isinstance(value, dict) else None


@dataclass(frozen=True)
class VerifiedJws:
    """A token whose signature holds, with the key that checked it and where it came from."""

    header: dict[str, Any]
    payload: bytes
    claims: dict[str, Any] | None
    algorithm: str
    public_key: PublicKey
    key: ResolvedKey | None
    key_source: str


def _decode_segment(segment: str, name: str) -> bytes:
    """Decode one base64url segment, naming it when it is malformed."""
    try:
        return b64url_decode(segment)
    except ValueError as error:
        raise JwsError(f"the token's {name} is not valid base64url") from error


def parse_compact(token: Any) -> ParsedJws:
    """Split and decode a compact JWS, refusing anything malformed or unsupported."""
    if isinstance(token, bytes):
        try:
            token = token.decode("ascii")
        except UnicodeDecodeError as error:
            raise JwsError("the token is not ASCII text") from error
    if not isinstance(token, str):
        raise JwsError("the token is not text")
    token = token.strip()
    if len(token) > MAX_TOKEN_LENGTH:
        raise JwsError(f"the token is larger than {MAX_TOKEN_LENGTH} bytes")
    parts = token.split(".")
    if len(parts) == 5:
        raise JwsError("encrypted tokens (JWE) are not supported")
    if len(parts) != 3:
        raise JwsError(f"a compact JWS has 3 parts separated by dots, this one has {len(parts)}")
    header_bytes = _decode_segment(parts[0], "header")
    try:
        header = json.loads(header_bytes)
    except (ValueError, RecursionError) as error:
        raise JwsError("the token's header is not JSON") from error
    if not isinstance(header, dict):
        raise JwsError("the token's header is not a JSON object")
    algorithm = header.get("alg")
    if isinstance(algorithm, str) and algorithm.lower() == "none":
        raise JwsError("unsigned tokens (alg: none) are refused")
    if not isinstance(algorithm, str) or not algorithm:
        raise JwsError("the token's header names no algorithm")
    if algorithm not in ALGORITHMS:
        # A shared-secret (HS*) or unknown algorithm: only its issuer could check it.
        raise JwsError(
            f"algorithm {algorithm[:20]!r} is not one this wallet checks ({', '.join(ALGORITHMS)})",
            undecided="proof_unsupported_suite",
        )
    if "crit" in header:
        raise JwsError(
            f"the token requires header extensions this wallet does not know: {header['crit']!r}"
        )
    payload = _decode_segment(parts[1], "payload")
    signature = _decode_segment(parts[2], "signature")
    return ParsedJws(header, payload, f"{parts[0]}.{parts[1]}".encode("ascii"), signature)


def load_pem_public_key(pem: Any) -> PublicKey:
    """Load a PEM public key for `verify_compact(key=…)`, raising `JwsError` when it is unusable."""
    try:
        return public_key_from_pem(pem, "the signing key")
    except KeyResolutionError as error:
        raise JwsError(error.reason) from error


def _kid_reference(kid: Any, claims: dict[str, Any] | None) -> str:
    """Make a relative kid ("#key-1") absolute against a DID issuer."""
    if not isinstance(kid, str) or not kid:
        raise JwsError("the token's kid is not a string")
    if kid.startswith("#"):
        issuer = (claims or {}).get("iss")
        if isinstance(issuer, str) and issuer.startswith("did:"):
            return issuer + kid
        raise JwsError(f"the token's kid {kid!r} is relative and its issuer is not a DID")
    return kid


def _select_key(
    parsed: ParsedJws, key: PublicKey | None
) -> tuple[PublicKey, ResolvedKey | None, str]:
    """Find the key that must have signed the token, and say where it came from."""
    if key is not None:
        return key, None, "caller"
    header, claims = parsed.header, parsed.claims
    try:
        if "kid" in header:
            resolved = resolve_key(_kid_reference(header["kid"], claims))
            return resolved.public_key, resolved, "kid"
        if "jwk" in header:
            jwk = header["jwk"]
            if isinstance(jwk, dict) and "d" in jwk:
                raise JwsError("the token's header carries a private key")
            return public_key_from_jwk(jwk, "the header's jwk"), None, "jwk-header"
        issuer = (claims or {}).get("iss")
        if isinstance(issuer, str) and issuer.startswith(("did:key:", "did:jwk:")):
            resolved = resolve_key(issuer)
            return resolved.public_key, resolved, "iss"
    except KeyResolutionError as error:
        raise JwsError(
            error.reason,
            transient=error.transient,
            undecided="key_unresolvable" if error.unsupported else "",
        ) from error
    raise JwsError("the token names no key (kid) and carries none (jwk)")


def _check_signature(algorithm: str, public_key: PublicKey, signature: bytes, data: bytes) -> None:
    """Verify with the one key type each algorithm allows."""
    try:
        if algorithm == "EdDSA" and isinstance(public_key, ed25519.Ed25519PublicKey):
            public_key.verify(signature, data)
            return
        if algorithm in _ECDSA and isinstance(public_key, ec.EllipticCurvePublicKey):
            curve, digest, size = _ECDSA[algorithm]
            if public_key.curve.name == curve:
                if len(signature) != 2 * size:
                    raise JwsError(f"an {algorithm} signature must be {2 * size} bytes (r || s)")
                r = int.from_bytes(signature[:size], "big")
                s = int.from_bytes(signature[size:], "big")
                public_key.verify(encode_dss_signature(r, s), data, ec.ECDSA(digest))
                return
        if algorithm == "RS256" and isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
            return
        if algorithm == "PS256" and isinstance(public_key, rsa.RSAPublicKey):
            pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
            public_key.verify(signature, data, pss, hashes.SHA256())
            return
    except InvalidSignature as error:
        raise JwsError(
            "the signature does not match: the token was changed or signed with another key"
        ) from error
    kind = type(public_key).__name__.removeprefix("_").replace("PublicKey", "")
    raise JwsError(f"algorithm {algorithm} does not match the key type ({kind})")


def verify_compact(token: Any, *, key: PublicKey | None = None) -> VerifiedJws:
    """Verify a compact JWS/JWT and return its verified header, payload and key."""
    parsed = parse_compact(token)
    public_key, resolved, source = _select_key(parsed, key)
    _check_signature(parsed.algorithm, public_key, parsed.signature, parsed.signing_input)
    return VerifiedJws(
        header=parsed.header,
        payload=parsed.payload,
        claims=parsed.claims,
        algorithm=parsed.algorithm,
        public_key=public_key,
        key=resolved,
        key_source=source,
    )
