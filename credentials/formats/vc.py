"""Open Badges 3.0 / W3C Verifiable Credentials, as JSON-LD or as VC-JWT."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from credentials.formats.base import (
    CredentialFormat,
    ParsedCredential,
    id_of,
    parse_datetime,
    types_of,
)

VC_TYPES = ("VerifiableCredential",)
CLR_TYPES = ("ClrCredential",)


def is_credential(document: dict[str, Any]) -> bool:
    """Whether a JSON object is a Verifiable Credential (any flavour)."""
    kinds = types_of(document)
    return any(kind in VC_TYPES for kind in kinds) or any(kind in CLR_TYPES for kind in kinds)


def is_clr(document: dict[str, Any]) -> bool:
    """Whether the credential is a 1EdTech CLR 2.0 ClrCredential."""
    return any(kind in CLR_TYPES for kind in types_of(document))


def credential_in_claims(claims: dict[str, Any]) -> dict[str, Any] | None:
    """The credential a VC-JWT carries: the `vc` claim (VCDM 1.1) or the payload itself."""
    inner = claims.get("vc")
    if isinstance(inner, dict):
        return inner
    if is_credential(claims):
        return claims
    return None


def from_json(document: dict[str, Any], original: bytes) -> ParsedCredential:
    """A JSON-LD credential secured (or not) by an embedded proof."""
    fmt = CredentialFormat.CLR if is_clr(document) else CredentialFormat.OB3_VC
    return ParsedCredential(format=fmt, document=document, original=original)


def from_jwt(
    token: str, claims: dict[str, Any], credential: dict[str, Any], original: bytes
) -> ParsedCredential:
    """A VC-JWT: the credential is read from the claims, the token kept for verification."""
    fmt = CredentialFormat.CLR if is_clr(credential) else CredentialFormat.OB3_JWT
    return ParsedCredential(
        format=fmt, document=credential, original=original, jws=token, claims=claims
    )


def claims_problem(claims: dict[str, Any], credential: dict[str, Any]) -> str | None:
    """Why a VC-JWT's claims contradict the credential (OB 3.0 section 8), or None."""
    issuer_id = id_of(credential.get("issuer"))
    subject = credential.get("credentialSubject")
    subject_id = id_of(subject) if isinstance(subject, dict) else None
    pairs = [
        ("iss", claims.get("iss"), issuer_id),
        ("jti", claims.get("jti"), credential.get("id")),
        ("sub", claims.get("sub"), subject_id),
    ]
    for claim, in_token, in_credential in pairs:
        if in_token is not None and in_credential is not None and in_token != in_credential:
            return _("The JWT claim “%(claim)s” disagrees with the credential inside it.") % {
                "claim": claim
            }
    if claims.get("iss") is None and issuer_id is None:
        return _("The JWT does not name its issuer (iss).")
    for claim, fields in (
        ("nbf", ("validFrom", "issuanceDate")),
        ("exp", ("validUntil", "expirationDate")),
    ):
        token_time = parse_datetime(claims.get(claim))
        for name in fields:
            own = parse_datetime(credential.get(name))
            if token_time and own and abs((token_time - own).total_seconds()) >= 1:
                return _("The JWT claim “%(claim)s” disagrees with %(field)s.") % {
                    "claim": claim,
                    "field": name,
                }
    return None
