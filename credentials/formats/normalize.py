"""A plain, format-independent view of a credential for pages, search and transcripts."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from credentials.formats.base import CredentialFormat, id_of, types_of

MAX_TEXT = 10_000
MAX_RESULTS = 100
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SAFE_IMAGE_DATA = re.compile(r"^data:image/(png|jpeg|gif|webp|svg\+xml)[;,]", re.IGNORECASE)


def text(value: Any) -> str:
    """Plain text from a string or a JSON-LD value object; anything else is empty."""
    if isinstance(value, dict):
        value = value.get("@value", value.get("value"))
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    if not isinstance(value, str):
        return ""
    return _CONTROL.sub("", value)[:MAX_TEXT]


def url(value: Any) -> str:
    """An http(s) URL or empty; other schemes (javascript:, file:) are dropped."""
    candidate = text(value) if not isinstance(value, dict) else text(id_of(value))
    return candidate if candidate.lower().startswith(("https://", "http://")) else ""


def image(value: Any) -> str:
    """An image address (http(s) or a data: URI of an image type); never fetched here."""
    candidate = text(id_of(value) if isinstance(value, dict) else value)
    if _SAFE_IMAGE_DATA.match(candidate):
        return candidate
    return url(candidate)


def date(value: Any) -> str:
    """An ISO 8601 string from a date string or a JWT NumericDate; unreadable text as is."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, tz=UTC).isoformat()
        except (OverflowError, OSError, ValueError):
            return ""
    raw = text(value)
    try:
        parsed = datetime.fromisoformat(raw.replace("z", "Z"))
    except ValueError:
        return raw
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).isoformat()


def _as_list(value: Any) -> list[Any]:
    """A value as a list (None is empty)."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _alignment(node: Any) -> dict[str, str] | None:
    """One alignment (OB 2.0 or 3.0 names) as plain fields."""
    if not isinstance(node, dict):
        return None
    return {
        "framework": text(node.get("targetFramework") or node.get("framework")),
        "code": text(node.get("targetCode") or node.get("code")),
        "name": text(node.get("targetName") or node.get("name")),
        "url": url(node.get("targetUrl") or node.get("url")),
        "description": text(node.get("targetDescription") or node.get("description")),
    }


def _evidence(node: Any) -> dict[str, str] | None:
    """One piece of evidence (a URL or an object) as plain fields."""
    if isinstance(node, str):
        return {"id": url(node), "name": "", "narrative": "", "description": ""}
    if not isinstance(node, dict):
        return None
    return {
        "id": url(node.get("id")),
        "name": text(node.get("name")),
        "narrative": text(node.get("narrative")),
        "description": text(node.get("description")),
    }


def _result(
    node: Any, described: dict[str, dict[str, Any]], levels: dict[str, str]
) -> dict[str, str] | None:
    """One OB 3.0 result as plain fields, named by the achievement's `resultDescription`.

    A result points at its description by id; the description gives its name and type,
    and a rubric result's `achievedLevel` points at a rubric level by id (issuers do not
    always put it under the same description, so every level is looked up).
    """
    if not isinstance(node, dict):
        return None
    description = described.get(text(node.get("resultDescription")), {})
    achieved = text(node.get("achievedLevel"))
    return {
        "name": text(description.get("name")),
        "result_type": text(description.get("resultType")),
        "value": text(node.get("value")),
        "status": text(node.get("status")),
        "achieved_level": levels.get(achieved, ""),
        "required_value": text(description.get("requiredValue")),
        "value_max": text(description.get("valueMax")),
        "result_description": text(node.get("resultDescription")),
    }


def _result_descriptions(achievement: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """An achievement's result descriptions by id (capped like every list read here)."""
    return {
        text(node.get("id")): node
        for node in _as_list(achievement.get("resultDescription"))[:MAX_RESULTS]
        if isinstance(node, dict) and text(node.get("id"))
    }


