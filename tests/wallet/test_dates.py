"""Dates on a learner's pages read as people write them: "1er janvier 2027" in French,
"Jan. 1, 2027" in English; and a self-reported entry says so once, not four times."""

import re
from datetime import date

import pytest

from credentials.services.self_reported import create_self_reported
from tests.wallet.support import client_for

pytestmark = pytest.mark.django_db

SAID_SELF_REPORTED = re.compile(r"self-reported|recorded by you|entered by (you|the learner)", re.I)


def main_text(response) -> str:
    page = response.content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def entry_page(learner, achieved_on: date, language: str) -> str:
    entry = create_self_reported(learner=learner, title="Bookbinding", achieved_on=achieved_on)
    response = client_for(learner).get(entry.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language)
    return main_text(response)


def test_the_first_of_a_month_reads_1er_in_french(learner):
    assert "Obtenu le 1er janvier 2027" in entry_page(learner, date(2027, 1, 1), "fr-CA")


def test_any_other_day_reads_as_a_plain_number_in_french(learner):
    text = entry_page(learner, date(2027, 1, 2), "fr-CA")
    assert "Obtenu le 2 janvier 2027" in text
    assert "er janvier" not in text


def test_the_first_of_a_month_is_unchanged_in_english(learner):
    text = entry_page(learner, date(2027, 1, 1), "en")
    assert "Achieved Jan. 1, 2027" in text
    assert "1er" not in text


def test_a_self_reported_entry_says_so_once_on_its_page(learner):
    text = entry_page(learner, date(2026, 3, 14), "en")
    assert len(SAID_SELF_REPORTED.findall(text)) == 1, text
    assert "Self-reported" in text
