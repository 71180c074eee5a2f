"""The wallet's side of OpenID for Verifiable Credential Issuance 1.0 (pre-authorised code).

An offer names an issuer and what it offers; the issuer's metadata (at the well-known path
inserted between host and path) names its endpoints and what each credential configuration
accepts. The wallet trades the pre-authorised code (and the transaction code the learner was
given separately) for an access token, asks the nonce endpoint for a fresh `c_nonce`, and
proves control of a holder key with a `openid4vci-proof+jwt` over it. A credential answer is
the `credentials` array, or a `transaction_id` for the deferred endpoint to be asked later.

Everything the issuer sends is hostile input: every field is checked for its type and size,
and every failure becomes a `ReceiveError` whose reason a learner can read.
"""

import hashlib
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from credentials.fetcher import FetchError, FetchResponse, fetch, parse_json, post
from credentials.signing import b64url, public_jwk, sign_jwt
from wallet import holder_keys
from wallet.models import HolderKeyType, User

PRE_AUTHORIZED_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
AUTHORIZATION_CODE_GRANT = "authorization_code"
OFFER_SCHEMES = ("openid-credential-offer://", "haip-vci://")
PROOF_TYPE = "openid4vci-proof+jwt"
FORMATS = frozenset({"ldp_vc", "jwt_vc_json", "jwt_vc_json-ld"})
# Algorithms the wallet's holder keys sign with, in the order it prefers them.
ALGORITHMS = {"ES256": HolderKeyType.P256, "EdDSA": HolderKeyType.ED25519}
MAX_CONFIGURATIONS = 20
MAX_TEXT = 2000
_PROTOCOL_BYTES = 256 * 1024


