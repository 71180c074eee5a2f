"""The OAuth 2.0 authorisation server of the host API, built from Authlib's server pieces.

Authorization code grant with PKCE S256 required (RFC 7636) and `client_secret_basic`,
refresh tokens that rotate, revocation (RFC 7009) and open dynamic registration
(RFC 7591). Codes, tokens and client secrets are looked up by their SHA-256 only.
"""

import json
from typing import Any

from authlib.integrations.django_oauth2.requests import DjangoJsonRequest, DjangoOAuth2Request
from authlib.oauth2 import AuthorizationServer as AuthlibServer
from authlib.oauth2 import ResourceProtector
from authlib.oauth2.rfc6749 import InvalidRequestError, grants
from authlib.oauth2.rfc6750 import BearerTokenGenerator, BearerTokenValidator
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7591 import ClientRegistrationEndpoint
from authlib.oauth2.rfc7636 import CodeChallenge
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from wallet.hostapi import scopes
from wallet.hostapi.models import (
    ACCESS_TOKEN_SECONDS,
    CODE_LIFETIME,
    AuthorizationCode,
    PlatformClient,
    PlatformConnection,
    PlatformToken,
)
from wallet.hostapi.registration import register_platform
from wallet.hostapi.secrets import hash_secret, new_secret

AUTH_METHODS = ["client_secret_basic"]
GRANT_TYPES = ["authorization_code", "refresh_token"]


class HostApiServer(AuthlibServer):
    """Authlib's server, told where clients and tokens live and how Django answers."""

    def query_client(self, client_id: str) -> PlatformClient | None:
        return PlatformClient.objects.usable().filter(client_id=client_id or "").first()

    def save_token(self, token: dict[str, Any], request: Any) -> PlatformToken:
        connection = PlatformConnection.objects.active().get(
            owner=request.user, client=request.client
        )
        refresh = token.get("refresh_token")
        row = PlatformToken.objects.create(
            connection=connection,
            access_token_hash=hash_secret(token["access_token"]),
            refresh_token_hash=hash_secret(refresh) if refresh else None,
            scope=token.get("scope", ""),
            expires_in=int(token["expires_in"]),
        )
        PlatformConnection.objects.filter(pk=connection.pk).update(last_used_at=timezone.now())
        return row

    def create_oauth2_request(self, request: HttpRequest) -> DjangoOAuth2Request:
        return DjangoOAuth2Request(request)

    def create_json_request(self, request: HttpRequest) -> DjangoJsonRequest:
        return DjangoJsonRequest(request)

    def handle_response(self, status_code: int, payload: Any, headers: Any) -> HttpResponse:
        body = json.dumps(payload) if isinstance(payload, dict) else payload
        response = HttpResponse(body, status=status_code)
        for name, value in headers:
            response[name] = value
        return response

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        return None


class RequiredS256(CodeChallenge):
    """PKCE for every client, and only with S256: a plain challenge protects nothing."""

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("PKCE is required: send code_challenge.")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("code_challenge_method must be S256.")
        super().validate_code_challenge(grant, redirect_uri)

    def get_authorization_code_challenge(self, authorization_code: AuthorizationCode) -> str:
        return authorization_code.code_challenge

    def get_authorization_code_challenge_method(self, authorization_code: AuthorizationCode) -> str:
        return authorization_code.code_challenge_method


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS

    def generate_authorization_code(self) -> str:
        return new_secret("swc_")

    def save_authorization_code(self, code: str, request: Any) -> AuthorizationCode:
        connection = PlatformConnection.objects.active().get(
            owner=request.user, client=request.client
        )
        data = request.payload.data
        AuthorizationCode.objects.filter(expires_at__lte=timezone.now()).delete()
        return AuthorizationCode.objects.create(
            code_hash=hash_secret(code),
            connection=connection,
            redirect_uri=request.payload.redirect_uri or "",
            scope=request.payload.scope or "",
            code_challenge=data["code_challenge"],
            code_challenge_method=data["code_challenge_method"],
            expires_at=timezone.now() + CODE_LIFETIME,
        )

    def query_authorization_code(
        self, code: str, client: PlatformClient
    ) -> AuthorizationCode | None:
        found = (
            AuthorizationCode.objects.select_related("connection")
            .filter(
                code_hash=hash_secret(code or ""),
                connection__client=client,
                connection__disconnected_at__isnull=True,
            )
            .first()
        )
        if found is None or found.is_expired():
            return None
        return found

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        authorization_code.delete()

    def authenticate_user(self, authorization_code: AuthorizationCode) -> models.Model:
        return authorization_code.connection.owner


