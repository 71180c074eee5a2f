"""What a share link shows, computed when it is read.

Nothing is copied when a link is made: hidden or deleted credentials and new
verdicts show up (or drop out) on the next read, in a fixed number of queries.
"""

import base64
import binascii
import hashlib
import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.db import models
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from credentials.formats.base import CredentialFormat
from credentials.models import Credential
from credentials.verification.checks import CheckName, CheckStatus
from sharing.disclosure import (
    apply_disclosures,
    is_disclosed_view,
    shows_image,
    with_proof_suite,
)
from sharing.models import ShareLink
from sharing.statements import Assessment, assess, standing_of, summary_sentence
from wallet.models import Skill, Wallet

VC2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB2_FORMATS = {CredentialFormat.OB2_HOSTED.value, CredentialFormat.OB2_SIGNED.value}


@dataclass
class SharedCredential:
    """One credential as the employer sees it, with what the link's options allow."""

    credential: Credential
    public_description: str
    skills: list[Skill]
    children: list[Credential]
    is_recipient_confirmed: bool
    evidence: list[dict[str, Any]] = field(default_factory=list)
    # Derived with fields left out by the learner (selective disclosure).
    has_withheld_details: bool = False

    @property
    def criteria(self) -> dict[str, Any]:
        criteria = (self.credential.normalized or {}).get("criteria") or {}
        return criteria if isinstance(criteria, dict) else {}

    @property
    def assessment(self) -> Assessment:
        """The plain statements and verdict an employer reads, in the active language."""
        return assess(self.credential, is_recipient_confirmed=self.is_recipient_confirmed)


@dataclass
class SharedContent:
    link: ShareLink
    wallet: Wallet | None
    items: list[SharedCredential]

    @property
    def learner_name(self) -> str:
        return learner_name(self.link, self.wallet)

    @property
    def headline(self) -> str:
        return self.wallet.headline if self.wallet else ""

    @property
    def summary(self) -> str:
        return summary_sentence([standing_of(item.credential) for item in self.items])

    @property
    def skills(self) -> list[Skill]:
        seen: dict[int, Skill] = {}
        for item in self.items:
            for skill in item.skills:
                seen.setdefault(skill.pk, skill)
        return sorted(seen.values(), key=lambda skill: skill.name.lower())


def learner_name(link: ShareLink, wallet: Wallet | None) -> str:
    """The name the learner chose to show, else a phrase that names no one."""
    if wallet and wallet.display_name:
        return wallet.display_name
    # Not the address's first part: the learner chose what the link shows of their email.
    return _("A Skills Wallet learner")


def _shown(link: ShareLink) -> QuerySet[Credential]:
    """Every output of a link (page, transcript, download, images) reads through here, so a
    credential issued to someone else never reaches an employer, however it was selected."""
    selected = Q(share_links=link) | Q(collections__share_links=link) | Q(skills__share_links=link)
    return (
        Credential.objects.owned_by(link.owner)
        .shareable()
        .filter(selected)
        .exclude(curation__is_hidden=True)
        .exclude(parent__curation__is_hidden=True)
    )


def shown_credentials(link: ShareLink, *, documents: bool = False) -> list[Credential]:
    """The link's credentials now: direct, via collections or skills; never hidden ones.

    Pages show the normalized view; only the download needs each full `document`.
    """
    deferred = () if documents else ("document",)
    return list(
        with_proof_suite(_shown(link))
        .distinct()
        .select_related("curation")
        .defer(*deferred)
        .prefetch_related(
            Prefetch("skills", queryset=Skill.objects.filter(owner=link.owner).order_by("name")),
            Prefetch(
                "children",
                queryset=Credential.objects.shareable().defer(*deferred).order_by("position"),
            ),
        )
        .order_by("-issued_at", "-created_at", "pk")
    )


def shown_credential(link: ShareLink, credential_uuid: uuid.UUID) -> Credential | None:
    """One credential the link shows now, by its uuid; None when it does not show it."""
    credential = (
        with_proof_suite(_shown(link))
        .filter(uuid=credential_uuid)
        .only("pk", "uuid", "image", "verdict", "original", "original_sha256", "format")
        .first()
    )
    if credential is not None and not shows_image(link, credential):
        # The learner withheld the image from the signed credential.
        return None
    return credential


def shared_content(link: ShareLink, *, documents: bool = False) -> SharedContent:
    """Everything the employer's page, the transcript and the download show."""
    wallet = Wallet.objects.filter(user_id=link.owner_id).first()
    shown = shown_credentials(link, documents=documents)
    items = apply_disclosures(link, [_shared(link, credential) for credential in shown])
    # Confirmed credentials first; newest first within each standing (a stable sort).
    items.sort(key=lambda item: standing_of(item.credential))
    return SharedContent(link=link, wallet=wallet, items=items)


