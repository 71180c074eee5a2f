"""What every proof family shares: what a family finds, how it stops, and fetching."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from credentials.fetcher import FetchError, fetch
from credentials.formats import safejson
from credentials.formats.base import CredentialFormat, CredentialFormatError, id_of
from credentials.i18n import gettext as _
from credentials.jsonld import JsonLdError, UnknownContextError, expand_strict
from credentials.verification import checks
from credentials.verification.checks import CheckName, CheckResult, Code
from credentials.verification.issuer import KeyLink


@dataclass
class ProofFindings:
    """What verifying the proof established, for the checks that follow it."""

    proof: CheckResult
    document: dict[str, Any]
    link: KeyLink | None = None
    issuer_id: str | None = None
    issuer_name: str = ""
    status: CheckResult | None = None
    starts: list[tuple[str, Any]] = field(default_factory=list)
    ends: list[tuple[str, Any]] = field(default_factory=list)
    badge: dict[str, Any] | None = None
    issuer_profile: dict[str, Any] | None = None
    # Set when fetching shows another format than the bytes did: a baked address that
    # serves an Open Badges 1.0 assertion.
    format: CredentialFormat | None = None
    # The domain seen serving both the issuer's profile and its key (Open Badges 2.0): what
    # binds the issuer to a web domain when no DID does.
    issuer_domain: str = ""


class Stop(Exception):
    """Ends proof verification early with the given check result."""

    def __init__(self, result: CheckResult) -> None:
        """Carry the check result to report."""
        super().__init__(str(result.message))
        self.result = result


def not_yet_verified(at: datetime) -> CheckResult:
    """The proof check before anything is known: never passed by default."""
    return checks.not_checked(CheckName.PROOF, Code.SKIPPED, _("The proof was not verified."), at)


def proof_failed(code: Code, message: str, at: datetime) -> Stop:
    """Stop with a failed proof check."""
    return Stop(checks.failed(CheckName.PROOF, code, message, at))


def proof_unreachable(message: str, at: datetime) -> Stop:
    """Stop with a proof check that could not run (retried later)."""
    return Stop(
        checks.not_checked(CheckName.PROOF, Code.UNREACHABLE, message, at, is_transient=True)
    )


def issuer_of(document: dict[str, Any]) -> tuple[str | None, str]:
    """The issuer id and name of a credential."""
    issuer = document.get("issuer")
    name = issuer.get("name") if isinstance(issuer, dict) else None
    return id_of(issuer), name if isinstance(name, str) else ""


def vc_dates(document: dict[str, Any]) -> tuple[list[tuple[str, Any]], list[tuple[str, Any]]]:
    """The start and end dates of a VC (VCDM 2.0 and 1.1 names)."""
    starts = [(name, document.get(name)) for name in ("validFrom", "issuanceDate")]
    ends = [(name, document.get(name)) for name in ("validUntil", "expirationDate")]
    return starts, ends


def expand_without_proof(document: dict[str, Any], at: datetime) -> None:
    """Refuse a credential using terms its contexts do not define."""
    # The proof's own terms are the proof verifier's business; this checks what is claimed.
    try:
        expand_strict({key: value for key, value in document.items() if key != "proof"})
    except UnknownContextError as exc:
        raise proof_undecided(
            Code.CONTEXT_UNKNOWN,
            _("It uses a JSON-LD context this wallet does not have: %(url)s") % {"url": exc.url},
            at,
        ) from exc
    except JsonLdError as exc:
        raise proof_failed(
            Code.UNKNOWN_TERM,
            _("It uses terms its JSON-LD contexts do not define: %(reason)s")
            % {"reason": exc.reason},
            at,
        ) from exc


def link_for(key: Any, issuer_id: str | None) -> KeyLink:
    """How a resolved key relates to the issuer: linked when the issuer lists it to assert."""
    if key is None:
        return KeyLink(is_linked=False, how=_("the key could not be identified"))
    is_linked = bool(issuer_id) and key.controller == issuer_id and key.is_assertion_method
    how = ""
    if not is_linked and issuer_id and key.controller == issuer_id:
        how = _("the issuer does not list this key for issuing credentials (assertionMethod)")
    elif not is_linked:
        how = _("the key belongs to %(controller)s") % {"controller": key.controller or key.id}
    return KeyLink(is_linked=is_linked, key_id=key.id, controller=key.controller or "", how=how)


def proof_undecided(code: str, message: str, at: datetime) -> Stop:
    """Stop with a proof check the wallet cannot decide (unverifiable, not retried)."""
    return Stop(checks.not_checked(CheckName.PROOF, Code(code), message, at))


def fetch_json_status(url: Any, what: str, at: datetime) -> tuple[int, dict[str, Any] | None]:
    """Fetch a JSON object: its status, and the object when the status is 200."""
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        raise proof_failed(
            Code.MALFORMED, _("The %(what)s has no web address.") % {"what": what}, at
        )
    try:
        response = fetch(url)
    except FetchError as exc:
        message = _("The %(what)s at %(url)s could not be fetched: %(reason)s") % {
            "what": what,
            "url": url,
            "reason": exc.reason,
        }
        if exc.transient:
            raise proof_unreachable(message, at) from exc
        raise proof_failed(Code.MALFORMED, message, at) from exc
    if response.status != 200:
        return response.status, None
    try:
        return 200, safejson.loads(response.body)
    except CredentialFormatError as exc:
        raise proof_failed(
            Code.MALFORMED,
            _("The %(what)s is not readable: %(reason)s") % {"what": what, "reason": exc.reason},
            at,
        ) from exc


def fetch_node(node: Any, what: str, at: datetime) -> dict[str, Any]:
    """An embedded object as is, or the object its URL serves."""
    if isinstance(node, dict):
        return node
    return fetch_published(node, what, at)


def fetch_published(url: Any, what: str, at: datetime) -> dict[str, Any]:
    """The object served at `url`, which must name itself by an id on that same host."""
    code, document = fetch_json_status(url, what, at)
    if document is None:
        raise fetch_status_stop(code, what, at)
    # Publishers often drop or add ".json" in the id; the host is what vouches for it.
    host = (urlsplit(url).hostname or "").lower()
    if (urlsplit(id_of(document) or "").hostname or "").lower() != host:
        raise proof_failed(
            Code.MALFORMED,
            _("The %(what)s at %(url)s gives another id.") % {"what": what, "url": url},
            at,
        )
    return document


def fetch_issuer(badge: dict[str, Any], at: datetime) -> dict[str, Any]:
    """The issuer profile as its issuer publishes it, never as a copy embedded elsewhere."""
    # An embedded profile could claim any id and any keys or allowed origins; only the one
    # served at the issuer's own address can say which keys and origins are its own.
    return fetch_published(id_of(badge.get("issuer")), _("issuer profile"), at)


def fetch_status_stop(code: int, what: str, at: datetime) -> Stop:
    """Stop on an HTTP error: retried for server errors, failed otherwise."""
    message = _("The %(what)s answered HTTP %(status)d.") % {"what": what, "status": code}
    if code >= 500 or code in (408, 429):
        return proof_unreachable(message, at)
    return proof_failed(Code.PROOF_INVALID, message, at)


def confirm_hosted(
    findings: ProofFindings,
    *,
    url: str,
    badge: dict[str, Any],
    issuer: dict[str, Any],
    is_allowed: bool,
    at: datetime,
) -> None:
    """Record a hosted assertion the issuer serves: its badge and issuer, and that the
    address hosting it is one the issuer allows (else the proof fails)."""
    findings.badge, findings.issuer_profile = badge, issuer
    findings.issuer_id, findings.issuer_name = id_of(issuer), str(issuer.get("name") or "")
    if not is_allowed:
        raise proof_failed(
            Code.PROOF_INVALID,
            _("It is hosted at %(url)s, which its issuer does not allow.") % {"url": url},
            at,
        )
    findings.proof = checks.passed(
        CheckName.PROOF,
        _("Fetched from the issuer’s own site (%(host)s).") % {"host": urlsplit(url).netloc},
        at,
    )
    findings.link = KeyLink(
        is_linked=True, key_id=url, controller=findings.issuer_id or "", how="hosted"
    )
    findings.status = checks.passed(
        CheckName.STATUS, _("The issuer still hosts it and has not revoked it."), at
    )
