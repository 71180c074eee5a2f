"""Sharing's buttons on the wallet's credential page (registered in `SharingConfig.ready`)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from credentials.models import Credential
from sharing.models import ShareLink
from wallet.credential_actions import CredentialAction

ACTIONS = [
    CredentialAction(
        label=_("Share with a link…"),
        url=lambda credential: f"{reverse('sharing:link_create')}?credential={credential.uuid}",
        applies_to=lambda credential: credential.is_shareable,
        is_primary=True,
    ),
    CredentialAction(
        label=_("Add to LinkedIn profile…"),
        url=lambda credential: reverse("sharing:linkedin_create", args=[credential.uuid]),
        applies_to=lambda credential: credential.is_shareable and not credential.is_self_reported,
    ),
]


def links_including(credential: Credential) -> list[ShareLink]:
    """The learner's active share links this credential appears in (for the wallet's pages)."""
    return list(ShareLink.objects.active().including(credential))
