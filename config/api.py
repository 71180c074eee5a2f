"""The REST API's wiring, configured once: token auth, scopes, throttles,
pagination and one error shape.

Settings import this module while DRF itself is loading, so it never imports
rest_framework.views or drf_spectacular: the base view and the OpenAPI pieces
live in config/api_base.py.
"""

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

from credentials.models import ApiToken, ApiTokenScope
from credentials.services import DuplicateCredential
from credentials.services_tokens import hash_token

LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <token>` with a learner's personal access token."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        """The token's owner and the token, None without a bearer header."""
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the header as “Authorization: Bearer <token>”."), code="invalid_token"
            )
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(
                _("This token is not valid."), code="invalid_token"
            ) from exc
        return self._check(token)

    def _check(self, token: str) -> tuple[Any, ApiToken]:
        api_token = (
            ApiToken.objects.select_related("owner").filter(token_hash=hash_token(token)).first()
        )
        if api_token is None or not api_token.owner.is_active:
            raise exceptions.AuthenticationFailed(
                _("This token is not valid."), code="invalid_token"
            )
        if api_token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(
                _("This token has been revoked."), code="token_revoked"
            )
        now = timezone.now()
        if api_token.expires_at is not None and api_token.expires_at <= now:
            raise exceptions.AuthenticationFailed(
                _("This token has expired."), code="token_expired"
            )
        # One write a minute at most: a busy script must not turn every read into a write.
        if api_token.last_used_at is None or api_token.last_used_at < now - LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
            api_token.last_used_at = now
        return api_token.owner, api_token

    def authenticate_header(self, request: Request) -> str:
        """Makes a missing or bad token a 401 with a challenge, not a 403."""
        return f'{self.keyword} realm="api"'


class TokenScopePermission(BasePermission):
    """A read token may only read; sessions and read-write tokens may also write."""

    message = gettext_lazy("This token is read-only; make a read and write token to change data.")
    code = "insufficient_scope"

    def has_permission(self, request: Request, view: Any) -> bool:
        """Safe methods for every caller, the rest only for non-read tokens."""
        token = request.auth
        if not isinstance(token, ApiToken) or request.method in SAFE_METHODS:
            return True
        return token.scope == ApiTokenScope.READ_WRITE


class IsSessionAuthenticated(BasePermission):
    """Only a logged-in browser session: a token cannot mint more tokens."""

    message = gettext_lazy("Personal access tokens are made in the wallet's account pages.")
    code = "session_required"

    def has_permission(self, request: Request, view: Any) -> bool:
        """True for a session, False for a token."""
        return request.user is not None and not isinstance(request.auth, ApiToken)


class TokenRateThrottle(SimpleRateThrottle):
    """Each personal access token has its own budget, on top of its owner's."""

    scope = "token"

    def get_rate(self) -> str:
        """The `token` rate, else the per-user rate (in this token's own bucket)."""
        return self.THROTTLE_RATES.get(self.scope) or self.THROTTLE_RATES["user"]

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        """Keyed by the token's row, never by the token itself."""
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class Pagination(PageNumberPagination):
    """Pages of 25 by default, up to 100 with `page_size`."""

    page_size_query_param = "page_size"
    max_page_size = 100


class PayloadTooLarge(exceptions.APIException):
    """The body or file is larger than the API accepts (413)."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The request is too large.")
    default_code = "too_large"


class Conflict(exceptions.APIException):
    """The object is not in a state that allows this yet (409)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("The request conflicts with the current state.")
    default_code = "conflict"


# The one error shape, and the codes a client can rely on.
STATUS_CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "unprocessable",
    429: "throttled",
}


def error_body(code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    """`{"error": {"code", "message", "fields"}}`: the body of every API error."""
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _first_code(detail: Any) -> str:
    if isinstance(detail, dict):
        return next((_first_code(value) for value in detail.values()), "invalid")
    if isinstance(detail, list):
        return next((_first_code(value) for value in detail), "invalid")
    return str(getattr(detail, "code", "") or "invalid")


def _messages(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {str(key): _messages(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_messages(value) for value in detail]
    return str(detail)


def _validation_response(exc: exceptions.ValidationError) -> Response:
    detail = exc.detail
    if isinstance(detail, dict):
        general = detail.get("non_field_errors")
        fields = {k: v for k, v in detail.items() if k != "non_field_errors"}
        message = (
            " ".join(str(item) for item in general)
            if general
            else _("Some fields need attention; see “fields”.")
        )
        body = error_body("invalid" if fields else _first_code(general), message, _messages(fields))
    else:
        items = detail if isinstance(detail, list) else [detail]
        body = error_body(_first_code(items), " ".join(str(item) for item in items))
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


def _service_error(exc: DjangoValidationError) -> Response:
    """A service refused the change: 422 with its message (a duplicate is a 409)."""
    if isinstance(exc, DuplicateCredential):
        body = error_body("duplicate", exc.messages[0])
        body["error"]["credential"] = str(exc.existing.uuid)
        return Response(body, status=status.HTTP_409_CONFLICT)
    code = getattr(exc, "code", None) or "unprocessable"
    if hasattr(exc, "error_dict"):
        fields = {key: [str(m) for m in value.messages] for key, value in exc}
        return Response(
            error_body(str(code), " ".join(exc.messages), fields),
            status=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    if hasattr(exc, "error_list") and len(exc.error_list) == 1:
        code = exc.error_list[0].code or code
    return Response(
        error_body(str(code), " ".join(exc.messages)), status=status.HTTP_422_UNPROCESSABLE_ENTITY
    )


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Turn every API error into the one JSON shape; unknown errors stay 500s (and logged)."""
    if isinstance(exc, DjangoValidationError):
        return _service_error(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Nothing here, or not yours."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None
    if isinstance(exc, exceptions.ValidationError):
        response = _validation_response(exc)
    else:
        code = _first_code(exc.detail)
        if str(exc.detail).startswith("CSRF Failed"):
            code, message = "csrf_failed", _("Send the CSRF token with a session request.")
        else:
            message = str(exc.detail)
        if code in {"error", "invalid"} or not code:
            code = STATUS_CODES.get(exc.status_code, "error")
        response = Response(error_body(code, message), status=exc.status_code)
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        response["Retry-After"] = str(int(exc.wait))
    auth_header = getattr(exc, "auth_header", None)
    if auth_header:
        response["WWW-Authenticate"] = auth_header
    return response


def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any /api/ address that names no endpoint: a JSON 404, not the site's HTML page."""
    return JsonResponse(
        error_body(
            "not_found",
            _("No API endpoint at this address. Paths end with a slash; see /api/docs/."),
        ),
        status=404,
    )


def resolve_owned(queryset: Any, uuids: list[Any], *, field: str) -> list[Any]:
    """The rows of an owner-scoped queryset with these UUIDs, in the order asked, or a 400."""
    wanted = list(dict.fromkeys(str(value) for value in uuids))
    found = {str(row.uuid): row for row in queryset.filter(uuid__in=wanted)}
    missing = [value for value in wanted if value not in found]
    if missing:
        raise exceptions.ValidationError(
            {
                field: [
                    _("Not found in your wallet: %(uuid)s") % {"uuid": value} for value in missing
                ]
            }
        )
    return [found[value] for value in wanted]
