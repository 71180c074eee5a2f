"""The banner after an import says what the verdict says: never a green "imported" above a
red "failed" on the page it leads to."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from credentials.models import Credential
from credentials.verification.verdict import Verdict

# Worst first: a batch's banner takes the level of its worst verdict.
LEVELS = {
    Verdict.FAILED: messages.ERROR,
    Verdict.REVOKED: messages.ERROR,
    Verdict.EXPIRED: messages.ERROR,
    Verdict.UNVERIFIABLE: messages.WARNING,
    Verdict.VERIFIED_WITH_WARNINGS: messages.WARNING,
    Verdict.VERIFIED: messages.SUCCESS,
    Verdict.SELF_REPORTED: messages.SUCCESS,
}


def _one(verdict: str) -> str:
    """The sentence for one imported credential with this verdict."""
    sentences = {
        Verdict.VERIFIED: _("The credential was imported and verified."),
        Verdict.VERIFIED_WITH_WARNINGS: _(
            "The credential was imported and verified, with warnings: read them under "
            "“Verification”."
        ),
        Verdict.UNVERIFIABLE: _(
            "The credential was imported, but the wallet could not verify it: read why under "
            "“Verification”."
        ),
        Verdict.FAILED: _(
            "The credential was imported, but it failed verification: do not rely on it "
            "until you know why. Read the checks under “Verification”."
        ),
        Verdict.REVOKED: _("The credential was imported, but its issuer has revoked it."),
        Verdict.EXPIRED: _("The credential was imported, but it has expired."),
    }
    return str(sentences.get(verdict, _("The credential was imported.")))


def _count(verdict: str, count: int) -> str:
    """ "2 verified", "1 failed verification"… for a batch's summary."""
    parts = {
        Verdict.VERIFIED: ngettext("%(count)d verified", "%(count)d verified", count),
        Verdict.VERIFIED_WITH_WARNINGS: ngettext(
            "%(count)d verified with warnings", "%(count)d verified with warnings", count
        ),
        Verdict.UNVERIFIABLE: ngettext(
            "%(count)d could not be verified", "%(count)d could not be verified", count
        ),
        Verdict.FAILED: ngettext(
            "%(count)d failed verification", "%(count)d failed verification", count
        ),
        Verdict.REVOKED: ngettext(
            "%(count)d revoked by its issuer", "%(count)d revoked by their issuers", count
        ),
        Verdict.EXPIRED: ngettext("%(count)d expired", "%(count)d expired", count),
    }
    template = parts.get(verdict, ngettext("%(count)d other", "%(count)d others", count))
    return template % {"count": count}


def level_for(verdicts: Sequence[str]) -> int:
    """The banner's level: that of the worst verdict (an unknown one counts as a warning)."""
    return max((LEVELS.get(verdict, messages.WARNING) for verdict in verdicts), default=0)


def report_imported(request: HttpRequest, credentials: Sequence[Credential]) -> None:
    """Add the one banner that matches what was imported and how it verified."""
    if not credentials:
        return
    verdicts = [credential.verdict for credential in credentials]
    level = level_for(verdicts)
    if len(credentials) == 1:
        messages.add_message(request, level, _one(verdicts[0]))
        return
    counts = Counter(verdicts)
    order = [verdict for verdict in LEVELS if counts[verdict]]
    order += sorted(verdict for verdict in counts if verdict not in LEVELS)
    summary = ", ".join(_count(verdict, counts[verdict]) for verdict in order)
    messages.add_message(
        request,
        level,
        ngettext(
            "%(count)d credential was imported: %(summary)s.",
            "%(count)d credentials were imported: %(summary)s.",
            len(credentials),
        )
        % {"count": len(credentials), "summary": summary},
    )
