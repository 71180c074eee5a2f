"""How many of a group's credentials have each verdict, for a list read at a glance."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import ngettext

from credentials.verification.verdict import Verdict
from wallet.widgets import VERDICT_ICONS

# Good news first, as a learner reads a row: what holds, then what needs a look.
ORDER = [
    Verdict.VERIFIED,
    Verdict.VERIFIED_WITH_WARNINGS,
    Verdict.SELF_REPORTED,
    Verdict.UNVERIFIABLE,
    Verdict.EXPIRED,
    Verdict.REVOKED,
    Verdict.FAILED,
]


@dataclass(frozen=True)
class VerdictCount:
    verdict: str
    icon: str
    text: str


def _attribute(verdict: str) -> str:
    return f"verdict_count_{verdict}"


def verdict_counts(relation: str) -> dict[str, Count]:
    """Annotations counting the credentials behind `relation` per verdict, in one query."""
    return {
        _attribute(verdict): Count(relation, filter=Q(**{f"{relation}__verdict": verdict}))
        for verdict in ORDER
    }


def _text(verdict: str, count: int) -> str:
    texts = {
        Verdict.VERIFIED: ngettext("%(count)d verified", "%(count)d verified", count),
        Verdict.VERIFIED_WITH_WARNINGS: ngettext(
            "%(count)d verified with warnings", "%(count)d verified with warnings", count
        ),
        Verdict.SELF_REPORTED: ngettext(
            "%(count)d self-reported", "%(count)d self-reported", count
        ),
        Verdict.UNVERIFIABLE: ngettext("%(count)d unverifiable", "%(count)d unverifiable", count),
        Verdict.EXPIRED: ngettext("%(count)d expired", "%(count)d expired", count),
        Verdict.REVOKED: ngettext("%(count)d revoked", "%(count)d revoked", count),
        Verdict.FAILED: ngettext("%(count)d failed", "%(count)d failed", count),
    }
    return texts[verdict] % {"count": count}


def tally(annotated: Any) -> list[VerdictCount]:
    """The verdicts present on a row annotated with `verdict_counts`, with their counts."""
    return [
        VerdictCount(
            verdict=verdict,
            icon=VERDICT_ICONS.get(verdict, "✗"),
            text=_text(verdict, count),
        )
        for verdict in ORDER
        if (count := getattr(annotated, _attribute(verdict)))
    ]
