"""The learner's profile and credentials through the API: list, import, read, verify,
download, delete and curate. Each view looks up owner-scoped and calls one service."""

from django.conf import settings
from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from credentials import services as credential_services
from credentials.api.base import WRITE_ERRORS, ApiView, Pagination, binary, errors, resolve_owned
from credentials.api.errors import PayloadTooLarge
from credentials.api.serializers import ImportJobSerializer
from credentials.models import Credential, CredentialSource, ImportJob
from wallet import curation_services, imports, services
from wallet.api import serializers as s
from wallet.api.filters import CredentialFilter
from wallet.models import Collection, Curation

CREDENTIALS = "Credentials"
IMPORT = "Import"
CURATION = "Curation"
PROFILE = "Profile"

CREDENTIAL_EXAMPLE = {
    "uuid": "0b8f5a52-8d0c-4d3e-a2a6-8c1f3b7d9e21",
    "name": "Teamwork",
    "description": "Works well with others.",
    "format": "ob3-vc",
    "source": "upload",
    "source_url": "",
    "issuer_name": "Example College",
    "issuer_id": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
    "issued_at": "2026-05-01T00:00:00Z",
    "expires_at": None,
    "verdict": "verified",
    "verdict_message": "Every check passed.",
    "verified_at": "2026-11-28T12:00:00Z",
    "checks": [
        {
            "name": "proof",
            "status": "passed",
            "status_label": "passed",
            "message": "The signature is valid.",
            "code": "ok",
            "checked_at": "2026-11-28T12:00:00Z",
        }
    ],
    "has_original": True,
    "created_at": "2026-11-28T12:00:00Z",
    "updated_at": "2026-11-28T12:00:00Z",
    "tags": ["teamwork"],
    "is_pinned": False,
    "is_hidden": False,
}


def owned_credential(request: Request, credential_uuid: str) -> Credential:
    """The caller's credential (nested ones included), else 404."""
    return get_object_or_404(
        Credential.objects.owned_by(request.user).select_related("parent", "curation"),
        uuid=credential_uuid,
    )


def owned_top_level(request: Request, credential_uuid: str) -> Credential:
    """The caller's imported (not nested) credential, else 404: only those are curated."""
    return get_object_or_404(
        Credential.objects.owned_by(request.user).top_level(), uuid=credential_uuid
    )


def _me(request: Request) -> Response:
    wallet = services.ensure_wallet(user=request.user)
    return Response(s.MeSerializer((request.user, wallet)).data)


class Me(ApiView):
    """The caller's account and profile."""

    @extend_schema(
        tags=[PROFILE],
        summary=_("Your profile"),
        description=_("Who the token or session belongs to, and their wallet's profile."),
        responses={200: s.MeSerializer, **errors()},
    )
    def get(self, request: Request) -> Response:
        """The profile."""
        return _me(request)

    @extend_schema(
        tags=[PROFILE],
        summary=_("Change your profile"),
        description=_("Send only the fields to change."),
        request=s.MeUpdateSerializer,
        responses={200: s.MeSerializer, **errors(400, 403, 413, 415)},
        examples=[
            OpenApiExample(
                "New headline",
                value={"headline": "Data analyst in training"},
                request_only=True,
            )
        ],
    )
    def patch(self, request: Request) -> Response:
        """Save the changed fields."""
        data = self.validated(s.MeUpdateSerializer)
        wallet = services.ensure_wallet(user=request.user)
        if {"display_name", "headline", "bio"} & data.keys():
            services.update_profile(
                wallet=wallet,
                display_name=data.get("display_name", wallet.display_name),
                headline=data.get("headline", wallet.headline),
                bio=data.get("bio", wallet.bio),
            )
        if "preferred_language" in data:
            services.set_preferred_language(user=request.user, language=data["preferred_language"])
        return _me(request)


