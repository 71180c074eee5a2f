"""What an admin reads: index counts that open the rows they count, one "Verdict" on a
credential's page, "View" (never "Change" or "Save") for what cannot be edited, and
counts in the right plural."""

import json
import re
import uuid
from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from credentials.models import (
    AuditEvent,
    Credential,
    CredentialSource,
    ImportJob,
    JobStatus,
    RecipientIdentifier,
)
from credentials.services import import_credential
from sharing.models import ShareLink, Transcript
from sharing.services.links import Selection, create_share_link, revoke_share_link
from tests.conftest import make_learner
from tests.credentials.support.issuer import did_key_issuer
from tests.wallet.support import bulk_credentials
from wallet import curation_services
from wallet.audit import AccountAction
from wallet.models import ExportJob

pytestmark = pytest.mark.django_db


def glance_rows(page: str) -> dict[str, tuple[str, int]]:
    """The index's "Service at a glance" table: label → (link, count)."""
    table = page.split('id="service-stats"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<th scope="row"><a href="([^"]+)">([^<]+)</a></th><td>(\d+)</td>', table)
    assert len(rows) == table.count("<tr>"), "every count links to its list"
    return {label: (href.replace("&amp;", "&"), int(count)) for href, label, count in rows}


def listed(page: str) -> int:
    """How many rows an admin list says it holds (its paginator: "2 users")."""
    return int(re.search(r'<p class="paginator">\s*(\d+) ', page).group(1))


def content_of(page: str) -> str:
    """The page without the side menu, which links to every model."""
    return page.split('<div id="content"', 1)[1]


def results_of(page: str) -> str:
    """An admin list's table of rows."""
    return page.split('id="result_list"', 1)[1].split("</table>", 1)[0]


def a_child_of(credential: Credential) -> Credential:
    return Credential.objects.create(
        owner=credential.owner,
        parent=credential,
        format=credential.format,
        source=credential.source,
        original_content_type="application/json",
        fingerprint=f"child:{uuid.uuid4()}",
        name="Inside",
        verdict=credential.verdict,
    )


def test_each_count_at_a_glance_opens_the_list_it_counts(admin_client_, learner, other_learner):
    make_learner("gone@example.org", is_active=False)
    first, second = bulk_credentials(learner, 2)
    a_child_of(first)
    live = create_share_link(
        owner=learner, title="Live", selection=Selection.of(credentials=[first]), expires_at=None
    )
    revoked = create_share_link(
        owner=learner, title="Gone", selection=Selection.of(credentials=[first]), expires_at=None
    )
    revoke_share_link(link=revoked, actor=learner)
    expired = create_share_link(
        owner=learner,
        title="Old",
        selection=Selection.of(credentials=[second]),
        expires_at=timezone.now() + timedelta(days=1),
    )
    ShareLink.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    ExportJob.objects.create(owner=learner, status=JobStatus.FAILED, error="Disk full")
    ExportJob.objects.create(owner=learner, status=JobStatus.READY)
    ImportJob.objects.create(owner=learner, url="https://a.example/1", status=JobStatus.FAILED)
    ImportJob.objects.create(owner=learner, url="https://a.example/2", status=JobStatus.PENDING)
    Transcript.objects.create(link=live, status=JobStatus.READY)

    rows = glance_rows(admin_client_.get("/admin/").text)

    assert {label: count for label, (_href, count) in rows.items()} == {
        "Active learners": 2,
        "Active share links": 1,
        "Credentials verified": 2,
        "Failed import jobs": 1,
        "Failed exports": 1,
        "Failed transcripts": 0,
    }
    assert rows["Credentials verified"][0].startswith(
        reverse("admin:credentials_credential_changelist") + "?verdict__exact=verified"
    )
    for label, (href, count) in rows.items():
        page = admin_client_.get(href)
        assert page.status_code == 200, label
        assert listed(page.text) == count, label
        # The filter shows as chosen, so the admin knows what the list holds.
        assert "Clear all filters" in page.text, label
    users = results_of(admin_client_.get(rows["Active learners"][0]).text)
    assert learner.email in users and other_learner.email in users
    assert "gone@example.org" not in users and "admin@example.org" not in users
    links = results_of(admin_client_.get(rows["Active share links"][0]).text)
    assert ">Live<" in links and ">Gone<" not in links and ">Old<" not in links


def test_a_credentials_page_names_its_verdict_once(admin_client_, learner):
    data = json.dumps(did_key_issuer().signed()).encode()
    credential = import_credential(
        learner=learner, data=data, source=CredentialSource.PASTE
    ).created[0]
    page = admin_client_.get(
        reverse("admin:credentials_credential_change", args=[credential.pk])
    ).text
    labels = re.findall(r"<label[^>]*>([^<]*)</label>", page)
    assert labels.count("Verdict:") == 1
    assert "Verified with warnings<br>" in page
    assert credential.verdict_explanation in page


