"""The transcript as a document an employer keeps: a summary first, credentials set
compactly, the live page's QR code on every page, dates in the link's language."""

import re
from datetime import datetime

import pytest
from django.utils import formats

from sharing.content import shared_content
from sharing.pdf import render_transcript_pdf
from tests.sharing.conftest import make_link
from tests.sharing.pdf_support import pdf_pages, pdf_text, qr_codes_per_page
from tests.sharing.typical import typical_many, typical_seven
from wallet.models import Wallet

pytestmark = pytest.mark.django_db


def render(link) -> bytes:
    return render_transcript_pdf(shared_content(link), share_url=link.public_url())


@pytest.fixture
def seven(learner):
    Wallet.objects.filter(user=learner).update(display_name="Ada Lovelace")
    return typical_seven(learner)


def test_seven_typical_credentials_fit_on_four_pages_with_a_qr_code_on_each(learner, seven):
    link = make_link(learner, seven, title="Acme Corp", message="Thank you for your time.")
    data = render(link)
    pages = qr_codes_per_page(data)
    assert len(pages) <= 4
    assert all(codes == [link.public_url()] for codes in pages)


def test_twenty_five_typical_credentials_fit_on_ten_pages(learner):
    link = make_link(learner, typical_many(learner, 25))
    assert len(pdf_pages(render(link))) <= 10


def test_the_first_page_has_the_learner_the_link_and_the_summary(learner, seven):
    link = make_link(learner, seven, title="Acme Corp", message="Thank you for your time.")
    first = pdf_pages(render(link))[0].extract_text().replace("\n", " ")
    assert "Ada Lovelace" in first
    assert "Acme Corp" in first
    assert "Thank you for your time." in first
    assert (
        "7 credentials: 4 from confirmed issuers, 2 whose issuer could not be confirmed, "
        "1 expired." in first
    )


def test_each_credential_carries_its_statements_and_its_criteria_as_text(learner, seven):
    text = pdf_text(render(make_link(learner, seven)))
    assert "IssuedbyExampleUniversity,confirmed" in text
    assert "Saysitwasissuedby“NorthwindMakersGuild”,butnothingconfirmswhoissuedit." in text
    assert "Issuedtothislearner" in text
    expired_on = formats.date_format(datetime(2024, 1, 1), "DATE_FORMAT").replace(" ", "")
    assert f"Expiredon{expired_on}." in text
    # Markdown is rendered, not shown as source.
    assert "completedeverypracticalsession" in text
    assert "#Criteria" not in text and "**" not in text
    assert re.search(r"Checkedon.+?UTC\.", text)


def test_confirmed_credentials_come_first(learner, seven):
    text = pdf_text(render(make_link(learner, seven)))
    confirmed = text.index("Weldingbasics")
    unconfirmed = text.index("Robotics club".replace(" ", ""))
    expired = text.rindex("Firstaid")
    assert confirmed < unconfirmed < expired


def test_dates_and_words_follow_the_links_language(learner, seven):
    text = pdf_text(render(make_link(learner, seven, language="fr-ca")))
    assert "1janvier2024" in text or "1erjanvier2024" in text
    assert "UTC" in text
