"""What a learner can do with a credential beyond the wallet: buttons the apps above add.

The credential page belongs to the wallet, which cannot name the apps above it. Each
such app registers its actions in `AppConfig.ready()`; the page renders the ones that
apply, in registration order, as links (GET) or one-button forms (POST).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise

from credentials.models import Credential


@dataclass(frozen=True)
class CredentialAction:
    label: str | Promise
    url: Callable[[Credential], str]
    applies_to: Callable[[Credential], bool] = lambda credential: True
    method: str = "get"
    is_primary: bool = False


@dataclass(frozen=True)
class BoundAction:
    """An action for one credential, ready for the template."""

    label: str | Promise
    url: str
    method: str
    is_primary: bool


CREDENTIAL_ACTIONS: list[CredentialAction] = []


def register_credential_action(action: CredentialAction) -> None:
    CREDENTIAL_ACTIONS.append(action)


def actions_on(credential: Credential) -> list[BoundAction]:
    """The registered actions that apply to this credential."""
    return [
        BoundAction(
            label=action.label,
            url=action.url(credential),
            method=action.method,
            is_primary=action.is_primary,
        )
        for action in CREDENTIAL_ACTIONS
        if action.applies_to(credential)
    ]
