"""Open Badges 1.0 and 0.5: hosted assertions fetched from the issuer, signed ones (JWS).

Everything is checked on the OB 2.0 upgrade (`credentials.formats.ob1`): the copy the
issuer hosts, its BadgeClass and its issuer organisation are upgraded as they are fetched.
Being old is never a failure: only what the issuer serves today decides.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from credentials.fetcher import FetchError, fetch
from credentials.formats import ob1, ob2
from credentials.formats.base import CredentialFormat, ParsedCredential, id_of, parse_datetime
from credentials.i18n import gettext as _
from credentials.verification import checks, jws
from credentials.verification.checks import CheckName, CheckResult, Code
from credentials.verification.families.common import (
    ProofFindings,
    Stop,
    confirm_hosted,
    fetch_json_status,
    fetch_status_stop,
    not_yet_verified,
    proof_failed,
    proof_undecided,
    proof_unreachable,
)
from credentials.verification.issuer import KeyLink

PEM_ACCEPT = "application/x-pem-file, text/plain;q=0.9, */*;q=0.1"


def _dates(document: dict[str, Any]) -> tuple[list[tuple[str, Any]], list[tuple[str, Any]]]:
    """The start and end dates of an upgraded assertion."""
    return [("issuedOn", document.get("issuedOn"))], [("expires", document.get("expires"))]


def _host(url: Any) -> str:
    """The lower-case host name of a URL, or empty."""
    return (urlsplit(url).hostname or "").lower() if isinstance(url, str) else ""


def _issuer_hosts(issuer: dict[str, Any]) -> set[str]:
    """The hosts an OB 1.0 issuer speaks for: where its profile lives and its `url`."""
    return {host for host in (_host(id_of(issuer)), _host(issuer.get("url"))) if host}


def _on_issuer_site(url: str, issuer: dict[str, Any]) -> bool:
    """Whether an address is on the issuer's site (or a subdomain of it)."""
    host = _host(url)
    if not host:
        return False
    if ob2.origin_allowed(url, issuer):
        return True
    return any(host == known or host.endswith(f".{known}") for known in _issuer_hosts(issuer))


def _fetch_upgraded(url: Any, what: str, upgrade: Any, at: datetime) -> dict[str, Any]:
    """A BadgeClass or Issuer served at `url`, upgraded when it is 1.0 (it names no id)."""
    code, document = fetch_json_status(url, what, at)
    if document is None:
        raise fetch_status_stop(code, what, at)
    if "@context" not in document or id_of(document) is None:
        return upgrade(document, url=url)
    if _host(id_of(document)) != _host(url):
        raise proof_failed(
            Code.MALFORMED,
            _("The %(what)s at %(url)s gives another id.") % {"what": what, "url": url},
            at,
        )
    return document


def _badge_and_issuer(assertion: dict[str, Any], at: datetime) -> tuple[dict, dict]:
    """The BadgeClass and issuer organisation of an upgraded assertion, as published."""
    badge = assertion.get("badge")
    if not isinstance(badge, dict):
        badge = _fetch_upgraded(badge, _("badge class"), ob1.upgrade_badge_class, at)
    issuer = badge.get("issuer")
    # Only 0.5 embeds its issuer, and it has nowhere else to be read from.
    if not isinstance(issuer, dict):
        issuer = _fetch_upgraded(issuer, _("issuer profile"), ob1.upgrade_issuer, at)
    return badge, issuer


def _recipient_key(recipient: Any) -> tuple[str, str, bool, str]:
    """A recipient identity object in a form two spellings of it compare equal in."""
    recipient = recipient if isinstance(recipient, dict) else {}
    return (
        str(recipient.get("type") or "email").lower(),
        str(recipient.get("identity") or "").lower(),
        bool(recipient.get("hashed")),
        str(recipient.get("salt") or ""),
    )


