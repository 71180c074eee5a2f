"""The host API's resources: getCredentials, upsertCredential and getProfile, for OB 3.0
and CLR 2.0, with errors in the specification's imsx_StatusInfo shape."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from authlib.integrations.django_oauth2.requests import DjangoJsonRequest
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import MissingAuthorizationError
from authlib.oauth2.rfc6750 import InsufficientScopeError
from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt

from credentials.formats import safejson
from credentials.formats.base import CredentialFormat
from credentials.models import Credential
from wallet.hostapi import scopes
from wallet.hostapi.models import DeliveryKind, PlatformConnection
from wallet.hostapi.oauth import protector
from wallet.hostapi.services import (
    NotAllowed,
    as_delivered,
    deliver_credential,
    suggest_profile,
)
from wallet.models import Wallet

DEFAULT_LIMIT = 50
MAX_LIMIT = 100
JSON_TYPES = ("application/json", "application/vc+ld+json", "application/ld+json")


@dataclass(frozen=True)
class Spec:
    """What differs between the Open Badges 3.0 API and the CLR 2.0 API."""

    kind: DeliveryKind
    base: str
    read_scope: str
    upsert_scope: str
    profile_scope: str
    profile_update_scope: str
    formats: tuple[str, ...]


SPECS = {
    "ob": Spec(
        kind=DeliveryKind.OB,
        base="/ims/ob/v3p0",
        read_scope=scopes.OB_READ,
        upsert_scope=scopes.OB_UPSERT,
        profile_scope=scopes.OB_PROFILE_READ,
        profile_update_scope=scopes.OB_PROFILE_UPDATE,
        formats=(CredentialFormat.OB3_VC.value, CredentialFormat.OB3_JWT.value),
    ),
    "clr": Spec(
        kind=DeliveryKind.CLR,
        base="/ims/clr/v2p0",
        read_scope=scopes.CLR_READ,
        upsert_scope=scopes.CLR_UPSERT,
        profile_scope=scopes.CLR_PROFILE_READ,
        profile_update_scope=scopes.CLR_PROFILE_UPDATE,
        formats=(CredentialFormat.CLR.value,),
    ),
}


def status_info(status: int, minor: str, description: str, **headers: str) -> JsonResponse:
    """An error in the specifications' imsx_StatusInfo shape."""
    response = JsonResponse(
        {
            "imsx_codeMajor": "failure",
            "imsx_severity": "error",
            "imsx_description": description,
            "imsx_codeMinor": {
                "imsx_codeMinorField": [
                    {
                        "imsx_codeMinorFieldName": "TargetEndSystem",
                        "imsx_codeMinorFieldValue": minor,
                    }
                ]
            },
        },
        status=status,
    )
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def read_json(data: bytes) -> dict[str, Any]:
    """The JSON object in the bytes, read as every credential is (`safejson`): depth and
    size capped, no duplicate keys, no text a database cannot store; else ValueError."""
    return safejson.loads(data, max_bytes=settings.IMPORT_MAX_BYTES)


def _authorise(request: HttpRequest, scope: str) -> PlatformConnection | JsonResponse:
    """The connection behind the request's bearer token, if it is live and holds the scope."""
    try:
        token = protector.validate_request(scopes=[scope], request=DjangoJsonRequest(request))
    except MissingAuthorizationError:
        return status_info(
            401, "unauthorizedrequest", "Send an access token.", WWW_Authenticate="Bearer"
        )
    except InsufficientScopeError:
        return status_info(
            403,
            "forbidden",
            f"The access token does not grant {scope}.",
            WWW_Authenticate=f'Bearer error="insufficient_scope", scope="{scope}"',
        )
    except OAuth2Error:
        return status_info(
            401,
            "unauthorizedrequest",
            "The access token is unknown, expired or revoked.",
            WWW_Authenticate='Bearer error="invalid_token"',
        )
    connection = token.connection
    PlatformConnection.objects.filter(pk=connection.pk).update(last_used_at=timezone.now())
    return connection


def readable(connection: PlatformConnection, spec: Spec) -> models.QuerySet[Credential]:
    """What a platform may read: what it delivered, or every credential not hidden."""
    found = (
        Credential.objects.owned_by(connection.owner)
        .top_level()
        .shareable()
        .filter(format__in=spec.formats)
        .exclude(curation__is_hidden=True)
    )
    if not connection.reads_all:
        found = found.filter(platform_delivery__client=connection.client)
    return found.order_by("created_at", "pk")


@csrf_exempt
def credentials(request: HttpRequest, api: str) -> HttpResponse:
    """getCredentials (GET) and upsertCredential (POST)."""
    spec = SPECS[api]
    if request.method == "GET":
        return _get_credentials(request, spec)
    if request.method == "POST":
        return _upsert_credential(request, spec)
    return status_info(405, "not_allowed", "Use GET or POST.", Allow="GET, POST")


def _number(request: HttpRequest, name: str, default: int, low: int, high: int) -> int:
    raw = request.GET.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}.")
    return int(raw)


