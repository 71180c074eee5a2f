"""The learner's pages: make, list, change, extend, regenerate and revoke links."""

import re
from datetime import UTC, datetime, time, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from credentials.models import AuditEvent
from sharing.audit import ShareLinkAction
from sharing.models import ShareLink
from tests.sharing.conftest import import_signed, make_link, public_path
from wallet.models import Curation

pytestmark = pytest.mark.django_db


def form_data(credentials, **extra) -> dict:
    data = {
        "title": "Acme Corp",
        "message": "Hello Acme",
        "credentials": [str(credential.uuid) for credential in credentials],
        "expiry": "90",
        "show_public_descriptions": "on",
        "show_evidence": "on",
        "allow_transcript": "on",
        "allow_download": "on",
        "language": "en",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize(
    "name", ["sharing:link_list", "sharing:link_create"], ids=["list", "create"]
)
def test_the_learners_pages_need_a_login(employer, name):
    response = employer.get(reverse(name))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_another_learners_link_is_a_404_on_every_page(client, other_learner, learner, credential):
    link = make_link(learner, [credential])
    client.force_login(other_learner)
    for name in [
        "link_detail",
        "link_edit",
        "link_revoke",
        "link_transcript",
        "link_transcript_pdf",
        "link_qr_svg",
    ]:
        url = reverse(f"sharing:{name}", kwargs={"link_uuid": link.uuid})
        assert client.get(url).status_code == 404, name
    for name in ["link_revoke", "link_extend", "link_regenerate", "link_transcript"]:
        url = reverse(f"sharing:{name}", kwargs={"link_uuid": link.uuid})
        assert client.post(url, {"expiry": "never"}).status_code == 404, name
    assert ShareLink.objects.get(pk=link.pk).is_active


def test_a_learner_shares_three_credentials_with_a_passcode(
    learner_client, learner, three_credentials
):
    response = learner_client.post(
        reverse("sharing:link_create"), form_data(three_credentials, passcode="blue-heron-42")
    )
    link = ShareLink.objects.get()
    assert response.status_code == 302
    assert response.url == link.get_absolute_url()
    assert set(link.credentials.all()) == set(three_credentials)
    assert link.has_passcode
    assert (
        timezone.now() + timedelta(days=89) < link.expires_at < timezone.now() + timedelta(days=91)
    )
    page = learner_client.get(link.get_absolute_url()).text
    assert link.public_url() in page
    for credential in three_credentials:
        assert credential.name in page
    event = AuditEvent.objects.get(action=ShareLinkAction.SHARE_LINK_CREATED)
    assert link.reveal_token() not in event.detail
    assert "blue-heron-42" not in event.detail


def test_the_form_explains_the_expiry_is_the_links_not_the_credentials(learner_client):
    page = learner_client.get(reverse("sharing:link_create")).text
    assert "This is when the link expires, not your credentials" in page
    assert 'value="90"' in page and "checked" in page


def test_the_learners_email_is_off_by_default(learner_client, learner):
    page = learner_client.get(reverse("sharing:link_create")).text
    assert 'name="show_email" id="id_show_email">' in page or (
        'name="show_email"' in page and 'id_show_email" checked' not in page
    )


@pytest.mark.parametrize(("accept", "chosen"), [("en-CA", "en"), ("fr-CA", "fr-ca")])
def test_the_transcript_language_starts_as_the_learners_own(learner_client, accept, chosen):
    page = learner_client.get(reverse("sharing:link_create"), HTTP_ACCEPT_LANGUAGE=accept).text
    assert f'<option value="{chosen}" selected>' in page


def test_a_link_to_nothing_is_refused_with_a_reason(learner_client):
    response = learner_client.post(reverse("sharing:link_create"), form_data([]))
    assert response.status_code == 400
    assert "Choose at least one credential" in response.text
    assert ShareLink.objects.count() == 0


def test_another_learners_credential_cannot_be_slipped_into_a_link(learner_client, other_learner):
    theirs = import_signed(other_learner)
    response = learner_client.post(reverse("sharing:link_create"), form_data([theirs]))
    assert response.status_code == 400
    assert ShareLink.objects.count() == 0


@pytest.mark.parametrize(
    "extra",
    [
        {"credentials": ["not-a-uuid"]},
        {"credentials": ["00000000-0000-0000-0000-000000000000"]},
        {"expiry": "forever"},
        {"expiry": "date", "expiry_date": "2001-01-01"},
        {"expiry": "date", "expiry_date": "tomorrow"},
        {"expiry": "date", "expiry_date": ""},
        {"expiry": "date", "expiry_date": "9999-12-31"},
        {"language": "xx"},
        {"passcode": "abc"},
        {"passcode": "x" * 500},
        {"title": ""},
        {"title": "x" * 500},
        {"message": "x" * 5000},
    ],
)
def test_malformed_options_are_a_clear_400_never_a_500(learner_client, credential, extra):
    data = {**form_data([credential]), **extra}
    response = learner_client.post(reverse("sharing:link_create"), data)
    assert response.status_code == 400
    assert 'class="errors"' in response.text or "alert-error" in response.text
    assert ShareLink.objects.count() == 0


def test_a_chosen_date_or_never_sets_the_links_expiry(learner_client, credential):
    day = (timezone.now() + timedelta(days=10)).date()
    learner_client.post(
        reverse("sharing:link_create"),
        form_data([credential], expiry="date", expiry_date=day.isoformat()),
    )
    learner_client.post(reverse("sharing:link_create"), form_data([credential], expiry="never"))
    dated, never = ShareLink.objects.order_by("created_at")
    # The chosen day lasts until it has ended everywhere: 23:59:59 at UTC-12, still that
    # day in Honolulu, Vancouver and Halifax.
    assert dated.expires_at == datetime.combine(day + timedelta(days=1), time(11, 59, 59), UTC)
    assert never.expires_at is None


def test_the_list_shows_every_link_with_state_views_and_expiry(learner_client, learner, credential):
    live = make_link(learner, [credential], title="Acme")
    make_link(learner, [credential], title="Initech", expires_at=None)
    revoked = make_link(learner, [credential], title="Globex")
    ShareLink.objects.filter(pk=revoked.pk).update(is_revoked=True, view_count=7)
    page = learner_client.get(reverse("sharing:link_list")).text
    assert "Acme" in page and "Globex" in page and "Initech" in page
    assert "Revoked" in page and "Active" in page
    assert '<td data-label="Views">7</td>' in page
    assert live.expires_at.strftime("%Y") in page
    assert "Never" in page
    # A revoked link shows no expiry: it stopped already.
    assert page.count('<td data-label="Link expires">—</td>') == 1


def test_editing_a_link_changes_what_the_page_shows(
    learner_client, learner, employer, three_credentials
):
    first, second, third = three_credentials
    link = make_link(learner, [first])
    response = learner_client.post(
        reverse("sharing:link_edit", kwargs={"link_uuid": link.uuid}),
        form_data([second, third], title="Acme again", expiry="never"),
    )
    assert response.status_code == 302
    page = employer.get(public_path(link)).text
    assert "Acme again" in page
    assert second.name in page and third.name in page
    assert f">{first.name}<" not in page
    assert AuditEvent.objects.filter(action=ShareLinkAction.SHARE_LINK_CHANGED).exists()


def test_editing_other_things_keeps_the_expiry_to_the_second(learner_client, learner, credential):
    link = make_link(learner, [credential])
    before = link.expires_at
    url = reverse("sharing:link_edit", kwargs={"link_uuid": link.uuid})
    page = learner_client.get(url).text
    assert re.search(r'<input type="radio" name="expiry" value="keep"[^>]* checked', page)
    learner_client.post(url, form_data([credential], expiry="keep", language="fr-ca"))
    link.refresh_from_db()
    assert (link.language, link.expires_at) == ("fr-ca", before)


def test_the_keep_choice_is_only_for_an_existing_link(learner_client, credential):
    response = learner_client.post(
        reverse("sharing:link_create"), form_data([credential], expiry="keep")
    )
    assert response.status_code == 400
    assert not ShareLink.objects.exists()


def test_editing_keeps_the_passcode_unless_told_to_remove_it(learner_client, learner, credential):
    link = make_link(learner, [credential], passcode="blue-heron-42")
    url = reverse("sharing:link_edit", kwargs={"link_uuid": link.uuid})
    learner_client.post(url, form_data([credential]))
    link.refresh_from_db()
    assert link.has_passcode
    learner_client.post(url, form_data([credential], remove_passcode="on"))
    link.refresh_from_db()
    assert not link.has_passcode


def test_revoking_asks_first_then_stops_the_link_at_once(
    learner_client, learner, employer, credential
):
    link = make_link(learner, [credential])
    url = reverse("sharing:link_revoke", kwargs={"link_uuid": link.uuid})
    assert "Revoke" in learner_client.get(url).text
    assert employer.get(public_path(link)).status_code == 200
    learner_client.post(url)
    assert employer.get(public_path(link)).status_code == 410
    assert AuditEvent.objects.filter(action=ShareLinkAction.SHARE_LINK_REVOKED).count() == 1


def test_extending_an_expired_link_opens_it_again(learner_client, learner, employer, credential):
    link = make_link(learner, [credential])
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(days=1))
    assert employer.get(public_path(link)).status_code == 410
    learner_client.post(
        reverse("sharing:link_extend", kwargs={"link_uuid": link.uuid}), {"expiry": "30"}
    )
    assert employer.get(public_path(link)).status_code == 200


