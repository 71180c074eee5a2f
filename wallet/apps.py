from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WalletConfig(AppConfig):
    name = "wallet"
    verbose_name = _("Wallet")

    def ready(self) -> None:
        from wallet import adapters, revisions

        revisions.connect()
        from credentials.services import LEARNER_WORK_COUNTERS
        from wallet.selectors import learner_work_on

        LEARNER_WORK_COUNTERS.append(learner_work_on)
        adapters.connect()