def _shared(link: ShareLink, credential: Credential) -> SharedCredential:
    curation = getattr(credential, "curation", None)
    description = curation.public_description if curation and link.show_public_descriptions else ""
    evidence: list[dict[str, Any]] = []
    if link.show_evidence:
        listed = (credential.normalized or {}).get("evidence") or []
        evidence = [item for item in listed if isinstance(item, dict)]
        if credential.evidence_url:
            evidence.append({"url": credential.evidence_url})
    return SharedCredential(
        credential=credential,
        public_description=description,
        skills=list(credential.skills.all()),
        children=list(credential.children.all()),
        is_recipient_confirmed=is_recipient_confirmed(credential),
        evidence=evidence,
    )


def is_recipient_confirmed(credential: Credential) -> bool:
    """Whether the recipient check passed; self-reported learning has no recipient to check."""
    if credential.is_self_reported:
        return True
    for check in credential.checks or []:
        if isinstance(check, dict) and check.get("name") == CheckName.RECIPIENT:
            return check.get("status") == CheckStatus.PASSED
    return False


def content_digest(content: SharedContent) -> str:
    """A fingerprint of everything the transcript shows; it changes when the page would."""
    link = content.link
    parts: list[Any] = [
        link.token_hash,
        link.updated_at.isoformat() if link.updated_at else "",
        link.language,
        link.title,
        link.message,
        link.show_public_descriptions,
        link.show_evidence,
        link.show_email,
        link.include_originals_with_email,
        link.owner.email if link.show_email else "",
        content.learner_name,
        content.headline,
    ]
    for item in content.items:
        credential = item.credential
        parts.append(
            [
                credential.pk,
                credential.updated_at.isoformat(),
                credential.verdict,
                credential.verified_at.isoformat() if credential.verified_at else "",
                # Turns stale with time alone, the row unchanged.
                credential.is_verdict_stale,
                credential.original_sha256,
                item.public_description,
                [[skill.pk, skill.name, skill.framework, skill.code] for skill in item.skills],
                [[child.pk, child.verdict, child.name] for child in item.children],
            ]
        )
    encoded = json.dumps(parts, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


def verification_times(content: SharedContent) -> list[tuple[int, str | None]]:
    """When each shown credential (or the record it is part of) was last verified.

    Pairs of the top-level credential's id and the ISO time, None when never;
    self-reported learning is never verified and is left out.
    """
    times = []
    for item in content.items:
        credential = item.credential
        if credential.is_self_reported:
            continue
        verified_at = credential.verified_at.isoformat() if credential.verified_at else None
        times.append((credential.parent_id or credential.pk, verified_at))
    return times


def read_original(credential: Credential) -> bytes:
    """The exact bytes the credential arrived as (empty for self-reported learning)."""
    if is_disclosed_view(credential):
        return credential.disclosed_original
    if not credential.original:
        return b""
    with credential.original.open("rb") as handle:
        return handle.read()


def learner_addresses(owner: models.Model) -> set[str]:
    """Every address of the learner, in lower case: the login and allauth's addresses."""
    addresses = {owner.email.lower()} if owner.email else set()
    addresses.update(
        email.lower()
        for email in EmailAddress.objects.filter(user=owner).values_list("email", flat=True)
    )
    return addresses


# Segments of a JWT, SD-JWT or JWS: base64url that anyone can read.
_ENCODED_SEGMENT = re.compile(rb"[A-Za-z0-9_-]{16,}")


def names_address(original: bytes, addresses: Iterable[str]) -> bool:
    """Whether the original shows one of these addresses to whoever opens it."""
    readable = [original.lower()]
    for segment in _ENCODED_SEGMENT.findall(original[:1_000_000]):
        try:
            readable.append(base64.urlsafe_b64decode(segment + b"=" * (-len(segment) % 4)).lower())
        except (binascii.Error, ValueError):
            continue
    wanted = [address.lower().encode() for address in addresses if address]
    return any(address in text for address in wanted for text in readable)


def originals_with_email(
    credentials: Iterable[Credential], owner: models.Model
) -> list[Credential]:
    """The credentials whose original names the learner's address in the clear."""
    addresses = learner_addresses(owner)
    return [
        credential
        for credential in credentials
        if credential.original and names_address(read_original(credential), addresses)
    ]


def shared_original(
    link: ShareLink, credential: Credential, addresses: set[str]
) -> tuple[bytes, bool]:
    """The original a link's downloads carry, and whether it was withheld for the address.

    `addresses` are the learner's (`learner_addresses`), read once per download.
    """
    original = read_original(credential)
    if not original or link.show_email or link.include_originals_with_email:
        return original, False
    if names_address(original, addresses):
        return b"", True
    return original, False


def presentation(content: SharedContent, *, share_url: str) -> dict[str, Any]:
    """The shared originals for software: VCs in a W3C presentation, OB 2.0 as they are."""
    verifiable: list[Any] = []
    open_badges: list[Any] = []
    others: list[Any] = []
    listing: list[dict[str, Any]] = []
    addresses = learner_addresses(content.link.owner)
    for item in content.items:
        credential = item.credential
        original, withheld = shared_original(content.link, credential, addresses)
        entry: dict[str, Any] = {
            "name": credential.name,
            "issuer": credential.issuer_name,
            "format": credential.format,
            "verdict": credential.verdict,
            "verifiedAt": _iso(credential.verified_at),
            "issuedAt": _iso(credential.issued_at),
            "expiresAt": _iso(credential.expires_at),
            "recipientConfirmed": item.is_recipient_confirmed,
            # The employer page's words, in the reader's language; software reads the codes.
            "verdictText": item.assessment.verdict,
            "statements": {
                statement.kind: statement.text for statement in item.assessment.statements
            },
            "issuerIdentity": _issuer_identity(credential),
            "checks": [
                {key: str(check.get(key) or "") for key in ("name", "status", "code")}
                for check in credential.checks or []
                if isinstance(check, dict)
            ],
        }
        if withheld:
            # The signed original names the learner's address, which this link hides.
            entry["originalWithheld"] = True
        if is_disclosed_view(credential):
            # A derived credential: the learner may have left some of its fields out.
            entry["detailsWithheld"] = item.has_withheld_details
        if original:
            entry["original"] = {
                "name": credential.original_name,
                "contentType": credential.original_content_type,
                "sha256": credential.original_sha256,
                "base64": base64.b64encode(original).decode(),
            }
            as_found = _as_found(credential, original)
            if credential.format in OB2_FORMATS:
                open_badges.append(as_found)
            elif _is_verifiable_credential(credential):
                verifiable.append(as_found)
            else:
                others.append(as_found)
        listing.append(entry)
    document: dict[str, Any] = {
        "title": content.link.title,
        "learner": content.learner_name,
        "url": share_url,
        "generatedAt": _iso(timezone.now()),
        "presentation": {
            "@context": [VC2_CONTEXT],
            "type": ["VerifiablePresentation"],
            "verifiableCredential": verifiable,
        },
        "openBadges2": open_badges,
        "summary": content.summary,
        "credentials": listing,
    }
    if others:
        # Open Badges 1.0 and Blockcerts v2 are neither VCs nor OB 2.0: kept apart, as found.
        document["otherCredentials"] = others
    if content.link.show_email:
        document["email"] = content.link.owner.email
    return document


def _issuer_identity(credential: Credential) -> dict[str, str] | None:
    """The issuer check's finding, in the download's camelCase; None when never checked."""
    identity = credential.issuer_identity
    if not identity:
        return None
    words = {"issuer_id": "issuerId", "vouched_by": "vouchedBy", "vouched_by_url": "vouchedByUrl"}
    words |= {"registered_name": "registeredName", "impersonated_name": "impersonatedName"}
    return {words.get(key, key): value for key, value in identity.items()}


def _is_verifiable_credential(credential: Credential) -> bool:
    """Whether the original is a W3C VC a presentation may hold (Blockcerts v3 is; v2 not)."""
    if credential.format == CredentialFormat.OB1.value:
        return False
    if credential.format == CredentialFormat.BLOCKCERTS.value:
        kinds = (
            (credential.document or {}).get("type")
            if isinstance(credential.document, dict)
            else None
        )
        return "VerifiableCredential" in (kinds if isinstance(kinds, list) else [kinds])
    return True


def _as_found(credential: Credential, original: bytes) -> Any:
    """JSON originals as parsed from their bytes, JWTs as text, baked images as their data."""
    if credential.original_content_type == "application/jwt":
        token = original.decode("ascii", errors="replace").strip()
        if credential.format in OB2_FORMATS:
            return token
        return {
            "@context": [VC2_CONTEXT],
            "id": f"data:application/vc+jwt,{token}",
            "type": "EnvelopedVerifiableCredential",
        }
    if credential.original_content_type == "application/json":
        try:
            return json.loads(original)
        except ValueError:
            return credential.document
    return credential.document


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None
