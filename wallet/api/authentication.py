"""The API's token authentication: `Authorization: Bearer <token>` with a learner's
personal access token (named in settings' REST_FRAMEWORK).

Settings name this module while DRF itself is loading, so it never imports
rest_framework.views or drf_spectacular (the schema's description of this scheme is in
wallet/api/views_tokens.py).
"""

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from wallet.models import ApiToken
from wallet.tokens import hash_token

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
