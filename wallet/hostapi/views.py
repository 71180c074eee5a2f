"""The host API's pages and OAuth endpoints: discovery, registration, consent, token,
revocation, the platform's logo and the learner's Connected platforms page."""

import binascii
from base64 import b64decode
from collections.abc import Callable
from urllib.parse import urlsplit

from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749.errors import InsecureTransportError
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.core.files.storage import default_storage
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from wallet.hostapi import scopes
from wallet.hostapi.api import SPECS, read_json
from wallet.hostapi.models import PlatformClient, PlatformConnection, ProfileSuggestion
from wallet.hostapi.oauth import Registration, TokenRevocation, server
from wallet.hostapi.registration import registration_allowed, shape_error
from wallet.hostapi.services import (
    apply_profile_suggestion,
    disconnect_platform,
    dismiss_profile_suggestion,
    grant_consent,
    refuse_consent,
)

MAX_REGISTRATION_BYTES = 16 * 1024


def _absolute(name: str) -> str:
    return f"{settings.SITE_URL}{reverse(name)}"


@require_GET
def discovery(request: HttpRequest, api: str) -> JsonResponse:
    """The service description document: an OpenAPI document naming the OAuth endpoints."""
    spec = SPECS[api]
    granted = [
        item for item in scopes.SUPPORTED if item.startswith(spec.read_scope.rsplit("/", 1)[0])
    ]
    title = "Open Badges" if api == "ob" else "Comprehensive Learner Record"
    document = {
        "openapi": "3.0.1",
        "info": {
            "title": f"Skills Wallet — {title}",
            "description": "A wallet where learners own, verify and share their credentials.",
            "version": "3.0" if api == "ob" else "2.0",
            "termsOfService": _absolute("terms"),
            "x-imssf-image": f"{settings.SITE_URL}{static('img/favicon.svg')}",
            "x-imssf-privacyPolicyUrl": _absolute("privacy"),
        },
        "servers": [{"url": f"{settings.SITE_URL}{spec.base}", "description": "Skills Wallet"}],
        "paths": {
            "/credentials": {
                "get": {
                    "operationId": "getCredentials",
                    "security": [{"OAuth2ACG": [spec.read_scope]}],
                },
                "post": {
                    "operationId": "upsertCredential",
                    "security": [{"OAuth2ACG": [spec.upsert_scope]}],
                },
            },
            "/profile": {
                "get": {
                    "operationId": "getProfile",
                    "security": [{"OAuth2ACG": [spec.profile_scope]}],
                },
                "put": {
                    "operationId": "putProfile",
                    "security": [{"OAuth2ACG": [spec.profile_update_scope]}],
                },
            },
            "/discovery": {"get": {"operationId": "getServiceDescription", "security": []}},
        },
        "components": {
            "securitySchemes": {
                "OAuth2ACG": {
                    "type": "oauth2",
                    "description": "OAuth 2.0 authorization code grant with PKCE (S256).",
                    "x-imssf-registrationUrl": _absolute("hostapi:register"),
                    "flows": {
                        "authorizationCode": {
                            "authorizationUrl": _absolute("hostapi:authorize"),
                            "tokenUrl": _absolute("hostapi:token"),
                            "refreshUrl": _absolute("hostapi:token"),
                            "scopes": {item: scopes.SPEC_DESCRIPTIONS[item] for item in granted},
                        }
                    },
                }
            }
        },
    }
    return JsonResponse(document)


