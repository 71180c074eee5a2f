"""What a learner can do with a collection beyond the wallet: links the apps above add.

The collection page belongs to the wallet, which cannot name the apps above it. Each
such app registers its actions in `AppConfig.ready()`; the page shows the ones that
apply, in registration order, as links.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise

from wallet.models import Collection


@dataclass(frozen=True)
class CollectionAction:
    label: str | Promise
    url: Callable[[Collection], str]
    applies_to: Callable[[Collection], bool] = lambda collection: True
    is_primary: bool = False


@dataclass(frozen=True)
class BoundCollectionAction:
    """An action for one collection, ready for the template."""

    label: str | Promise
    url: str
    is_primary: bool


COLLECTION_ACTIONS: list[CollectionAction] = []


def register_collection_action(action: CollectionAction) -> None:
    COLLECTION_ACTIONS.append(action)


def actions_on(collection: Collection) -> list[BoundCollectionAction]:
    """The registered actions that apply to this collection."""
    return [
        BoundCollectionAction(
            label=action.label, url=action.url(collection), is_primary=action.is_primary
        )
        for action in COLLECTION_ACTIONS
        if action.applies_to(collection)
    ]
