"""Personal access tokens through the API: list, make (from a session) and revoke."""

from typing import Any

# The check behind allauth's `reauthentication_required`, which answers with a redirect
# where the API must answer with its error shape.
from allauth.account.internal.flows.reauthentication import is_reauthentication_required
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from credentials.api.access import IsSessionAuthenticated, TokenScopePermission
from credentials.api.base import ApiView, Pagination, errors
from wallet import tokens
from wallet.api.serializers import (
    ApiTokenCreateSerializer,
    ApiTokenSerializer,
    NewApiTokenSerializer,
)
from wallet.models import ApiToken

TAG = "Tokens"

TOKEN_EXAMPLE = {
    "uuid": "6d1f3c7e-2b1a-4f0e-9c55-0f3a7b8e2d11",
    "name": "Nightly sync",
    "prefix": "swt_Q2xhcmE",
    "scope": "read_write",
    "expires_at": "2027-01-31T00:00:00Z",
    "last_used_at": None,
    "revoked_at": None,
    "is_active": True,
    "created_at": "2026-11-28T12:00:00Z",
}


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    """Describes personal access tokens as HTTP bearer auth in the schema."""

    target_class = "wallet.api.authentication.TokenAuthentication"
    name = "personalAccessToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        """An HTTP bearer scheme."""
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token from the API tokens page (/api/tokens/), "
            "sent as `Authorization: Bearer <token>`. Read tokens may only use GET.",
        }


class TokenList(ApiView, generics.GenericAPIView):
    """The learner's personal access tokens."""

    serializer_class = ApiTokenSerializer
    pagination_class = Pagination

    def get_permissions(self) -> list:
        """Making a token needs a logged-in session; listing works with a token too."""
        if self.request.method == "POST":
            return [IsAuthenticated(), IsSessionAuthenticated(), TokenScopePermission()]
        return super().get_permissions()

    def get_queryset(self):
        """Only the caller's tokens."""
        return ApiToken.objects.owned_by(self.request.user).order_by("-created_at")

    @extend_schema(
        tags=[TAG],
        summary=_("List your personal access tokens"),
        description=_(
            "Tokens are never shown again after they are made; `prefix` helps you tell them apart."
        ),
        responses={200: ApiTokenSerializer(many=True), **errors(404)},
    )
    def get(self, request: Request) -> Response:
        """A page of tokens, newest first."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ApiTokenSerializer(page, many=True).data)

    @extend_schema(
        tags=[TAG],
        summary=_("Make a personal access token (session only)"),
        description=_(
            "Only from a logged-in browser session with its CSRF token, and a recent password "
            "confirmation (`reauthentication_required` otherwise): a token cannot make more "
            "tokens. The answer holds `token` once; store it, it is never shown again."
        ),
        request=ApiTokenCreateSerializer,
        responses={201: NewApiTokenSerializer, **errors(400, 403, 422)},
        examples=[
            OpenApiExample(
                "A read and write token for a year",
                value={
                    "name": "Nightly sync",
                    "scope": "read_write",
                    "expires_at": "2027-11-28T00:00:00Z",
                },
                request_only=True,
            ),
            OpenApiExample(
                "Made",
                value={**TOKEN_EXAMPLE, "token": "swt_Q2xhcmEgaXMgYSBnb29kIGV4YW1wbGU"},
                response_only=True,
                status_codes=["201"],
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        """Make the token and show it this once."""
        if is_reauthentication_required(request._request, app=""):
            raise PermissionDenied(
                _("Confirm your password at %(url)s first, then make the token again.")
                % {"url": reverse("account_reauthenticate")},
                code="reauthentication_required",
            )
        made = tokens.create_api_token(
            owner=request.user, **self.validated(ApiTokenCreateSerializer)
        )
        tokens.announce_api_token(request=request._request, api_token=made.api_token)
        body = NewApiTokenSerializer(made.api_token).data
        body["token"] = made.token
        return Response(body, status=status.HTTP_201_CREATED)


class TokenDetail(ApiView):
    """One of the learner's tokens."""

    def _token(self, request: Request, token_uuid: str) -> ApiToken:
        return get_object_or_404(ApiToken.objects.owned_by(request.user), uuid=token_uuid)

    @extend_schema(
        tags=[TAG],
        summary=_("Show a personal access token"),
        responses={200: ApiTokenSerializer, **errors(404)},
        examples=[OpenApiExample("A token", value=TOKEN_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, token_uuid: str) -> Response:
        """The token's name, scope, expiry and last use."""
        return Response(ApiTokenSerializer(self._token(request, token_uuid)).data)

    @extend_schema(
        tags=[TAG],
        summary=_("Revoke a personal access token"),
        description=_("The token stops working at once; revoking it again changes nothing."),
        request=None,
        responses={204: None, **errors(403, 404)},
    )
    def delete(self, request: Request, token_uuid: str) -> Response:
        """Revoke the token."""
        tokens.revoke_api_token(api_token=self._token(request, token_uuid), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