def _oauth_error(status: int, error: str, description: str) -> JsonResponse:
    response = JsonResponse({"error": error, "error_description": description}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _over_https(
    request: HttpRequest, answer: Callable[..., HttpResponse], *args: str
) -> HttpResponse:
    """Authlib's answer, or a clear refusal when the request did not come over https."""
    try:
        return answer(*args, request)
    except InsecureTransportError:
        return _oauth_error(400, "invalid_request", "OAuth 2.0 requests must use https.")


def _basic_is_text(request: HttpRequest) -> bool:
    """False when HTTP Basic credentials are not UTF-8 base64, which Authlib cannot decode."""
    kind, _space, encoded = request.headers.get("Authorization", "").partition(" ")
    if kind.lower() != "basic":
        return True
    try:
        b64decode(encoded, validate=False).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return False
    return True


def _bad_basic() -> JsonResponse:
    response = _oauth_error(401, "invalid_client", "Send client_secret_basic credentials.")
    response["WWW-Authenticate"] = "Basic"
    return response


@csrf_exempt
@require_POST
def register(request: HttpRequest) -> HttpResponse:
    """Dynamic client registration (RFC 7591): open, rate-limited, JSON in and out."""
    if not registration_allowed(request):
        response = _oauth_error(
            429, "invalid_client_metadata", "Too many registrations; try later."
        )
        response["Retry-After"] = "3600"
        return response
    try:
        body = request.body
    except RequestDataTooBig:
        return _oauth_error(413, "invalid_client_metadata", "The request is too large.")
    if len(body) > MAX_REGISTRATION_BYTES:
        return _oauth_error(413, "invalid_client_metadata", "The request is too large.")
    try:
        metadata = read_json(body)
    except ValueError as exc:
        reason = f"Send the metadata as a JSON object: {exc}"
        return _oauth_error(400, "invalid_client_metadata", reason)
    wrong = shape_error(metadata)
    if wrong:
        return _oauth_error(400, "invalid_client_metadata", wrong)
    return _over_https(request, server.create_endpoint_response, Registration.ENDPOINT_NAME)


@csrf_exempt
@require_POST
def token(request: HttpRequest) -> HttpResponse:
    """The token endpoint: authorization codes (with their PKCE verifier) and refresh tokens."""
    if not _basic_is_text(request):
        return _bad_basic()
    return _over_https(request, server.create_token_response)


@csrf_exempt
@require_POST
def revoke(request: HttpRequest) -> HttpResponse:
    """Token revocation (RFC 7009)."""
    if not _basic_is_text(request):
        return _bad_basic()
    return _over_https(request, server.create_endpoint_response, TokenRevocation.ENDPOINT_NAME)


@never_cache
@login_required
def authorize(request: HttpRequest) -> HttpResponse:
    """The consent page: the learner approves or refuses a platform's request."""
    try:
        grant = server.get_consent_grant(request, end_user=request.user)
    except OAuth2Error as error:
        if getattr(error, "redirect_uri", None):
            return server.handle_error_response(request, error)
        ctx = {"description": error.description or error.error}
        return render(request, "wallet/hostapi/consent_error.html", ctx, status=400)
    client: PlatformClient = grant.client
    requested = client.get_allowed_scope(grant.request.payload.scope or "")
    if not requested:
        return render(
            request,
            "wallet/hostapi/consent_error.html",
            {"description": _("The platform asked for nothing this wallet offers.")},
            status=400,
        )
    if request.method == "POST":
        if request.POST.get("decision") == "approve":
            grant_consent(
                learner=request.user,
                client=client,
                scope=requested,
                reads_all=request.POST.get("reads_all") == "on",
            )
            return server.create_authorization_response(
                request, grant_user=request.user, grant=grant
            )
        refuse_consent(learner=request.user, client=client)
        return server.create_authorization_response(request, grant_user=None, grant=grant)
    asks_read = any(item.endswith("credential.readonly") for item in scopes.split(requested))
    ctx = {
        "client": client,
        "permissions": scopes.plain_words(requested),
        "asks_read": asks_read,
    }
    response = render(request, "wallet/hostapi/consent.html", ctx)
    # The answer redirects the form's POST to the platform; CSP's form-action covers that
    # redirect, so this page, and only it, allows the one origin the platform registered.
    landing = urlsplit(grant.redirect_uri)
    response._csp_update = {"form-action": [f"{landing.scheme}://{landing.netloc}"]}
    return response


@require_GET
def platform_logo(request: HttpRequest, client_uuid: str) -> FileResponse:
    """A platform's logo, as re-encoded when it registered (the site makes no outside request)."""
    client = get_object_or_404(PlatformClient, uuid=client_uuid)
    if not client.logo or not default_storage.exists(client.logo.name):
        raise Http404
    response = FileResponse(client.logo.open("rb"), content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@login_required
@require_GET
def connected_platforms(request: HttpRequest) -> HttpResponse:
    """Account → Connected platforms: each platform, its scopes and last use."""
    connections = (
        PlatformConnection.objects.owned_by(request.user)
        .active()
        .select_related("client", "profile_suggestion")
        .annotate(
            delivered=Count(
                "client__deliveries",
                filter=Q(client__deliveries__credential__owner=request.user),
            )
        )
    )
    rows = [
        {"connection": connection, "permissions": scopes.plain_words(connection.scope)}
        for connection in connections
    ]
    return render(request, "wallet/hostapi/platform_list.html", {"rows": rows})


@login_required
@require_POST
def platform_disconnect(request: HttpRequest, connection_uuid: str) -> HttpResponse:
    """Disconnect a platform: its tokens stop at once; what it delivered stays."""
    connection = get_object_or_404(
        PlatformConnection.objects.owned_by(request.user).active().select_related("client"),
        uuid=connection_uuid,
    )
    disconnect_platform(connection=connection, actor=request.user)
    messages.success(
        request,
        _("%(name)s is disconnected. What it delivered stays in your wallet.")
        % {"name": connection.client.name},
    )
    return redirect("wallet:connected_platforms")


@login_required
@require_POST
def platform_profile(request: HttpRequest, connection_uuid: str) -> HttpResponse:
    """Apply or dismiss the profile change a platform suggested."""
    suggestion = get_object_or_404(
        ProfileSuggestion.objects.select_related("connection__client"),
        connection__owner=request.user,
        connection__uuid=connection_uuid,
    )
    if request.POST.get("decision") == "apply":
        apply_profile_suggestion(suggestion=suggestion, actor=request.user)
        messages.success(request, _("Your profile was updated."))
    else:
        dismiss_profile_suggestion(suggestion=suggestion)
        messages.success(request, _("The suggested change was dismissed."))
    return redirect("wallet:connected_platforms")
