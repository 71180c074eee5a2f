"""One entry point: which credentials are in these bytes, whatever the format."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from credentials.formats import baked, blockcerts, clr, jwt, ob1, ob2, safejson, vc, vp
from credentials.formats.base import CredentialFormatError, ParsedCredential

MAX_MEMBERS = 200
# Each credential may cost remote fetches when verified; a file is not allowed to ask for more.
MAX_CREDENTIALS = 500


def _member_bytes(member: Any) -> bytes:
    """The bytes of a container member as received (JSON or JWT text)."""
    if isinstance(member, str):
        return member.encode()
    return json.dumps(member, ensure_ascii=False, separators=(",", ":")).encode()


def _from_token(
    token: str, original: bytes, media_type: str = "application/jwt"
) -> list[ParsedCredential]:
    """The credentials a compact JWS/JWT holds; `original` is a `media_type` (a JWT, or the
    image it was baked into)."""
    return _typed(_credentials_in_token(token, original), original, media_type)


def _typed(
    found: list[ParsedCredential], original: bytes, media_type: str
) -> list[ParsedCredential]:
    """Say what the original is on each credential whose original it is (not on the
    members of a presentation, whose originals are their own JSON or JWT)."""
    for parsed in found:
        if parsed.original is original:
            parsed.media_type = media_type
    return found


def _credentials_in_token(token: str, original: bytes) -> list[ParsedCredential]:
    _header, claims = jwt.decode_unverified(token)
    if isinstance(claims.get("vp"), dict):
        return _from_members(vp.members(claims["vp"]))
    credential = vc.credential_in_claims(claims)
    if credential is not None:
        parsed = vc.from_jwt(token, claims, credential, original)
        if parsed.format == "clr":
            parsed.children = _from_members(clr.nested_credentials(credential))
        return [parsed]
    if ob2.is_assertion(claims):
        return [ob2.from_jws(token, claims, original)]
    if ob1.is_assertion(claims):
        return [ob1.from_jws(token, claims, original)]
    raise CredentialFormatError(
        _("The JWT holds neither a Verifiable Credential nor an Open Badges assertion.")
    )


def _from_document(
    document: dict[str, Any], original: bytes, media_type: str = "application/json"
) -> list[ParsedCredential]:
    """The credentials a JSON object is or holds; `original` is a `media_type`."""
    return _typed(_credentials_in_document(document, original), original, media_type)


def _credentials_in_document(document: dict[str, Any], original: bytes) -> list[ParsedCredential]:
    if vp.is_presentation(document):
        return _from_members(vp.members(document))
    # Blockcerts v2 is an OB 2.0 Assertion and v3 a VC: tell them apart before either.
    if blockcerts.is_certificate(document):
        return [blockcerts.from_json(document, original)]
    if vc.is_credential(document):
        parsed = vc.from_json(document, original)
        if parsed.format == "clr":
            parsed.children = _from_members(clr.nested_credentials(document))
        return [parsed]
    if ob2.is_assertion(document):
        return [ob2.from_json(document, original)]
    if ob1.is_assertion(document):
        return [ob1.from_json(document, original)]
    raise CredentialFormatError(
        _("The JSON is not a credential this wallet knows (Open Badges, VC, CLR or presentation).")
    )


# VCDM 2.0 wraps a JOSE-secured credential in a presentation as a data: URL.
_ENVELOPED_PREFIXES = ("data:application/vc+jwt,", "data:application/vc-ld+jwt,")


def _unwrapped(member: Any) -> Any:
    """An `EnvelopedVerifiableCredential`'s token, or the member as it is."""
    if not isinstance(member, dict) or "EnvelopedVerifiableCredential" not in (
        member.get("type") if isinstance(member.get("type"), list) else [member.get("type")]
    ):
        return member
    reference = member.get("id")
    for prefix in _ENVELOPED_PREFIXES:
        if isinstance(reference, str) and reference.startswith(prefix):
            return reference.removeprefix(prefix)
    raise CredentialFormatError(
        _("An enveloped credential in the container is not a VC-JWT this wallet reads.")
    )


def _from_members(members: list[Any]) -> list[ParsedCredential]:
    """The credentials held by a presentation or CLR."""
    if len(members) > MAX_MEMBERS:
        raise CredentialFormatError(
            _("The container holds more than %(count)d credentials.") % {"count": MAX_MEMBERS}
        )
    found: list[ParsedCredential] = []
    for member in members:
        member = _unwrapped(member)
        original = _member_bytes(member)
        if isinstance(member, str) and jwt.is_compact_jws(member):
            found.extend(_from_token(member, original))
        elif isinstance(member, dict):
            found.extend(_from_document(member, original))
        else:
            raise CredentialFormatError(_("A member of the container is not a credential."))
    return found


def _from_text(text: str, original: bytes, container: str | None = None) -> list[ParsedCredential]:
    """The credentials in JSON or JWT text (baked into a `container` image when given)."""
    stripped = text.strip()
    if stripped[:1] in ("{", "[", '"', "-") or stripped[:1].isdigit():
        return _from_document(safejson.loads(stripped), original, container or "application/json")
    if jwt.is_compact_jws(stripped):
        return _from_token(stripped, original, container or "application/jwt")
    raise CredentialFormatError(_("The file is neither JSON, a JWT, nor a baked badge image."))


def _from_baked(
    payload: baked.BakedPayload, image: bytes, media_type: str
) -> list[ParsedCredential]:
    """The credentials baked into an image of `media_type`."""
    text = payload.text
    if text.startswith(("https://", "http://")) and not payload.is_ob3:
        found = _typed([ob2.from_url(text, image)], image, media_type)
    else:
        found = _from_text(text, image, media_type)
    for parsed in found:
        parsed.baked_image = image
    return found


def _number(found: list[ParsedCredential]) -> list[ParsedCredential]:
    """Number every credential found in reading order."""
    every = [parsed for top in found for parsed in top.walk()]
    if len(every) > MAX_CREDENTIALS:
        raise CredentialFormatError(
            _("The file holds more than %(count)d credentials.") % {"count": MAX_CREDENTIALS}
        )
    for position, parsed in enumerate(every):
        parsed.index = position
    return found


def read_credentials(data: bytes, *, filename: str | None = None) -> list[ParsedCredential]:
    """Every credential in the bytes (a presentation yields its members); raises if none."""
    if not data:
        raise CredentialFormatError(_("The file is empty."))
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise CredentialFormatError(
            _("The file is larger than %(size)s.")
            % {"size": filesizeformat(settings.IMPORT_MAX_BYTES)}
        )
    found = _number(_read(data, (filename or "").lower()))
    if not found:
        raise CredentialFormatError(_("The presentation holds no credentials."))
    return found


def _read(data: bytes, name: str) -> list[ParsedCredential]:
    """The credentials in a file of any supported kind."""
    if baked.is_png(data):
        return _from_baked(baked.read_png(data), data, "image/png")
    if name.endswith(".svg") or baked.looks_like_svg(data):
        return _from_baked(baked.read_svg(data), data, "image/svg+xml")
    if len(data) > settings.FETCH_MAX_BYTES:
        raise CredentialFormatError(
            _("The file is larger than %(size)s.")
            % {"size": filesizeformat(settings.FETCH_MAX_BYTES)}
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CredentialFormatError(
            _("The file is neither text (JSON, JWT) nor a PNG or SVG image.")
        ) from exc
    return _from_text(text, data)
