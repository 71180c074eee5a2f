from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WalletConfig(AppConfig):
    name = "wallet"
    verbose_name = _("Wallet")

    def ready(self) -> None:
        from credentials.audit import AUDIT_ACTIONS
        from wallet import adapters, revisions
        from wallet.audit import AccountAction

        AUDIT_ACTIONS.register(AccountAction)
        from credentials.services.imports import HOLDER_DID_SOURCES
        from wallet.holder_keys import holder_dids_of

        HOLDER_DID_SOURCES.append(holder_dids_of)
        from credentials.changes import CREDENTIAL_CHANGED

        CREDENTIAL_CHANGED.append(revisions.bump_for_credential)
        from credentials.services import LEARNER_WORK_COUNTERS
        from wallet.selectors import learner_work_on

        LEARNER_WORK_COUNTERS.append(learner_work_on)
        from credentials.jobs import register_job
        from credentials.models import ImportJob
        from wallet import tasks
        from wallet.models import ExportJob

        register_job(ImportJob, task=tasks.import_from_url)
        register_job(ExportJob, task=tasks.build_export_task)
        adapters.connect()
        from credentials import glance
        from wallet.models import User

        glance.register(
            _("Active learners"),
            lambda: User.objects.filter(is_staff=False, is_active=True).count(),
            changelist="admin:wallet_user_changelist",
            query={"is_staff__exact": "0", "is_active__exact": "1"},
        )
