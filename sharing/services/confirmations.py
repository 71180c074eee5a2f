"""Sharing a credential that is no longer valid takes an explicit choice.

A failed, revoked or expired credential can still be worth showing (a past licence, a
record of training), but never by accident: the share form and the API refuse a selection
that newly reaches one unless the learner confirms, and the employer sees it labelled.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from credentials.models import Credential
from credentials.verification.verdict import Verdict
from sharing.models import ShareLink
from sharing.services.links import Selection

NOT_VALID = (Verdict.FAILED, Verdict.REVOKED, Verdict.EXPIRED)
CONFIRM_LABEL = gettext_lazy(
    "Share them even though they failed verification, were revoked or have expired"
)


def _reached_by(link: ShareLink) -> Q:
    return Q(share_links=link) | Q(collections__share_links=link) | Q(skills__share_links=link)


def not_valid_credentials(owner: models.Model) -> models.QuerySet[Credential]:
    """The learner's credentials a link could show whose verdict says they are not valid."""
    return (
        Credential.objects.owned_by(owner)
        .top_level()
        .shareable()
        .exclude(curation__is_hidden=True)
        .filter(verdict__in=NOT_VALID)
    )


def unconfirmed_not_valid(
    *, owner: models.Model, selection: Selection, link: ShareLink | None = None
) -> list[Credential]:
    """The not-valid credentials the selection would show that the link does not show yet,
    chosen directly or through a collection or a skill."""
    reached = (
        Q(pk__in=[credential.pk for credential in selection.credentials])
        | Q(collections__in=[collection.pk for collection in selection.collections])
        | Q(skills__in=[skill.pk for skill in selection.skills])
    )
    found = not_valid_credentials(owner).filter(reached)
    if link is not None and link.pk:
        shown = Credential.objects.filter(_reached_by(link)).values("pk")
        found = found.exclude(pk__in=shown)
    return list(found.distinct().only("uuid", "name", "verdict").order_by("name"))


def not_valid_message(credentials: list[Credential]) -> str:
    """Why the choice is refused: what is wrong with each credential, then what to do."""
    reasons = {
        Verdict.FAILED: _("“%(name)s” failed verification."),
        Verdict.REVOKED: _("“%(name)s” was revoked by its issuer."),
        Verdict.EXPIRED: _("“%(name)s” has expired."),
    }
    said = [
        reasons.get(credential.verdict, _("“%(name)s” is not valid.")) % {"name": credential.name}
        for credential in credentials
    ]
    advice = ngettext(
        "To share it anyway, tick “%(confirm)s”; the reader sees it labelled so.",
        "To share them anyway, tick “%(confirm)s”; the reader sees them labelled so.",
        len(credentials),
    ) % {"confirm": CONFIRM_LABEL}
    return " ".join([*said, advice])


def check_not_valid_confirmed(
    *,
    owner: models.Model,
    selection: Selection,
    confirmed: bool,
    link: ShareLink | None = None,
) -> None:
    """Refuse a selection that newly reaches a not-valid credential, unless confirmed."""
    if confirmed:
        return
    refused = unconfirmed_not_valid(owner=owner, selection=selection, link=link)
    if refused:
        raise ValidationError(not_valid_message(refused), code="not_valid_unconfirmed")
