"""The PDF transcript: requested, rendered by the task, stored, served, re-rendered."""

import io
import re
from datetime import timedelta

import pytest
from django.core.files.storage import FileSystemStorage, default_storage
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from credentials.jobs import requeue_stale_jobs
from credentials.models import Credential, JobStatus
from credentials.services import reverify_credential
from sharing import services
from sharing.content import shared_content
from sharing.models import ShareLink, Transcript
from sharing.pdf import RefusedResource, TranscriptFetcher
from sharing.services.transcripts import MAX_ATTEMPTS, RENDER_TIME_LIMIT
from sharing.views.learner import transcript_filename
from tests.sharing.conftest import PASSCODE, make_link, public_path
from tests.sharing.pdf_support import (
    pdf_attachments,
    pdf_pages,
    pdf_text,
    qr_codes_per_page,
)
from wallet.models import Curation, Skill, Wallet

pytestmark = pytest.mark.django_db


@pytest.fixture
def rendered(learner, three_credentials, django_capture_on_commit_callbacks):
    """A link whose transcript was requested and rendered (tasks run in-process)."""
    Wallet.objects.filter(user=learner).update(display_name="Ada Lovelace")
    skill = Skill.objects.create(owner=learner, key="c1", name="Collaboration", source="learner")
    skill.credentials.add(three_credentials[0])
    # Their originals name the learner's address: attached only when the learner says so.
    link = make_link(learner, three_credentials, include_originals_with_email=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_transcript(link=link)
    transcript = Transcript.objects.get(link=link)
    with transcript.file.open("rb") as handle:
        data = handle.read()
    return link, transcript, data


def test_the_transcript_holds_the_learner_credentials_and_the_share_url(rendered):
    link, transcript, data = rendered
    assert transcript.status == JobStatus.READY
    text = pdf_text(data)
    assert "AdaLovelace" in text
    for name in ["Teamwork", "Robotics", "Welding"]:
        assert name in text
    assert "IssuedbyExampleUniversity" in text
    assert "Authenticandcurrent." in text and "Collaboration" in text
    assert link.public_url() in text
    assert "Page1of" in text


def test_every_page_carries_a_qr_code_that_decodes_to_the_live_page(rendered):
    link, _transcript, data = rendered
    pages = qr_codes_per_page(data)
    assert pages
    for codes in pages:
        assert codes == [link.public_url()]


def test_the_originals_are_attached_byte_for_byte(rendered, three_credentials):
    _link, _transcript, data = rendered
    attachments = pdf_attachments(data)
    assert len(attachments) == 3
    originals = set()
    for credential in three_credentials:
        with credential.original.open("rb") as handle:
            originals.add(handle.read())
    assert set(attachments.values()) == originals
    assert "attachedinsidethisPDF,byteforbyte" in pdf_text(data)
    # Named after their credentials, in the transcript's order.
    stems = sorted(re.sub(r"^\d\d-|\.json$", "", name) for name in attachments)
    assert stems == ["robotics", "teamwork", "welding"]
    assert all(re.fullmatch(r"0[1-3]-[a-z]+\.json", name) for name in attachments)


def test_the_transcript_states_each_credentials_criteria(rendered):
    _link, _transcript, data = rendered
    assert "CriteriaNominatedbypeers." in pdf_text(data)


def test_the_pdf_is_letter_size_tagged_and_in_the_links_language(
    learner, credential, django_capture_on_commit_callbacks
):
    link = make_link(learner, [credential], language="fr-ca")
    with django_capture_on_commit_callbacks(execute=True):
        services.request_transcript(link=link)
    with Transcript.objects.get(link=link).file.open("rb") as handle:
        data = handle.read()
    reader = PdfReader(io.BytesIO(data))
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "fr-ca"


def test_the_learner_asks_for_the_transcript_and_follows_its_progress(
    learner_client, learner, credential, django_capture_on_commit_callbacks
):
    link = make_link(learner, [credential])
    url = reverse("sharing:link_transcript", kwargs={"link_uuid": link.uuid})
    assert "Make the transcript" in learner_client.get(url).text
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        learner_client.post(url)
    page = learner_client.get(url).text
    assert "Waiting for its turn" in page and "data-poll-seconds" in page
    for callback in callbacks:
        callback()
    page = learner_client.get(url).text
    assert "Download the PDF" in page
    pdf = learner_client.get(
        reverse("sharing:link_transcript_pdf", kwargs={"link_uuid": link.uuid})
    )
    assert pdf["Content-Type"] == "application/pdf"
    assert 'filename="a-skills-wallet-learner-transcript.pdf"' in pdf["Content-Disposition"]
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_an_employer_downloads_the_transcript_when_the_link_allows(
    employer, learner, credential, django_capture_on_commit_callbacks
):
    link = make_link(learner, [credential], passcode=PASSCODE)
    employer.post(public_path(link), {"passcode": PASSCODE})
    with django_capture_on_commit_callbacks(execute=True):
        first = employer.get(public_path(link, "/transcript.pdf"))
    assert first.status_code == 202
    response = employer.get(public_path(link, "/transcript.pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Referrer-Policy"] == "same-origin"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_an_employer_waits_politely_while_the_transcript_is_made(
    employer, learner, credential, django_capture_on_commit_callbacks
):
    link = make_link(learner, [credential])
    with django_capture_on_commit_callbacks(execute=False):
        response = employer.get(public_path(link, "/transcript.pdf"))
    assert response.status_code == 202
    assert "being prepared" in response.text


def test_a_change_to_the_link_re_renders_and_removes_the_old_file(
    rendered, learner, three_credentials, django_capture_on_commit_callbacks
):
    link, transcript, _data = rendered
    old_name = transcript.file.name
    Curation.objects.create(credential=three_credentials[1], is_hidden=True)
    assert services.current_transcript(link=link) is None
    with django_capture_on_commit_callbacks(execute=True):
        services.request_transcript(link=link)
    transcript.refresh_from_db()
    assert transcript.status == JobStatus.READY
    assert transcript.file.name != old_name
    assert not default_storage.exists(old_name)
    with transcript.file.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "Robotics" not in text and "Teamwork" in text


def test_a_re_verified_credential_makes_the_transcript_out_of_date(rendered, three_credentials):
    link, _transcript, _data = rendered
    assert services.current_transcript(link=link) is not None
    reverify_credential(credential=three_credentials[0])
    assert services.current_transcript(link=link) is None


def test_a_retry_overwrites_the_same_file(rendered):
    _link, transcript, _data = rendered
    name = transcript.file.name
    Transcript.objects.filter(pk=transcript.pk).update(status=JobStatus.RUNNING, rendered_digest="")
    services.render_transcript(transcript_id=transcript.pk)
    transcript.refresh_from_db()
    assert transcript.file.name == name
    assert transcript.status == JobStatus.READY
    folder = name.rsplit("/", 1)[0]
    assert default_storage.listdir(folder)[1] == [name.rsplit("/", 1)[1]]


def test_a_render_whose_worker_died_is_rendered_again(
    learner, credential, django_capture_on_commit_callbacks
):
    link = make_link(learner, [credential])
    with django_capture_on_commit_callbacks(execute=False):
        transcript = services.request_transcript(link=link)
    long_ago = timezone.now() - timedelta(seconds=RENDER_TIME_LIMIT + 60)
    Transcript.objects.filter(pk=transcript.pk).update(
        status=JobStatus.RUNNING, started_at=long_ago, attempts=1
    )
    assert requeue_stale_jobs() == 1
    transcript.refresh_from_db()
    assert transcript.status == JobStatus.READY
    assert transcript.file


def test_a_render_that_keeps_dying_is_marked_failed_and_can_be_retried(
    learner, credential, django_capture_on_commit_callbacks
):
    link = make_link(learner, [credential])
    with django_capture_on_commit_callbacks(execute=False):
        transcript = services.request_transcript(link=link)
    long_ago = timezone.now() - timedelta(seconds=RENDER_TIME_LIMIT + 60)
    Transcript.objects.filter(pk=transcript.pk).update(
        status=JobStatus.RUNNING, started_at=long_ago, attempts=MAX_ATTEMPTS
    )
    # Given up on, not queued again.
    assert requeue_stale_jobs() == 0
    transcript.refresh_from_db()
    assert transcript.status == JobStatus.FAILED
    assert "stopped before it finished" in transcript.error
    with django_capture_on_commit_callbacks(execute=True):
        services.request_transcript(link=link)
    transcript.refresh_from_db()
    assert transcript.status == JobStatus.READY


def test_a_request_that_never_reached_a_worker_is_queued_again(
    learner, credential, django_capture_on_commit_callbacks
):
    link = make_link(learner, [credential])
    with django_capture_on_commit_callbacks(execute=False):
        transcript = services.request_transcript(link=link)
    Transcript.objects.filter(pk=transcript.pk).update(
        updated_at=timezone.now() - timedelta(hours=1)
    )
    assert requeue_stale_jobs() == 1
    transcript.refresh_from_db()
    assert transcript.status == JobStatus.READY


def test_a_transient_storage_error_leaves_the_row_pending_for_the_retry(
    learner, credential, monkeypatch, django_capture_on_commit_callbacks
):
    link = make_link(learner, [credential])
    with django_capture_on_commit_callbacks(execute=False):
        transcript = services.request_transcript(link=link)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(FileSystemStorage, "save", broken)
    with pytest.raises(OSError):
        services.render_transcript(transcript_id=transcript.pk)
    transcript.refresh_from_db()
    assert transcript.status == JobStatus.PENDING


def test_a_render_bug_marks_the_row_failed_with_the_error(
    learner, credential, monkeypatch, django_capture_on_commit_callbacks
):
    link = make_link(learner, [credential])
    with django_capture_on_commit_callbacks(execute=False):
        transcript = services.request_transcript(link=link)
    monkeypatch.setattr("sharing.pdf.render_transcript_pdf", lambda *a, **k: 1 / 0)
    services.render_transcript(transcript_id=transcript.pk)
    transcript.refresh_from_db()
    assert transcript.status == JobStatus.FAILED
    assert "could not be made" in transcript.error


def test_revoking_removes_the_transcript_file(
    rendered, learner, django_capture_on_commit_callbacks
):
    link, transcript, _data = rendered
    name = transcript.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke_share_link(link=link, actor=learner)
    assert not default_storage.exists(name)


def test_the_renderer_fetches_only_static_files_and_what_it_is_given(settings):
    fetcher = TranscriptFetcher({"wallet-resource:qr.png": (b"png", "image/png")})
    assert fetcher("wallet-resource:qr.png").read() == b"png"
    favicon = fetcher(f"{settings.SITE_URL}/static/img/favicon.svg")
    assert favicon.read().lstrip().startswith(b"<")
    for url in [
        "file:///etc/passwd",
        "https://example.org/tracker.png",
        f"{settings.SITE_URL}/static/../../config/settings.py",
        f"{settings.SITE_URL}/admin/",
        "wallet-resource:other.png",
    ]:
        with pytest.raises(RefusedResource):
            fetcher(url)


def test_the_pdf_template_cannot_reach_the_network_through_imported_data(
    learner, credential, monkeypatch
):
    Credential.objects.filter(pk=credential.pk).update(
        description='<img src="https://tracker.example/p.png">'
    )
    link = make_link(learner, [credential])
    requested = []
    original = TranscriptFetcher.fetch

    def spy(self, url, headers=None):
        requested.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(TranscriptFetcher, "fetch", spy)
    from sharing.pdf import render_transcript_pdf

    data = render_transcript_pdf(shared_content(link), share_url=link.public_url())
    assert all(url.startswith("wallet-resource:") for url in requested)
    assert "tracker.example" in pdf_text(data)  # shown as text, never fetched
    assert len(pdf_pages(data)) >= 1


def test_a_render_that_finishes_after_the_link_was_revoked_keeps_no_file(
    learner, credential, monkeypatch, django_capture_on_commit_callbacks
):
    link = make_link(learner, [credential])
    with django_capture_on_commit_callbacks(execute=False):
        transcript = services.request_transcript(link=link)
    from sharing import pdf

    real_render = pdf.render_transcript_pdf

    def render_then_revoke(content, *, share_url):
        data = real_render(content, share_url=share_url)
        services.revoke_share_link(link=link, actor=learner)
        return data

    monkeypatch.setattr(pdf, "render_transcript_pdf", render_then_revoke)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.render_transcript(transcript_id=transcript.pk) is None
    assert not Transcript.objects.filter(link=link).exists()
    assert default_storage.listdir(f"transcripts/{learner.uuid}/{link.uuid}")[1] == []


def test_every_badge_image_in_the_pdf_has_its_alternative_text(learner, credential, caplog):
    from django.core.files.base import ContentFile

    from sharing.pdf import render_transcript_pdf
    from tests.credentials.support.fixtures import png

    credential.image.save("badge.png", ContentFile(png(width=4, height=4)))
    link = make_link(learner, [credential])
    with caplog.at_level("ERROR", logger="weasyprint"):
        data = render_transcript_pdf(shared_content(link), share_url=link.public_url())
    assert not [r for r in caplog.records if "alt description" in r.getMessage()]
    reader = PdfReader(io.BytesIO(data))
    alternatives = []

    def walk(node):
        # The structure tree only: parents and page objects point back up.
        node = node.get_object()
        if isinstance(node, dict):
            if node.get("/S") == "/Figure" and "/Alt" in node:
                alternatives.append(str(node["/Alt"]))
            walk(node.get("/K", []))
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    assert f"Badge of “{credential.name}”" in alternatives


def test_the_downloaded_file_is_named_for_the_learner_in_the_links_language(learner, credential):
    Wallet.objects.filter(user=learner).update(display_name="Ada Lovelace")
    english = ShareLink.objects.get(pk=make_link(learner, [credential]).pk)
    french = ShareLink.objects.get(pk=make_link(learner, [credential], language="fr-ca").pk)
    assert transcript_filename(english) == "ada-lovelace-transcript.pdf"
    assert transcript_filename(french) == "releve-de-ada-lovelace.pdf"


def test_the_transcript_states_who_vouches_for_each_issuer(rendered):
    _link, _transcript, data = rendered
    text = pdf_text(data)
    assert "IssuedbyExampleUniversity,confirmed:itisonthissite’slistoftrustedissuers." in text
    assert "Issueridentifier:did:key:" in text
