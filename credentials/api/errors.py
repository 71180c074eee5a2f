"""The API's one error shape: the codes a client can rely on, the body of every error,
and the exception handler DRF calls (named in settings).

Settings name this module while DRF itself is loading, so it never imports
rest_framework.views or drf_spectacular: the base view lives in credentials/api/base.py.
"""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response

from credentials.services import DuplicateCredential


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
        fields = {key: [str(m) for m in messages] for key, messages in exc}
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
