"""Background work for the credentials app."""

from smtplib import SMTPException
from typing import Any

from celery import shared_task

from credentials.fetcher import FetchError
from credentials.jobs import requeue_stale_jobs
from credentials.mail import deliver_email
from credentials.models import Credential, IssuerRegistry
from credentials.registry import refresh_issuer_registries, refresh_issuer_registry
from credentials.services import reverify_all, reverify_credential


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
    time_limit=60,
    soft_time_limit=45,
)
def send_email(payload: dict[str, Any]) -> None:
    """Send one rendered email."""
    deliver_email(payload=payload)


@shared_task(time_limit=3600, soft_time_limit=3500)
def reverify_credentials() -> int:
    """The scheduled re-verification of every stored credential."""
    return reverify_all()


@shared_task(time_limit=120, soft_time_limit=100)
def sweep_stale_jobs() -> int:
    """Queue again every registered job that never reached a worker or lost it."""
    return requeue_stale_jobs()


@shared_task(
    autoretry_for=(FetchError,),
    retry_backoff=True,
    max_retries=3,
    time_limit=120,
    soft_time_limit=100,
)
def reverify_credential_task(credential_id: int) -> None:
    """Verify one stored credential again (queued when a share page finds it stale)."""
    credential = Credential.objects.select_related("owner").filter(pk=credential_id).first()
    if credential is not None and not credential.is_self_reported:
        reverify_credential(credential=credential)


@shared_task(time_limit=600, soft_time_limit=570)
def refresh_issuer_registries_task() -> int:
    """The scheduled refresh of every external issuer registry."""
    return refresh_issuer_registries()


@shared_task(time_limit=120, soft_time_limit=100)
def refresh_issuer_registry_task(registry_id: int) -> None:
    """Fetch one external issuer registry again (queued when an admin adds one)."""
    registry = IssuerRegistry.objects.filter(pk=registry_id).first()
    if registry is not None:
        refresh_issuer_registry(registry=registry)
