from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    name = "credentials"
    verbose_name = _("Credentials")

    def ready(self) -> None:
        from credentials import glance

        glance.register_breakdown(glance.credentials_by_verdict)
        glance.register_breakdown(glance.failed_jobs)
