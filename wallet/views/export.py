"""Owning the data: "download everything" as a ZIP built in the background."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from credentials.models import JobStatus
from wallet import export_services
from wallet.models import ExportJob


@login_required
def export_list(request: HttpRequest) -> HttpResponse:
    """The learner's exports and a button to start a new one."""
    jobs = ExportJob.objects.owned_by(request.user)[:10]
    ctx = {"jobs": jobs, "retention_days": settings.EXPORT_RETENTION_DAYS}
    return render(request, "wallet/export_list.html", ctx)


@login_required
@require_POST
def export_request(request: HttpRequest) -> HttpResponse:
    """Start building a new export (or show the one under way)."""
    job = export_services.request_export(owner=request.user)
    return redirect("wallet:export_detail", job_uuid=job.uuid)


def _owned_job(request: HttpRequest, job_uuid: str) -> ExportJob:
    return get_object_or_404(ExportJob.objects.owned_by(request.user), uuid=job_uuid)


@login_required
def export_detail(request: HttpRequest, job_uuid: str) -> HttpResponse:
    """An export's progress; the page refreshes itself until it is ready."""
    return render(request, "wallet/export_detail.html", {"job": _owned_job(request, job_uuid)})


@login_required
def export_download(request: HttpRequest, job_uuid: str) -> FileResponse:
    """The finished ZIP, for its owner only, until it expires."""
    job = _owned_job(request, job_uuid)
    if job.status != JobStatus.READY or not job.file:
        raise Http404
    response = FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=f"skills-wallet-{job.created_at:%Y-%m-%d}.zip",
        content_type="application/zip",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
