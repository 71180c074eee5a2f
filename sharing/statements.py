"""What an employer reads about each shared credential, in plain words.

Three statements (who issued it, whose it is, whether it is current) and one verdict
sentence, all read off the stored checks' codes, never off their messages: the messages
carry technical causes, which stay in the check table. The statements are written so that
they cannot contradict each other: a credential that is revoked, expired, failed or could
not be checked is never also called "valid now", and only an issuer a trusted registry
lists is ever called "authentic".
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from credentials import i18n
from credentials.models import Credential
from credentials.verification.checks import CheckName, CheckStatus, Code
from credentials.verification.issuer import IdentityLevel
from credentials.verification.verdict import Verdict

GOOD, NEUTRAL, CAUTION, ENDED, BAD = "good", "neutral", "caution", "ended", "bad"
SHORT_ID_LENGTH = 30


class Standing(IntEnum):
    """Where a credential stands for an employer; the order is the order links list them."""

    CONFIRMED = 0
    DOMAIN = 1
    UNCONFIRMED = 2
    SELF_REPORTED = 3
    UNVERIFIABLE = 4
    EXPIRED = 5
    REVOKED = 6
    FAILED = 7
    BORROWED = 8


@dataclass(frozen=True)
class Statement:
    kind: str  # "issuer", "recipient" or "current"
    tone: str
    text: str


@dataclass(frozen=True)
class Assessment:
    """The plain-words reading of one credential's stored checks."""

    standing: Standing
    verdict: str
    tone: str
    label: str
    statements: tuple[Statement, ...]
    issuer_id: str
    vouched_by: str
    vouched_by_url: str
    domain: str

    @property
    def issuer_id_short(self) -> str:
        return shorten_identifier(self.issuer_id)


def shorten_identifier(value: str) -> str:
    """A long DID or URL as its start and end, enough to compare by eye."""
    if len(value) <= SHORT_ID_LENGTH:
        return value
    return f"{value[:18]}…{value[-8:]}"


def _check(credential: Credential, name: str) -> dict:
    for check in credential.checks if isinstance(credential.checks, list) else []:
        if isinstance(check, dict) and check.get("name") == name:
            return check
    return {}


def _failed_with(check: dict, code: str) -> bool:
    return check.get("code") == code and check.get("status") == CheckStatus.FAILED


def _day(value: datetime | None) -> str:
    return i18n.date_text(timezone.localtime(value)) if value else ""


def standing_of(credential: Credential, *, now: datetime | None = None) -> Standing:
    """The credential's standing from its verdict, its issuer's identity and its dates."""
    now = now or timezone.now()
    verdict = credential.verdict
    if verdict == Verdict.SELF_REPORTED:
        return Standing.SELF_REPORTED
    if _failed_with(_check(credential, CheckName.ISSUER), Code.ISSUER_IMPERSONATION):
        return Standing.BORROWED
    if verdict == Verdict.REVOKED:
        return Standing.REVOKED
    # A stored "verified" whose expiry has since passed reads as expired until re-checked.
    if verdict == Verdict.EXPIRED or (
        credential.expires_at is not None
        and credential.expires_at <= now
        and verdict in (Verdict.VERIFIED, Verdict.VERIFIED_WITH_WARNINGS)
    ):
        return Standing.EXPIRED
    if verdict == Verdict.FAILED:
        return Standing.FAILED
    if verdict == Verdict.UNVERIFIABLE:
        return Standing.UNVERIFIABLE
    level = credential.issuer_identity.get("level", "")
    if level == IdentityLevel.REGISTERED:
        return Standing.CONFIRMED
    if level == IdentityLevel.DOMAIN:
        return Standing.DOMAIN
    return Standing.UNCONFIRMED


def _issuer_statement(credential: Credential, standing: Standing, identity: dict) -> Statement:
    shown = credential.issuer_name or _("an unnamed issuer")
    if standing == Standing.SELF_REPORTED:
        # The verdict already says the learner entered it; saying it again here is noise.
        return Statement("issuer", NEUTRAL, _("No organisation issued it."))
    if standing == Standing.BORROWED:
        name = identity.get("impersonated_name") or shown
        text = _(
            "Claims to come from %(name)s, but %(name)s did not issue it: it was signed with "
            "a key that is not theirs."
        )
        return Statement("issuer", BAD, text % {"name": name})
    if standing in (Standing.FAILED, Standing.UNVERIFIABLE):
        # Who holds the key proves nothing about data whose signature failed or could not
        # be checked: the name stays the credential's own claim.
        text = _("Says it was issued by “%(issuer)s”, but nothing confirms who issued it.")
        return Statement("issuer", CAUTION, text % {"issuer": shown})
    level = identity.get("level", "")
    if level == IdentityLevel.REGISTERED:
        name = identity.get("registered_name") or shown
        if identity.get("vouched_by_url"):
            text = _("Issued by %(issuer)s, confirmed by %(registry)s.") % {
                "issuer": name,
                "registry": identity.get("vouched_by") or identity["vouched_by_url"],
            }
        else:
            text = _(
                "Issued by %(issuer)s, confirmed: it is on this site’s list of trusted issuers."
            )
            text = text % {"issuer": name}
        return Statement("issuer", GOOD, text)
    if level == IdentityLevel.DOMAIN:
        text = _(
            "Issued by the owner of the web address %(domain)s. The name “%(issuer)s” is its "
            "own claim: no list this site trusts confirms it."
        )
        return Statement("issuer", CAUTION, text % {"domain": identity["domain"], "issuer": shown})
    if level == IdentityLevel.SELF_ASSERTED:
        text = _("Says it was issued by “%(issuer)s”, but nothing confirms who issued it.")
        return Statement("issuer", CAUTION, text % {"issuer": shown})
    text = _("Says it was issued by “%(issuer)s”; who issued it could not be checked.")
    return Statement("issuer", CAUTION, text % {"issuer": shown})