def _rubric_levels(described: dict[str, dict[str, Any]]) -> dict[str, str]:
    """The name of every rubric level of an achievement's result descriptions, by id."""
    return {
        text(level.get("id")): text(level.get("name")) or text(level.get("level"))
        for description in described.values()
        for level in _as_list(description.get("rubricCriterionLevel"))[:MAX_RESULTS]
        if isinstance(level, dict)
    }


def _criteria(node: Any) -> dict[str, str]:
    """Criteria as a narrative and/or a URL."""
    if isinstance(node, str):
        return {"narrative": "", "url": url(node)}
    if isinstance(node, dict):
        return {"narrative": text(node.get("narrative")), "url": url(node.get("id"))}
    return {"narrative": "", "url": ""}


def _issuer(node: Any) -> dict[str, str]:
    """The issuer (an id or a profile) as plain fields."""
    if isinstance(node, dict):
        return {
            "id": text(id_of(node)),
            "name": text(node.get("name")),
            "url": url(node.get("url")) or url(node.get("id")),
            "email": text(node.get("email")),
        }
    return {"id": text(node), "name": "", "url": url(node), "email": ""}


def _empty_view() -> dict[str, Any]:
    """The normalized view with every key present and empty."""
    return {
        "credential_id": "",
        "name": "",
        "description": "",
        "criteria": {"narrative": "", "url": ""},
        "image": "",
        "achievement_id": "",
        "achievement_type": "",
        "issuer": {"id": "", "name": "", "url": "", "email": ""},
        "issued_on": "",
        "expires_on": "",
        "alignments": [],
        "evidence": [],
        "results": [],
        "credits_earned": "",
        "credits_available": "",
        "awarded_on": "",
        "activity_start": "",
        "activity_end": "",
        "term": "",
        "recipient": {},
    }


def _ob2(document: dict[str, Any], badge: Any, issuer: Any) -> dict[str, Any]:
    """The view of an OB 2.0 assertion with its BadgeClass and Issuer."""
    view = _empty_view()
    badge_node = badge if isinstance(badge, dict) else document.get("badge")
    badge_node = badge_node if isinstance(badge_node, dict) else {}
    issuer_node = issuer if issuer is not None else badge_node.get("issuer")
    recipient = document.get("recipient") if isinstance(document.get("recipient"), dict) else {}
    view.update(
        credential_id=text(document.get("id")),
        name=text(badge_node.get("name")),
        description=text(badge_node.get("description")),
        criteria=_criteria(badge_node.get("criteria")),
        image=image(document.get("image")) or image(badge_node.get("image")),
        achievement_id=text(id_of(badge_node) or document.get("badge")),
        issuer=_issuer(issuer_node),
        issued_on=date(document.get("issuedOn")),
        expires_on=date(document.get("expires")),
        alignments=[a for a in map(_alignment, _as_list(badge_node.get("alignment"))) if a],
        evidence=[e for e in map(_evidence, _as_list(document.get("evidence"))) if e],
        recipient={
            "type": text(recipient.get("type")),
            "identity": text(recipient.get("identity")),
            "hashed": bool(recipient.get("hashed")),
        },
    )
    if document.get("narrative"):
        view["evidence"].append(
            {"id": "", "name": "", "narrative": text(document["narrative"]), "description": ""}
        )
    return view


