"""The wallet's side of a VC-API exchange, and the deep links that point at one.

A learner pastes (or opens) an exchange URL, or a Learner Credential Wallet style link:
`…?request={"protocols": {"vcapi": "<exchange URL>"}}`, or the older
`…?vc_request_url=<URL>&challenge=<nonce>`. The wallet starts the exchange with an empty
POST; when the exchange asks for `DIDAuthentication` it answers with a presentation signed
by the learner's Ed25519 holder key (proof purpose `authentication`, over the exchange's
challenge and domain), and takes the credentials the exchange returns.
"""

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from credentials.fetcher import FetchError, FetchResponse, parse_json, post
from credentials.signing import sign_data_integrity
from wallet import holder_keys
from wallet.models import HolderKeyType, User
from wallet.oid4vci import ReceiveError, is_web_address

VC2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
MAX_STEPS = 3
MAX_TEXT = 2000


@dataclass(frozen=True)
class ExchangeLink:
    """Where the exchange is, and the challenge a legacy link carries with it."""

    url: str
    challenge: str = ""

    @property
    def is_legacy(self) -> bool:
        return bool(self.challenge)


def _web_address(value: Any) -> str:
    if not isinstance(value, str) or len(value) > MAX_TEXT or not is_web_address(value):
        raise ReceiveError(_("The exchange link does not name a web address to contact."))
    return value


def read_link(text: str) -> ExchangeLink:
    """The exchange a pasted link points at (a deep link, or the exchange URL itself)."""
    stripped = text.strip()
    if len(stripped) > 8 * 1024:
        raise ReceiveError(_("The link is too long."))
    query = parse_qs(urlsplit(stripped).query)
    if "request" in query:
        try:
            request = json.loads(query["request"][0])
        except (ValueError, RecursionError) as error:
            raise ReceiveError(_("The link's request is not valid JSON.")) from error
        protocols = request.get("protocols") if isinstance(request, dict) else None
        vcapi = protocols.get("vcapi") if isinstance(protocols, dict) else None
        if vcapi is None:
            raise ReceiveError(_("The link offers no exchange this wallet can take part in."))
        return ExchangeLink(url=_web_address(vcapi))
    if "vc_request_url" in query:
        challenge = query.get("challenge", [""])[0]
        if not challenge or len(challenge) > MAX_TEXT:
            raise ReceiveError(_("The link gives no challenge to answer."))
        return ExchangeLink(url=_web_address(query["vc_request_url"][0]), challenge=challenge)
    return ExchangeLink(url=_web_address(stripped))


def _post(url: str, body: dict[str, Any]) -> Any:
    try:
        response = post(url, json_body=body, max_bytes=settings.IMPORT_MAX_BYTES)
    except FetchError as error:
        raise ReceiveError(error.reason, transient=error.transient) from error
    if not response.ok:
        raise ReceiveError(
            _("The exchange answered HTTP %(status)d.") % {"status": response.status},
            transient=response.status >= 500,
        )
    return _answer(response)


def _answer(response: FetchResponse) -> Any:
    host = urlsplit(response.url).hostname or response.url
    try:
        return parse_json(response.body, host)
    except FetchError as error:
        raise ReceiveError(_("The exchange did not answer with JSON.")) from error


def did_authentication(*, learner: User, challenge: str, domain: str = "") -> dict[str, Any]:
    """A presentation proving control of the learner's Ed25519 holder key."""
    key = holder_keys.holder_key_for(learner=learner, key_type=HolderKeyType.ED25519)
    presentation = {
        "@context": [VC2_CONTEXT],
        "type": ["VerifiablePresentation"],
        "holder": key.did,
    }
    return sign_data_integrity(
        presentation,
        holder_keys.private_key_of(key),
        verification_method=holder_keys.verification_method_of(key),
        proof_purpose="authentication",
        challenge=challenge,
        domain=domain,
    )


def _asks_for_did_authentication(request: dict[str, Any]) -> bool:
    queries = request.get("query")
    queries = queries if isinstance(queries, list) else [queries]
    return any(
        isinstance(query, dict) and query.get("type") == "DIDAuthentication" for query in queries
    )


def _credentials_in(answer: dict[str, Any]) -> list[Any] | None:
    """The credentials an exchange step returned, or None when it returned none."""
    presentation = answer.get("verifiablePresentation")
    if isinstance(presentation, dict):
        held = presentation.get("verifiableCredential")
        return held if isinstance(held, list) else [held] if held else None
    held = answer.get("verifiableCredential")
    if held:
        return held if isinstance(held, list) else [held]
    return None


def _domain_matches(domain: str, exchange_url: str) -> bool:
    """Whether the domain to sign for is the exchange's own host (or a parent of it).

    A presentation over another site's domain and challenge could be replayed there to sign
    the learner in: an exchange may only ask for proof addressed to itself.
    """
    try:
        named = (urlsplit(domain).hostname if "://" in domain else domain.split(":")[0]) or ""
    except ValueError:
        return False
    host = (urlsplit(exchange_url).hostname or "").lower()
    named = named.lower().rstrip(".")
    return bool(named) and (host == named or host.endswith("." + named))


def _answer_request(learner: User, request: Any, exchange_url: str) -> dict[str, Any]:
    if not isinstance(request, dict) or not _asks_for_did_authentication(request):
        raise ReceiveError(
            _("The exchange asks for more than proof of your key, which the wallet cannot give.")
        )
    challenge = request.get("challenge")
    domain = request.get("domain", "")
    if not isinstance(challenge, str) or not challenge or len(challenge) > MAX_TEXT:
        raise ReceiveError(_("The exchange gave no challenge to answer."))
    if not isinstance(domain, str) or len(domain) > MAX_TEXT:
        raise ReceiveError(_("The exchange's domain is not valid."))
    if domain and not _domain_matches(domain, exchange_url):
        raise ReceiveError(
            _("The exchange asks you to prove your key to another site (%(domain)s); refused.")
            % {"domain": domain[:100]}
        )
    return did_authentication(learner=learner, challenge=challenge, domain=domain)


def run_exchange(*, learner: User, link: ExchangeLink) -> list[Any]:
    """Take part in the exchange and return the credentials it issues."""
    if link.is_legacy:
        presentation = did_authentication(learner=learner, challenge=link.challenge)
        answer = _post(link.url, presentation)
        if isinstance(answer, dict) and _credentials_in(answer):
            return _credentials_in(answer) or []
        if isinstance(answer, dict | list):
            return answer if isinstance(answer, list) else [answer]
        raise ReceiveError(_("The issuer returned no credential."))
    answer = _post(link.url, {})
    for _step in range(MAX_STEPS):
        if not isinstance(answer, dict):
            raise ReceiveError(_("The exchange's answer is not a JSON object."))
        found = _credentials_in(answer)
        if found:
            return found
        request = answer.get("verifiablePresentationRequest")
        if request is None:
            raise ReceiveError(_("The exchange ended without issuing a credential."))
        presentation = _answer_request(learner, request, link.url)
        answer = _post(link.url, {"verifiablePresentation": presentation})
    raise ReceiveError(_("The exchange asked too many questions; the wallet stopped."))