def _recipient_statement(credential: Credential) -> Statement:
    check = _check(credential, CheckName.RECIPIENT)
    code = check.get("code")
    if code == Code.RECIPIENT_CONFIRMED and check.get("status") == CheckStatus.PASSED:
        text = _("Issued to this learner: it names an email address or key they proved is theirs.")
        return Statement("recipient", GOOD, text)
    if code == Code.RECIPIENT_UNPROVEN:
        text = _("It names an identifier the learner added to their account but has not proven.")
        return Statement("recipient", CAUTION, text)
    if code == Code.RECIPIENT_NOT_STATED:
        return Statement("recipient", CAUTION, _("It does not say who it was issued to."))
    return Statement(
        "recipient", CAUTION, _("Whether it was issued to this learner could not be checked.")
    )


def _current_statement(credential: Credential, standing: Standing, now: datetime) -> Statement:
    issued, expires = _day(credential.issued_at), _day(credential.expires_at)
    has_ended = credential.expires_at is not None and credential.expires_at <= now
    status = _check(credential, CheckName.STATUS)
    if standing == Standing.SELF_REPORTED:
        text = _("Achieved on %(date)s.") % {"date": issued} if issued else _("No date given.")
        return Statement("current", NEUTRAL, text)
    if standing == Standing.REVOKED:
        if _failed_with(status, Code.SUSPENDED):
            return Statement("current", BAD, _("Suspended by the issuer: not valid for now."))
        return Statement("current", BAD, _("Revoked by the issuer: no longer valid."))
    if standing == Standing.EXPIRED:
        text = _("Expired on %(date)s.") % {"date": expires} if expires else _("Expired.")
        return Statement("current", ENDED, text)
    if _failed_with(_check(credential, CheckName.DATES), Code.NOT_YET_VALID):
        return Statement("current", BAD, _("Not valid yet: its start date is in the future."))
    if standing in (Standing.FAILED, Standing.BORROWED, Standing.UNVERIFIABLE):
        # Dates only: nothing here may read as "valid", and a past end date reads as past.
        if issued and expires:
            if has_ended:
                text = _("Dated %(issued)s; it states it expired on %(expires)s.")
            else:
                text = _("Dated %(issued)s; it states an end date of %(expires)s.")
            return Statement("current", NEUTRAL, text % {"issued": issued, "expires": expires})
        if issued:
            return Statement("current", NEUTRAL, _("Dated %(issued)s.") % {"issued": issued})
        if expires:
            if has_ended:
                text = _("It states it expired on %(expires)s.")
            else:
                text = _("It states an end date of %(expires)s.")
            return Statement("current", NEUTRAL, text % {"expires": expires})
        return Statement("current", NEUTRAL, _("It gives no dates."))
    if expires:
        text = _("Valid now: since %(issued)s, until %(expires)s.")
    elif issued:
        text = _("Valid now: since %(issued)s, with no end date.")
    else:
        text = _("Valid now, with no end date.")
    text = text % {"issued": issued, "expires": expires}
    # Two messages, not one f-string: makemessages does not read inside an f-string.
    if status.get("status") == CheckStatus.PASSED:
        text = _("%(valid)s The issuer has not revoked it.") % {"valid": text}
    elif status.get("code") == Code.NO_STATUS:
        text = _("%(valid)s The issuer publishes no revocation list for it.") % {"valid": text}
    return Statement("current", GOOD, text)