def test_the_audit_log_is_viewed_never_changed(admin_client_, learner):
    event = AuditEvent.objects.create(action=AccountAction.LOGIN, actor=learner)
    listing = admin_client_.get(reverse("admin:credentials_auditevent_changelist")).text
    detail_url = reverse("admin:credentials_auditevent_change", args=[event.pk])
    assert "Select audit event to view" in listing
    assert f'href="{detail_url}"' in listing
    assert ">Change<" not in content_of(listing)

    detail = admin_client_.get(detail_url).text
    assert "<h1>View audit event</h1>" in detail
    assert ">Close</a>" in detail
    for control in ('name="_save"', 'name="_continue"', "Save and", ">Change<", ">Delete<"):
        assert control not in content_of(detail), control
    index = admin_client_.get("/admin/").text
    assert 'class="viewlink" aria-describedby="credentials-auditevent">View<' in index


@pytest.mark.parametrize(
    "model", [Credential, RecipientIdentifier], ids=lambda model: model.__name__
)
def test_a_row_with_nothing_to_edit_is_only_viewed(admin_client_, learner, model):
    (credential,) = bulk_credentials(learner, 1)
    row = credential if model is Credential else model.objects.create(owner=learner, value="x")
    opts = model._meta
    page = admin_client_.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk])
    ).text
    assert f"<h1>View {opts.verbose_name}</h1>" in page
    assert 'name="_save"' not in page


@pytest.mark.parametrize("kind", ["collection", "skill"])
def test_a_learners_collections_and_skills_are_viewed_and_can_still_be_deleted(
    admin_client_, learner, kind
):
    (credential,) = bulk_credentials(learner, 1)
    if kind == "collection":
        row = curation_services.create_collection(
            owner=learner, name="Safety", credentials=[credential]
        )
    else:
        row = curation_services.add_skill(owner=learner, name="Rescue", credentials=[credential])
    index = admin_client_.get("/admin/").text
    assert f'aria-describedby="wallet-{kind}">View<' in index
    page = admin_client_.get(reverse(f"admin:wallet_{kind}_change", args=[row.pk])).text
    assert f"<h1>View {kind}</h1>" in page
    assert 'name="_save"' not in page
    assert reverse(f"admin:wallet_{kind}_delete", args=[row.pk]) in page


def test_a_learners_credentials_are_linked_for_viewing(admin_client_, learner):
    (credential,) = bulk_credentials(learner, 1)
    page = admin_client_.get(reverse("admin:wallet_user_change", args=[learner.pk])).text
    link = reverse("admin:credentials_credential_change", args=[credential.pk])
    assert f'<a href="{link}" class="inlineviewlink">View</a>' in page


def form_fields(owner: admin.options.BaseModelAdmin) -> set[str]:
    """The fields an admin's form would show (read from its options, for any model)."""
    if owner.fieldsets:
        return set(flatten_fieldsets(owner.fieldsets))
    if owner.fields:
        return set(owner.fields)
    editable = {
        field.name
        for field in owner.model._meta.get_fields()
        if getattr(field, "editable", False) and not field.auto_created
    }
    return editable - set(owner.exclude or [])


def test_no_admin_offers_to_save_a_form_with_nothing_to_edit(admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    nothing_to_edit = []
    for model, model_admin in admin.site._registry.items():
        for owner in [model_admin, *model_admin.get_inline_instances(request)]:
            if not owner.has_change_permission(request):
                continue
            fields = form_fields(owner)
            if fields and fields <= set(owner.get_readonly_fields(request)):
                nothing_to_edit.append(f"{model.__name__}: {type(owner).__name__}")
    assert nothing_to_edit == []


def test_the_audit_log_counts_collections_in_the_right_plural(admin_client_, learner):
    credentials = bulk_credentials(learner, 2)
    collections = [
        curation_services.create_collection(owner=learner, name=name, credentials=credentials)
        for name in ["Safety", "Driving"]
    ]
    for chosen in (collections[:1], collections):
        create_share_link(
            owner=learner,
            title=f"{len(chosen)}",
            selection=Selection.of(collections=chosen),
            expires_at=None,
        )
    listing = admin_client_.get(reverse("admin:credentials_auditevent_changelist")).text
    assert "Shows 1 collection<" in listing
    assert "Shows 2 collections<" in listing
    assert "1 collections" not in listing
