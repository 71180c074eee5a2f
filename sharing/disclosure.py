"""Selective disclosure on share links: what the learner withholds, and what the employer
receives instead of a base proof.

A credential with an ecdsa-sd-2023 base proof never leaves the wallet as it is: the base
proof holds the issuer's HMAC key and a signature for every statement. Every output of a
link (page, transcript and its attachments, JSON download) reads the credential through
`apply_disclosures`, which swaps it for a view of the derived credential: only what it
reveals, and its bytes as the original. Derived credentials are made and checked when the
link is saved and cached under the original's digest; a read only derives on a cache miss.
"""

import copy
import dataclasses
import hashlib
import json
import logging
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields.json import KT
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from credentials.disclosure import (
    DisclosureError,
    allows_selective_disclosure,
    base_document,
    cached_disclosures,
    check_withheld,
    disclosed_credential,
    disclosure_cache_key,
)
from credentials.formats.base import CredentialFormat
from credentials.formats.normalize import normalize
from credentials.models import Credential
from credentials.verification.suites.ecdsa_sd import SUITE
from sharing.models import ShareLink, WithheldFields
from wallet.models import Collection, Skill

logger = logging.getLogger(__name__)

# The annotation `shown_credentials` adds: the cryptosuite of a single embedded proof.
PROOF_SUITE = "proof_suite"
MAX_WITHHELD_CREDENTIALS = 500

Choices = dict[int, list[str]]


def with_proof_suite(queryset: models.QuerySet[Credential]) -> models.QuerySet[Credential]:
    """Annotate each credential with its proof's cryptosuite, read in the same query."""
    return queryset.annotate(**{PROOF_SUITE: KT("document__proof__cryptosuite")})


# --- the learner's choice -------------------------------------------------------------------


def reached_credentials(
    *,
    credentials: Iterable[Credential],
    collections: Iterable[Collection],
    skills: Iterable[Skill],
) -> list[Credential]:
    """Every credential a selection shows: chosen directly, or through a collection or skill."""
    direct = {credential.pk: credential for credential in credentials}
    through = Credential.objects.filter(
        models.Q(collections__in=list(collections)) | models.Q(skills__in=list(skills))
    ).distinct()
    for credential in through:
        direct.setdefault(credential.pk, credential)
    return list(direct.values())


def check_withheld_choices(
    *, owner: models.Model, reached: list[Credential], withheld: Mapping[Any, Any]
) -> Choices:
    """The learner's withheld fields by credential id, each checked and derived once.

    `withheld` maps credential uuids to JSON pointers. Raises ValidationError naming the
    credential or pointer that cannot be withheld.
    """
    if not isinstance(withheld, Mapping):
        raise ValidationError(
            _("Withheld fields must map credential ids to lists of JSON pointers."),
            code="withheld",
        )
    if len(withheld) > MAX_WITHHELD_CREDENTIALS:
        raise ValidationError(_("Too many credentials in withheld fields."), code="withheld")
    by_uuid = {str(credential.uuid): credential for credential in reached}
    choices: Choices = {}
    for key, pointers in withheld.items():
        credential = by_uuid.get(str(key))
        if credential is None:
            key_uuid = _as_uuid(key)
            elsewhere = (
                Credential.objects.owned_by(owner).filter(uuid=key_uuid).first()
                if key_uuid
                else None
            )
            if elsewhere is None:
                raise ValidationError(
                    _("No credential of yours has the id “%(id)s”.") % {"id": str(key)[:80]},
                    code="withheld_unknown",
                )
            raise ValidationError(
                _("“%(name)s” is not shown on this link, so nothing of it can be withheld.")
                % {"name": elsewhere.name},
                code="withheld_not_shared",
            )
        signed = base_document(credential)
        if signed is None:
            raise ValidationError(
                _(
                    "“%(name)s” was not signed for selective disclosure: it is shared whole "
                    "or not at all."
                )
                % {"name": credential.name},
                code="withheld_not_selective",
            )
        try:
            checked = check_withheld(signed, pointers)
            if checked:
                disclosed_credential(credential, checked)
        except DisclosureError as error:
            raise ValidationError(
                _("“%(name)s”: %(reason)s") % {"name": credential.name, "reason": str(error)},
                code="withheld_field",
            ) from error
        if checked:
            choices[credential.pk] = checked
    return choices


def _as_uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def prepare_disclosures(reached: list[Credential], choices: Choices) -> None:
    """Derive and check, ahead of any employer, what each selective-disclosure credential of a
    link shows with nothing withheld (those with choices were derived when checked).

    One that cannot be derived (its base proof no longer holds) is left out of every output
    of the link when read, never sent with its base proof.
    """
    for credential in reached:
        if credential.pk in choices or not allows_selective_disclosure(credential):
            continue
        try:
            disclosed_credential(credential, [])
        except DisclosureError:
            logger.warning("credential %s cannot be derived for sharing", credential.pk)


