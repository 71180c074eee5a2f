"""What an employer reads about each credential: three plain statements, one verdict,
a summary at the top, the technical detail only behind "How it was checked"."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from credentials.models import Credential
from sharing.statements import Standing, assess, summary_sentence
from tests.sharing.conftest import import_signed, make_link, public_path
from tests.sharing.typical import typical_credential, typical_seven

pytestmark = pytest.mark.django_db

CHECKS_DISCLOSURE = '<details class="share-more share-checks">'


def page_of(employer, link) -> str:
    return employer.get(public_path(link)).content.decode()


def before_the_checks(page: str) -> list[str]:
    """Each card's text outside its check table."""
    return [part.split("</details>")[-1] for part in page.split(CHECKS_DISCLOSURE)]


def stored(verdict: str, *checks: dict, **fields) -> Credential:
    """A credential as stored after verification, with these checks."""
    full = [{"status": "passed", "code": "ok", **check} for check in checks]
    return Credential(
        name="Welding", issuer_name="Example University", verdict=verdict, checks=full, **fields
    )


REGISTERED = {
    "name": "issuer",
    "code": "issuer_registered",
    "details": {"identity_level": "registered", "registered_name": "Example University"},
}
RECIPIENT_OK = {"name": "recipient", "code": "recipient_confirmed"}


def test_a_new_link_lists_confirmed_credentials_first(employer, learner):
    unconfirmed = typical_credential(learner, name="Robotics club", issuer_kind="self_asserted")
    expired = typical_credential(learner, name="First aid", expired=True)
    confirmed = typical_credential(learner, name="Welding basics")
    page = page_of(employer, make_link(learner, [unconfirmed, expired, confirmed]))
    assert page.index("Welding basics") < page.index("Robotics club") < page.index("First aid")


def test_the_summary_counts_in_plain_words(employer, learner):
    page = page_of(employer, make_link(learner, typical_seven(learner)))
    assert (
        "7 credentials: 4 from confirmed issuers, 2 whose issuer could not be confirmed, "
        "1 expired." in page
    )


def test_the_summary_uses_singular_and_plural_forms():
    assert summary_sentence([Standing.CONFIRMED]) == "1 credential: 1 from a confirmed issuer."
    assert summary_sentence([Standing.CONFIRMED, Standing.CONFIRMED, Standing.BORROWED]) == (
        "3 credentials: 2 from confirmed issuers, 1 using another issuer’s name."
    )
    assert summary_sentence([]) == ""


def test_a_confirmed_issuer_reads_authentic_with_its_identifier_to_copy(employer, learner):
    credential = import_signed(learner, name="Teamwork", trusted=True)
    page = page_of(employer, make_link(learner, [credential]))
    assert "Authentic and current." in page
    assert "Issued by Example University, confirmed" in page
    assert "Issued to this learner" in page
    assert "Valid now: since" in page
    assert f'value="{credential.issuer_id}"' in page
    assert "data-copy-target" in page


def test_a_self_asserted_issuer_is_never_called_authentic(employer, learner):
    credential = import_signed(learner, name="Robotics", trusted=False)
    page = page_of(employer, make_link(learner, [credential]))
    assert "authentic" not in page.lower()
    assert "who issued it is not confirmed" in page


def test_a_borrowed_name_is_said_plainly(employer, learner):
    typical_credential(learner, name="Welding basics")
    borrowed = typical_credential(learner, name="Fake degree", issuer_kind="impersonation")
    page = page_of(employer, make_link(learner, [borrowed]))
    assert "Not genuine: it uses the name of Example University, who did not issue it." in page
    assert "Claims to come from Example University, but Example University did not issue it" in (
        page
    )
    for outside in before_the_checks(page):
        assert "Valid now" not in outside and "authentic" not in outside.lower()
    assert "1 credential: 1 using another issuer’s name." in page


def test_an_expired_credential_is_never_also_valid_now(employer, learner):
    credential = typical_credential(learner, name="First aid", expired=True)
    page = page_of(employer, make_link(learner, [credential]))
    assert "No longer valid: it has expired." in page
    assert "Expired on" in page
    assert "Valid now" not in page


def test_a_revoked_credential_reads_revoked_and_nothing_else():
    credential = stored(
        "revoked",
        REGISTERED,
        RECIPIENT_OK,
        {"name": "dates"},
        {"name": "status", "status": "failed", "code": "revoked"},
        issued_at=timezone.now() - timedelta(days=30),
    )
    assessment = assess(credential, is_recipient_confirmed=True)
    assert assessment.verdict == "No longer valid: the issuer revoked it."
    words = " ".join(statement.text for statement in assessment.statements)
    assert "Revoked by the issuer" in words
    assert "Valid now" not in words and "Authentic" not in assessment.verdict