def _differs(copy: dict[str, Any], hosted: dict[str, Any]) -> bool:
    """Whether a copy says something the issuer's hosted assertion does not."""
    if _recipient_key(copy.get("recipient")) != _recipient_key(hosted.get("recipient")):
        return True
    if id_of(copy.get("badge")) != id_of(hosted.get("badge")):
        return True
    return any(_date_differs(copy.get(name), hosted.get(name)) for name in ("issuedOn", "expires"))


def _date_differs(mine: Any, theirs: Any) -> bool:
    """Whether two dates differ, whatever way each is written (ISO, unix timestamp)."""
    mine_at, theirs_at = parse_datetime(mine), parse_datetime(theirs)
    if mine_at is None or theirs_at is None:
        return mine != theirs
    return mine_at != theirs_at


def _hosted_copy(served: dict[str, Any], url: str, at: datetime) -> dict[str, Any]:
    """The assertion served at `url` in the OB 2.0 shape, whichever version it is."""
    if ob1.is_assertion(served):
        verify_url = ob1.verification_url(ob1.upgrade_assertion(served))
        if verify_url and _host(verify_url) != _host(url):
            raise proof_failed(
                Code.MALFORMED,
                _("The hosted assertion gives another address than its own."),
                at,
            )
        return ob1.upgrade_assertion(served, url=url)
    problem = ob2.structure_problem(served)
    if problem:
        raise proof_failed(Code.MALFORMED, problem, at)
    return served


def _revoked(findings: ProofFindings, at: datetime) -> ProofFindings:
    """The findings for an assertion its issuer withdrew."""
    findings.proof = checks.not_checked(
        CheckName.PROOF, Code.SKIPPED, _("The issuer no longer serves this badge."), at
    )
    findings.status = checks.failed(
        CheckName.STATUS, Code.REVOKED, _("The issuer has revoked it."), at
    )
    return findings


def verify_ob1_hosted(
    parsed: ParsedCredential,
    at: datetime,
    *,
    fetched: tuple[int, dict[str, Any] | None] | None = None,
) -> ProofFindings:
    """Verify a hosted assertion by fetching the issuer's copy (`fetched`: already done)."""
    document = parsed.document
    url = parsed.url or ob1.verification_url(document) or id_of(document) or ""
    starts, ends = _dates(document)
    findings = ProofFindings(
        proof=not_yet_verified(at),
        document=document,
        starts=starts,
        ends=ends,
        format=CredentialFormat.OB1,
    )
    try:
        if not url:
            # An OB 0.5 assertion as JSON: only the address baked with it could vouch for it.
            raise proof_undecided(
                Code.FORMAT_UNSUPPORTED,
                _("It does not say where its issuer hosts it, so this wallet cannot check it."),
                at,
            )
        code, served = fetched or fetch_json_status(url, _("hosted assertion"), at)
        if code == 410 or (served is not None and served.get("revoked") is True):
            return _revoked(findings, at)
        if served is None:
            raise fetch_status_stop(code, _("hosted assertion"), at)
        hosted = _hosted_copy(served, url, at)
        if parsed.url is None and _differs(document, hosted):
            raise proof_failed(
                Code.PROOF_INVALID, _("This copy differs from the one the issuer hosts."), at
            )
        findings.document = hosted
        findings.starts, findings.ends = _dates(hosted)
        badge, issuer = _badge_and_issuer(hosted, at)
        confirm_hosted(
            findings,
            url=url,
            badge=badge,
            issuer=issuer,
            is_allowed=_on_issuer_site(url, issuer),
            at=at,
        )
    except Stop as stop:
        findings.proof = stop.result
    return findings


def _fetch_public_key(url: Any, at: datetime) -> jws.PublicKey:
    """The PEM public key a signed 1.0 assertion names in `verify.url`."""
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        raise proof_failed(
            Code.MALFORMED, _("The %(what)s has no web address.") % {"what": _("signing key")}, at
        )
    try:
        response = fetch(url, accept=PEM_ACCEPT)
    except FetchError as exc:
        message = _("The %(what)s at %(url)s could not be fetched: %(reason)s") % {
            "what": _("signing key"),
            "url": url,
            "reason": exc.reason,
        }
        if exc.transient:
            raise proof_unreachable(message, at) from exc
        raise proof_failed(Code.MALFORMED, message, at) from exc
    if response.status != 200:
        raise fetch_status_stop(response.status, _("signing key"), at)
    try:
        return jws.load_pem_public_key(response.body.decode("ascii", errors="replace"))
    except jws.JwsError as exc:
        raise proof_failed(
            Code.MALFORMED,
            _("The %(what)s is not readable: %(reason)s")
            % {"what": _("signing key"), "reason": exc.reason},
            at,
        ) from exc


