"""The import use case for every channel: read, verify, store, index for search, audit.

`credentials` reads, verifies, stores and audits; search text and skills live here in the
wallet, so every way in (the import page, the API, a URL job, the command) calls these
services and a credential is searchable the moment it is stored, page view or not.
"""

from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from credentials import services as credential_services
from credentials.fetcher import FetchError, fetch
from credentials.jobs import queue_job
from credentials.models import Credential, CredentialSource, ImportJob
from credentials.services import ImportOutcome
from wallet.curation_services import index_credentials
from wallet.models import User

IMPORT_ACCEPT = "application/ld+json, application/json, application/jwt, image/png, image/svg+xml"


def import_credentials_for(
    *,
    learner: User,
    data: bytes,
    source: CredentialSource,
    filename: str = "",
    source_url: str = "",
    refuse_failed: bool = False,
) -> ImportOutcome:
    """Read, verify, store and index every credential in the bytes, all or nothing."""
    outcome = credential_services.import_credential(
        learner=learner,
        data=data,
        source=source,
        filename=filename,
        source_url=source_url,
        refuse_failed=refuse_failed,
    )
    index_credentials(credentials=outcome.created)
    return outcome


def add_self_reported(
    *,
    learner: User,
    title: str,
    description: str = "",
    achieved_on: date | None = None,
    evidence_url: str = "",
    evidence_file: UploadedFile | None = None,
) -> Credential:
    """Record learning the learner enters themselves, and index it for search."""
    credential = credential_services.create_self_reported(
        learner=learner,
        title=title,
        description=description,
        achieved_on=achieved_on,
        evidence_url=evidence_url,
        evidence_file=evidence_file,
    )
    index_credentials(credentials=[credential])
    return credential


def request_url_import(*, learner: User, url: str) -> ImportJob:
    """Queue an import from a web address; the job row shows its progress."""
    url = url.strip()
    if not url.lower().startswith(("https://", "http://")):
        raise ValidationError(_("Enter a web address starting with https://."), code="url")
    job = ImportJob.objects.create(owner=learner, url=url[:2000])
    transaction.on_commit(lambda: queue_job(job))
    return job


def run_url_import(*, job: ImportJob, will_retry: bool = True) -> ImportJob:
    """Fetch the job's URL and import what it holds, moving the job to ready or failed.

    A transient fetch failure puts the job back to pending and raises for the task to
    retry, unless `will_retry` says no retry will come: it then fails with its reason.
    """
    if job.is_done:
        return job
    job.start()
    try:
        response = fetch(job.url, accept=IMPORT_ACCEPT, max_bytes=settings.IMPORT_MAX_BYTES)
        if response.status != 200:
            raise ValidationError(
                _("The address answered HTTP %(status)d.") % {"status": response.status}
            )
        outcome = import_credentials_for(
            learner=job.owner,
            data=response.body,
            source=CredentialSource.URL,
            filename=Path(urlsplit(job.url).path).name,
            source_url=job.url,
        )
    except FetchError as exc:
        if exc.transient and will_retry:
            job.retry()
            raise
        job.fail(exc.reason)
        return job
    except ValidationError as exc:
        job.fail(" ".join(exc.messages))
        return job
    job.credentials.set(outcome.created)
    job.finish()
    return job