def _verdict(
    credential: Credential, standing: Standing, identity: dict, *, recipient_ok: bool
) -> tuple[str, str]:
    if standing == Standing.CONFIRMED:
        if recipient_ok:
            return _("Authentic and current."), GOOD
        return _("Authentic and current, but not confirmed as this learner’s."), CAUTION
    if standing == Standing.DOMAIN:
        text = _("Unchanged since %(domain)s signed it; its name is not confirmed.")
        return text % {"domain": identity.get("domain", "")}, CAUTION
    if standing == Standing.UNCONFIRMED:
        return _("Unchanged since it was signed; who issued it is not confirmed."), CAUTION
    if standing == Standing.BORROWED:
        text = _("Not genuine: it uses the name of %(name)s, who did not issue it.")
        name = identity.get("impersonated_name") or credential.issuer_name
        return text % {"name": name}, BAD
    if standing == Standing.EXPIRED:
        return _("No longer valid: it has expired."), ENDED
    if standing == Standing.REVOKED:
        if _failed_with(_check(credential, CheckName.STATUS), Code.SUSPENDED):
            return _("Not valid for now: the issuer suspended it."), BAD
        return _("No longer valid: the issuer revoked it."), BAD
    if standing == Standing.FAILED:
        return _("Not verified: it did not pass the checks."), BAD
    if standing == Standing.UNVERIFIABLE:
        if any(
            isinstance(check, dict) and check.get("is_transient")
            for check in credential.checks or []
        ):
            return _("Not confirmed yet: part of the check could not run; it will be retried."), (
                CAUTION
            )
        return _("Cannot be checked here: this site cannot check its kind of signature."), CAUTION
    return _("Entered by the learner; not verified."), NEUTRAL


def assess(
    credential: Credential, *, is_recipient_confirmed: bool, now: datetime | None = None
) -> Assessment:
    """The statements and verdict an employer reads for `credential`."""
    now = now or timezone.now()
    standing = standing_of(credential, now=now)
    identity = credential.issuer_identity
    statements = [_issuer_statement(credential, standing, identity)]
    if standing != Standing.SELF_REPORTED:
        statements.append(_recipient_statement(credential))
    statements.append(_current_statement(credential, standing, now))
    verdict, tone = _verdict(credential, standing, identity, recipient_ok=is_recipient_confirmed)
    return Assessment(
        standing=standing,
        verdict=verdict,
        tone=tone,
        label=standing_label(standing),
        statements=tuple(statements),
        issuer_id=identity.get("issuer_id") or credential.issuer_id,
        vouched_by=identity.get("vouched_by", ""),
        vouched_by_url=identity.get("vouched_by_url", ""),
        domain=identity.get("domain", ""),
    )


def standing_label(standing: Standing) -> str:
    """A few words for lists: what the verdict sentence says at length."""
    labels = {
        Standing.CONFIRMED: _("confirmed issuer"),
        Standing.DOMAIN: _("issuer known by its web address"),
        Standing.UNCONFIRMED: _("issuer not confirmed"),
        Standing.SELF_REPORTED: _("entered by the learner"),
        Standing.UNVERIFIABLE: _("could not be checked"),
        Standing.EXPIRED: _("expired"),
        Standing.REVOKED: _("revoked or suspended"),
        Standing.FAILED: _("did not pass the checks"),
        Standing.BORROWED: _("uses another issuer’s name"),
    }
    return labels[standing]


def _part(standing: Standing, count: int) -> str:
    parts = {
        Standing.CONFIRMED: ngettext(
            "%(count)d from a confirmed issuer", "%(count)d from confirmed issuers", count
        ),
        Standing.DOMAIN: ngettext(
            "%(count)d whose issuer is known only by its web address",
            "%(count)d whose issuers are known only by their web address",
            count,
        ),
        Standing.UNCONFIRMED: ngettext(
            "%(count)d whose issuer could not be confirmed",
            "%(count)d whose issuer could not be confirmed",
            count,
        ),
        Standing.SELF_REPORTED: ngettext(
            "%(count)d entered by the learner", "%(count)d entered by the learner", count
        ),
        Standing.UNVERIFIABLE: ngettext(
            "%(count)d that could not be checked", "%(count)d that could not be checked", count
        ),
        Standing.EXPIRED: ngettext("%(count)d expired", "%(count)d expired", count),
        Standing.REVOKED: ngettext(
            "%(count)d revoked or suspended", "%(count)d revoked or suspended", count
        ),
        Standing.FAILED: ngettext(
            "%(count)d that did not pass the checks",
            "%(count)d that did not pass the checks",
            count,
        ),
        Standing.BORROWED: ngettext(
            "%(count)d using another issuer’s name", "%(count)d using another issuer’s name", count
        ),
    }
    return parts[standing] % {"count": count}


def summary_sentence(standings: list[Standing]) -> str:
    """The counts in plain words, as in "7 credentials: 4 from confirmed issuers, 2 whose
    issuer could not be confirmed, 1 expired."; empty when nothing is shared."""
    if not standings:
        return ""
    counts = Counter(standings)
    total = ngettext("%(count)d credential", "%(count)d credentials", len(standings)) % {
        "count": len(standings)
    }
    parts = [_part(standing, counts[standing]) for standing in sorted(counts)]
    return _("%(total)s: %(parts)s.") % {"total": total, "parts": ", ".join(parts)}
