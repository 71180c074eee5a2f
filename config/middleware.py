"""Project-wide request middleware."""

import logging
import secrets
import time
from collections.abc import Callable

from django.core.signals import got_request_exception
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("skills_wallet.request")


class RequestLogMiddleware:
    """Log one line per request with a request id and the route name.

    The raw path and query string are never logged: share tokens and
    allauth keys travel in URLs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # Django turns a view's exception into a 500 response before it reaches
        # this middleware; its own logger names the raw path, so it stays silent.
        got_request_exception.connect(_log_exception, dispatch_uid="request-log-exception")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = _safe_request_id(request.headers.get("X-Request-ID", ""))
        request.request_id = request_id
        started = time.monotonic()
        try:
            response = self.get_response(request)
        except Exception:
            logger.exception(
                "request_id=%s method=%s route=%s status=500",
                request_id,
                _method(request),
                _route(request),
            )
            raise
        duration_ms = (time.monotonic() - started) * 1000
        response["X-Request-ID"] = request_id
        log = logger.error if response.status_code >= 500 else logger.info
        log(
            "request_id=%s method=%s route=%s status=%s duration_ms=%.1f",
            request_id,
            _method(request),
            _route(request),
            response.status_code,
            duration_ms,
        )
        return response


def _log_exception(sender: object, request: HttpRequest | None = None, **kwargs: object) -> None:
    logger.error(
        "request_id=%s method=%s route=%s unhandled exception",
        getattr(request, "request_id", "-"),
        _method(request) if request is not None else "-",
        _route(request) if request is not None else "-",
        exc_info=True,
    )


def _safe_request_id(value: str) -> str:
    # A proxy's id is kept only when it is short and plain, so it cannot
    # smuggle text into the log line.
    if 0 < len(value) <= 64 and value.replace("-", "").isalnum():
        return value
    return secrets.token_hex(8)


def _method(request: HttpRequest) -> str:
    method = request.method or ""
    return method if method.isalpha() and len(method) <= 10 else "OTHER"


def _route(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "-"
    return match.view_name or "-"


class PrivateNoStoreMiddleware:
    """Tell browsers and proxies to keep nothing behind a login or a token.

    A wallet page, an original or an export left in a shared computer's cache (or a
    proxy's) outlives the session. Public pages and static files (served by WhiteNoise
    before this runs) stay cacheable; a view that chose its own Cache-Control keeps it.
    """

    # Share links carry their token in the path; the API authenticates by bearer token,
    # which the session user here does not reflect.
    PRIVATE_PREFIXES = ("/s/", "/api/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control") and _is_private(request, self.PRIVATE_PREFIXES):
            response["Cache-Control"] = "private, no-store"
        return response


def _is_private(request: HttpRequest, prefixes: tuple[str, ...]) -> bool:
    if request.path_info.startswith(prefixes):
        return True
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


class AdminRequiresMFAMiddleware:
    """Send staff without two-factor authentication to enrol before admin.

    Controlled by ADMIN_REQUIRES_MFA (on by default when DEBUG is off).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # Django turns a view's exception into a 500 response before it reaches
        # this middleware; its own logger names the raw path, so it stays silent.
        got_request_exception.connect(_log_exception, dispatch_uid="request-log-exception")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: tuple, view_kwargs: dict
    ) -> HttpResponse | None:
        from allauth.mfa.utils import is_mfa_enabled
        from django.conf import settings
        from django.contrib import messages
        from django.shortcuts import redirect
        from django.utils.translation import gettext

        match = request.resolver_match
        if not settings.ADMIN_REQUIRES_MFA or match is None or match.namespace != "admin":
            return None
        user = request.user
        if not (user.is_authenticated and user.is_staff) or is_mfa_enabled(user):
            return None
        messages.warning(
            request, gettext("Turn on two-factor authentication to use the admin site.")
        )
        return redirect("mfa_index")
