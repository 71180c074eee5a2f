"""Every state change of the credentials app, split by noun.

`from credentials.services import X` keeps working for each public name.
"""

from credentials.audit import AuditAction, record_audit_event
from credentials.jobs import MAX_JOB_ATTEMPTS, queue_job, requeue_stale_jobs
from credentials.services.deletion import delete_credential
from credentials.services.duplicates import LEARNER_WORK_COUNTERS, learner_work_on
from credentials.services.imports import (
    HOLDER_DID_SOURCES,
    DuplicateCredential,
    ImportOutcome,
    import_credential,
    recipient_context_for,
)
from credentials.services.jobs import retry_import_jobs
from credentials.services.results import RESULT_FIELDS, could_not_run, fingerprint_for
from credentials.services.reverify import (
    NOTIFY_VERDICTS,
    queue_recheck,
    reverify_all,
    reverify_credential,
)
from credentials.services.self_reported import create_self_reported

__all__ = [
    "HOLDER_DID_SOURCES",
    "LEARNER_WORK_COUNTERS",
    "MAX_JOB_ATTEMPTS",
    "NOTIFY_VERDICTS",
    "RESULT_FIELDS",
    "AuditAction",
    "DuplicateCredential",
    "ImportOutcome",
    "could_not_run",
    "create_self_reported",
    "delete_credential",
    "fingerprint_for",
    "import_credential",
    "learner_work_on",
    "queue_job",
    "queue_recheck",
    "recipient_context_for",
    "record_audit_event",
    "requeue_stale_jobs",
    "retry_import_jobs",
    "reverify_all",
    "reverify_credential",
]
