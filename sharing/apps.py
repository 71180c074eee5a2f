from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "sharing"
    verbose_name = _("Sharing")

    def ready(self) -> None:
        from credentials.audit import AUDIT_ACTIONS
        from sharing.audit import ShareLinkAction

        AUDIT_ACTIONS.register(ShareLinkAction)
        from sharing.credential_actions import ACTIONS, links_including
        from wallet.credential_actions import register_credential_action
        from wallet.curation_services import LINKS_INCLUDING

        for action in ACTIONS:
            register_credential_action(action)
        from sharing import collection_actions
        from wallet.collection_actions import register_collection_action

        for collection_action in collection_actions.ACTIONS:
            register_collection_action(collection_action)
        LINKS_INCLUDING.append(links_including)
        from credentials.jobs import register_job
        from sharing.models import ShareLink, Transcript
        from sharing.tasks import render_transcript

        register_job(Transcript, task=render_transcript)
        from credentials.services import LEARNER_WORK_COUNTERS

        LEARNER_WORK_COUNTERS.append(
            lambda credential: ShareLink.objects.including(credential).count()
        )
        from credentials import glance

        glance.register(
            _("Active share links"),
            lambda: ShareLink.objects.active().count(),
            changelist="admin:sharing_sharelink_changelist",
            query={"status": "active"},
        )