def test_a_revoked_link_cannot_be_extended(learner_client, learner, employer, credential):
    link = make_link(learner, [credential])
    ShareLink.objects.filter(pk=link.pk).update(is_revoked=True)
    response = learner_client.post(
        reverse("sharing:link_extend", kwargs={"link_uuid": link.uuid}),
        {"expiry": "never"},
        follow=True,
    )
    assert "cannot be opened again" in response.text
    assert employer.get(public_path(link)).status_code == 410


def test_a_bad_extension_is_explained_not_applied(learner_client, learner, credential):
    link = make_link(learner, [credential])
    before = link.expires_at
    response = learner_client.post(
        reverse("sharing:link_extend", kwargs={"link_uuid": link.uuid}),
        {"expiry": "date", "expiry_date": "1999-01-01"},
        follow=True,
    )
    assert "future" in response.text
    link.refresh_from_db()
    assert link.expires_at == before


def test_regenerating_gives_a_new_address_and_the_old_one_stops_working(
    learner_client, learner, employer, credential
):
    link = make_link(learner, [credential])
    old = public_path(link)
    learner_client.post(reverse("sharing:link_regenerate", kwargs={"link_uuid": link.uuid}))
    link.refresh_from_db()
    assert public_path(link) != old
    assert employer.get(old).status_code == 404
    assert employer.get(public_path(link)).status_code == 200
    assert AuditEvent.objects.filter(action=ShareLinkAction.SHARE_LINK_REGENERATED).count() == 1


