"""verify(): run every check on a parsed credential and decide its verdict. Stores nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.utils import timezone

from credentials.fetcher import FetchError, fetch
from credentials.formats import ob2, read_credentials, safejson, vc
from credentials.formats.base import (
    CredentialFormat,
    CredentialFormatError,
    ParsedCredential,
    id_of,
    types_of,
)
from credentials.formats.normalize import normalize
from credentials.i18n import gettext as _
from credentials.jsonld import JsonLdError, UnknownContextError, expand_strict
from credentials.verification import checks, jws, status
from credentials.verification.checks import CheckName, CheckResult, Code
from credentials.verification.issuer import KeyLink, check_issuer
from credentials.verification.proofs import verify_proofs
from credentials.verification.recipient import RecipientContext, check_recipient
from credentials.verification.verdict import Verdict, decide, explain

VC_CONTEXTS = ("https://www.w3.org/2018/credentials/v1", "https://www.w3.org/ns/credentials/v2")
OB2_FORMATS = (CredentialFormat.OB2_HOSTED, CredentialFormat.OB2_SIGNED)


@dataclass
class VerificationResult:
    """What verifying one credential found; CLR results carry their nested credentials."""

    verdict: Verdict
    message: str
    checks: list[CheckResult]
    normalized: dict[str, Any]
    format: CredentialFormat
    index: int
    verified_at: datetime
    children: list[VerificationResult] = field(default_factory=list)

    def check(self, name: CheckName) -> CheckResult:
        """The check with this name."""
        return next(check for check in self.checks if check.name == name)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-serialisable copy, ready to store."""
        return {
            "verdict": str(self.verdict),
            "message": str(self.message),
            "format": str(self.format),
            "index": self.index,
            "verified_at": self.verified_at.isoformat(),
            "checks": [check.as_dict() for check in self.checks],
            "normalized": self.normalized,
            "children": [child.as_dict() for child in self.children],
        }


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


class _Stop(Exception):
    """Ends proof verification early with the given check result."""

    def __init__(self, result: CheckResult) -> None:
        """Carry the check result to report."""
        super().__init__(str(result.message))
        self.result = result


def _not_yet_verified(at: datetime) -> CheckResult:
    """The proof check before anything is known: never passed by default."""
    return checks.not_checked(CheckName.PROOF, Code.SKIPPED, _("The proof was not verified."), at)


def _proof_failed(code: Code, message: str, at: datetime) -> _Stop:
    """Stop with a failed proof check."""
    return _Stop(checks.failed(CheckName.PROOF, code, message, at))


def _proof_unreachable(message: str, at: datetime) -> _Stop:
    """Stop with a proof check that could not run (retried later)."""
    return _Stop(
        checks.not_checked(CheckName.PROOF, Code.UNREACHABLE, message, at, is_transient=True)
    )


def _issuer_of(document: dict[str, Any]) -> tuple[str | None, str]:
    """The issuer id and name of a credential."""
    issuer = document.get("issuer")
    name = issuer.get("name") if isinstance(issuer, dict) else None
    return id_of(issuer), name if isinstance(name, str) else ""


def _vc_dates(document: dict[str, Any]) -> tuple[list[tuple[str, Any]], list[tuple[str, Any]]]:
    """The start and end dates of a VC (VCDM 2.0 and 1.1 names)."""
    starts = [(name, document.get(name)) for name in ("validFrom", "issuanceDate")]
    ends = [(name, document.get(name)) for name in ("validUntil", "expirationDate")]
    return starts, ends


def _check_structure(document: dict[str, Any], at: datetime) -> None:
    """Refuse a VC that is not shaped like one."""
    context = document.get("@context")
    first = context[0] if isinstance(context, list) and context else context
    if first not in VC_CONTEXTS:
        raise _proof_failed(
            Code.MALFORMED,
            _("Its first @context is not a Verifiable Credentials context."),
            at,
        )
    if "VerifiableCredential" not in types_of(document):
        raise _proof_failed(
            Code.MALFORMED, _("Its type does not include VerifiableCredential."), at
        )
    if id_of(document.get("issuer")) is None:
        raise _proof_failed(Code.MALFORMED, _("It does not name its issuer."), at)
    if not isinstance(document.get("credentialSubject"), dict | list):
        raise _proof_failed(Code.MALFORMED, _("It has no credentialSubject."), at)
    _expand_without_proof(document, at)


