"""Background work for the wallet app."""

from celery import Task, shared_task

from credentials.fetcher import FetchError
from credentials.models import ImportJob
from wallet import export_services, imports, receive, services
from wallet.models import ExportJob, OfferImport
from wallet.oid4vci import ReceiveError

URL_IMPORT_OPTIONS = {
    "autoretry_for": (FetchError,),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "max_retries": 4,
    "time_limit": 120,
    "soft_time_limit": 100,
}


@shared_task(bind=True, **URL_IMPORT_OPTIONS)
def import_from_url(self: Task, job_id: int) -> None:
    """Import the credential(s) at a URL import job's address."""
    _import_from_url(self, job_id)


# The task's name before it moved here from credentials: messages queued under it still run.
@shared_task(bind=True, name="credentials.tasks.import_from_url", **URL_IMPORT_OPTIONS)
def import_from_url_under_old_name(self: Task, job_id: int) -> None:
    """The old name of `import_from_url`."""
    _import_from_url(self, job_id)


def _import_from_url(task: Task, job_id: int) -> None:
    job = ImportJob.objects.select_related("owner").filter(pk=job_id).first()
    if job is None:
        return
    # Run in the request (no Redis), a retry would be raised to nobody and the job would
    # wait for its turn for ever: it fails at once with its reason, as the last retry does.
    will_retry = not task.request.is_eager and task.request.retries < task.max_retries
    if OfferImport.objects.filter(job=job).exists():
        _receive_offer(task, job, will_retry)
        return
    imports.run_url_import(job=job, will_retry=will_retry)


def _receive_offer(task: Task, job: ImportJob, will_retry: bool) -> None:
    """An import job that receives from an issuer (OID4VCI offer, VC-API exchange)."""
    try:
        poll_in = receive.run_offer_import(job=job, will_retry=will_retry)
    except ReceiveError as error:
        raise FetchError(error.reason, transient=True) from error
    # A deferred credential is asked for again later by a worker; run in the request, the
    # job stays pending for the stale-job sweeper to queue again.
    if poll_in is not None and not task.request.is_eager:
        task.apply_async((job.pk,), countdown=poll_in)


@shared_task(time_limit=1800, soft_time_limit=1700)
def build_export_task(job_id: int) -> None:
    """Build one learner's "download everything" ZIP."""
    job = ExportJob.objects.select_related("owner").filter(pk=job_id).first()
    if job is not None:
        export_services.build_export(job=job)


@shared_task(time_limit=600, soft_time_limit=550)
def clean_up_exports() -> int:
    """Delete export files past their retention date."""
    # Stuck exports are queued again by credentials.tasks.sweep_stale_jobs (see WalletConfig).
    return export_services.delete_expired_exports()


@shared_task(time_limit=600, soft_time_limit=550)
def delete_old_audit_traces() -> int:
    """Delete the pseudonymised audit rows of accounts deleted over a year ago."""
    return services.delete_old_audit_traces()


@shared_task(time_limit=600, soft_time_limit=550)
def clear_ended_sessions() -> int:
    """Delete expired sessions and the sign-in records they leave behind."""
    return services.clear_ended_sessions()
