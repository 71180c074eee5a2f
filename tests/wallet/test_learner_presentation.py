"""What a learner reads after an import and on a credential's own pages: a banner that
matches the verdict, the checks right under the verdict, each skill once, a CLR's courses
with their grades, credits and dates, and a data view that folds instead of scrolling."""

import base64
import json
import re
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.urls import reverse

from credentials.models import CredentialSource, TrustedIssuer
from tests.browser.support import email_identifier
from tests.credentials.support import fixtures
from tests.credentials.support.issuer import did_key_issuer
from tests.wallet.support import alignment, client_for, imported
from wallet.import_messages import report_imported
from wallet.imports import import_credentials_for
from wallet.readable import MAX_DEPTH, readable_html

pytestmark = pytest.mark.django_db

VECTORS = Path("/work/shared/vectors/1edtech/validator")
# A real CLR 2.0 from 1EdTech's validator: six courses and a licence, one graded "A".
CLR_COMPLEX = VECTORS / "inspector-clr/src/test/resources/clr20/complex.json"
# A real OB 3.0 credential using every subject field: results, credits, term, dates.
OB3_COMPLETE = VECTORS / "inspector-vc/src/test/resources/ob30/complete.json"


def paste(client, document) -> object:
    """Import pasted JSON through the import page, following the redirect."""
    text = document if isinstance(document, str) else json.dumps(document)
    return client.post(
        reverse("wallet:credential_import"),
        {"source": "paste", "paste-text": text},
        follow=True,
    )


def banners(response) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


def section(page: str, title_id: str) -> str:
    """The HTML of the `<section>` labelled by `title_id`."""
    start = page.index(f'aria-labelledby="{title_id}"')
    return page[start : page.index("</section>", start)]


# The import banner


def test_a_verified_import_gets_a_green_banner(learner):
    issuer = did_key_issuer()
    TrustedIssuer.objects.create(name="Example University", identifiers=[issuer.id])
    document = issuer.signed(subject_id=None, identifier=email_identifier(learner.email))
    response = paste(client_for(learner), document)
    assert banners(response) == [("success", "The credential was imported and verified.")]


def test_an_import_verified_with_warnings_gets_a_warning_banner(learner):
    issuer = did_key_issuer()
    document = issuer.signed(subject_id=None, identifier=email_identifier(learner.email))
    response = paste(client_for(learner), document)
    assert 'class="verdict verdict-verified_with_warnings"' in response.content.decode()
    [(level, text)] = banners(response)
    assert level == "warning"
    assert text.startswith("The credential was imported and verified, with warnings")


def test_a_tampered_import_gets_a_red_banner_never_a_green_one(learner):
    issuer = did_key_issuer()
    document = issuer.signed(subject_id=None, identifier=email_identifier(learner.email))
    document["credentialSubject"]["achievement"]["name"] = "Brain surgery"
    response = paste(client_for(learner), document)
    page = response.content.decode()
    assert 'class="verdict verdict-failed"' in page
    [(level, text)] = banners(response)
    assert level == "error"
    assert "failed verification" in text
    assert "message-success" not in page
    assert "message-error" in page


def test_an_expired_import_says_so_and_its_date_reads_expired_on(learner):
    issuer = did_key_issuer()
    document = issuer.signed(
        subject_id=None,
        identifier=email_identifier(learner.email),
        valid_from="2019-01-01T00:00:00Z",
        valid_until="2020-01-01T00:00:00Z",
    )
    response = paste(client_for(learner), document)
    page = response.content.decode()
    assert banners(response) == [("error", "The credential was imported, but it has expired.")]
    assert "<dt>Expired on</dt>" in page
    assert "<dt>Expires</dt>" not in page


