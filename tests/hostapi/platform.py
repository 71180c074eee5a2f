"""A stand-in issuer platform, written from the Open Badges 3.0 and CLR 2.0 API sections.

It knows the wallet only by its discovery document: it registers (RFC 7591), sends the
learner to consent with a PKCE S256 challenge (RFC 7636), trades the code with
client_secret_basic, calls the resources with its bearer token, refreshes it and
revokes it (RFC 7009). The wallet under test answers through Django's test client;
the platform's own web site (logo, landing page) is a local server.
"""

import base64
import hashlib
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from django.test import Client

from tests.credentials.support.server import LocalServer

OB = "https://purl.imsglobal.org/spec/ob/v3p0/scope/"
CLR = "https://purl.imsglobal.org/spec/clr/v2p0/scope/"
ALL_SCOPES = " ".join(
    [
        OB + "credential.readonly",
        OB + "credential.upsert",
        OB + "profile.readonly",
        OB + "profile.update",
        CLR + "credential.readonly",
        CLR + "credential.upsert",
    ]
)
BASES = {"ob": "/ims/ob/v3p0", "clr": "/ims/clr/v2p0"}

# A 1x1 PNG logo.
LOGO = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass
class StandInPlatform:
    http: Client
    site: LocalServer
    name: str = "Example Academy"
    endpoints: dict[str, str] = field(default_factory=dict)
    client_id: str = ""
    client_secret: str = ""
    access_token: str = ""
    refresh_token: str = ""
    verifier: str = ""
    state: str = ""
    # Where the learner's browser lands after consent, when not on `site`.
    landing: str = ""

    @property
    def home(self) -> str:
        return self.site.url("/")

    @property
    def redirect_uri(self) -> str:
        return self.landing or self.site.url("/wallet-callback")

    def discover(self, api: str = "ob") -> dict[str, Any]:
        """Read the service description document and the OAuth endpoints it names."""
        document = self.http.get(f"{BASES[api]}/discovery", secure=True).json()
        scheme = document["components"]["securitySchemes"]["OAuth2ACG"]
        flow = scheme["flows"]["authorizationCode"]
        self.endpoints = {
            "register": scheme["x-imssf-registrationUrl"],
            "authorize": flow["authorizationUrl"],
            "token": flow["tokenUrl"],
            "refresh": flow["refreshUrl"],
            "revoke": flow["tokenUrl"].rsplit("/", 1)[0] + "/revoke",
        }
        return document

    def registration(self, **overrides: Any) -> dict[str, Any]:
        self.site.add("/logo.png", LOGO, content_type="image/png")
        body = {
            "client_name": self.name,
            "client_uri": self.home,
            "logo_uri": self.site.url("/logo.png"),
            "tos_uri": self.site.url("/terms"),
            "policy_uri": self.site.url("/privacy"),
            "software_id": "stand-in-platform",
            "software_version": "1.0",
            "redirect_uris": [self.redirect_uri],
            "token_endpoint_auth_method": "client_secret_basic",
            "grant_types": ["authorization_code", "refresh_token"],
            "response_types": ["code"],
            "scope": ALL_SCOPES,
        }
        body.update(overrides)
        return body

    def register(self, **overrides: Any) -> Any:
        response = self.http.post(
            path_of(self.endpoints["register"]),
            self.registration(**overrides),
            content_type="application/json",
            secure=True,
        )
        if response.status_code == 201:
            self.client_id = response.json()["client_id"]
            self.client_secret = response.json()["client_secret"]
        return response

    def authorization_path(self, scope: str = ALL_SCOPES, **overrides: str) -> str:
        """Where the platform sends the learner's browser, with a fresh PKCE S256 challenge."""
        self.verifier = secrets.token_urlsafe(48)
        self.state = secrets.token_urlsafe(16)
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(self.verifier.encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        query = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "scope": scope,
            "state": self.state,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        query.update(overrides)
        return path_of(self.endpoints["authorize"]) + "?" + urlencode(query)

    def code_from(self, location: str) -> str:
        """Read the code from the landing page's address, checking the state came back."""
        assert location.startswith(self.redirect_uri), location
        params = parse_qs(urlsplit(location).query)
        assert params["state"] == [self.state]
        return params["code"][0]

    def _basic(self, secret: str | None = None) -> str:
        pair = f"{self.client_id}:{secret if secret is not None else self.client_secret}"
        return "Basic " + base64.b64encode(pair.encode()).decode()

    def token_request(self, form: dict[str, str], *, secret: str | None = None) -> Any:
        return self.http.post(
            path_of(self.endpoints["token"]),
            urlencode(form),
            content_type="application/x-www-form-urlencoded",
            HTTP_AUTHORIZATION=self._basic(secret),
            secure=True,
        )

    def exchange(self, code: str, *, verifier: str | None = None) -> Any:
        response = self.token_request(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": self.redirect_uri,
                "code_verifier": verifier if verifier is not None else self.verifier,
            }
        )
        if response.status_code == 200:
            self._keep(response.json())
        return response

    def refresh(self) -> Any:
        response = self.http.post(
            path_of(self.endpoints["refresh"]),
            urlencode({"grant_type": "refresh_token", "refresh_token": self.refresh_token}),
            content_type="application/x-www-form-urlencoded",
            HTTP_AUTHORIZATION=self._basic(),
            secure=True,
        )
        if response.status_code == 200:
            self._keep(response.json())
        return response

    def revoke(self, token: str, hint: str = "access_token") -> Any:
        return self.http.post(
            path_of(self.endpoints["revoke"]),
            urlencode({"token": token, "token_type_hint": hint}),
            content_type="application/x-www-form-urlencoded",
            HTTP_AUTHORIZATION=self._basic(),
            secure=True,
        )

    def _keep(self, tokens: dict[str, Any]) -> None:
        assert tokens["token_type"].lower() == "bearer"
        self.access_token = tokens["access_token"]
        self.refresh_token = tokens.get("refresh_token", self.refresh_token)

    def upsert(self, api: str, body: str, content_type: str = "application/json") -> Any:
        return self.http.post(
            f"{BASES[api]}/credentials",
            body,
            content_type=content_type,
            HTTP_AUTHORIZATION=f"Bearer {self.access_token}",
            secure=True,
        )

    def get_credentials(self, api: str, **params: Any) -> Any:
        query = f"?{urlencode(params)}" if params else ""
        return self.http.get(
            f"{BASES[api]}/credentials{query}",
            HTTP_AUTHORIZATION=f"Bearer {self.access_token}",
            secure=True,
        )

    def get_profile(self, api: str = "ob") -> Any:
        return self.http.get(
            f"{BASES[api]}/profile",
            HTTP_AUTHORIZATION=f"Bearer {self.access_token}",
            secure=True,
        )

    def connect(
        self, learner_client: Client, scope: str = ALL_SCOPES, *, reads_all: bool = False
    ) -> None:
        """The whole dance: discovery, registration, the learner's consent, the token."""
        self.discover()
        assert self.register().status_code == 201
        path = self.authorization_path(scope)
        assert learner_client.get(path, secure=True).status_code == 200
        form = {"decision": "approve"}
        if reads_all:
            form["reads_all"] = "on"
        answer = learner_client.post(path, form, secure=True)
        assert answer.status_code == 302, answer.content
        assert self.exchange(self.code_from(answer["Location"])).status_code == 200
