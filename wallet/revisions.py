"""A learner's content revision: one number that changes whenever what their share
links could show changes.

Share pages cache their rendered credential list under the revision read in the
same query as the link, so a cached list is never served after the learner
hides, edits or removes something: the change and the new revision commit
together. Every service that changes what a link shows calls
`bump_content_revision` inside its own transaction (credentials' services reach it
through the "credential changed" hook); no model signal does, so a bulk
`update()` or `delete()` in a service is covered the same way as a `save()`.
"""

from django.db.models import F

from credentials.models import Credential
from wallet.models import Wallet


def bump_content_revision(*, owner_id: int | None) -> None:
    """Mark everything the learner shares as changed."""
    if owner_id is not None:
        Wallet.objects.filter(user_id=owner_id).update(content_revision=F("content_revision") + 1)


def bump_for_credential(credential: Credential) -> None:
    """The "credential changed" hook of credentials' services (wired in `ready`)."""
    bump_content_revision(owner_id=credential.owner_id)