def _revocation_status(
    assertion: dict[str, Any], issuer: dict[str, Any], at: datetime
) -> CheckResult:
    """The assertion against its issuer's 1.0 revocation list (uid → reason)."""
    url = issuer.get("revocationList")
    if not url:
        return checks.not_checked(
            CheckName.STATUS, Code.NO_STATUS, _("The issuer publishes no revocation list."), at
        )
    try:
        code, listing = fetch_json_status(url, _("revocation list"), at)
    except Stop as stop:
        return checks.not_checked(
            CheckName.STATUS, Code.UNREACHABLE, stop.result.message, at, is_transient=True
        )
    if listing is None:
        # A missing list may come back (a deploy, a moved file): retry rather than condemn.
        message = _("The %(what)s answered HTTP %(status)d.") % {
            "what": _("revocation list"),
            "status": code,
        }
        return checks.not_checked(
            CheckName.STATUS, Code.UNREACHABLE, message, at, is_transient=True
        )
    uid = assertion.get("uid")
    if isinstance(uid, str) and uid in listing:
        reason = listing.get(uid)
        if isinstance(reason, str) and reason:
            message = _("The issuer has revoked it: %(reason)s") % {"reason": reason[:200]}
        else:
            message = _("The issuer has revoked it.")
        return checks.failed(CheckName.STATUS, Code.REVOKED, message, at)
    return checks.passed(CheckName.STATUS, _("Not on the issuer's revocation list."), at)


def verify_ob1_signed(parsed: ParsedCredential, at: datetime) -> ProofFindings:
    """Verify a signed assertion with the public key its `verify.url` serves."""
    document = parsed.document
    starts, ends = _dates(document)
    findings = ProofFindings(
        proof=not_yet_verified(at), document=document, starts=starts, ends=ends
    )
    try:
        if not parsed.jws:
            raise proof_failed(
                Code.PROOF_MISSING, _("A signed assertion arrived without its signature."), at
            )
        key_url = ob1.verification_url(document)
        key = _fetch_public_key(key_url, at)
        try:
            verified = jws.verify_compact(parsed.jws, key=key)
        except jws.JwsError as exc:
            if exc.transient:
                raise proof_unreachable(exc.reason, at) from exc
            raise proof_failed(
                Code.PROOF_INVALID,
                _("The signature does not hold: %(reason)s") % {"reason": exc.reason},
                at,
            ) from exc
        badge, issuer = _badge_and_issuer(document, at)
        findings.badge, findings.issuer_profile = badge, issuer
        findings.issuer_id, findings.issuer_name = id_of(issuer), str(issuer.get("name") or "")
        is_linked = _on_issuer_site(key_url or "", issuer)
        findings.link = KeyLink(
            is_linked=is_linked,
            key_id=key_url or "",
            controller=findings.issuer_id or "",
            how="" if is_linked else _("the key is not on the issuer's site"),
        )
        findings.proof = checks.passed(
            CheckName.PROOF,
            _("The signature is valid (%(suites)s).") % {"suites": verified.algorithm},
            at,
        )
        findings.status = _revocation_status(document, issuer, at)
    except Stop as stop:
        findings.proof = stop.result
    return findings


def verify_ob1(parsed: ParsedCredential, at: datetime) -> ProofFindings:
    """Verify an OB 1.0/0.5 assertion the way its `verify.type` says."""
    if ob1.verification_type(parsed.document) == "signed":
        return verify_ob1_signed(parsed, at)
    return verify_ob1_hosted(parsed, at)
