"""Background work for the wallet app."""

from celery import shared_task

from credentials.fetcher import FetchError
from credentials.models import ImportJob
from wallet import export_services, imports, services
from wallet.models import ExportJob

URL_IMPORT_OPTIONS = {
    "autoretry_for": (FetchError,),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "max_retries": 4,
    "time_limit": 120,
    "soft_time_limit": 100,
}


@shared_task(**URL_IMPORT_OPTIONS)
def import_from_url(job_id: int) -> None:
    """Import the credential(s) at a URL import job's address."""
    job = ImportJob.objects.select_related("owner").filter(pk=job_id).first()
    if job is not None:
        imports.run_url_import(job=job)


# The task's name before it moved here from credentials: messages queued under it still run.
@shared_task(name="credentials.tasks.import_from_url", **URL_IMPORT_OPTIONS)
def import_from_url_under_old_name(job_id: int) -> None:
    """The old name of `import_from_url`."""
    import_from_url(job_id)


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