def test_the_learner_can_see_and_copy_the_link_again(learner_client, learner, credential):
    link = make_link(learner, [credential])
    page = learner_client.get(link.get_absolute_url()).text
    assert f'value="{link.public_url()}"' in page
    assert "js/copy-button.js" in page
    qr = learner_client.get(reverse("sharing:link_qr_svg", kwargs={"link_uuid": link.uuid}))
    assert qr["Content-Type"] == "image/svg+xml"


def test_a_hidden_credential_is_not_offered_when_making_a_link(learner_client, learner):
    shown = import_signed(learner, name="Shown")
    hidden = import_signed(learner, name="Secret")
    Curation.objects.create(credential=hidden, is_hidden=True)
    page = learner_client.get(reverse("sharing:link_create")).text
    assert "Shown" in page
    assert "Secret" not in page
    assert shown


def test_linkedin_asks_first_then_makes_a_dedicated_link_without_passcode(
    learner_client, learner, credential
):
    url = reverse("sharing:linkedin_create", kwargs={"credential_uuid": credential.uuid})
    assert "without a passcode" in learner_client.get(url).text
    response = learner_client.post(url, {"expiry": "never"}, follow=True)
    link = ShareLink.objects.get()
    assert link.is_linkedin and not link.has_passcode and link.expires_at is None
    assert list(link.credentials.all()) == [credential]
    href = response.text.split('href="https://www.linkedin.com/profile/add?')[1].split('"')[0]
    params = parse_qs(href.replace("&amp;", "&"))
    assert params["name"] == [credential.name]
    assert params["organizationName"] == ["Example University"]
    assert params["certUrl"] == [link.public_url()]
    assert params["issueYear"] == ["2024"]
    assert 'rel="noreferrer noopener"' in response.text
    assert urlsplit(link.public_url()).path.startswith("/s/")


