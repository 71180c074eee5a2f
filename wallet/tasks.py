"""Background work for the wallet app."""

from celery import shared_task

from wallet import export_services, services
from wallet.models import ExportJob


@shared_task(time_limit=1800, soft_time_limit=1700)
def build_export_task(job_id: int) -> None:
    """Build one learner's "download everything" ZIP."""
    job = ExportJob.objects.select_related("owner").filter(pk=job_id).first()
    if job is not None:
        export_services.build_export(job=job)


@shared_task(time_limit=600, soft_time_limit=550)
def clean_up_exports() -> int:
    """Delete export files past their retention date."""
    # Stuck exports are queued again by credentials.tasks.sweep_stale_jobs (see task_name).
    return export_services.delete_expired_exports()


@shared_task(time_limit=600, soft_time_limit=550)
def delete_old_audit_traces() -> int:
    """Delete the pseudonymised audit rows of accounts deleted over a year ago."""
    return services.delete_old_audit_traces()


@shared_task(time_limit=600, soft_time_limit=550)
def clear_ended_sessions() -> int:
    """Delete expired sessions and the sign-in records they leave behind."""
    return services.clear_ended_sessions()
