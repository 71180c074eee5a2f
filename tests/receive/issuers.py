"""Stand-in issuers on loopback, written from the specifications (not from the wallet's code).

`Oid4vciIssuer` plays an OpenID4VCI 1.0 credential issuer that is its own authorisation
server: metadata at the well-known path inserted before the issuer's path, a token endpoint
for the pre-authorised code grant (with an optional transaction code), a nonce endpoint, a
credential endpoint that checks `openid4vci-proof+jwt` proofs, and a deferred endpoint.

`VcApiExchange` plays a VC-API exchange (and the older `vc_request_url` endpoint) that asks
for DID authentication and issues to the DID that authenticated.

Both sign what they issue with a fresh Ed25519 did:key of their own.
"""

import base64
import hashlib
import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from credentials.verification.keys import base58_decode
from credentials.verification.suites.eddsa import signing_input
from tests.credentials.support import fixtures
from tests.credentials.support.issuer import did_key_issuer

PRE_AUTHORIZED = "urn:ietf:params:oauth:grant-type:pre-authorized_code"


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_key_of(did_url: str) -> Any:
    """The public key a did:key (Ed25519) or did:jwk (P-256 or Ed25519) names."""
    did = did_url.partition("#")[0]
    if did.startswith("did:key:z6Mk"):
        raw = base58_decode(did.removeprefix("did:key:z"))[2:]
        return ed25519.Ed25519PublicKey.from_public_bytes(raw)
    if did.startswith("did:jwk:"):
        jwk = json.loads(_b64decode(did.removeprefix("did:jwk:")))
        if jwk.get("kty") == "OKP":
            return ed25519.Ed25519PublicKey.from_public_bytes(_b64decode(jwk["x"]))
        numbers = ec.EllipticCurvePublicNumbers(
            int.from_bytes(_b64decode(jwk["x"]), "big"),
            int.from_bytes(_b64decode(jwk["y"]), "big"),
            ec.SECP256R1(),
        )
        return numbers.public_key()
    raise ValueError(f"unsupported DID {did}")


