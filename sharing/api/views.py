"""Share links and their transcripts through the API, each change through the sharing
services; the link's address appears in answers, never in logs."""

from datetime import timedelta
from typing import Any

from django.db.models import QuerySet, Sum
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from credentials.api.base import WRITE_ERRORS, ApiView, Pagination, binary, errors, resolve_owned
from credentials.api.errors import Conflict
from credentials.models import Credential
from sharing import services
from sharing.api import serializers as s
from sharing.api.withheld import withheld_errors_as_400
from sharing.models import ShareLink, ShareLinkDay, Transcript
from sharing.services.confirmations import check_not_valid_confirmed
from sharing.views.learner import transcript_response
from wallet.models import Collection, Skill

LINKS = "Share links"
TRANSCRIPTS = "Transcripts"
STATS_DAYS = 30
CHANGE_ERRORS = errors(*WRITE_ERRORS, 422)

LINK_EXAMPLE = {
    "uuid": "3c9b1e2d-4f5a-4b6c-8d7e-9f0a1b2c3d4e",
    "title": "Acme Corp application",
    "message": "Thank you for reading.",
    "url": "https://wallet.example.org/s/Zk3m9Q-example-token/",
    "state": "active",
    "expires_at": "2027-02-26T00:00:00Z",
    "revoked_at": None,
    "has_passcode": False,
    "show_public_descriptions": True,
    "show_evidence": True,
    "show_email": False,
    "allow_transcript": True,
    "allow_download": True,
    "language": "en",
    "is_linkedin": False,
    "credentials": [],
    "collections": ["5a0c2d1e-7f3b-4c8a-9e6d-2b1f0a9c8d7e"],
    "skills": [],
    "view_count": 0,
    "last_viewed_at": None,
    "created_at": "2026-11-28T12:00:00Z",
    "updated_at": "2026-11-28T12:00:00Z",
}


def _owned_link(request: Request, link_uuid: str) -> ShareLink:
    return get_object_or_404(ShareLink.objects.owned_by(request.user), uuid=link_uuid)


def _selection(
    request: Request, data: dict[str, Any], link: ShareLink | None
) -> services.Selection:
    owner = request.user

    def chosen(field: str, queryset: QuerySet, current: Any) -> list[Any]:
        """The rows named in the request, else the link's current ones."""
        if field in data:
            return resolve_owned(queryset, data[field], field=field)
        return list(current.all()) if link is not None else []

    return services.Selection.of(
        credentials=chosen(
            "credentials",
            Credential.objects.owned_by(owner).top_level(),
            link.credentials if link else None,
        ),
        collections=chosen(
            "collections", Collection.objects.owned_by(owner), link.collections if link else None
        ),
        skills=chosen("skills", Skill.objects.owned_by(owner), link.skills if link else None),
    )


def _options(data: dict[str, Any], link: ShareLink | None) -> services.LinkOptions:
    defaults = services.LinkOptions()
    values = {
        name: data.get(name, getattr(link, name) if link else getattr(defaults, name))
        for name in s.OPTION_FIELDS
    }
    return services.LinkOptions(**values)


