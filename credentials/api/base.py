"""The base of every API view, its pagination and owner-scoped lookups, and the OpenAPI
pieces all operations share."""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from credentials.api.access import TokenRateThrottle, TokenScopePermission
from credentials.api.errors import PayloadTooLarge, error_body


def _has_lone_surrogate(data: Any) -> bool:
    # Iterative: the document may be as deep as the parser allowed.
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
    return False


class StrictJSONParser(JSONParser):
    """JSON, refusing what Python's parser accepts but nothing downstream can handle."""

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        """The parsed body; a 400 for nesting too deep to parse or a lone surrogate."""
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise exceptions.ParseError(_("The JSON is nested too deeply.")) from exc
        # "\ud800" parses to a str that cannot be stored, logged or echoed back as UTF-8.
        if _has_lone_surrogate(data):
            raise exceptions.ParseError(
                _("The JSON holds a lone surrogate, which is not valid text.")
            )
        return data


class ApiView(APIView):
    """Every API view: JSON only, throttled per user and per token, sized requests."""

    renderer_classes = [JSONRenderer]
    parser_classes = [StrictJSONParser]
    throttle_classes = [UserRateThrottle, AnonRateThrottle, TokenRateThrottle]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        """Refuse an oversized body before anything reads it."""
        super().initial(request, *args, **kwargs)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            raise PayloadTooLarge()

    def validated(
        self, serializer_class: type[serializers.Serializer], *, partial: bool = False
    ) -> dict[str, Any]:
        """The request body checked by `serializer_class`; a 400 naming the fields if not."""
        serializer = serializer_class(data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        """Answer in JSON whatever the Accept header says: errors included, never a 406."""
        return super().perform_content_negotiation(request, force=True)


class Pagination(PageNumberPagination):
    """Pages of 25 by default, up to 100 with `page_size`."""

    page_size_query_param = "page_size"
    max_page_size = 100


def resolve_owned(queryset: Any, uuids: list[Any], *, field: str) -> list[Any]:
    """The rows of an owner-scoped queryset with these UUIDs, in the order asked, or a 400."""
    wanted = list(dict.fromkeys(str(value) for value in uuids))
    found = {str(row.uuid): row for row in queryset.filter(uuid__in=wanted)}
    missing = [value for value in wanted if value not in found]
    if missing:
        raise exceptions.ValidationError(
            {
                field: [
                    gettext("Not found in your wallet: %(uuid)s") % {"uuid": value}
                    for value in missing
                ]
            }
        )
    return [found[value] for value in wanted]


# Shared pieces of the OpenAPI description.


class ErrorDetailSerializer(serializers.Serializer):
    """What went wrong, for programs (`code`) and people (`message`)."""

    code = serializers.CharField(help_text=_("A stable machine code, e.g. `not_found`."))
    message = serializers.CharField(help_text=_("A message for a person, in their language."))
    fields = serializers.DictField(
        child=serializers.JSONField(),
        help_text=_("Per-field messages for bad input; empty otherwise."),
    )
    credential = serializers.UUIDField(
        required=False, help_text=_("For `duplicate`: the credential already in the wallet.")
    )


class ErrorSerializer(serializers.Serializer):
    """The body of every API error."""

    error = ErrorDetailSerializer()


ERROR_DESCRIPTIONS = {
    400: _("Bad input: the body or query did not validate (`invalid`, `parse_error`)."),
    401: _("No credentials, or a token that is invalid, expired or revoked."),
    403: _(
        "Not allowed: a read-only token tried to write (`insufficient_scope`), a session "
        "request lacks its CSRF token (`csrf_failed`), or a token did a session-only action "
        "(`session_required`)."
    ),
    404: _("Not found, or it belongs to someone else."),
    409: _("Conflicts with the current state (`duplicate`, `not_ready`, `revoked`)."),
    413: _("The request or file is too large (`too_large`)."),
    415: _("The Content-Type is not one this operation reads (`unsupported_media_type`)."),
    422: _("Well-formed but refused, with a message saying why (e.g. `unreadable`)."),
    429: _("Too many requests for this user or token; see Retry-After (`throttled`)."),
}

ERROR_EXAMPLES = {
    400: ("invalid", "Some fields need attention; see “fields”.", {"name": ["Required."]}),
    401: ("not_authenticated", "Authentication credentials were not provided.", {}),
    403: ("insufficient_scope", str(TokenScopePermission.message), {}),
    404: ("not_found", "Nothing here, or not yours.", {}),
    409: ("conflict", "The request conflicts with the current state.", {}),
    413: ("too_large", "The request is too large.", {}),
    415: ("unsupported_media_type", 'Unsupported media type "text/plain" in request.', {}),
    422: ("unreadable", "This is not a credential this wallet can read.", {}),
    429: ("throttled", "Request was throttled. Expected available in 60 seconds.", {}),
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """The documented error responses of an operation: always 401 and 429, plus these."""
    wanted = sorted({401, 429, *codes})
    return {
        code: OpenApiResponse(
            response=ErrorSerializer,
            description=ERROR_DESCRIPTIONS[code],
            examples=[
                OpenApiExample(
                    ERROR_EXAMPLES[code][0],
                    value=error_body(*ERROR_EXAMPLES[code]),
                    response_only=True,
                    status_codes=[str(code)],
                )
            ],
        )
        for code in wanted
    }


WRITE_ERRORS = (400, 403, 404, 413, 415)


def binary(description: str) -> OpenApiResponse:
    """A file answer, described for one media type."""
    return OpenApiResponse(response=OpenApiTypes.BINARY, description=description)