def set_withheld(link: ShareLink, choices: Choices) -> None:
    """Store the link's withheld fields, replacing what it had (inside the caller's
    transaction)."""
    WithheldFields.objects.filter(link=link).delete()
    WithheldFields.objects.bulk_create(
        WithheldFields(link=link, credential_id=pk, pointers=pointers)
        for pk, pointers in choices.items()
    )


def withheld_by_uuid(link: ShareLink) -> dict[str, list[str]]:
    """The link's withheld fields as the API shows them: credential uuid -> pointers."""
    rows = WithheldFields.objects.filter(link=link)
    return {
        str(uuid): pointers
        for uuid, pointers in rows.values_list("credential__uuid", "pointers")
        if pointers
    }


# --- what the employer receives -------------------------------------------------------------


def apply_disclosures(link: ShareLink, items: list[Any]) -> list[Any]:
    """The link's shared items with every selective-disclosure credential replaced by the
    view of its derived credential; one that cannot be derived is left out, never sent
    with its base proof."""
    candidates = [item for item in items if _maybe_selective(item.credential)]
    if not candidates:
        return items
    withheld = dict(
        WithheldFields.objects.filter(link=link).values_list("credential_id", "pointers")
    )
    requests = [(item.credential, withheld.get(item.credential.pk, [])) for item in candidates]
    cached = cached_disclosures(requests)
    replaced: dict[int, Any] = {}
    for item, (credential, pointers) in zip(candidates, requests, strict=True):
        key = disclosure_cache_key(credential, pointers)
        if key in cached:
            derived = cached[key] or None
        else:
            try:
                derived = disclosed_credential(credential, pointers)
            except DisclosureError:
                logger.exception("could not derive credential %s for a share link", credential.pk)
                replaced[credential.pk] = None
                continue
        if derived is None:
            # Not a base proof after all (a derived credential the learner imported).
            continue
        view = disclosed_view(credential, derived)
        evidence: list[dict[str, Any]] = []
        if link.show_evidence:
            evidence = [e for e in view.normalized["evidence"] if isinstance(e, dict)]
            if credential.evidence_url:
                # The learner's own link, not part of the signed credential.
                evidence.append({"url": credential.evidence_url})
        replaced[credential.pk] = dataclasses.replace(
            item, credential=view, evidence=evidence, has_withheld_details=bool(pointers)
        )
    shown = []
    for item in items:
        if item.credential.pk not in replaced:
            shown.append(item)
        elif replaced[item.credential.pk] is not None:
            shown.append(replaced[item.credential.pk])
    return shown


def shows_image(link: ShareLink, credential: Credential) -> bool:
    """Whether the credential's image is part of what the link shows of it."""
    if not _maybe_selective(credential):
        return True
    pointers = (
        WithheldFields.objects.filter(link=link, credential=credential)
        .values_list("pointers", flat=True)
        .first()
    ) or []
    try:
        derived = disclosed_credential(credential, pointers)
    except DisclosureError:
        return False
    if derived is None:
        return True
    return bool(normalize(derived, format=CredentialFormat(credential.format))["image"])


def _maybe_selective(credential: Credential) -> bool:
    suite = credential.__dict__.get(PROOF_SUITE, SUITE)
    return suite == SUITE and not credential.is_self_reported and bool(credential.original)


def disclosed_view(credential: Credential, derived: dict[str, Any]) -> Credential:
    """A copy of `credential` (never saved) that shows only what `derived` reveals, with the
    derived credential as its original."""
    view = copy.copy(credential)
    data = json.dumps(derived, ensure_ascii=False, indent=2).encode("utf-8")
    normalized = normalize(derived, format=CredentialFormat(credential.format))
    view.document = derived
    view.normalized = normalized
    view.name = normalized["name"] or _("A credential whose name the learner withheld")
    view.description = normalized["description"]
    view.issuer_name = normalized["issuer"]["name"] or normalized["issuer"]["id"]
    view.issued_at = _moment(normalized["issued_on"])
    view.expires_at = _moment(normalized["expires_on"])
    if not normalized["image"]:
        view.image = ""
    view.original_content_type = "application/json"
    view.original_sha256 = hashlib.sha256(data).hexdigest()
    stem = (credential.original_name or "credential").rsplit(".", 1)[0]
    view.original_name = f"{stem}.json"
    # Read by `sharing.content.read_original` in place of the stored file.
    view.disclosed_original = data
    return view


def is_disclosed_view(credential: Credential) -> bool:
    """Whether this is a `disclosed_view`, whose original is the derived credential."""
    return "disclosed_original" in credential.__dict__


def _moment(value: str) -> datetime | None:
    if not value:
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        return None
