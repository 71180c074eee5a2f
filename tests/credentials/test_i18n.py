"""Messages kept with their source, shown again in the reader's language."""

from django.utils import translation

from credentials.i18n import check_message, gettext, render, source_of


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
    ]:
        assert check_message({**stored, "message_source": source}) == "As stored."
    assert check_message({"message": 42}) == ""
    assert source_of("plain text") is None