def _expand_without_proof(document: dict[str, Any], at: datetime) -> None:
    """Refuse a credential using terms its contexts do not define."""
    # The proof's own terms are the proof verifier's business; this checks what is claimed.
    try:
        expand_strict({key: value for key, value in document.items() if key != "proof"})
    except UnknownContextError as exc:
        raise _proof_undecided(
            Code.CONTEXT_UNKNOWN,
            _("It uses a JSON-LD context this wallet does not have: %(url)s") % {"url": exc.url},
            at,
        ) from exc
    except JsonLdError as exc:
        raise _proof_failed(
            Code.UNKNOWN_TERM,
            _("It uses terms its JSON-LD contexts do not define: %(reason)s")
            % {"reason": exc.reason},
            at,
        ) from exc


def _link_for(key: Any, issuer_id: str | None) -> KeyLink:
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


def _proof_undecided(code: str, message: str, at: datetime) -> _Stop:
    """Stop with a proof check the wallet cannot decide (unverifiable, not retried)."""
    return _Stop(checks.not_checked(CheckName.PROOF, Code(code), message, at))


def _verify_embedded_proofs(document: dict[str, Any], at: datetime) -> tuple[CheckResult, KeyLink]:
    """Verify the embedded proofs and say how the key relates to the issuer.

    A proof proven wrong fails the credential; a proof that holds decides, and companions
    the wallet cannot judge (an unsupported suite, say) are noted beside it. With no proof
    that holds and none proven wrong, the wallet cannot tell: transient causes are retried.
    """
    issuer_id, _name = _issuer_of(document)
    if not document.get("proof"):
        raise _proof_failed(Code.PROOF_MISSING, _("It carries no proof (signature)."), at)
    every = verify_proofs(document, now=at)
    for outcome in every:
        if not outcome.ok and not outcome.is_undecided:
            raise _proof_failed(
                Code.PROOF_INVALID,
                _("The proof does not hold: %(reason)s") % {"reason": outcome.reason},
                at,
            )
    held = [outcome for outcome in every if outcome.ok]
    undecided = [outcome for outcome in every if not outcome.ok]
    if not held:
        transient = next((outcome for outcome in undecided if outcome.transient), None)
        if transient is not None:
            raise _proof_unreachable(
                _("The key could not be fetched: %(reason)s") % {"reason": transient.reason}, at
            )
        first = undecided[0]
        raise _proof_undecided(
            first.code,
            _("This wallet cannot check its proof: %(reason)s") % {"reason": first.reason},
            at,
        )
    links = [_link_for(outcome.key, issuer_id) for outcome in held]
    link = next((item for item in links if item.is_linked), links[0])
    suites = ", ".join(sorted({outcome.cryptosuite for outcome in held} - {""}))
    proof = checks.passed(
        CheckName.PROOF,
        _("The signature is valid (%(suites)s).") % {"suites": suites or _("embedded proof")},
        at,
        verification_methods=[outcome.verification_method for outcome in held],
        skipped_proofs=[outcome.reason for outcome in undecided],
    )
    return proof, link


def _list_proof_at(at: datetime) -> status.ProofVerifier:
    """A verifier for status list proofs at the moment `at`."""

    def verify_list(status_list: dict[str, Any]) -> status.ListProof:
        """Whether the list's proofs hold and were made by its issuer's key."""
        outcomes = verify_proofs(status_list, now=at) if status_list.get("proof") else []
        if not outcomes:
            return status.ListProof(ok=False, reason=_("it carries no proof"))
        list_issuer = id_of(status_list.get("issuer"))
        for outcome in outcomes:
            if not outcome.ok:
                return status.ListProof(
                    ok=False, reason=outcome.reason, is_transient=outcome.transient
                )
            # A valid signature by a key the list's issuer does not control proves nothing.
            if outcome.key is None or not _link_for(outcome.key, list_issuer).is_linked:
                return status.ListProof(
                    ok=False, reason=_("it is signed by a key its issuer does not control")
                )
        return status.ListProof(ok=True)

    return verify_list


