"""Benchmark learners: a verified email address, a wallet, real imported credentials."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bench import credentials as made

BATCH = 100


def make_learner(email: str) -> Any:
    """Create a learner with a verified primary address and a wallet."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    from wallet.services import ensure_wallet

    user = get_user_model().objects.create_user(email=email, password=None)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    ensure_wallet(user=user)
    return user


def fill_wallet(learner: Any, count: int, *, prefix: int, skill_areas: int = 40) -> list[Any]:
    """Import `count` signed credentials (presentations of up to 100) into the wallet."""
    from credentials.models import CredentialSource
    from wallet.imports import import_credentials_for

    issuers = made.new_issuers(4)
    created: list[Any] = []
    for start in range(0, count, BATCH):
        members = made.ob3_credentials(
            min(BATCH, count - start),
            issuers=issuers,
            prefix=prefix + start,
            skill_areas=skill_areas,
            # Issued to the learner's own verified address: only such credentials are shared.
            subject=f"mailto:{learner.email}",
        )
        outcome = import_credentials_for(
            learner=learner, data=made.presentation(members), source=CredentialSource.UPLOAD
        )
        created += outcome.created
    return created


def share(learner: Any, credentials: list[Any], title: str) -> Any:
    """A share link to exactly these credentials, transcript allowed, no passcode."""
    from django.utils import timezone

    from sharing.services import LinkOptions, Selection, create_share_link

    return create_share_link(
        owner=learner,
        title=title,
        selection=Selection.of(credentials=credentials),
        expires_at=timezone.now() + timedelta(days=30),
        options=LinkOptions(),
    )