def _vc(document: dict[str, Any]) -> dict[str, Any]:
    """The view of an OB 3.0 / VC / CLR credential."""
    view = _empty_view()
    subject = document.get("credentialSubject")
    subject = (subject[0] if subject else {}) if isinstance(subject, list) else subject
    subject = subject if isinstance(subject, dict) else {}
    # A CLR's subject lists many achievements; the CLR itself is named by the document.
    is_clr = "ClrCredential" in types_of(document)
    achievement = None if is_clr else subject.get("achievement")
    achievement = (
        (achievement[0] if achievement else {}) if isinstance(achievement, list) else achievement
    )
    achievement = achievement if isinstance(achievement, dict) else {}
    identifiers = [
        {"type": text(node.get("identityType")), "hashed": bool(node.get("hashed"))}
        for node in _as_list(subject.get("identifier"))
        if isinstance(node, dict)
    ]
    described = _result_descriptions(achievement)
    levels = _rubric_levels(described)
    view.update(
        credential_id=text(document.get("id")),
        name=text(achievement.get("name")) or text(document.get("name")),
        description=text(achievement.get("description")) or text(document.get("description")),
        criteria=_criteria(achievement.get("criteria")),
        image=image(achievement.get("image")) or image(document.get("image")),
        achievement_id=text(achievement.get("id")),
        achievement_type=text(achievement.get("achievementType")),
        issuer=_issuer(document.get("issuer")),
        issued_on=date(document.get("validFrom") or document.get("issuanceDate")),
        expires_on=date(document.get("validUntil") or document.get("expirationDate")),
        alignments=[a for a in map(_alignment, _as_list(achievement.get("alignment"))) if a],
        evidence=[e for e in map(_evidence, _as_list(document.get("evidence"))) if e],
        results=[
            result
            for node in _as_list(subject.get("result"))[:MAX_RESULTS]
            if (result := _result(node, described, levels))
        ],
        credits_earned=text(subject.get("creditsEarned")),
        credits_available=text(achievement.get("creditsAvailable")),
        awarded_on=date(document.get("awardedDate")),
        activity_start=date(subject.get("activityStartDate")),
        activity_end=date(subject.get("activityEndDate")),
        term=text(subject.get("term")),
        recipient={
            "id": text(subject.get("id")),
            "name": text(subject.get("name")),
            "identifiers": identifiers,
        },
    )
    return view


def _blockcerts(document: dict[str, Any]) -> dict[str, Any]:
    """The view of a Blockcerts certificate: v2 reads as OB 2.0, v3 as a VC with a `claim`."""
    if "credentialSubject" not in document:
        view = _ob2(document, None, None)
        profile = document.get("recipientProfile")
        if isinstance(profile, dict):
            view["recipient"]["name"] = text(profile.get("name"))
        return view
    view = _vc(document)
    subject = document.get("credentialSubject")
    subject = subject if isinstance(subject, dict) else {}
    claim = subject.get("claim") if isinstance(subject.get("claim"), dict) else {}
    view["name"] = view["name"] or text(claim.get("name"))
    view["description"] = view["description"] or text(claim.get("description"))
    if not any(view["criteria"].values()):
        view["criteria"] = _criteria(claim.get("criteria"))
    view["achievement_id"] = view["achievement_id"] or text(claim.get("id"))
    return view


def normalize(
    document: dict[str, Any],
    *,
    format: CredentialFormat,
    badge: dict[str, Any] | None = None,
    issuer: dict[str, Any] | None = None,
    claims: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The plain view of one credential; OB 2.0 takes its fetched BadgeClass and Issuer.

    A VC-JWT's `claims` fill in what VCDM 1.1 lets the token carry instead of the
    credential: dates (`nbf`, `exp`), the credential id (`jti`) and the recipient (`sub`).
    """
    if format in (CredentialFormat.OB2_HOSTED, CredentialFormat.OB2_SIGNED, CredentialFormat.OB1):
        return _ob2(document, badge, issuer)
    if format == CredentialFormat.BLOCKCERTS:
        return _blockcerts(document)
    view = _vc(document)
    claims = claims or {}
    view["issued_on"] = view["issued_on"] or date(claims.get("nbf"))
    view["expires_on"] = view["expires_on"] or date(claims.get("exp"))
    view["credential_id"] = view["credential_id"] or text(claims.get("jti"))
    view["recipient"]["id"] = view["recipient"]["id"] or text(claims.get("sub"))
    if not view["issuer"]["id"]:
        view["issuer"]["id"] = text(claims.get("iss"))
    return view
