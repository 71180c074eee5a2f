"""Sharing's link on the wallet's collection page (registered in `SharingConfig.ready`)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wallet.collection_actions import CollectionAction

ACTIONS = [
    CollectionAction(
        label=_("Share this collection…"),
        url=lambda collection: f"{reverse('sharing:link_create')}?collection={collection.uuid}",
        is_primary=True,
    ),
]