def test_linkedin_refuses_another_learners_credential(client, other_learner, credential):
    client.force_login(other_learner)
    url = reverse("sharing:linkedin_create", kwargs={"credential_uuid": credential.uuid})
    assert client.get(url).status_code == 404
    assert client.post(url, {"expiry": "never"}).status_code == 404


def test_a_credential_can_be_preselected_and_a_malformed_one_is_ignored(learner_client, credential):
    url = reverse("sharing:link_create")
    page = learner_client.get(f"{url}?credential={credential.uuid}").text
    assert f'value="{credential.uuid}"' in page and "checked" in page
    assert learner_client.get(f"{url}?credential=%00nonsense").status_code == 200


def extend_form_as_shown(client, link) -> dict:
    """What the link page's "Extend or shorten" form would send if pressed unchanged."""
    page = client.get(link.get_absolute_url()).text
    action = reverse("sharing:link_extend", kwargs={"link_uuid": link.uuid})
    form = page[page.index(f'action="{action}"') :]
    form = form[: form.index("</form>")]
    checked = re.findall(
        r'<input[^>]*name="expiry"[^>]*checked|<input[^>]*checked[^>]*name="expiry"', form
    )
    assert len(checked) == 1, checked
    data = {"expiry": re.search(r'value="([^"]*)"', checked[0]).group(1)}
    date = re.search(r'<input[^>]*name="expiry_date"[^>]*>', form).group(0)
    value = re.search(r'value="([^"]*)"', date)
    data["expiry_date"] = value.group(1) if value else ""
    return data


def test_pressing_set_the_expiry_unchanged_keeps_a_never_link_never(
    learner_client, learner, credential
):
    link = make_link(learner, [credential], expires_at=None)

    data = extend_form_as_shown(learner_client, link)
    assert data["expiry"] == "never"
    learner_client.post(reverse("sharing:link_extend", kwargs={"link_uuid": link.uuid}), data)

    assert ShareLink.objects.get(pk=link.pk).expires_at is None


def test_pressing_set_the_expiry_unchanged_keeps_a_dated_link_on_its_date(
    learner_client, learner, credential
):
    expires_at = datetime.combine(
        timezone.now().date() + timedelta(days=200), time(23, 59, 59), tzinfo=UTC
    )
    link = make_link(learner, [credential], expires_at=expires_at)

    data = extend_form_as_shown(learner_client, link)
    assert data["expiry"] == "keep"
    assert data["expiry_date"] == expires_at.date().isoformat()
    response = learner_client.post(
        reverse("sharing:link_extend", kwargs={"link_uuid": link.uuid}), data
    )

    assert response.status_code == 302
    assert ShareLink.objects.get(pk=link.pk).expires_at == expires_at