class ReceiveError(Exception):
    """Receiving from an issuer failed; `reason` says why for the learner to read."""

    def __init__(self, reason: str, *, transient: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient


@dataclass(frozen=True)
class CredentialOffer:
    """What an offer says: who, which configurations, and how to get a token."""

    issuer: str
    configuration_ids: tuple[str, ...]
    pre_authorized_code: str = ""
    tx_code: dict[str, Any] | None = None
    authorization_server: str = ""
    # Without a pre-authorised code the learner signs in at the issuer (authorisation code).
    issuer_state: str = ""

    @property
    def needs_tx_code(self) -> bool:
        return self.tx_code is not None

    @property
    def needs_sign_in(self) -> bool:
        return not self.pre_authorized_code


@dataclass(frozen=True)
class IssuerMetadata:
    """The parts of the issuer's (and its authorisation server's) metadata the wallet uses."""

    issuer: str
    credential_endpoint: str
    token_endpoint: str
    authorization_endpoint: str = ""
    nonce_endpoint: str = ""
    deferred_endpoint: str = ""
    display: list[Any] = field(default_factory=list)
    configurations: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Received:
    """What the credential endpoint answered: credentials now, or a ticket for later."""

    credentials: list[Any] = field(default_factory=list)
    transaction_id: str = ""
    interval: int = 5


def _text(value: Any, what: str, *, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value or len(value) > MAX_TEXT:
        raise ReceiveError(_("The offer's %(what)s is missing or not valid.") % {"what": what})
    return value


def is_web_address(text: str) -> bool:
    """Whether `text` is an http(s) address (urlsplit raises on some, like `http://[x`)."""
    try:
        return urlsplit(text).scheme in ("https", "http")
    except ValueError:
        return False


def _https_url(value: Any, what: str, *, required: bool = True) -> str:
    text = _text(value, what, required=required)
    if text and not is_web_address(text):
        raise ReceiveError(_("The %(what)s is not a web address.") % {"what": what})
    return text


def is_offer(text: str) -> bool:
    """Whether pasted text looks like an OID4VCI offer (rather than a VC-API exchange)."""
    stripped = text.strip()
    if stripped.lower().startswith(OFFER_SCHEMES):
        return True
    query = parse_qs(urlsplit(stripped).query)
    return "credential_offer" in query or "credential_offer_uri" in query


def _json_answer(response: FetchResponse, what: str) -> Any:
    host = urlsplit(response.url).hostname or response.url
    try:
        return parse_json(response.body, host)
    except FetchError as error:
        raise ReceiveError(
            _("The issuer's %(what)s is not valid JSON.") % {"what": what}
        ) from error


def _get_json(url: str, what: str) -> dict[str, Any]:
    try:
        response = fetch(url, accept="application/json", max_bytes=_PROTOCOL_BYTES)
    except FetchError as error:
        raise ReceiveError(error.reason, transient=error.transient) from error
    if not response.ok:
        raise ReceiveError(
            _("The issuer answered HTTP %(status)d for its %(what)s.")
            % {"status": response.status, "what": what},
            transient=response.status >= 500,
        )
    document = _json_answer(response, what)
    if not isinstance(document, dict):
        raise ReceiveError(_("The issuer's %(what)s is not a JSON object.") % {"what": what})
    return document


def read_offer(text: str) -> CredentialOffer:
    """Parse an offer link (by value or by reference, fetching the reference)."""
    stripped = text.strip()
    if len(stripped) > 16 * 1024:
        raise ReceiveError(_("The offer is too long."))
    query = parse_qs(urlsplit(stripped).query)
    if "credential_offer" in query:
        try:
            document = json.loads(query["credential_offer"][0])
        except (ValueError, RecursionError) as error:
            raise ReceiveError(_("The offer is not valid JSON.")) from error
    elif "credential_offer_uri" in query:
        document = _get_json(
            _https_url(query["credential_offer_uri"][0], _("offer address")), _("offer")
        )
    else:
        raise ReceiveError(_("This is not a credential offer."))
    return _offer_from(document)


def _offer_from(document: Any) -> CredentialOffer:
    if not isinstance(document, dict):
        raise ReceiveError(_("The offer is not a JSON object."))
    issuer = _https_url(document.get("credential_issuer"), _("issuer"))
    ids = document.get("credential_configuration_ids")
    if (
        not isinstance(ids, list)
        or not ids
        or len(ids) > MAX_CONFIGURATIONS
        or not all(isinstance(item, str) and 0 < len(item) <= 200 for item in ids)
    ):
        raise ReceiveError(_("The offer does not say which credentials it offers."))
    grants = document.get("grants")
    grants = grants if isinstance(grants, dict) else {}
    pre = grants.get(PRE_AUTHORIZED_GRANT)
    if not isinstance(pre, dict):
        # No grant at all means the authorisation code flow, as the specification says.
        code_grant = grants.get(AUTHORIZATION_CODE_GRANT) or {}
        if not isinstance(code_grant, dict):
            raise ReceiveError(_("The offer gives no way to receive the credential."))
        return CredentialOffer(
            issuer=issuer,
            configuration_ids=tuple(dict.fromkeys(ids)),
            issuer_state=_text(code_grant.get("issuer_state"), "issuer_state", required=False),
            authorization_server=_https_url(
                code_grant.get("authorization_server"),
                _("authorisation server"),
                required=False,
            ),
        )
    tx_code = pre.get("tx_code")
    if tx_code is not None and not isinstance(tx_code, dict):
        raise ReceiveError(_("The offer's transaction code description is not valid."))
    return CredentialOffer(
        issuer=issuer,
        configuration_ids=tuple(dict.fromkeys(ids)),
        pre_authorized_code=_text(pre.get("pre-authorized_code"), _("pre-authorised code")),
        tx_code=tx_code,
        authorization_server=_https_url(
            pre.get("authorization_server"), _("authorisation server"), required=False
        ),
    )


def well_known_url(identifier: str, name: str) -> str:
    """The well-known address of an identifier: `/.well-known/<name>` inserted before its path."""
    parts = urlsplit(identifier)
    path = parts.path.rstrip("/")
    return f"{parts.scheme}://{parts.netloc}/.well-known/{name}{path}"


def _endpoint(document: dict[str, Any], key: str, *, required: bool = True) -> str:
    value = document.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not is_web_address(value):
        raise ReceiveError(_("The issuer's metadata has no valid %(key)s.") % {"key": key})
    return value


def issuer_metadata(offer: CredentialOffer) -> IssuerMetadata:
    """Fetch the issuer's metadata and its authorisation server's token endpoint."""
    document = _get_json(well_known_url(offer.issuer, "openid-credential-issuer"), _("metadata"))
    if document.get("credential_issuer") != offer.issuer:
        raise ReceiveError(_("The issuer's metadata names another issuer than the offer."))
    configurations = document.get("credential_configurations_supported")
    if not isinstance(configurations, dict):
        raise ReceiveError(_("The issuer's metadata lists no credentials."))
    servers = document.get("authorization_servers")
    servers = (
        [item for item in servers if isinstance(item, str)] if isinstance(servers, list) else []
    )
    server = offer.authorization_server or (servers[0] if servers else offer.issuer)
    if servers and server not in servers:
        raise ReceiveError(_("The offer names an authorisation server the issuer does not list."))
    display = document.get("display")
    server_metadata = _server_metadata(server)
    return IssuerMetadata(
        issuer=offer.issuer,
        credential_endpoint=_endpoint(document, "credential_endpoint"),
        token_endpoint=_endpoint(server_metadata, "token_endpoint"),
        authorization_endpoint=_endpoint(
            server_metadata, "authorization_endpoint", required=not offer.pre_authorized_code
        ),
        nonce_endpoint=_endpoint(document, "nonce_endpoint", required=False),
        deferred_endpoint=_endpoint(document, "deferred_credential_endpoint", required=False),
        display=display if isinstance(display, list) else [],
        configurations={
            key: value for key, value in configurations.items() if isinstance(value, dict)
        },
    )


def _server_metadata(server: str) -> dict[str, Any]:
    """The authorisation server's RFC 8414 metadata (or its OpenID configuration, which some
    servers publish instead)."""
    what = _("authorisation server metadata")
    try:
        document = _get_json(well_known_url(server, "oauth-authorization-server"), what)
    except ReceiveError as error:
        if error.transient:
            raise
        document = _get_json(server.rstrip("/") + "/.well-known/openid-configuration", what)
    return document


def localized_name(display: Any, language: str) -> str:
    """The `name` of the display entry for the language, else the first one with a name."""
    entries = [
        entry for entry in (display if isinstance(display, list) else []) if isinstance(entry, dict)
    ]
    named = [entry for entry in entries if isinstance(entry.get("name"), str) and entry["name"]]
    base = language.lower().split("-")[0]
    for entry in named:
        locale = str(entry.get("locale") or "").lower()
        if locale == language.lower() or locale.split("-")[0] == base:
            return entry["name"][:200]
    return named[0]["name"][:200] if named else ""


def configuration_display(configuration: dict[str, Any]) -> Any:
    """A configuration's display list (under `credential_metadata` since 1.0, else at top)."""
    metadata = configuration.get("credential_metadata")
    if isinstance(metadata, dict) and "display" in metadata:
        return metadata["display"]
    return configuration.get("display")


def _configuration(metadata: IssuerMetadata, configuration_id: str) -> dict[str, Any]:
    configuration = metadata.configurations.get(configuration_id)
    if configuration is None:
        raise ReceiveError(
            _("The issuer offers %(id)s but does not describe it.") % {"id": configuration_id}
        )
    if configuration.get("format") not in FORMATS:
        raise ReceiveError(
            _("The issuer offers a format the wallet does not read: %(format)s.")
            % {"format": str(configuration.get("format"))[:50]}
        )
    return configuration


def proof_key_type(configuration: dict[str, Any]) -> str | None:
    """The holder key type to prove with, or None when the configuration binds no key."""
    proof_types = configuration.get("proof_types_supported")
    if proof_types is None:
        return None
    jwt_proof = proof_types.get("jwt") if isinstance(proof_types, dict) else None
    algorithms = (
        jwt_proof.get("proof_signing_alg_values_supported") if isinstance(jwt_proof, dict) else None
    )
    if not isinstance(algorithms, list):
        raise ReceiveError(_("The issuer asks for a key proof of a kind the wallet cannot make."))
    for algorithm, key_type in ALGORITHMS.items():
        if algorithm in algorithms:
            return key_type
    raise ReceiveError(
        _("The issuer takes %(algorithms)s keys; the wallet signs with ES256 or EdDSA.")
        % {"algorithms": ", ".join(str(item)[:20] for item in algorithms[:5])}
    )


def _oauth_error(response: FetchResponse) -> str:
    """The `error` code of an OAuth error answer, or ""."""
    try:
        document = parse_json(response.body, "issuer")
    except FetchError:
        return ""
    error = document.get("error") if isinstance(document, dict) else None
    return error[:100] if isinstance(error, str) else ""


def _post(url: str, **kwargs: Any) -> FetchResponse:
    try:
        return post(url, max_bytes=settings.IMPORT_MAX_BYTES, **kwargs)
    except FetchError as error:
        raise ReceiveError(error.reason, transient=error.transient) from error


def pkce_pair() -> tuple[str, str]:
    """A PKCE code verifier and its S256 challenge (RFC 7636)."""
    verifier = secrets.token_urlsafe(48)
    challenge = b64url(hashlib.sha256(verifier.encode("ascii")).digest())
    return verifier, challenge


def authorization_url(
    metadata: IssuerMetadata,
    offer: CredentialOffer,
    *,
    client_id: str,
    redirect_uri: str,
    state: str,
    code_challenge: str,
) -> str:
    """Where to send the learner to sign in at the issuer and approve the credentials."""
    details = [
        {"type": "openid_credential", "credential_configuration_id": configuration_id}
        for configuration_id in offer.configuration_ids
    ]
    query = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "state": state,
        "code_challenge": code_challenge,
        "code_challenge_method": "S256",
        "authorization_details": json.dumps(details, separators=(",", ":")),
    }
    if offer.issuer_state:
        query["issuer_state"] = offer.issuer_state
    separator = "&" if urlsplit(metadata.authorization_endpoint).query else "?"
    return metadata.authorization_endpoint + separator + urlencode(query)


def request_token(
    metadata: IssuerMetadata,
    offer: CredentialOffer,
    tx_code: str,
    *,
    authorization: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Trade the pre-authorised code (and transaction code), or the authorisation code the
    learner's sign-in returned (with its PKCE verifier), for an access token."""
    if authorization is not None:
        form = {"grant_type": AUTHORIZATION_CODE_GRANT, **authorization}
    else:
        if offer.needs_tx_code and not tx_code:
            raise ReceiveError(_("The issuer asks for the transaction code it sent you."))
        form = {
            "grant_type": PRE_AUTHORIZED_GRANT,
            "pre-authorized_code": offer.pre_authorized_code,
        }
        if offer.needs_tx_code:
            form["tx_code"] = tx_code
    response = _post(metadata.token_endpoint, form=form)
    if not response.ok:
        error = _oauth_error(response)
        if error == "invalid_grant" and offer.needs_tx_code:
            raise ReceiveError(_("The issuer refused the code: check it, or ask for a new offer."))
        if error == "invalid_grant":
            raise ReceiveError(_("The issuer refused the offer: it was used or has expired."))
        raise ReceiveError(
            _("The issuer's token endpoint answered HTTP %(status)d.")
            % {"status": response.status},
            transient=response.status >= 500,
        )
    token = _json_answer(response, _("token"))
    if not isinstance(token, dict) or not isinstance(token.get("access_token"), str):
        raise ReceiveError(_("The issuer sent no access token."))
    if str(token.get("token_type", "")).lower() not in ("bearer", ""):
        raise ReceiveError(_("The issuer sent a kind of token the wallet does not use."))
    return token


def fresh_nonce(metadata: IssuerMetadata) -> str:
    """A new `c_nonce` from the nonce endpoint ("" when the issuer has none)."""
    if not metadata.nonce_endpoint:
        return ""
    response = _post(metadata.nonce_endpoint, form={})
    if not response.ok:
        raise ReceiveError(
            _("The issuer's nonce endpoint answered HTTP %(status)d.")
            % {"status": response.status},
            transient=response.status >= 500,
        )
    document = _json_answer(response, _("nonce"))
    nonce = document.get("c_nonce") if isinstance(document, dict) else None
    if not isinstance(nonce, str) or not nonce or len(nonce) > MAX_TEXT:
        raise ReceiveError(_("The issuer's nonce endpoint sent no nonce."))
    return nonce


def binds_by_jwk(configuration: dict[str, Any]) -> bool:
    """Whether the issuer binds to a bare JWK rather than a DID (then the proof carries `jwk`)."""
    methods = configuration.get("cryptographic_binding_methods_supported")
    if not isinstance(methods, list) or "jwk" not in methods:
        return False
    return not any(isinstance(method, str) and method.startswith("did") for method in methods)


def key_proof(
    *, learner: User, key_type: str, audience: str, nonce: str, by_jwk: bool = False
) -> str:
    """A proof JWT, signed by the learner's holder key, over the issuer and its nonce.

    The key is named by its DID URL (`kid`), which the issuer writes in as the subject id,
    or given as a `jwk` when the issuer binds to keys rather than DIDs.
    """
    key = holder_keys.holder_key_for(learner=learner, key_type=key_type)
    private_key = holder_keys.private_key_of(key)
    claims: dict[str, Any] = {"aud": audience, "iat": int(time.time())}
    if nonce:
        claims["nonce"] = nonce
    header: dict[str, Any] = {"typ": PROOF_TYPE}
    if by_jwk:
        header["jwk"] = public_jwk(private_key)
    else:
        header["kid"] = holder_keys.verification_method_of(key)
    return sign_jwt(private_key, header, claims)


def _credential_answer(response: FetchResponse) -> Received:
    answer = _json_answer(response, _("credential answer"))
    if not isinstance(answer, dict):
        raise ReceiveError(_("The issuer's credential answer is not a JSON object."))
    if response.status == 202 or ("transaction_id" in answer and "credentials" not in answer):
        transaction_id = _text(answer.get("transaction_id"), _("transaction id"))
        interval = answer.get("interval")
        interval = interval if isinstance(interval, int) and 0 < interval < 86400 else 5
        return Received(transaction_id=transaction_id, interval=interval)
    items = answer.get("credentials")
    if not isinstance(items, list) or not items or len(items) > MAX_CONFIGURATIONS:
        raise ReceiveError(_("The issuer's answer holds no credentials."))
    found = []
    for item in items:
        credential = item.get("credential") if isinstance(item, dict) else None
        if not isinstance(credential, str | dict) or not credential:
            raise ReceiveError(_("A credential in the issuer's answer is empty."))
        found.append(credential)
    return Received(credentials=found)


def request_credential(
    *,
    learner: User,
    metadata: IssuerMetadata,
    configuration_id: str,
    access_token: str,
) -> Received:
    """Ask the credential endpoint for one configuration, proving the holder key.

    An `invalid_nonce` answer is retried once with a fresh nonce, as the specification says.
    """
    configuration = _configuration(metadata, configuration_id)
    key_type = proof_key_type(configuration)
    headers = {"Authorization": f"Bearer {access_token}"}
    for attempt in (1, 2):
        body: dict[str, Any] = {"credential_configuration_id": configuration_id}
        if key_type is not None:
            proof = key_proof(
                learner=learner,
                key_type=key_type,
                audience=metadata.issuer,
                nonce=fresh_nonce(metadata),
                by_jwk=binds_by_jwk(configuration),
            )
            body["proofs"] = {"jwt": [proof]}
        response = _post(metadata.credential_endpoint, json_body=body, headers=headers)
        if response.ok:
            return _credential_answer(response)
        error = _oauth_error(response)
        if error == "invalid_nonce" and attempt == 1:
            continue
        if error in ("invalid_proof", "invalid_nonce"):
            raise ReceiveError(_("The issuer refused the wallet's proof of your key."))
        raise ReceiveError(
            _("The issuer's credential endpoint answered HTTP %(status)d.")
            % {"status": response.status},
            transient=response.status >= 500,
        )
    raise AssertionError("the loop above always returns or raises")


def poll_deferred(*, deferred_endpoint: str, access_token: str, transaction_id: str) -> Received:
    """Ask the deferred endpoint whether a credential is ready; a new ticket if it is not."""
    response = _post(
        deferred_endpoint,
        json_body={"transaction_id": transaction_id},
        headers={"Authorization": f"Bearer {access_token}"},
    )
    if response.status == 400 and _oauth_error(response) == "issuance_pending":
        return Received(transaction_id=transaction_id)
    if not response.ok:
        if _oauth_error(response) == "invalid_transaction_id":
            raise ReceiveError(_("The issuer no longer knows this credential request."))
        raise ReceiveError(
            _("The issuer's deferred endpoint answered HTTP %(status)d.")
            % {"status": response.status},
            transient=response.status >= 500,
        )
    return _credential_answer(response)
