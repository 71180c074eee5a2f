"""The learner's "download everything" export through the API."""

from django.db.models import QuerySet
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from credentials.api.base import ApiView, Pagination, binary, errors
from credentials.api.errors import Conflict
from credentials.models import JobStatus
from wallet import export_services
from wallet.api import serializers as s
from wallet.models import ExportJob

EXPORTS = "Export"


class ExportList(ApiView, generics.ListAPIView):
    """The learner's exports."""

    serializer_class = s.ExportJobSerializer
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[ExportJob]:
        """The caller's exports, newest first."""
        return ExportJob.objects.owned_by(self.request.user)

    @extend_schema(
        tags=[EXPORTS],
        summary=_("List your exports"),
        responses={200: s.ExportJobSerializer(many=True), **errors(404)},
    )
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        """A page of exports."""
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[EXPORTS],
        summary=_("Ask for an export of everything"),
        description=_(
            "Queues a ZIP with every original, a manifest.json and an index.html (deleted "
            "at `expires_at`, a few days after it is ready). Answers 202 with the job (an "
            "export already under way is returned instead of a new one); poll "
            "`GET /api/v1/exports/{uuid}/` until `status` is `ready`, then download it."
        ),
        request=None,
        responses={202: s.ExportJobSerializer, **errors(403)},
    )
    def post(self, request: Request) -> Response:
        """Queue the export."""
        job = export_services.request_export(owner=request.user)
        response = Response(s.ExportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
        response["Location"] = reverse("api:export_detail", kwargs={"job_uuid": job.uuid})
        return response


def _owned_job(request: Request, job_uuid: str) -> ExportJob:
    return get_object_or_404(ExportJob.objects.owned_by(request.user), uuid=job_uuid)


class ExportDetail(ApiView):
    """One export."""

    @extend_schema(
        tags=[EXPORTS],
        summary=_("Follow an export"),
        description=_(
            "`status` moves from `pending` to `running` (see `progress`) to `ready` or `failed`."
        ),
        responses={200: s.ExportJobSerializer, **errors(404)},
    )
    def get(self, request: Request, job_uuid: str) -> Response:
        """The export's status."""
        return Response(s.ExportJobSerializer(_owned_job(request, job_uuid)).data)


class ExportDownload(ApiView):
    """The export's ZIP."""

    @extend_schema(
        tags=[EXPORTS],
        summary=_("Download an export"),
        description=_(
            "The ZIP, once `status` is `ready` and until it is deleted; 409 "
            "(`not_ready`) before that."
        ),
        responses={
            (200, "application/zip"): binary("The ZIP file."),
            **errors(404, 409),
        },
    )
    def get(self, request: Request, job_uuid: str) -> FileResponse:
        """Stream the ZIP."""
        job = _owned_job(request, job_uuid)
        if job.status != JobStatus.READY:
            raise Conflict(_("The export is not ready yet; try again shortly."), code="not_ready")
        if not job.file:
            raise Conflict(_("This export was deleted; ask for a new one."), code="expired")
        response = FileResponse(
            job.file.open("rb"),
            as_attachment=True,
            filename=f"skills-wallet-{job.created_at:%Y-%m-%d}.zip",
            content_type="application/zip",
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
