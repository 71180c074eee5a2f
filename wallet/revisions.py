"""A learner's content revision: one number that changes whenever what their share
links could show changes.

Share pages cache their rendered credential list under the revision read in the
same query as the link, so a cached list is never served after the learner
hides, edits or removes something: the change and the new revision commit
together. Saves, deletes and relation changes of every model a share page shows
bump it through signals; bulk writes, which send no signals, call
`bump_content_revision` themselves.
"""

from typing import Any

from django.db.models import F, Model, Subquery
from django.db.models.signals import m2m_changed, post_delete, post_save

from credentials.models import Credential
from wallet.models import Collection, CollectionItem, Curation, Skill, Wallet


def bump_content_revision(*, owner_id: int | None) -> None:
    """Mark everything the learner shares as changed."""
    if owner_id is not None:
        Wallet.objects.filter(user_id=owner_id).update(content_revision=F("content_revision") + 1)


def _bump_owner_of_credential(credential_id: int | None) -> None:
    if credential_id is None:
        return
    owner = Credential.objects.filter(pk=credential_id).values("owner_id")[:1]
    Wallet.objects.filter(user_id=Subquery(owner)).update(
        content_revision=F("content_revision") + 1
    )


def _owned(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    bump_content_revision(owner_id=instance.owner_id)


def _curation(sender: type[Model], instance: Curation, **kwargs: Any) -> None:
    _bump_owner_of_credential(instance.credential_id)


def _collection_item(sender: type[Model], instance: CollectionItem, **kwargs: Any) -> None:
    bump_content_revision(
        owner_id=Collection.objects.filter(pk=instance.collection_id)
        .values_list("owner_id", flat=True)
        .first()
    )


def _relation(sender: type[Model], instance: Any, action: str, **kwargs: Any) -> None:
    # Both sides of every watched relation (credential, skill, collection, share link)
    # belong to the learner whose revision changes.
    if action.startswith("post_"):
        bump_content_revision(owner_id=instance.owner_id)


def watch_relation(through: type[Model]) -> None:
    """Bump the owner's revision whenever rows are added to or removed from `through`."""
    m2m_changed.connect(_relation, sender=through, dispatch_uid=f"revision-{through._meta.label}")


def connect() -> None:
    """Wire the signals; called once from the app's `ready`."""
    for model in (Credential, Skill, Collection):
        post_save.connect(_owned, sender=model, dispatch_uid=f"revision-save-{model.__name__}")
        post_delete.connect(_owned, sender=model, dispatch_uid=f"revision-del-{model.__name__}")
    post_save.connect(_curation, sender=Curation, dispatch_uid="revision-save-curation")
    post_delete.connect(_curation, sender=Curation, dispatch_uid="revision-del-curation")
    post_save.connect(_collection_item, sender=CollectionItem, dispatch_uid="revision-save-item")
    post_delete.connect(_collection_item, sender=CollectionItem, dispatch_uid="revision-del-item")
    watch_relation(Skill.credentials.through)
    watch_relation(Collection.credentials.through)