@pytest.mark.parametrize(
    ("verdict", "proof"),
    [("failed", {"status": "failed", "code": "signature_invalid"}), ("unverifiable", {})],
)
def test_a_registered_issuer_is_not_confirmed_when_the_signature_did_not_hold(verdict, proof):
    # The issuer check found the key in the registry, but the data was not proven to be
    # what that key signed: the issuer's name stays a claim.
    credential = stored(verdict, {"name": "proof", **proof}, REGISTERED, RECIPIENT_OK)
    assessment = assess(credential, is_recipient_confirmed=True)
    [issuer] = [s for s in assessment.statements if s.kind == "issuer"]
    assert issuer.text == (
        "Says it was issued by “Example University”, but nothing confirms who issued it."
    )
    assert "confirmed:" not in issuer.text and "Authentic" not in assessment.verdict


def test_a_suspended_credential_says_so():
    credential = stored(
        "revoked", REGISTERED, {"name": "status", "status": "failed", "code": "suspended"}
    )
    assessment = assess(credential, is_recipient_confirmed=True)
    assert assessment.verdict == "Not valid for now: the issuer suspended it."


def test_an_issuer_that_publishes_no_status_is_not_a_warning():
    credential = stored(
        "verified",
        REGISTERED,
        RECIPIENT_OK,
        {"name": "status", "status": "not_checked", "code": "no_status"},
    )
    assessment = assess(credential, is_recipient_confirmed=True)
    current = assessment.statements[-1]
    assert current.tone == "good"
    assert "The issuer publishes no revocation list for it." in current.text
    assert assessment.verdict == "Authentic and current."


def test_a_check_that_could_not_run_says_so_without_its_cause():
    credential = stored(
        "unverifiable",
        REGISTERED,
        {
            "name": "status",
            "status": "not_checked",
            "code": "unreachable",
            "is_transient": True,
            "message": "The name status.example does not resolve.",
        },
    )
    assessment = assess(credential, is_recipient_confirmed=True)
    words = " ".join([assessment.verdict, *(s.text for s in assessment.statements)])
    assert "could not run" in assessment.verdict
    assert "resolve" not in words and "Valid now" not in words


def test_technical_causes_stay_in_the_check_table(employer, learner):
    credential = import_signed(learner, name="Robotics", trusted=False)
    page = page_of(employer, make_link(learner, [credential]))
    assert CHECKS_DISCLOSURE in page
    assert "issuer_self_asserted" in page  # the code, in the table
    for outside in before_the_checks(page):
        assert "eddsa" not in outside
        assert "issuer_self_asserted" not in outside


def test_issuer_markdown_is_rendered_and_never_raw(employer, learner):
    credential = typical_credential(learner, name="Welding basics")
    page = page_of(employer, make_link(learner, [credential]))
    assert "# Criteria" not in page and "**" not in page
    assert "<strong>Welding basics</strong>" in page
    assert "<li>completed every practical session</li>" in page
    assert 'rel="noreferrer nofollow"' in page


def test_when_it_was_checked_reads_relative_with_the_exact_time_on_hover(employer, learner):
    credential = import_signed(learner, name="Teamwork")
    three_hours_ago = timezone.now() - timedelta(hours=3, minutes=5)
    Credential.objects.filter(pk=credential.pk).update(verified_at=three_hours_ago)
    page = page_of(employer, make_link(learner, [credential])).replace("\xa0", " ")
    assert "Checked 3 hours ago" in page
    assert f'datetime="{three_hours_ago.isoformat()}"' in page
    assert 'UTC">Checked 3 hours ago</time>' in page


def test_the_json_download_carries_the_same_words_and_unchanged_codes(employer, learner):
    credentials = typical_seven(learner)
    document = employer.get(public_path(make_link(learner, credentials), ".json")).json()
    assert document["summary"].startswith("7 credentials: 4 from confirmed issuers")
    first = document["credentials"][0]
    assert first["verdictText"] == "Authentic and current."
    assert set(first["statements"]) == {"issuer", "recipient", "current"}
    assert first["issuerIdentity"]["level"] == "registered"
    assert {check["code"] for check in first["checks"]} >= {"issuer_registered"}


def test_the_page_speaks_the_readers_language(employer, learner):
    credential = import_signed(learner, name="Teamwork")
    with translation.override("fr-ca"):
        expected = translation.gettext("Authentic and current.")
    page = employer.get(
        public_path(make_link(learner, [credential])), HTTP_ACCEPT_LANGUAGE="fr-CA"
    ).content.decode()
    assert expected in page