class CredentialList(ApiView, generics.ListAPIView):
    """The learner's credentials, as on the dashboard."""

    serializer_class = s.CredentialSerializer
    pagination_class = Pagination
    filterset_class = CredentialFilter

    def get_queryset(self) -> QuerySet[Credential]:
        """The caller's imported credentials (the filter applies the dashboard's rules)."""
        return Credential.objects.owned_by(self.request.user).top_level()

    def filter_queryset(self, queryset: QuerySet[Credential]) -> QuerySet[Credential]:
        """Filtered by the dashboard's selector, tags fetched in one query."""
        return super().filter_queryset(queryset).prefetch_related("curation__tags")

    @extend_schema(
        tags=[CREDENTIALS],
        summary=_("List your credentials"),
        description=_(
            "Pinned first, hidden ones left out unless `hidden=true`; the same search "
            "and filters as the dashboard. Credentials inside a record (CLR) are listed "
            "under their record's `children`."
        ),
        responses={200: s.CredentialSerializer(many=True), **errors(400, 404)},
        examples=[OpenApiExample("A credential", value=CREDENTIAL_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        """A page of credentials."""
        return super().get(request, *args, **kwargs)


IMPORT_RESULT_EXAMPLE = OpenApiExample(
    "Imported",
    value={"created": [CREDENTIAL_EXAMPLE], "duplicates": []},
    response_only=True,
    status_codes=["201"],
)
IMPORT_ERRORS = errors(400, 403, 409, 413, 415, 422)


def _imported(request: Request, data: bytes, source: CredentialSource, filename: str) -> Response:
    outcome = imports.import_credentials_for(
        learner=request.user, data=data, source=source, filename=filename
    )
    result = {"created": outcome.created, "duplicates": outcome.duplicates}
    return Response(s.ImportResultSerializer(result).data, status=status.HTTP_201_CREATED)


def _too_large() -> PayloadTooLarge:
    return PayloadTooLarge(
        _("The credential is larger than %(size)s.")
        % {"size": filesizeformat(settings.IMPORT_MAX_BYTES)}
    )


class FileImport(ApiView):
    """Import from a file."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=[IMPORT],
        summary=_("Import a credential file"),
        description=_(
            "Send `multipart/form-data` with one `file`: JSON, a .jwt file, or a baked "
            "PNG or SVG badge, up to 5 MB. Every credential in it is verified and stored, all or "
            "nothing; the answer holds each one's verdict. A credential already in the wallet is "
            "a 409 naming it."
        ),
        request={"multipart/form-data": s.FileImportSerializer},
        responses={201: s.ImportResultSerializer, **IMPORT_ERRORS},
        examples=[IMPORT_RESULT_EXAMPLE],
    )
    def post(self, request: Request) -> Response:
        """Verify and store what the file holds."""
        data = self.validated(s.FileImportSerializer)
        upload = data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise _too_large()
        return _imported(request, upload.read(), CredentialSource.UPLOAD, upload.name or "")


class TextImport(ApiView):
    """Import from text."""

    @extend_schema(
        tags=[IMPORT],
        summary=_("Import a credential from text"),
        description=_(
            "Send the credential's JSON (as a string) or a signed JWT in `text`. "
            "The answer holds each imported credential's verdict."
        ),
        request=s.TextImportSerializer,
        responses={201: s.ImportResultSerializer, **IMPORT_ERRORS},
        examples=[
            OpenApiExample(
                "A VC-JWT",
                value={"text": "eyJhbGciOiJFZERTQSJ9.eyJ2YyI6e319.c2lnbmF0dXJl"},
                request_only=True,
            ),
            IMPORT_RESULT_EXAMPLE,
        ],
    )
    def post(self, request: Request) -> Response:
        """Verify and store what the text holds."""
        raw = self.validated(s.TextImportSerializer)["text"].encode()
        if len(raw) > settings.IMPORT_MAX_BYTES:
            raise _too_large()
        return _imported(request, raw, CredentialSource.PASTE, "")


class SelfReported(ApiView):
    """Record learning the learner enters themselves."""

    @extend_schema(
        tags=[IMPORT],
        summary=_("Record self-reported learning"),
        description=_(
            "Adds learning no organisation issued: it is labelled self-reported everywhere "
            "it shows (wallet, share pages, transcripts) and is never verified. An evidence "
            "file can be attached from the web page only."
        ),
        request=s.SelfReportedSerializer,
        responses={201: s.CredentialSerializer, **errors(400, 403, 413, 415)},
        examples=[
            OpenApiExample(
                "Volunteering",
                value={
                    "title": "Volunteer first-aid instructor",
                    "description": "Taught six evening classes at the community centre.",
                    "achieved_on": "2026-05-30",
                    "evidence_url": "https://example.org/classes",
                },
                request_only=True,
            )
        ],
    )
    def post(self, request: Request) -> Response:
        """Store the entry."""
        data = self.validated(s.SelfReportedSerializer)
        credential = imports.add_self_reported(learner=request.user, **data)
        response = Response(s.CredentialSerializer(credential).data, status=status.HTTP_201_CREATED)
        response["Location"] = reverse(
            "api:credential_detail", kwargs={"credential_uuid": credential.uuid}
        )
        return response


class UrlImport(ApiView):
    """Import from a web address, in the background."""

    @extend_schema(
        tags=[IMPORT],
        summary=_("Import a credential from a web address"),
        description=_(
            "Queues a job that fetches the address and imports what it holds. The "
            "answer is 202 with the job; poll `GET /api/v1/import-jobs/{uuid}/` (also in the "
            "`Location` header) until `status` is `ready` (see `credentials`) or `failed` "
            "(see `error`)."
        ),
        request=s.UrlImportSerializer,
        responses={202: ImportJobSerializer, **errors(400, 403, 413, 415, 422)},
        examples=[
            OpenApiExample(
                "A hosted badge",
                value={"url": "https://badges.example.org/assertions/1234"},
                request_only=True,
            )
        ],
    )
    def post(self, request: Request) -> Response:
        """Queue the import."""
        data = self.validated(s.UrlImportSerializer)
        job = imports.request_url_import(learner=request.user, url=data["url"])
        response = Response(ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
        response["Location"] = reverse("api:import_job", kwargs={"job_uuid": job.uuid})
        return response


class ImportJobList(ApiView, generics.ListAPIView):
    """The learner's URL imports."""

    serializer_class = ImportJobSerializer
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[ImportJob]:
        """The caller's jobs, newest first."""
        return ImportJob.objects.filter(owner=self.request.user).prefetch_related("credentials")

    @extend_schema(
        tags=[IMPORT],
        summary=_("List your URL imports"),
        responses={200: ImportJobSerializer(many=True), **errors(404)},
    )
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        """A page of jobs."""
        return super().get(request, *args, **kwargs)


class ImportJobDetail(ApiView):
    """One URL import."""

    @extend_schema(
        tags=[IMPORT],
        summary=_("Follow a URL import"),
        description=_("`status` moves from `pending` to `running` to `ready` or `failed`."),
        responses={200: ImportJobSerializer, **errors(404)},
    )
    def get(self, request: Request, job_uuid: str) -> Response:
        """The job's status, error and imported credentials."""
        job = get_object_or_404(ImportJob.objects.filter(owner=request.user), uuid=job_uuid)
        return Response(ImportJobSerializer(job).data)


class CredentialDetail(ApiView):
    """One credential."""

    @extend_schema(
        tags=[CREDENTIALS],
        summary=_("Show a credential"),
        description=_(
            "Its data, every verification check, the learner's notes and tags, the "
            "credentials inside it, its skills and collections."
        ),
        responses={200: s.CredentialDetailSerializer, **errors(404)},
    )
    def get(self, request: Request, credential_uuid: str) -> Response:
        """Everything about the credential."""
        credential = owned_credential(request, credential_uuid)
        return Response(s.CredentialDetailSerializer(credential).data)

    @extend_schema(
        tags=[CREDENTIALS],
        summary=_("Delete a credential"),
        description=_(
            "Deletes it, what it holds and its files; skills and tags only it held up "
            "go too. It drops out of every share link. A credential inside a record cannot be "
            "deleted on its own (422)."
        ),
        request=None,
        responses={204: None, **errors(403, 404, 422)},
    )
    def delete(self, request: Request, credential_uuid: str) -> Response:
        """Delete the credential."""
        credential = owned_credential(request, credential_uuid)
        curation_services.remove_credential(credential=credential, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CredentialOriginal(ApiView):
    """The original bytes."""

    @extend_schema(
        tags=[CREDENTIALS],
        summary=_("Download the original"),
        description=_(
            "The exact bytes the credential arrived as (JSON, JWT, PNG or SVG), as an "
            "attachment with `X-Content-Type-Options: nosniff`. Self-reported entries have none "
            "(404)."
        ),
        responses={
            (200, "application/json"): OpenApiResponse(
                response=OpenApiTypes.ANY, description=_("A JSON credential.")
            ),
            (200, "application/jwt"): binary("A VC-JWT."),
            (200, "image/png"): binary("A baked PNG badge."),
            (200, "image/svg+xml"): binary("A baked SVG badge."),
            (200, "application/octet-stream"): binary("Other bytes."),
            **errors(404),
        },
    )
    def get(self, request: Request, credential_uuid: str) -> FileResponse:
        """Stream the original, never rendered by a browser."""
        credential = owned_credential(request, credential_uuid)
        if not credential.original:
            raise Http404
        response = FileResponse(
            credential.original.open("rb"),
            as_attachment=True,
            filename=credential.original_name,
            content_type=credential.original_content_type or "application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


class CredentialVerify(ApiView):
    """Verify again."""

    @extend_schema(
        tags=[CREDENTIALS],
        summary=_("Verify a credential again now"),
        description=_(
            "Runs every check again from the original; self-reported entries are "
            "never verified (422)."
        ),
        request=None,
        responses={200: s.CredentialDetailSerializer, **errors(403, 404, 422)},
    )
    def post(self, request: Request, credential_uuid: str) -> Response:
        """The credential with its new verdict and checks."""
        credential = credential_services.reverify_credential(
            credential=owned_credential(request, credential_uuid), actor=request.user
        )
        return Response(s.CredentialDetailSerializer(credential).data)


def _curation(credential: Credential) -> Response:
    curation = Curation.objects.get(credential=credential)
    return Response(s.CurationSerializer(curation).data)


CURATION_ERRORS = errors(*WRITE_ERRORS, 422)


class CredentialNotes(ApiView):
    """A credential's notes."""

    @extend_schema(
        tags=[CURATION],
        summary=_("Save notes on a credential"),
        description=_(
            "`note` is private; `public_description` is shown on share links that "
            "show public descriptions. Both replace what was there."
        ),
        request=s.NotesSerializer,
        responses={200: s.CurationSerializer, **CURATION_ERRORS},
        examples=[
            OpenApiExample(
                "Notes",
                value={"note": "Ask for a reference.", "public_description": "Led a team of 4."},
                request_only=True,
            )
        ],
    )
    def put(self, request: Request, credential_uuid: str) -> Response:
        """Replace the note and the public description."""
        credential = owned_top_level(request, credential_uuid)
        data = self.validated(s.NotesSerializer)
        curation_services.update_credential_notes(credential=credential, **data)
        return _curation(credential)


class CredentialTags(ApiView):
    """A credential's tags."""

    @extend_schema(
        tags=[CURATION],
        summary=_("Set a credential's tags"),
        description=_(
            "Replaces its tags (up to 20, each up to 60 characters); an empty list "
            "removes them all."
        ),
        request=s.TagsSerializer,
        responses={200: s.CurationSerializer, **CURATION_ERRORS},
        examples=[OpenApiExample("Tags", value={"tags": ["teamwork", "2026"]}, request_only=True)],
    )
    def put(self, request: Request, credential_uuid: str) -> Response:
        """Replace the tags."""
        credential = owned_top_level(request, credential_uuid)
        data = self.validated(s.TagsSerializer)
        curation_services.set_credential_tags(credential=credential, names=data["tags"])
        return _curation(credential)


class CredentialPin(ApiView):
    """A credential's pin."""

    @extend_schema(
        tags=[CURATION],
        summary=_("Pin or unpin a credential"),
        description=_("Pinned credentials come first in the list."),
        request=s.PinSerializer,
        responses={200: s.CurationSerializer, **CURATION_ERRORS},
        examples=[OpenApiExample("Pin", value={"is_pinned": True}, request_only=True)],
    )
    def put(self, request: Request, credential_uuid: str) -> Response:
        """Pin or unpin."""
        credential = owned_top_level(request, credential_uuid)
        data = self.validated(s.PinSerializer)
        curation_services.set_credential_pinned(credential=credential, is_pinned=data["is_pinned"])
        return _curation(credential)


class CredentialHide(ApiView):
    """A credential's visibility."""

    @extend_schema(
        tags=[CURATION],
        summary=_("Hide or show a credential"),
        description=_(
            "A hidden credential leaves the default list and every share link at "
            "once (the links stay; it drops out of them)."
        ),
        request=s.HideSerializer,
        responses={200: s.CurationSerializer, **CURATION_ERRORS},
        examples=[OpenApiExample("Hide", value={"is_hidden": True}, request_only=True)],
    )
    def put(self, request: Request, credential_uuid: str) -> Response:
        """Hide or show."""
        credential = owned_top_level(request, credential_uuid)
        data = self.validated(s.HideSerializer)
        curation_services.set_credential_hidden(
            credential=credential,
            is_hidden=data["is_hidden"],
            actor=request.user,
        )
        return _curation(credential)


class CredentialCollections(ApiView):
    """The collections a credential is in."""

    @extend_schema(
        tags=[CURATION],
        summary=_("Put a credential in exactly these collections"),
        description=_("It leaves the collections not listed; an empty list takes it out of all."),
        request=s.CredentialCollectionsSerializer,
        responses={200: s.CredentialDetailSerializer, **CURATION_ERRORS},
        examples=[
            OpenApiExample(
                "One collection",
                value={"collections": ["5a0c2d1e-7f3b-4c8a-9e6d-2b1f0a9c8d7e"]},
                request_only=True,
            )
        ],
    )
    def put(self, request: Request, credential_uuid: str) -> Response:
        """Set the credential's collections."""
        credential = owned_top_level(request, credential_uuid)
        data = self.validated(s.CredentialCollectionsSerializer)
        collections = resolve_owned(
            Collection.objects.owned_by(request.user),
            data["collections"],
            field="collections",
        )
        curation_services.set_credential_collections(credential=credential, collections=collections)
        return Response(s.CredentialDetailSerializer(credential).data)