def verify_jws(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Check a compact JWS made by the key its `kid` names; return (header, claims)."""
    encoded_header, encoded_claims, encoded_signature = token.split(".")
    header = json.loads(_b64decode(encoded_header))
    claims = json.loads(_b64decode(encoded_claims))
    signature = _b64decode(encoded_signature)
    if "jwk" in header:
        did = "did:jwk:" + base64.urlsafe_b64encode(json.dumps(header["jwk"]).encode()).decode()
        key = public_key_of(did.rstrip("="))
    else:
        key = public_key_of(header["kid"])
    data = f"{encoded_header}.{encoded_claims}".encode()
    if header["alg"] == "EdDSA":
        key.verify(signature, data)
    elif header["alg"] == "ES256":
        der = encode_dss_signature(
            int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        )
        key.verify(der, data, ec.ECDSA(hashes.SHA256()))
    else:
        raise InvalidSignature(header["alg"])
    return header, claims


class _Server:
    """A threaded loopback HTTP server whose handler calls `self.handle`."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, bytes]] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self.authority = f"127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._lock = threading.Lock()

    def url(self, path: str) -> str:
        return f"http://{self.authority}{path}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def handle(self, method: str, path: str, headers: Any, body: bytes) -> tuple[int, Any]:
        raise NotImplementedError

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                server.requests.append((method, self.path, body))
                with server._lock:
                    status, answer, *extra = server.handle(method, self.path, self.headers, body)
                payload = json.dumps(answer).encode()
                self.send_response(status)
                for name, value in (extra[0] if extra else {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self) -> None:
                self._answer("GET")

            def do_POST(self) -> None:
                self._answer("POST")

            def log_message(self, format: str, *args: Any) -> None:
                return

        return Handler


@dataclass
class Oid4vciIssuer(_Server):
    """An OpenID4VCI issuer; options say how it behaves (see the module docstring)."""

    tx_code: str | None = None
    algorithms: list[str] = field(default_factory=lambda: ["ES256", "EdDSA"])
    credential_format: str = "ldp_vc"
    expire_first_nonce: bool = False
    deferred_polls: int = 0
    sign_in: bool = False
    binding_methods: list[str] = field(default_factory=lambda: ["did:key", "did:jwk"])
    name: str = "Example University"

    def __post_init__(self) -> None:
        super().__init__()
        self.signer = did_key_issuer()
        self.pre_authorized_code = secrets.token_urlsafe(16)
        self.access_tokens: set[str] = set()
        self.nonces: list[str] = []
        self.proof_headers: list[dict[str, Any]] = []
        self.pending: dict[str, tuple[int, str]] = {}
        self.issued: list[Any] = []
        self.issuer_state = secrets.token_urlsafe(8)
        self.authorization_requests: list[dict[str, str]] = []
        self.codes: dict[str, dict[str, str]] = {}

    @property
    def identifier(self) -> str:
        return self.url("/issuer")

    def offer(self) -> dict[str, Any]:
        if self.sign_in:
            return {
                "credential_issuer": self.identifier,
                "credential_configuration_ids": ["TeamworkBadge"],
                "grants": {"authorization_code": {"issuer_state": self.issuer_state}},
            }
        grant: dict[str, Any] = {"pre-authorized_code": self.pre_authorized_code}
        if self.tx_code is not None:
            grant["tx_code"] = {
                "input_mode": "numeric",
                "length": len(self.tx_code),
                "description": "Enter the code we emailed you",
            }
        return {
            "credential_issuer": self.identifier,
            "credential_configuration_ids": ["TeamworkBadge"],
            "grants": {PRE_AUTHORIZED: grant},
        }

    def offer_by_reference(self) -> str:
        return "openid-credential-offer://?credential_offer_uri=" + quote(
            self.url("/issuer/offers/1"), safe=""
        )

    def offer_link(self) -> str:
        return "openid-credential-offer://?credential_offer=" + quote(json.dumps(self.offer()))

    def metadata(self) -> dict[str, Any]:
        return {
            "credential_issuer": self.identifier,
            "credential_endpoint": self.url("/issuer/credential"),
            "nonce_endpoint": self.url("/issuer/nonce"),
            "deferred_credential_endpoint": self.url("/issuer/deferred"),
            "display": [
                {"name": self.name, "locale": "en"},
                {"name": "Université Exemple", "locale": "fr-CA"},
            ],
            "credential_configurations_supported": {
                "TeamworkBadge": {
                    "format": self.credential_format,
                    "cryptographic_binding_methods_supported": self.binding_methods,
                    "proof_types_supported": {
                        "jwt": {"proof_signing_alg_values_supported": self.algorithms}
                    },
                    "credential_metadata": {
                        "display": [
                            {"name": "Teamwork badge", "locale": "en"},
                            {"name": "Badge Travail d’équipe", "locale": "fr-CA"},
                        ]
                    },
                }
            },
        }

    def handle(self, method: str, path: str, headers: Any, body: bytes) -> tuple[int, Any]:
        if method == "GET" and path == "/issuer/offers/1":
            return 200, self.offer()
        if method == "GET" and path == "/.well-known/openid-credential-issuer/issuer":
            return 200, self.metadata()
        if method == "GET" and path == "/.well-known/oauth-authorization-server/issuer":
            return 200, {
                "issuer": self.identifier,
                "token_endpoint": self.url("/issuer/token"),
                "authorization_endpoint": self.url("/issuer/authorize"),
                "code_challenge_methods_supported": ["S256"],
            }
        if method == "GET" and path.startswith("/issuer/authorize?"):
            return self._authorize(parse_qs(path.partition("?")[2]))
        if method == "POST" and path == "/issuer/token":
            return self._token(parse_qs(body.decode()))
        if method == "POST" and path == "/issuer/nonce":
            nonce = secrets.token_urlsafe(12)
            self.nonces.append(nonce)
            return 200, {"c_nonce": nonce}
        if method == "POST" and path in ("/issuer/credential", "/issuer/deferred"):
            token = str(headers.get("Authorization", "")).removeprefix("Bearer ")
            if token not in self.access_tokens:
                return 401, {"error": "invalid_token"}
            request = json.loads(body)
            if path == "/issuer/deferred":
                return self._deferred(request)
            return self._credential(request)
        return 404, {"error": "not_found"}

    def _authorize(self, query: dict[str, list[str]]) -> tuple[int, Any, dict[str, str]]:
        """Play the learner signing in and approving at once, then send them back."""
        request = {name: values[0] for name, values in query.items()}
        self.authorization_requests.append(request)
        details = json.loads(request.get("authorization_details", "[]"))
        wanted = [item.get("credential_configuration_id") for item in details]
        if (
            request.get("response_type") != "code"
            or request.get("code_challenge_method") != "S256"
            or request.get("issuer_state") != self.issuer_state
            or wanted != ["TeamworkBadge"]
        ):
            return 400, {"error": "invalid_request"}, {}
        code = secrets.token_urlsafe(12)
        self.codes[code] = request
        back = f"{request['redirect_uri']}?code={code}&state={quote(request['state'])}"
        return 302, {}, {"Location": back}

    def _authorization_code_token(self, form: dict[str, list[str]]) -> tuple[int, Any]:
        request = self.codes.pop((form.get("code") or [""])[0], None)
        if request is None:
            return 400, {"error": "invalid_grant"}
        verifier = (form.get("code_verifier") or [""])[0]
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
        if (
            challenge.rstrip(b"=").decode() != request["code_challenge"]
            or form.get("redirect_uri") != [request["redirect_uri"]]
            or form.get("client_id") != [request["client_id"]]
        ):
            return 400, {"error": "invalid_grant"}
        token = secrets.token_urlsafe(16)
        self.access_tokens.add(token)
        return 200, {"access_token": token, "token_type": "Bearer", "expires_in": 300}

    def _token(self, form: dict[str, list[str]]) -> tuple[int, Any]:
        if self.sign_in and form.get("grant_type") == ["authorization_code"]:
            return self._authorization_code_token(form)
        if form.get("grant_type") != [PRE_AUTHORIZED]:
            return 400, {"error": "unsupported_grant_type"}
        if form.get("pre-authorized_code") != [self.pre_authorized_code]:
            return 400, {"error": "invalid_grant"}
        if self.tx_code is not None and form.get("tx_code") != [self.tx_code]:
            return 400, {"error": "invalid_grant"}
        # A pre-authorised code is good for one token only.
        self.pre_authorized_code = secrets.token_urlsafe(16)
        token = secrets.token_urlsafe(16)
        self.access_tokens.add(token)
        return 200, {"access_token": token, "token_type": "Bearer", "expires_in": 300}

    def _credential(self, request: dict[str, Any]) -> tuple[int, Any]:
        if request.get("credential_configuration_id") != "TeamworkBadge":
            return 400, {"error": "unknown_credential_configuration"}
        proofs = request.get("proofs", {}).get("jwt", [])
        if len(proofs) != 1:
            return 400, {"error": "invalid_proof"}
        try:
            header, claims = verify_jws(proofs[0])
        except (InvalidSignature, ValueError, KeyError):
            return 400, {"error": "invalid_proof"}
        self.proof_headers.append(header)
        if header.get("typ") != "openid4vci-proof+jwt" or header["alg"] not in self.algorithms:
            return 400, {"error": "invalid_proof"}
        if claims.get("aud") != self.identifier or abs(claims.get("iat", 0) - time.time()) > 60:
            return 400, {"error": "invalid_proof"}
        if not self.nonces or claims.get("nonce") != self.nonces[-1]:
            return 400, {"error": "invalid_nonce"}
        if self.expire_first_nonce and len(self.nonces) == 1:
            return 400, {"error": "invalid_nonce", "error_description": "c_nonce expired"}
        # A key given as a JWK is named by its did:jwk (the issuer's own spelling of it).
        holder = header["kid"].partition("#")[0] if "kid" in header else None
        if self.deferred_polls:
            transaction_id = secrets.token_urlsafe(8)
            self.pending[transaction_id] = (self.deferred_polls, holder)
            return 202, {"transaction_id": transaction_id, "interval": 1}
        return 200, {"credentials": [{"credential": self._issue(holder)}]}

    def _deferred(self, request: dict[str, Any]) -> tuple[int, Any]:
        transaction_id = request.get("transaction_id")
        if transaction_id not in self.pending:
            return 400, {"error": "invalid_transaction_id"}
        polls_left, holder = self.pending[transaction_id]
        if polls_left > 1:
            self.pending[transaction_id] = (polls_left - 1, holder)
            return 202, {"transaction_id": transaction_id, "interval": 1}
        del self.pending[transaction_id]
        return 200, {"credentials": [{"credential": self._issue(holder)}]}

    def _issue(self, holder: str | None) -> Any:
        credential = fixtures.achievement_credential(
            self.signer.id, subject_id=holder, credential_id=f"urn:uuid:{uuid.uuid4()}"
        )
        if holder is None:
            credential["credentialSubject"].pop("id", None)
        if self.credential_format == "ldp_vc":
            issued: Any = self.signer.sign(credential)
        else:
            claims = {
                "iss": self.signer.id,
                **({"sub": holder} if holder else {}),
                "jti": credential["id"],
                "nbf": int(time.time()) - 60,
                "vc": credential,
            }
            issued = self.signer.jwt(claims, typ="JWT")
        self.issued.append(issued)
        return issued


def verify_did_authentication(
    presentation: dict[str, Any], *, challenge: str, domain: str | None
) -> str:
    """Check a DID authentication presentation and return the DID it proves; raise if not."""
    proof = presentation["proof"]
    if proof.get("proofPurpose") != "authentication":
        raise ValueError("not an authentication proof")
    if proof.get("challenge") != challenge:
        raise ValueError("wrong challenge")
    if domain is not None and proof.get("domain") != domain:
        raise ValueError("wrong domain")
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != "eddsa-rdfc-2022":
        raise ValueError("unsupported proof")
    method = proof["verificationMethod"]
    holder = method.partition("#")[0]
    if presentation.get("holder") != holder:
        raise ValueError("the holder is not the signer")
    signature = base58_decode(proof["proofValue"].removeprefix("z"))
    unsecured = {key: value for key, value in presentation.items() if key != "proof"}
    public_key_of(method).verify(signature, signing_input(unsecured, proof, [proof]))
    return holder


@dataclass
class VcApiExchange(_Server):
    """A VC-API exchange asking for DID authentication, and a legacy request endpoint."""

    domain: str = "127.0.0.1"
    wrong_challenge: bool = False

    def __post_init__(self) -> None:
        super().__init__()
        self.signer = did_key_issuer()
        self.challenges: dict[str, str] = {}
        self.refusals: list[str] = []
        self.issued: list[dict[str, Any]] = []

    def exchange_url(self) -> str:
        exchange_id = uuid.uuid4().hex
        self.challenges[exchange_id] = secrets.token_urlsafe(12)
        return self.url(f"/workflows/badges/exchanges/{exchange_id}")

    def deep_link(self) -> str:
        request = {
            "credentialRequestOrigin": self.url(""),
            "protocols": {"vcapi": self.exchange_url()},
        }
        return "https://lcw.app/request.html?request=" + quote(json.dumps(request))

    def legacy_link(self) -> str:
        challenge = secrets.token_urlsafe(12)
        self.challenges[f"legacy-{challenge}"] = challenge
        return (
            "https://lcw.app/request.html?issuer=issuer.example&auth_type=bearer"
            f"&challenge={challenge}&vc_request_url={quote(self.url('/request-credential'))}"
        )

    def handle(self, method: str, path: str, headers: Any, body: bytes) -> tuple[int, Any]:
        if method != "POST":
            return 405, {"error": "method not allowed"}
        request = json.loads(body or b"{}")
        if path == "/request-credential":
            challenge = request.get("proof", {}).get("challenge", "")
            if f"legacy-{challenge}" not in self.challenges:
                return 400, {"error": "unknown challenge"}
            return self._verify_and_issue(request, challenge, None, plain=True)
        prefix = "/workflows/badges/exchanges/"
        exchange_id = path.removeprefix(prefix)
        if not path.startswith(prefix) or exchange_id not in self.challenges:
            return 404, {"error": "no such exchange"}
        challenge = self.challenges[exchange_id]
        if "verifiablePresentation" not in request:
            return 200, {
                "verifiablePresentationRequest": {
                    "query": [
                        {"type": "DIDAuthentication", "acceptedMethods": [{"method": "key"}]}
                    ],
                    "challenge": "not-what-was-asked" if self.wrong_challenge else challenge,
                    "domain": self.domain,
                }
            }
        return self._verify_and_issue(request["verifiablePresentation"], challenge, self.domain)

    def _verify_and_issue(
        self, presentation: dict[str, Any], challenge: str, domain: str | None, plain: bool = False
    ) -> tuple[int, Any]:
        try:
            holder = verify_did_authentication(presentation, challenge=challenge, domain=domain)
        except (ValueError, KeyError, InvalidSignature) as error:
            self.refusals.append(str(error) or type(error).__name__)
            return 400, {"error": "the presentation does not authenticate you"}
        credential = self.signer.sign(
            fixtures.achievement_credential(
                self.signer.id, subject_id=holder, credential_id=f"urn:uuid:{uuid.uuid4()}"
            )
        )
        self.issued.append(credential)
        if plain:
            return 200, credential
        return 200, {
            "verifiablePresentation": {
                "@context": [fixtures.VC2],
                "type": ["VerifiablePresentation"],
                "verifiableCredential": [credential],
            }
        }


def started(server: _Server, settings: Any) -> _Server:
    """Start a stand-in and let the fetcher reach it (loopback is refused otherwise)."""
    server.start()
    settings.FETCH_ALLOWLIST = [*settings.FETCH_ALLOWLIST, server.authority]
    settings.FETCH_TIMEOUT = 5.0
    return server