def _get_credentials(request: HttpRequest, spec: Spec) -> HttpResponse:
    connection = _authorise(request, spec.read_scope)
    if isinstance(connection, HttpResponse):
        return connection
    try:
        limit = _number(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
        offset = _number(request, "offset", 0, 0, 10**9)
        since = _since(request.GET.get("since"))
    except ValueError as exc:
        return status_info(400, "invalid_query_parameter", str(exc))
    found = readable(connection, spec)
    if since is not None:
        found = found.filter(issued_at__gt=since)
    total = found.count()
    body: dict[str, list] = {"credential": [], "compactJwsString": []}
    for credential in found[offset : offset + limit]:
        delivered = as_delivered(credential)
        body["compactJwsString" if isinstance(delivered, str) else "credential"].append(delivered)
    response = JsonResponse(body)
    response["X-Total-Count"] = str(total)
    links = _links(request, spec, limit=limit, offset=offset, total=total)
    if links:
        response["Link"] = links
    return response


def _since(raw: str | None) -> datetime | None:
    if raw is None:
        return None
    parsed = parse_datetime(raw.replace(" ", "+"))
    if parsed is None or timezone.is_naive(parsed):
        raise ValueError("since must be a date and time with its offset (RFC 3339).")
    try:
        # The database compares in UTC; near year 1 or 9999 the offset leaves the calendar.
        parsed.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError("since must be a date and time from year 1 to 9999.") from exc
    return parsed


def _links(request: HttpRequest, spec: Spec, *, limit: int, offset: int, total: int) -> str:
    """RFC 8288 links to the first, previous, next and last pages."""
    base = f"{settings.SITE_URL}{spec.base}/credentials"
    kept = {key: request.GET[key] for key in ("since",) if key in request.GET}

    def link(rel: str, at: int) -> str:
        query = urlencode({**kept, "limit": limit, "offset": at})
        return f'<{base}?{query}>; rel="{rel}"'

    last = max(total - 1, 0) // limit * limit
    found = []
    if offset + limit < total:
        found.append(link("next", offset + limit))
    if offset > 0:
        found.append(link("prev", max(offset - limit, 0)))
    found += [link("first", 0), link("last", last)]
    return ", ".join(found)


def _upsert_credential(request: HttpRequest, spec: Spec) -> HttpResponse:
    connection = _authorise(request, spec.upsert_scope)
    if isinstance(connection, HttpResponse):
        return connection
    media_type = request.content_type.lower()
    try:
        data = request.body
    except RequestDataTooBig:
        return status_info(413, "invalid_data", "The credential is too large.")
    if len(data) > settings.IMPORT_MAX_BYTES:
        return status_info(413, "invalid_data", "The credential is too large.")
    if media_type in JSON_TYPES:
        try:
            read_json(data)
        except ValueError as exc:
            return status_info(400, "invalid_data", str(exc))
    elif media_type == "text/plain":
        text = data.decode("ascii", errors="replace").strip()
        if text.count(".") != 2:
            return status_info(400, "invalid_data", "The body must be a compact JWS.")
        data = text.encode()
    else:
        return status_info(
            400, "invalid_data", "Send application/json, application/vc+ld+json or text/plain."
        )
    try:
        outcome = deliver_credential(connection=connection, data=data, kind=spec.kind)
    except NotAllowed as exc:
        return status_info(403, "forbidden", str(exc))
    except ValidationError as exc:
        if exc.code == "duplicate":
            return HttpResponse(status=304)
        return status_info(400, "invalid_data", " ".join(exc.messages))
    status = 201 if outcome.is_new else 200
    delivered = as_delivered(outcome.credential)
    if isinstance(delivered, str):
        return HttpResponse(delivered, status=status, content_type="text/plain")
    return JsonResponse(delivered, status=status)


def _profile_of(wallet: Wallet) -> dict:
    body = {"id": f"urn:uuid:{wallet.uuid}", "type": ["Profile"]}
    if wallet.display_name:
        body["name"] = wallet.display_name
    if wallet.bio or wallet.headline:
        body["description"] = wallet.bio or wallet.headline
    return body


@csrf_exempt
def profile(request: HttpRequest, api: str) -> HttpResponse:
    """getProfile (GET) and putProfile (PUT: a change the learner reviews first)."""
    spec = SPECS[api]
    if request.method not in ("GET", "PUT"):
        return status_info(405, "not_allowed", "Use GET or PUT.", Allow="GET, PUT")
    scope = spec.profile_scope if request.method == "GET" else spec.profile_update_scope
    connection = _authorise(request, scope)
    if isinstance(connection, HttpResponse):
        return connection
    wallet = Wallet.objects.filter(user=connection.owner).first()
    if wallet is None:
        return status_info(404, "not_found", "This learner has no profile.")
    if request.method == "GET":
        return JsonResponse(_profile_of(wallet))
    if request.content_type.lower() not in JSON_TYPES:
        return status_info(400, "invalid_data", "Send the Profile as application/json.")
    try:
        document = read_json(request.body)
    except RequestDataTooBig:
        return status_info(413, "invalid_data", "The Profile is too large.")
    except ValueError as exc:
        return status_info(400, "invalid_data", str(exc))
    name, description = document.get("name", ""), document.get("description", "")
    if not isinstance(name, str) or not isinstance(description, str):
        return status_info(400, "invalid_data", "name and description must be strings.")
    try:
        suggest_profile(connection=connection, name=name, description=description)
    except ValidationError as exc:
        return status_info(400, "invalid_data", " ".join(exc.messages))
    # Accepted, not done: the learner reviews the change before anyone sees it.
    return JsonResponse(_profile_of(wallet), status=202)
