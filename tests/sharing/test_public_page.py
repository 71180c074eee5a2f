"""The employer's page: what it shows under each option, its headers and its refusals."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from credentials.models import Credential
from credentials.services import delete_credential
from credentials.verification.verdict import Verdict
from sharing import services
from sharing.models import ShareLink, ShareLinkDay
from tests.credentials.support.fixtures import png
from tests.sharing.conftest import import_signed, make_link, public_path
from wallet.models import Collection, CollectionItem, Curation, Skill, Wallet

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script>'


def test_an_employer_sees_the_learner_and_each_credential_verified(
    employer, learner, three_credentials
):
    Wallet.objects.filter(user=learner).update(display_name="Ada Lovelace", headline="Engineer")
    link = make_link(learner, three_credentials, message="Thanks for reading")
    response = employer.get(public_path(link))
    assert response.status_code == 200
    page = response.text
    assert "Ada Lovelace" in page and "Engineer" in page
    assert "For: Acme Corp" in page
    assert "Thanks for reading" in page
    for credential in three_credentials:
        assert f">{credential.name}</h3>" in page
    assert page.count('data-verdict="verified"') == 3
    assert page.count("Issued by Example University") == 3
    assert "Nominated by peers." in page  # the criteria
    for check in ["Proof", "Issuer", "Recipient", "Dates", "Status"]:
        assert f">{check}</th>" in page
    assert "verified on" in page
    assert "Recipient not confirmed" not in page


def test_share_pages_send_the_privacy_headers(employer, learner, credential):
    link = make_link(learner, [credential])
    for suffix in ["/", ".json", "/qr.svg", "/qr.png"]:
        response = employer.get(public_path(link, suffix))
        assert response.status_code == 200, suffix
        assert response["Referrer-Policy"] == "same-origin"
        assert "noindex" in response["X-Robots-Tag"]
    page = employer.get(public_path(link))
    assert "script-src 'self'" in page["Content-Security-Policy"]
    assert "unsafe-inline" not in page["Content-Security-Policy"]
    assert "no-store" in page["Cache-Control"]


@pytest.mark.parametrize("state", ["revoked", "expired"])
def test_a_revoked_or_expired_link_answers_410_with_a_neutral_message(
    employer, learner, credential, state
):
    link = make_link(learner, [credential])
    if state == "revoked":
        services.revoke_share_link(link=link, actor=learner)
    else:
        ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    for suffix in ["/", ".json", "/qr.svg", "/transcript.pdf"]:
        response = employer.get(public_path(link, suffix))
        assert response.status_code == 410, suffix
        assert response["X-Robots-Tag"].startswith("noindex")
    page = employer.get(public_path(link)).text
    assert "no longer available" in page
    assert credential.name not in page


@pytest.mark.parametrize(
    "path",
    [
        "/s/short/",
        "/s/" + "A" * 43 + "/",
        "/s/" + "A" * 200 + "/",
        "/s/%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00/",
        "/s/'%20OR%201=1--aaaaaaaaaaaaaaaa/",
        "/s/../../etc/passwd/",
        "/s/" + "A" * 43 + ".json",
        "/s/" + "A" * 43 + "/qr.png",
        "/s/" + "A" * 43 + "/transcript.pdf",
        "/s/" + "A" * 43 + "/images/not-a-uuid.png",
        "/s/" + "é" * 30 + "/",
    ],
)
def test_a_malformed_or_unknown_token_is_a_404_never_a_500(employer, path):
    assert employer.get(path).status_code == 404
    assert employer.post(path, {"passcode": "x"}).status_code in {403, 404, 405}


def test_outbound_links_carry_noreferrer_and_imported_text_is_escaped(employer, learner):
    credential = import_signed(learner, name=XSS)
    Curation.objects.create(credential=credential, public_description=XSS)
    credential.normalized["criteria"] = {"narrative": XSS, "url": "https://issuer.example/c"}
    credential.normalized["evidence"] = [{"name": XSS, "url": "https://issuer.example/e"}]
    credential.save()
    link = make_link(learner, [credential], message=XSS)
    page = employer.get(public_path(link)).text
    assert XSS not in page
    assert "&lt;script&gt;" in page
    assert 'href="https://issuer.example/c" rel="noreferrer nofollow"' in page
    assert 'href="https://issuer.example/e" rel="noreferrer nofollow"' in page


def test_the_page_makes_no_third_party_requests(employer, learner, credential):
    link = make_link(learner, [credential])
    page = employer.get(public_path(link)).text
    for attribute in ['src="http', "src='http", 'href="//', '<link rel="stylesheet" href="http']:
        assert attribute not in page
    assert "style=" not in page
    assert "<script>" not in page


def test_public_descriptions_and_evidence_follow_the_links_options(employer, learner):
    credential = import_signed(learner)
    Curation.objects.create(
        credential=credential, public_description="I led the team", note="PRIVATE NOTE"
    )
    credential.normalized["evidence"] = [{"name": "Portfolio", "url": "https://ev.example/p"}]
    credential.save()
    shown = make_link(learner, [credential])
    held_back = make_link(
        learner, [credential], show_public_descriptions=False, show_evidence=False
    )
    page = employer.get(public_path(shown)).text
    assert "I led the team" in page and "https://ev.example/p" in page
    assert "PRIVATE NOTE" not in page
    page = employer.get(public_path(held_back)).text
    assert "I led the team" not in page and "https://ev.example/p" not in page
    assert "PRIVATE NOTE" not in page


def test_the_learners_email_shows_only_when_chosen(employer, learner, credential):
    hidden = make_link(learner, [credential])
    shown = make_link(learner, [credential], show_email=True)
    assert learner.email not in employer.get(public_path(hidden)).text
    assert "email" not in employer.get(public_path(hidden, ".json")).json()
    assert learner.email in employer.get(public_path(shown)).text
    assert employer.get(public_path(shown, ".json")).json()["email"] == learner.email


def test_the_transcript_and_download_are_offered_only_when_chosen(employer, learner, credential):
    link = make_link(learner, [credential], allow_transcript=False, allow_download=False)
    page = employer.get(public_path(link)).text
    assert "transcript.pdf" not in page and ".json" not in page
    assert employer.get(public_path(link, ".json")).status_code == 404
    assert employer.get(public_path(link, "/transcript.pdf")).status_code == 404


def test_an_employer_sees_revoked_and_expired_credentials_labelled_not_hidden(employer, learner):
    revoked = import_signed(learner, name="Revoked one")
    expired = import_signed(learner, name="Old one", valid_until="2024-06-01T00:00:00Z")
    Credential.objects.filter(pk=revoked.pk).update(verdict=Verdict.REVOKED)
    link = make_link(learner, [revoked, expired])
    page = employer.get(public_path(link)).text
    assert "Revoked one" in page and "Old one" in page
    assert 'data-verdict="revoked"' in page and 'data-verdict="expired"' in page
    assert "No longer valid: the issuer revoked it." in page
    assert "No longer valid: it has expired." in page


def test_recipient_not_confirmed_stands_next_to_the_verdict(employer, learner):
    credential = import_signed(learner, identifier=None)
    assert any(
        check["name"] == "recipient" and check["status"] != "passed" for check in credential.checks
    )
    link = make_link(learner, [credential])
    page = employer.get(public_path(link)).text
    assert "Authentic and current, but not confirmed as this learner’s." in page
    assert "It does not say who it was issued to." in page


def test_hidden_or_deleted_credentials_drop_out_of_every_link(employer, learner):
    kept, hidden, deleted = (import_signed(learner, name=n) for n in ("Kept", "Hidden", "Gone"))
    collection = Collection.objects.create(owner=learner, name="All")
    for position, credential in enumerate([kept, hidden, deleted]):
        CollectionItem.objects.create(
            collection=collection, credential=credential, position=position
        )
    direct = make_link(learner, [kept, hidden, deleted])
    by_collection = make_link(learner, collections=[collection])
    Curation.objects.create(credential=hidden, is_hidden=True)
    delete_credential(credential=deleted, actor=learner)
    for link in [direct, by_collection]:
        page = employer.get(public_path(link)).text
        assert ">Kept</h3>" in page
        assert ">Hidden</h3>" not in page and ">Gone</h3>" not in page


def test_a_skill_link_shows_the_credentials_behind_the_skill(employer, learner):
    backing = import_signed(learner, name="Backing")
    unrelated = import_signed(learner, name="Unrelated")
    skill = Skill.objects.create(owner=learner, key="weld", name="Welding", source="learner")
    skill.credentials.add(backing)
    link = make_link(learner, skills=[skill])
    page = employer.get(public_path(link)).text
    assert ">Backing</h3>" in page and "Welding" in page
    assert unrelated.name not in page


def test_the_page_shows_its_own_qr_code(employer, learner, credential):
    link = make_link(learner, [credential])
    page = employer.get(public_path(link)).text
    assert f'src="{public_path(link, "/qr.svg")}"' in page
    svg = employer.get(public_path(link, "/qr.svg"))
    assert svg["Content-Type"] == "image/svg+xml"
    assert b"<svg" in svg.content
    download = employer.get(public_path(link, "/qr.png") + "?download=1")
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download.content.startswith(b"\x89PNG")


def test_a_credentials_image_is_served_only_when_the_link_shows_it(employer, learner):
    shown = import_signed(learner, name="Shown")
    other = import_signed(learner, name="Other")
    for credential in (shown, other):
        credential.image.save("image.png", ContentFile(png()), save=True)
    link = make_link(learner, [shown])
    ok = employer.get(public_path(link, f"/images/{shown.uuid}.png"))
    assert ok.status_code == 200 and ok["Content-Type"] == "image/png"
    assert employer.get(public_path(link, f"/images/{other.uuid}.png")).status_code == 404
    assert f"/images/{shown.uuid}.png" in employer.get(public_path(link)).text


def test_views_are_counted_per_day_without_personal_data(employer, learner, credential):
    link = make_link(learner, [credential])
    for _ in range(3):
        employer.get(public_path(link), REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Spy/1.0")
    link.refresh_from_db()
    assert link.view_count == 3
    assert link.last_viewed_at is not None
    day = ShareLinkDay.objects.get(link=link)
    assert day.views == 3 and day.day == timezone.now().date()
    with connection.cursor() as cursor:
        for table in ["sharing_sharelink", "sharing_sharelinkday", "credentials_auditevent"]:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
            dump = repr(cursor.fetchall())
            assert "203.0.113.9" not in dump and "Spy/1.0" not in dump


def test_the_learners_own_visits_are_not_counted(learner_client, learner, credential):
    link = make_link(learner, [credential])
    assert "your own link" in learner_client.get(public_path(link)).text
    link.refresh_from_db()
    assert link.view_count == 0


def test_a_stale_verdict_queues_a_background_recheck_and_the_page_does_not_wait(
    employer, learner, credential, settings, django_capture_on_commit_callbacks
):
    settings.SHARE_REVERIFY_AFTER_HOURS = 24
    two_days_ago = timezone.now() - timedelta(days=2)
    Credential.objects.filter(pk=credential.pk).update(verified_at=two_days_ago)
    link = make_link(learner, [credential])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page = employer.get(public_path(link)).text
    assert "A fresh check is running in the background" in page
    assert len(callbacks) == 1
    credential.refresh_from_db()
    assert credential.verified_at == two_days_ago  # nothing ran during the request
    for callback in callbacks:
        callback()  # the eager task: the re-check itself
    credential.refresh_from_db()
    assert credential.verified_at > two_days_ago
    with django_capture_on_commit_callbacks(execute=False) as again:
        employer.get(public_path(link))
    assert again == []


def test_a_fresh_verdict_queues_nothing(
    employer, learner, credential, django_capture_on_commit_callbacks
):
    link = make_link(learner, [credential])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page = employer.get(public_path(link)).text
    assert callbacks == []
    assert "A fresh check is running" not in page


def test_the_page_takes_as_many_queries_for_25_credentials_as_for_3(
    employer, learner, django_assert_num_queries
):
    credentials = [import_signed(learner, name=f"Credential {n}", trusted=False) for n in range(25)]
    skill = Skill.objects.create(owner=learner, key="k", name="Collaboration", source="learner")
    skill.credentials.add(*credentials)
    Curation.objects.create(credential=credentials[0], public_description="mine")
    small = make_link(learner, credentials[:3])
    large = make_link(learner, credentials)
    employer.get(public_path(small))
    with CaptureQueriesContext(connection) as small_queries:
        employer.get(public_path(small))
    # Read now: every request clears the connection's query log.
    small_count = len(small_queries)
    assert small_count > 0
    employer.get(public_path(large))
    with django_assert_num_queries(small_count):
        page = employer.get(public_path(large)).text
    assert page.count("card share-credential") == 25


def test_software_is_told_a_revoked_link_is_gone_in_json(employer, learner, credential):
    link = make_link(learner, [credential])
    services.revoke_share_link(link=link, actor=learner)
    response = employer.get(public_path(link, ".json"))
    assert response.status_code == 410
    assert response.json()["error"] == "gone"


def test_a_disabled_accounts_links_are_gone(employer, learner, credential):
    link = make_link(learner, [credential])
    learner.is_active = False
    learner.save()
    assert employer.get(public_path(link)).status_code == 410
