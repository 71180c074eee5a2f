from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "sharing"
    verbose_name = _("Sharing")

    def ready(self) -> None:
        from sharing.models import ShareLink
        from wallet.revisions import watch_relation

        for relation in (ShareLink.credentials, ShareLink.collections, ShareLink.skills):
            watch_relation(relation.through)
        from credentials.services import LEARNER_WORK_COUNTERS

        LEARNER_WORK_COUNTERS.append(
            lambda credential: ShareLink.objects.including(credential).count()
        )