def test_a_batch_banner_counts_each_verdict_at_the_worst_ones_level(learner, rf):
    issuer = did_key_issuer()
    good = imported(learner, name="Welding")
    document = issuer.signed(subject_id=None, identifier=email_identifier(learner.email))
    document["name"] = "Tampered"
    bad = imported(learner, data=json.dumps(document))
    request = rf.get("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    report_imported(request, [good, bad])
    [message] = list(request._messages)
    assert message.level_tag == "error"
    assert str(message) == (
        "2 credentials were imported: 1 failed verification, 1 verified with warnings."
    )


# The credential page


def test_the_checks_come_right_after_the_verdict_before_sharing_and_notes(learner):
    credential = imported(learner)
    page = client_for(learner).get(credential.get_absolute_url()).content.decode()
    order = [
        page.index('class="verdict verdict-'),
        page.index('id="checks-title"'),
        page.index('id="about-title"'),
        page.index('for="id_note"'),
        page.index('id="original-title"'),
    ]
    assert order == sorted(order)
    if 'id="share-title"' in page:
        assert order[1] < page.index('id="share-title"') < order[3]


def test_a_credential_without_an_image_shows_the_dashboards_placeholder(learner):
    credential = imported(learner, name="Welding")
    assert not credential.image
    page = client_for(learner).get(credential.get_absolute_url()).content.decode()
    assert re.search(r'<span class="card-image placeholder[^"]*" aria-hidden="true">W</span>', page)


def test_alignments_and_skills_are_listed_once(learner):
    credential = imported(
        learner,
        alignments=[
            alignment("Collaboration", framework="Example Skills", code="C1"),
            alignment("Welding"),
        ],
    )
    about = section(
        client_for(learner).get(credential.get_absolute_url()).content.decode(), "about-title"
    )
    assert "Alignments" not in about
    assert about.count("<h3>Skills</h3>") == 1
    for name in ("Collaboration", "Welding"):
        assert len(re.findall(rf'class="tag"[^>]*>{name}</a>', about)) == 1, about
    assert "Example Skills" in about and "C1" in about


def test_the_description_and_criteria_read_as_markdown_not_raw_text(learner):
    issuer = did_key_issuer()
    document = issuer.credential(subject_id=None, identifier=email_identifier(learner.email))
    achievement = document["credentialSubject"]["achievement"]
    achievement["description"] = "Works **well** with others."
    achievement["criteria"] = {"narrative": "# Criteria\n\n* Led a team\n* <script>x</script>"}
    credential = imported(learner, data=json.dumps(issuer.sign(document)))
    about = section(
        client_for(learner).get(credential.get_absolute_url()).content.decode(), "about-title"
    )
    assert "<strong>well</strong>" in about
    assert "<li>Led a team</li>" in about
    assert "# Criteria" not in about
    assert "<script>" not in about


def test_a_clr_shows_each_course_with_its_grade(learner):
    clr = import_credentials_for(
        learner=learner, data=CLR_COMPLEX.read_bytes(), source=CredentialSource.UPLOAD
    ).created[0]
    record = section(
        client_for(learner).get(clr.get_absolute_url()).content.decode(), "children-title"
    )
    assert record.count('class="record-member"') == 6
    course = record[record.index(">Health Careers 1</a>") :]
    course = course[: course.index("</li>")]
    assert re.search(r"<dt>Grade</dt>\s*<dd><strong>A</strong>", course), course


def test_a_clr_member_shows_its_results_credits_term_and_dates(learner):
    member = json.loads(OB3_COMPLETE.read_text())
    clr = fixtures.clr_credential(member["issuer"]["id"], [member])
    stored = import_credentials_for(
        learner=learner, data=json.dumps(clr).encode(), source=CredentialSource.UPLOAD
    ).created[0]
    record = section(
        client_for(learner).get(stored.get_absolute_url()).content.decode(), "children-title"
    )
    text = re.sub(r"<[^>]+>", " ", record)
    text = re.sub(r"\s+", " ", text)
    assert "Final Project Grade A" in text
    assert "Mastery" in text
    assert "completed" in text
    assert "(required: C)" in text
    assert "Credits 42" in text
    assert "Term Fall" in text
    assert "Dates of the activity Jan. 1, 2010 to Jan. 2, 2010" in text


# The readable data view


def test_the_data_view_elides_an_embedded_image_and_folds_nested_objects(learner):
    issuer = did_key_issuer()
    document = issuer.credential(subject_id=None, identifier=email_identifier(learner.email))
    picture = base64.b64encode(bytes(4915)).decode()
    document["credentialSubject"]["achievement"]["image"] = {
        "id": f"data:image/png;base64,{picture}",
        "type": "Image",
    }
    credential = imported(learner, data=json.dumps(issuer.sign(document)))
    client = client_for(learner)
    url = reverse("wallet:credential_json", args=[credential.uuid])
    page = client.get(url).content.decode()
    assert "[image, 4.8\xa0KB]" in page
    assert picture[:200] not in page
    assert '<details class="data-fold"><summary>' in page
    download = client.get(url, {"download": ""})
    assert download["Content-Disposition"].startswith("attachment")
    assert picture in download.content.decode()
    assert json.loads(download.content)["credentialSubject"]["achievement"]["name"] == "Teamwork"


def test_the_data_view_caps_depth_and_size():
    deep: dict = {}
    node = deep
    for _ in range(MAX_DEPTH + 20):
        node["next"] = {}
        node = node["next"]
    node["end"] = "bottom"
    html = readable_html(deep)
    assert "nested too deep" in html
    assert "bottom" not in html
    wide = readable_html({"items": list(range(100_000)), "text": "x" * 50_000})
    assert "download the data to read all of it" in wide
    assert len(wide) < 200_000


def test_the_data_view_escapes_what_the_issuer_wrote():
    html = readable_html({"<b>key</b>": "<script>alert(1)</script>"})
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html