class RefreshTokenGrant(grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token: str) -> PlatformToken | None:
        found = (
            PlatformToken.objects.live()
            .select_related("connection")
            .filter(refresh_token_hash=hash_secret(refresh_token or ""))
            .first()
        )
        if found is None or found.is_refresh_expired():
            return None
        return found

    def authenticate_user(self, refresh_token: PlatformToken) -> models.Model:
        return refresh_token.connection.owner

    def revoke_old_credential(self, refresh_token: PlatformToken) -> None:
        PlatformToken.objects.filter(pk=refresh_token.pk).update(revoked_at=timezone.now())


class TokenRevocation(RevocationEndpoint):
    CLIENT_AUTH_METHODS = AUTH_METHODS

    def query_token(self, token_string: str, token_type_hint: str | None) -> PlatformToken | None:
        digest = hash_secret(token_string or "")
        return (
            PlatformToken.objects.select_related("connection")
            .filter(models.Q(access_token_hash=digest) | models.Q(refresh_token_hash=digest))
            .first()
        )

    def revoke_token(self, token: PlatformToken, request: Any) -> None:
        # One row holds the access token and its refresh token: both stop (RFC 7009 §2.1).
        PlatformToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )


class Registration(ClientRegistrationEndpoint):
    """Open registration, as the specifications require; the view rate-limits it."""

    def authenticate_token(self, request: Any) -> bool:
        return True

    def generate_client_id(self, request: Any) -> str:
        return new_secret("swp_")[:48]

    def generate_client_secret(self, request: Any) -> str:
        return new_secret("sws_")

    def get_server_metadata(self) -> dict[str, Any]:
        return SERVER_METADATA

    def save_client(
        self, client_info: dict[str, Any], client_metadata: dict[str, Any], request: Any
    ) -> PlatformClient:
        return register_platform(client_info=client_info, metadata=client_metadata)


SERVER_METADATA = {
    "scopes_supported": list(scopes.SUPPORTED),
    "response_types_supported": ["code"],
    "grant_types_supported": GRANT_TYPES,
    "token_endpoint_auth_methods_supported": AUTH_METHODS,
}


class HashedBearerValidator(BearerTokenValidator):
    def authenticate_token(self, token_string: str) -> PlatformToken | None:
        return (
            PlatformToken.objects.select_related("connection__client", "connection__owner")
            .filter(access_token_hash=hash_secret(token_string or ""))
            .first()
        )


def _bearer_generator() -> BearerTokenGenerator:
    return BearerTokenGenerator(
        access_token_generator=lambda **_: new_secret("swa_"),
        refresh_token_generator=lambda **_: new_secret("swr_"),
        expires_generator=lambda client, grant_type: ACCESS_TOKEN_SECONDS,
    )


def _build_server() -> HostApiServer:
    built = HostApiServer(scopes_supported=list(scopes.SUPPORTED))
    built.register_token_generator("default", _bearer_generator())
    built.register_grant(AuthorizationCodeGrant, [RequiredS256(required=True)])
    built.register_grant(RefreshTokenGrant)
    built.register_endpoint(TokenRevocation)
    built.register_endpoint(Registration)
    return built


server = _build_server()
protector = ResourceProtector()
protector.register_token_validator(HashedBearerValidator())