class ShareLinkList(ApiView, generics.ListAPIView):
    """The learner's share links."""

    serializer_class = s.ShareLinkSerializer
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[ShareLink]:
        """The caller's links, newest first."""
        return (
            ShareLink.objects.owned_by(self.request.user)
            .prefetch_related("credentials", "collections", "skills", "withheld_fields__credential")
            .order_by("-created_at")
        )

    @extend_schema(
        tags=[LINKS],
        summary=_("List your share links"),
        description=_("Active, expired and revoked links, newest first."),
        responses={200: s.ShareLinkSerializer(many=True), **errors(404)},
        examples=[OpenApiExample("A link", value=LINK_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        """A page of links."""
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[LINKS],
        summary=_("Make a share link"),
        description=_(
            "Choose at least one of your credentials, collections or skills. Collections "
            "and skills are shown as they are when the employer opens the link; hidden credentials "
            "never are. Send the answer's `url` to the employer."
        ),
        request=s.ShareLinkWriteSerializer,
        responses={201: s.ShareLinkSerializer, **CHANGE_ERRORS},
        examples=[
            OpenApiExample(
                "A collection, for 90 days, with a passcode",
                value={
                    "title": "Acme Corp application",
                    "collections": ["5a0c2d1e-7f3b-4c8a-9e6d-2b1f0a9c8d7e"],
                    "passcode": "blue-river-42",
                },
                request_only=True,
            ),
            OpenApiExample("Made", value=LINK_EXAMPLE, response_only=True, status_codes=["201"]),
        ],
    )
    def post(self, request: Request) -> Response:
        """Make the link."""
        data = self.validated(s.ShareLinkWriteSerializer)
        selection = _selection(request, data, None)
        check_not_valid_confirmed(
            owner=request.user,
            selection=selection,
            confirmed=data.get("share_not_valid", False),
        )
        with withheld_errors_as_400():
            link = services.create_share_link(
                owner=request.user,
                title=data["title"],
                message=data.get("message", ""),
                selection=selection,
                expires_at=data["expires_at"]
                if "expires_at" in data
                else services.default_expiry(),
                passcode=data.get("passcode", ""),
                options=_options(data, None),
                withheld=data.get("withheld") or {},
            )
        return Response(s.ShareLinkSerializer(link).data, status=status.HTTP_201_CREATED)


class ShareLinkDetail(ApiView):
    """One share link."""

    @extend_schema(
        tags=[LINKS],
        summary=_("Show a share link"),
        responses={200: s.ShareLinkSerializer, **errors(404)},
        examples=[OpenApiExample("A link", value=LINK_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, link_uuid: str) -> Response:
        """The link, its address and its selection."""
        return Response(s.ShareLinkSerializer(_owned_link(request, link_uuid)).data)

    @extend_schema(
        tags=[LINKS],
        summary=_("Change a share link"),
        description=_(
            "Send only what changes; the employer's page follows at once. A revoked "
            "link cannot be changed (422)."
        ),
        request=s.ShareLinkWriteSerializer(partial=True),
        responses={200: s.ShareLinkSerializer, **CHANGE_ERRORS},
        examples=[
            OpenApiExample(
                "Extend and add a message",
                value={"expires_at": "2027-06-30T00:00:00Z", "message": "Updated for round 2."},
                request_only=True,
            )
        ],
    )
    def patch(self, request: Request, link_uuid: str) -> Response:
        """Save the changes."""
        link = _owned_link(request, link_uuid)
        data = self.validated(s.ShareLinkWriteSerializer, partial=True)
        selection = _selection(request, data, link)
        check_not_valid_confirmed(
            owner=request.user,
            selection=selection,
            confirmed=data.get("share_not_valid", False),
            link=link,
        )
        with withheld_errors_as_400():
            services.update_share_link(
                link=link,
                actor=request.user,
                title=data.get("title", link.title),
                message=data.get("message", link.message),
                selection=selection,
                expires_at=data.get("expires_at", link.expires_at),
                passcode=data.get("passcode", ""),
                remove_passcode=data.get("remove_passcode", False),
                options=_options(data, link),
                withheld=data.get("withheld"),
            )
        return Response(s.ShareLinkSerializer(_owned_link(request, link_uuid)).data)

    @extend_schema(
        tags=[LINKS],
        summary=_("Revoke a share link"),
        description=_(
            "Same as `POST …/revoke/`: the link stops opening at once (its page answers "
            "410) and its transcript file is removed. The link stays in your list as revoked."
        ),
        request=None,
        responses={204: None, **errors(403, 404)},
    )
    def delete(self, request: Request, link_uuid: str) -> Response:
        """Revoke the link."""
        services.revoke_share_link(link=_owned_link(request, link_uuid), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ShareLinkRevoke(ApiView):
    """Stop a link."""

    @extend_schema(
        tags=[LINKS],
        summary=_("Revoke a share link"),
        description=_("The link stops opening at once; revoking it again changes nothing."),
        request=None,
        responses={200: s.ShareLinkSerializer, **errors(403, 404)},
    )
    def post(self, request: Request, link_uuid: str) -> Response:
        """Revoke the link."""
        link = services.revoke_share_link(link=_owned_link(request, link_uuid), actor=request.user)
        return Response(s.ShareLinkSerializer(link).data)


class ShareLinkRegenerate(ApiView):
    """Give a link a new address."""

    @extend_schema(
        tags=[LINKS],
        summary=_("Give a share link a new address"),
        description=_(
            "The old address stops working; send the new `url`. Not for revoked links (422)."
        ),
        request=None,
        responses={200: s.ShareLinkSerializer, **errors(403, 404, 422)},
    )
    def post(self, request: Request, link_uuid: str) -> Response:
        """Regenerate the link's token."""
        link = services.regenerate_share_link(
            link=_owned_link(request, link_uuid), actor=request.user
        )
        return Response(s.ShareLinkSerializer(link).data)


class ShareLinkStats(ApiView):
    """A link's view counts."""

    @extend_schema(
        tags=[LINKS],
        summary=_("How often a share link was opened"),
        description=_("Counts only: nothing about who opened it. Your own visits are not counted."),
        responses={200: s.ShareLinkStatsSerializer, **errors(404)},
    )
    def get(self, request: Request, link_uuid: str) -> Response:
        """Totals and the last 30 days."""
        link = _owned_link(request, link_uuid)
        today = timezone.now().date()
        rows = ShareLinkDay.objects.filter(link=link, day__gt=today - timedelta(days=STATS_DAYS))
        counted = {row.day: row.views for row in rows}
        days = [today - timedelta(days=offset) for offset in range(STATS_DAYS)]
        week = rows.filter(day__gt=today - timedelta(days=7)).aggregate(total=Sum("views"))
        data = {
            "view_count": link.view_count,
            "last_viewed_at": link.last_viewed_at,
            "views_last_7_days": week["total"] or 0,
            "views_last_30_days": sum(counted.values()),
            "days": [{"day": day, "views": counted.get(day, 0)} for day in days],
        }
        return Response(s.ShareLinkStatsSerializer(data).data)


def _transcript_data(link: ShareLink, transcript: Transcript) -> dict[str, Any]:
    return s.TranscriptSerializer(
        {
            "status": transcript.status,
            "error": transcript.error,
            "is_current": services.current_transcript(link=link) is not None,
            "created_at": transcript.created_at,
            "finished_at": transcript.finished_at,
        }
    ).data


class ShareLinkTranscript(ApiView):
    """A link's PDF transcript: ask for it, follow it."""

    @extend_schema(
        tags=[TRANSCRIPTS],
        summary=_("Follow a share link's transcript"),
        description=_(
            "`is_current` is true when a PDF of the link as it is now can be "
            "downloaded. 404 until one is asked for."
        ),
        responses={200: s.TranscriptSerializer, **errors(404)},
    )
    def get(self, request: Request, link_uuid: str) -> Response:
        """The transcript's status."""
        link = _owned_link(request, link_uuid)
        transcript = get_object_or_404(Transcript.objects.filter(link=link))
        return Response(_transcript_data(link, transcript))

    @extend_schema(
        tags=[TRANSCRIPTS],
        summary=_("Ask for a share link's transcript"),
        description=_(
            "Renders a PDF of the link as it is now, in the background: 202 with its "
            "status; poll `GET …/transcript/` until `is_current`, then download it. Asking again "
            "for unchanged content changes nothing. Only for active links that offer a transcript "
            "(422 otherwise)."
        ),
        request=None,
        responses={202: s.TranscriptSerializer, **errors(403, 404, 422)},
    )
    def post(self, request: Request, link_uuid: str) -> Response:
        """Queue the rendering."""
        link = _owned_link(request, link_uuid)
        transcript = services.request_transcript(link=link)
        response = Response(_transcript_data(link, transcript), status=status.HTTP_202_ACCEPTED)
        response["Location"] = reverse("api:link_transcript", kwargs={"link_uuid": link.uuid})
        return response


class ShareLinkTranscriptDownload(ApiView):
    """A link's current PDF."""

    @extend_schema(
        tags=[TRANSCRIPTS],
        summary=_("Download a share link's transcript"),
        description=_(
            "The PDF when it shows the link as it is now; 409 (`not_ready`) while it "
            "is being made or after the link changed: ask for it again."
        ),
        responses={
            (200, "application/pdf"): binary("The PDF transcript."),
            **errors(404, 409),
        },
    )
    def get(self, request: Request, link_uuid: str) -> FileResponse:
        """Stream the PDF."""
        transcript = services.current_transcript(link=_owned_link(request, link_uuid))
        if transcript is None:
            raise Conflict(
                _("The transcript is not ready; ask for it and follow its status."),
                code="not_ready",
            )
        return transcript_response(transcript)
