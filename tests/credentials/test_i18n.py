"""Messages kept with their source, shown again in the reader's language."""

from datetime import UTC, datetime

from django.utils import translation

from credentials.i18n import check_message, gettext, render, source_of
from credentials.verification.checks import check_dates

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def test_a_formatted_message_is_shown_again_in_another_language():
    with translation.override("en"):
        message = gettext("The signature is valid (%(suites)s).") % {
            "suites": gettext("embedded proof")
        }
    assert message == "The signature is valid (embedded proof)."
    source = source_of(message)
    with translation.override("fr-ca"):
        assert render(source).startswith("La signature est valide (")
        assert "embedded proof" not in render(source)
    with translation.override("en"):
        assert render(source) == "The signature is valid (embedded proof)."


def test_imported_text_in_parameters_stays_text():
    with translation.override("en"):
        message = gettext("The key could not be fetched: %(reason)s") % {"reason": "<b>%(x)s</b>"}
    with translation.override("fr-ca"):
        assert "<b>%(x)s</b>" in render(source_of(message))


def test_dates_read_as_dates_in_the_readers_language():
    with translation.override("en"):
        expired = check_dates([], [("validUntil", "2025-10-24T16:58:58Z")], NOW).as_dict()
        not_yet = check_dates([("validFrom", "2027-01-05T00:00:00Z")], [], NOW).as_dict()
    assert expired["message"] == "Expired on Oct. 24, 2025."
    assert not_yet["message"] == "Not valid until Jan. 5, 2027."
    with translation.override("fr-ca"):
        assert check_message(expired) == "Expiré le 24 octobre 2025."
        assert check_message(not_yet) == "Non valide avant le 5 janvier 2027."
    with translation.override("en"):
        assert check_message(expired) == "Expired on Oct. 24, 2025."


def test_a_passed_date_check_reads_in_french_too():
    with translation.override("en"):
        check = check_dates([], [], NOW).as_dict()
    with translation.override("fr-ca"):
        assert check_message(check) == "Valide actuellement, sans date d’expiration."


def test_unusable_sources_fall_back_to_the_stored_text():
    stored = {"message": "As stored."}
    assert check_message(stored) == "As stored."
    for source in [
        None,
        "text",
        {"msgid": 3},
        {"msgid": "Needs %(a)s", "params": {}},
        {"msgid": "Needs %(a)s", "params": {"a": {"message": {"msgid": 5}}}},
        {"msgid": "%s %s", "params": ["one"]},
        {"msgid": "Expired on %(date)s.", "params": {"date": {"date": "last week"}}},
    ]:
        assert check_message({**stored, "message_source": source}) == "As stored."
    assert check_message({"message": 42}) == ""
    assert source_of("plain text") is None


def test_a_message_whose_wording_changed_since_shows_as_it_was_stored():
    stored = {
        "message": "Délivré à une adresse courriel vérifiée dans ce compte.",
        "message_source": {"msgid": "Issued to an email address verified on this account."},
    }
    with translation.override("fr-ca"):
        assert check_message(stored) == "Délivré à une adresse courriel vérifiée dans ce compte."
    with translation.override("en"):
        assert check_message(stored) == "Issued to an email address verified on this account."
