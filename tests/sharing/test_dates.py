"""What an employer reads about a credential's dates: a past end date reads as past, the
first of a month reads "1er" in French, and a self-reported entry says so once."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from credentials.models import Credential
from credentials.services.self_reported import create_self_reported
from sharing.statements import assess
from tests.sharing.conftest import make_link, public_path
from tests.sharing.typical import typical_credential

pytestmark = pytest.mark.django_db


def card_of(page: str, credential: Credential) -> str:
    start = page.index(f'id="shared-{credential.uuid}"')
    return page[start : page.index("</article>", start)]


def validity(credential: Credential) -> str:
    assessment = assess(credential, is_recipient_confirmed=True)
    return next(s.text for s in assessment.statements if s.kind == "current")


def unchecked(**dates) -> Credential:
    """A credential whose checks could not vouch for it: its dates are only what it states."""
    return Credential(name="Welding", issuer_name="Example University", verdict="failed", **dates)


@pytest.mark.parametrize(
    ("language", "expired_on"),
    [("fr-CA", "Expiré le 1er janvier 2024."), ("en", "Expired on Jan. 1, 2024.")],
)
def test_an_expired_credential_reads_expired_on_its_day(employer, learner, language, expired_on):
    credential = typical_credential(learner, name="First aid", expired=True)
    page = employer.get(
        public_path(make_link(learner, [credential])), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    assert expired_on in card_of(page, credential)


def test_a_past_end_date_reads_expired_even_when_the_checks_failed():
    past = timezone.now() - timedelta(days=30)
    issued = datetime(2024, 3, 2, tzinfo=UTC)
    text = validity(unchecked(issued_at=issued, expires_at=past))
    assert text.startswith("Dated March 2, 2024; it states it expired on ")
    assert "end date" not in text


def test_a_future_end_date_is_only_stated_when_the_checks_failed():
    future = timezone.now() + timedelta(days=30)
    text = validity(unchecked(issued_at=datetime(2024, 3, 2, tzinfo=UTC), expires_at=future))
    assert "it states an end date of" in text
    assert "expired" not in text and "Valid" not in text


def test_an_end_date_without_a_start_date_is_still_shown():
    text = validity(unchecked(expires_at=datetime(2020, 6, 30, tzinfo=UTC)))
    assert text == "It states it expired on June 30, 2020."


def test_a_self_reported_entry_says_so_once_on_its_card(employer, learner):
    entry = create_self_reported(learner=learner, title="Bookbinding")
    card = card_of(employer.get(public_path(make_link(learner, [entry]))).content.decode(), entry)
    assert card.lower().count("entered by the learner") == 1, card
    assert "No organisation issued it." in card
