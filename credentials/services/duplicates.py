"""Copies of one credential in a wallet: which one stays, which is marked a duplicate."""

from collections.abc import Callable

from django.db import models

from credentials.models import Credential

# How much of the learner's own work (notes, tags, collections, share links) hangs on a
# credential, from the apps that keep it: each appends a counter here in its
# `AppConfig.ready()`. Of two copies of one credential, the one with more work stays.
LEARNER_WORK_COUNTERS: list[Callable[[Credential], int]] = []


def learner_work_on(credential: Credential) -> int:
    """How many notes, tags, collections and links the learner put on this credential."""
    return sum(counter(credential) for counter in LEARNER_WORK_COUNTERS)


def copies_of(credential: Credential) -> models.QuerySet[Credential]:
    """The learner's other top-level credentials that claim the same issuer and id."""
    credential_id = (credential.normalized or {}).get("credential_id")
    if not credential_id or not credential.issuer_id:
        return Credential.objects.none()
    return (
        Credential.objects.owned_by(credential.owner)
        .top_level()
        .exclude(pk=credential.pk)
        .filter(issuer_id=credential.issuer_id, normalized__credential_id=credential_id)
    )


def link_copies(credential: Credential) -> list[Credential]:
    """Mark failed copies of a just-stored credential as duplicates of the verified one."""
    if credential.fingerprint.startswith("id:"):
        copies = list(copies_of(credential).filter(fingerprint__startswith="sha256:"))
        for copy in copies:
            copy.duplicate_of = credential
            copy.save(update_fields=["duplicate_of", "updated_at"])
        return copies
    holder = copies_of(credential).filter(fingerprint__startswith="id:").first()
    if holder is None:
        return []
    credential.duplicate_of = holder
    credential.save(update_fields=["duplicate_of", "updated_at"])
    return [credential]


def claim_id(credential: Credential, fingerprint: str) -> None:
    """A stored copy whose proof now passes takes its id; of two verified copies, the one
    carrying the learner's work stays and the other is marked a duplicate (never deleted)."""
    if credential.fingerprint == fingerprint:
        return
    holder = (
        Credential.objects.owned_by(credential.owner)
        .top_level()
        .filter(fingerprint=fingerprint)
        .exclude(pk=credential.pk)
        .first()
    )
    if holder is not None and learner_work_on(credential) <= learner_work_on(holder):
        credential.duplicate_of = holder
        credential.save(update_fields=["duplicate_of", "updated_at"])
        return
    if holder is not None:
        # The holder gives its fingerprint up first: the unique constraint holds at each step.
        holder.fingerprint = f"copy:{holder.uuid}"
        holder.duplicate_of = credential
        holder.save(update_fields=["fingerprint", "duplicate_of", "updated_at"])
        Credential.objects.filter(duplicate_of=holder).update(duplicate_of=credential)
    credential.fingerprint = fingerprint
    credential.duplicate_of = None
    credential.save(update_fields=["fingerprint", "duplicate_of", "updated_at"])
    copies_of(credential).filter(fingerprint__startswith="sha256:").update(duplicate_of=credential)