def _verify_vc(parsed: ParsedCredential, at: datetime) -> ProofFindings:
    """Verify a JSON-LD credential with embedded proofs."""
    document = parsed.document
    issuer_id, issuer_name = _issuer_of(document)
    starts, ends = _vc_dates(document)
    findings = ProofFindings(
        proof=_not_yet_verified(at),
        document=document,
        issuer_id=issuer_id,
        issuer_name=issuer_name,
        starts=starts,
        ends=ends,
    )
    try:
        _check_structure(document, at)
        findings.proof, findings.link = _verify_embedded_proofs(document, at)
    except _Stop as stop:
        findings.proof = stop.result
    return findings


def _verify_jwt(parsed: ParsedCredential, at: datetime) -> ProofFindings:
    """Verify a VC-JWT: signature, key, claims and the credential inside."""
    document = parsed.document
    claims = parsed.claims or {}
    issuer_id, issuer_name = _issuer_of(document)
    issuer_id = issuer_id or (claims.get("iss") if isinstance(claims.get("iss"), str) else None)
    starts, ends = _vc_dates(document)
    findings = ProofFindings(
        proof=_not_yet_verified(at),
        document=document,
        issuer_id=issuer_id,
        issuer_name=issuer_name,
        starts=[("nbf", claims.get("nbf")), *starts],
        ends=[("exp", claims.get("exp")), *ends],
    )
    try:
        findings.link = _verify_jws_signature(parsed.jws or "", issuer_id, at)
        problem = vc.claims_problem(claims, document)
        if problem:
            raise _proof_failed(Code.MALFORMED, problem, at)
        _check_jwt_credential(document, at)
        findings.proof = checks.passed(
            CheckName.PROOF, _("The JWT signature is valid."), at, key_id=findings.link.key_id
        )
    except _Stop as stop:
        findings.proof = stop.result
    return findings


def _check_jwt_credential(document: dict[str, Any], at: datetime) -> None:
    """Refuse a JWT whose `vc` is not a well-formed credential."""
    if "VerifiableCredential" not in types_of(document):
        raise _proof_failed(
            Code.MALFORMED, _("Its type does not include VerifiableCredential."), at
        )
    _expand_without_proof(document, at)


def _verify_jws_signature(token: str, issuer_id: str | None, at: datetime) -> KeyLink:
    """Verify the JWS and say how its key relates to the issuer."""
    try:
        verified = jws.verify_compact(token)
    except jws.JwsError as exc:
        if exc.transient:
            raise _proof_unreachable(
                _("The key could not be fetched: %(reason)s") % {"reason": exc.reason}, at
            ) from exc
        raise _proof_failed(
            Code.PROOF_INVALID,
            _("The JWT signature does not hold: %(reason)s") % {"reason": exc.reason},
            at,
        ) from exc
    if verified.key is None:
        return KeyLink(
            is_linked=False,
            key_id="jwk",
            how=_("the key came inside the token itself, not from the issuer"),
        )
    return _link_for(verified.key, issuer_id)


