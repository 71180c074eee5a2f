"""Who may do what through the API, whatever authenticated the request.

A request authenticated by a token carries the token as `request.auth` (a session
carries None). The token's model lives with the user model, above this app, so these
classes know a token only by what it offers: a primary key and `can_write`.

Settings name this module while DRF itself is loading, so it never imports
rest_framework.views or drf_spectacular.
"""

from typing import Any

from django.utils.translation import gettext_lazy
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle


class TokenScopePermission(BasePermission):
    """A read token may only read; sessions and read-write tokens may also write."""

    message = gettext_lazy("This token is read-only; make a read and write token to change data.")
    code = "insufficient_scope"

    def has_permission(self, request: Request, view: Any) -> bool:
        """Safe methods for every caller, the rest only for tokens that may write."""
        token = request.auth
        if token is None or request.method in SAFE_METHODS:
            return True
        return bool(getattr(token, "can_write", True))


class IsSessionAuthenticated(BasePermission):
    """Only a logged-in browser session: a token cannot mint more tokens."""

    message = gettext_lazy("Personal access tokens are made in the wallet's account pages.")
    code = "session_required"

    def has_permission(self, request: Request, view: Any) -> bool:
        """True for a session, False for a token."""
        return request.user is not None and request.auth is None


class TokenRateThrottle(SimpleRateThrottle):
    """Each personal access token has its own budget, on top of its owner's."""

    scope = "token"

    def get_rate(self) -> str:
        """The `token` rate, else the per-user rate (in this token's own bucket)."""
        return self.THROTTLE_RATES.get(self.scope) or self.THROTTLE_RATES["user"]

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        """Keyed by the token's row, never by the token itself."""
        if request.auth is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
