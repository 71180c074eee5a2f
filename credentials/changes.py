"""The "credential changed" hook: how the apps above hear that what a credential shows
changed (a new verdict, a deletion), inside the service's own transaction.

`credentials` cannot name the apps above it; each registers a callback in
`AppConfig.ready()` (the wallet bumps the learner's content revision, which keeps
share pages' caches fresh). Services call `credential_changed`, never a model signal.
"""

from collections.abc import Callable

from credentials.models import Credential

CREDENTIAL_CHANGED: list[Callable[[Credential], None]] = []


def credential_changed(*, credential: Credential) -> None:
    """Tell every registered app that what this credential shows changed."""
    for callback in CREDENTIAL_CHANGED:
        callback(credential)