def _fetch_json(url: Any, what: str, at: datetime) -> tuple[int, dict[str, Any] | None]:
    """Fetch a JSON object: its status, and the object when the status is 200."""
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        raise _proof_failed(
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
            raise _proof_unreachable(message, at) from exc
        raise _proof_failed(Code.MALFORMED, message, at) from exc
    if response.status != 200:
        return response.status, None
    try:
        return 200, safejson.loads(response.body)
    except CredentialFormatError as exc:
        raise _proof_failed(
            Code.MALFORMED,
            _("The %(what)s is not readable: %(reason)s") % {"what": what, "reason": exc.reason},
            at,
        ) from exc


def _fetch_node(node: Any, what: str, at: datetime) -> dict[str, Any]:
    """An embedded object as is, or the object its URL serves."""
    if isinstance(node, dict):
        return node
    return _fetch_published(node, what, at)


def _fetch_published(url: Any, what: str, at: datetime) -> dict[str, Any]:
    """The object served at `url`, which must name itself by an id on that same host."""
    code, document = _fetch_json(url, what, at)
    if document is None:
        raise _fetch_status_stop(code, what, at)
    # Publishers often drop or add ".json" in the id; the host is what vouches for it.
    host = (urlsplit(url).hostname or "").lower()
    if (urlsplit(id_of(document) or "").hostname or "").lower() != host:
        raise _proof_failed(
            Code.MALFORMED,
            _("The %(what)s at %(url)s gives another id.") % {"what": what, "url": url},
            at,
        )
    return document


def _fetch_issuer(badge: dict[str, Any], at: datetime) -> dict[str, Any]:
    """The issuer profile as its issuer publishes it, never as a copy embedded elsewhere."""
    # An embedded profile could claim any id and any keys or allowed origins; only the one
    # served at the issuer's own address can say which keys and origins are its own.
    return _fetch_published(id_of(badge.get("issuer")), _("issuer profile"), at)


def _ob2_dates(document: dict[str, Any]) -> tuple[list[tuple[str, Any]], list[tuple[str, Any]]]:
    """The start and end dates of an OB 2.0 assertion."""
    return [("issuedOn", document.get("issuedOn"))], [("expires", document.get("expires"))]


def _check_ob2_structure(document: dict[str, Any], at: datetime) -> None:
    """Refuse an assertion that is not shaped like OB 2.0."""
    problem = ob2.structure_problem(document)
    if problem:
        raise _proof_failed(Code.MALFORMED, problem, at)


# Fields whose change would make a copy say something the issuer did not host.
_HOSTED_FIELDS = ("recipient", "badge", "issuedOn", "expires", "verification")


def _verify_ob2_hosted(parsed: ParsedCredential, at: datetime) -> ProofFindings:
    """Verify a hosted assertion by fetching the issuer's copy."""
    url = parsed.url or id_of(parsed.document)
    starts, ends = _ob2_dates(parsed.document)
    findings = ProofFindings(
        proof=_not_yet_verified(at),
        document=parsed.document,
        starts=starts,
        ends=ends,
    )
    try:
        code, hosted = _fetch_json(url, _("hosted assertion"), at)
        if code == 410 or (hosted is not None and hosted.get("revoked") is True):
            findings.proof = checks.not_checked(
                CheckName.PROOF, Code.SKIPPED, _("The issuer no longer serves this badge."), at
            )
            findings.status = checks.failed(
                CheckName.STATUS, Code.REVOKED, _("The issuer has revoked it."), at
            )
            return findings
        if hosted is None:
            raise _fetch_status_stop(code, _("hosted assertion"), at)
        if parsed.url is None:
            _check_ob2_structure(parsed.document, at)
        _check_ob2_structure(hosted, at)
        if id_of(hosted) != url:
            raise _proof_failed(
                Code.MALFORMED, _("The hosted assertion gives another id than its address."), at
            )
        if parsed.url is None and any(
            parsed.document.get(name) != hosted.get(name) for name in _HOSTED_FIELDS
        ):
            raise _proof_failed(
                Code.PROOF_INVALID, _("This copy differs from the one the issuer hosts."), at
            )
        findings.document = hosted
        findings.starts, findings.ends = _ob2_dates(hosted)
        badge = _fetch_node(hosted.get("badge"), _("badge class"), at)
        issuer = _fetch_issuer(badge, at)
        findings.badge, findings.issuer_profile = badge, issuer
        findings.issuer_id, findings.issuer_name = id_of(issuer), str(issuer.get("name") or "")
        if not ob2.origin_allowed(url or "", issuer):
            raise _proof_failed(
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
            is_linked=True, key_id=url or "", controller=findings.issuer_id or "", how="hosted"
        )
        findings.status = checks.passed(
            CheckName.STATUS, _("The issuer still hosts it and has not revoked it."), at
        )
    except _Stop as stop:
        findings.proof = stop.result
    return findings


def _fetch_status_stop(code: int, what: str, at: datetime) -> _Stop:
    """Stop on an HTTP error: retried for server errors, failed otherwise."""
    message = _("The %(what)s answered HTTP %(status)d.") % {"what": what, "status": code}
    if code >= 500 or code in (408, 429):
        return _proof_unreachable(message, at)
    return _proof_failed(Code.PROOF_INVALID, message, at)


def _verify_ob2_signed(parsed: ParsedCredential, at: datetime) -> ProofFindings:
    """Verify a signed assertion with the key its issuer profile lists."""
    document = parsed.document
    starts, ends = _ob2_dates(document)
    findings = ProofFindings(
        proof=_not_yet_verified(at), document=document, starts=starts, ends=ends
    )
    try:
        if not parsed.jws:
            raise _proof_failed(
                Code.PROOF_MISSING, _("A signed assertion arrived without its signature."), at
            )
        _check_ob2_structure(document, at)
        verification = document.get("verification")
        creator = verification.get("creator") if isinstance(verification, dict) else None
        key_document = _fetch_published(creator, _("signing key"), at)
        try:
            jws.verify_compact(
                parsed.jws, key=jws.load_pem_public_key(key_document.get("publicKeyPem"))
            )
        except jws.JwsError as exc:
            raise _proof_failed(
                Code.PROOF_INVALID,
                _("The signature does not hold: %(reason)s") % {"reason": exc.reason},
                at,
            ) from exc
        badge = _fetch_node(document.get("badge"), _("badge class"), at)
        issuer = _fetch_issuer(badge, at)
        findings.badge, findings.issuer_profile = badge, issuer
        findings.issuer_id, findings.issuer_name = id_of(issuer), str(issuer.get("name") or "")
        key_id = id_of(key_document) or str(creator)
        is_listed = ob2.key_listed(key_id, issuer) or ob2.key_listed(str(creator), issuer)
        is_linked = is_listed and key_document.get("owner") in (None, findings.issuer_id)
        findings.link = KeyLink(
            is_linked=is_linked,
            key_id=key_id,
            controller=str(key_document.get("owner") or ""),
            how="" if is_linked else _("the issuer profile does not list this key"),
        )
        findings.proof = checks.passed(CheckName.PROOF, _("The signature is valid (RS256)."), at)
        findings.status = status.check_ob2_revocation(document, issuer, at)
    except _Stop as stop:
        findings.proof = stop.result
    return findings


def _find_proof(parsed: ParsedCredential, at: datetime) -> ProofFindings:
    """Verify the proof the way the credential's format requires."""
    if parsed.format == CredentialFormat.OB2_HOSTED:
        return _verify_ob2_hosted(parsed, at)
    if parsed.format == CredentialFormat.OB2_SIGNED:
        return _verify_ob2_signed(parsed, at)
    if parsed.jws:
        return _verify_jwt(parsed, at)
    return _verify_vc(parsed, at)


def _status_check(parsed: ParsedCredential, findings: ProofFindings, at: datetime) -> CheckResult:
    """The status check, once the proof is known to hold."""
    if findings.status is not None:
        return findings.status
    if findings.proof.status != checks.CheckStatus.PASSED:
        return checks.not_checked(
            CheckName.STATUS, Code.SKIPPED, _("Not checked: the proof did not pass."), at
        )
    if parsed.format in OB2_FORMATS:
        return checks.not_checked(
            CheckName.STATUS, Code.NO_STATUS, _("The issuer publishes no status for it."), at
        )
    return status.check_status(
        findings.document, issuer_id=findings.issuer_id, at=at, verify_proof=_list_proof_at(at)
    )


def verify(
    parsed: ParsedCredential,
    *,
    recipient: RecipientContext | None,
    now: datetime | None = None,
) -> VerificationResult:
    """Run the proof, issuer, recipient, dates and status checks and decide the verdict."""
    at = now or timezone.now()
    findings = _find_proof(parsed, at)
    proof_passed = findings.proof.status == checks.CheckStatus.PASSED
    result_checks = [
        findings.proof,
        check_issuer(
            issuer_id=findings.issuer_id,
            issuer_name=findings.issuer_name,
            link=findings.link if proof_passed else None,
            at=at,
        ),
        check_recipient(parsed, findings.document, recipient, at),
        checks.check_dates(findings.starts, findings.ends, at),
        _status_check(parsed, findings, at),
    ]
    verdict = decide(result_checks)
    return VerificationResult(
        verdict=verdict,
        message=explain(verdict, result_checks),
        checks=result_checks,
        normalized=normalize(
            findings.document,
            format=parsed.format,
            badge=findings.badge,
            issuer=findings.issuer_profile,
            claims=parsed.claims if parsed.format not in OB2_FORMATS else None,
        ),
        format=parsed.format,
        index=parsed.index,
        verified_at=at,
        children=[verify(child, recipient=recipient, now=at) for child in parsed.children],
    )


def verify_bytes(
    data: bytes,
    *,
    filename: str | None = None,
    recipient: RecipientContext | None = None,
    now: datetime | None = None,
) -> list[VerificationResult]:
    """Read every credential in the bytes and verify each; raises CredentialFormatError."""
    return [
        verify(parsed, recipient=recipient, now=now)
        for parsed in read_credentials(data, filename=filename)
    ]
