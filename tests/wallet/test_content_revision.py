"""The learner's content revision moves with every service that changes what a share link
shows, inside that service's transaction, and with nothing else: no model signal of any
app keeps it, so a bulk write in a service counts as much as a `save()`."""

from datetime import UTC, datetime

import pytest
from django.apps import apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from credentials.services import delete_credential, reverify_credential
from tests.wallet.support import alignment, bulk_credentials, imported
from wallet import curation_services, services
from wallet.models import Wallet

pytestmark = pytest.mark.django_db

MODEL_SIGNALS = {
    "pre_save": pre_save,
    "post_save": post_save,
    "pre_delete": pre_delete,
    "post_delete": post_delete,
    "m2m_changed": m2m_changed,
}
APPS = ("credentials", "wallet", "sharing")


def revision_of(learner) -> int:
    return Wallet.objects.get(user=learner).content_revision


@pytest.fixture
def wallet(learner):
    """A credential in a collection and behind a skill of the learner's, and a spare one."""
    credential, spare = bulk_credentials(learner, 2)
    collection = curation_services.create_collection(
        owner=learner, name="Safety", credentials=[credential]
    )
    skill = curation_services.add_skill(owner=learner, name="Rescue", credentials=[credential])
    return {
        "learner": learner,
        "credential": credential,
        "spare": spare,
        "collection": collection,
        "skill": skill,
    }


SHOWN_CHANGES = {
    "public description": lambda w: curation_services.update_credential_notes(
        credential=w["credential"], note="", public_description="I led the drill."
    ),
    "hide": lambda w: curation_services.set_credential_hidden(
        credential=w["credential"], is_hidden=True, actor=w["learner"]
    ),
    "remove credential": lambda w: curation_services.remove_credential(
        credential=w["credential"], actor=w["learner"]
    ),
    "add to collection": lambda w: curation_services.add_to_collection(
        collection=w["collection"], credentials=[w["spare"]]
    ),
    "remove from collection": lambda w: curation_services.remove_from_collection(
        collection=w["collection"], credential=w["credential"]
    ),
    "set a credential's collections": lambda w: curation_services.set_credential_collections(
        credential=w["credential"], collections=[]
    ),
    "delete collection": lambda w: curation_services.delete_collection(collection=w["collection"]),
    "add skill": lambda w: curation_services.add_skill(
        owner=w["learner"], name="Welding", credentials=[w["spare"]]
    ),
    "set a skill's credentials": lambda w: curation_services.set_skill_credentials(
        skill=w["skill"], credentials=[w["spare"]]
    ),
    "delete skill": lambda w: curation_services.delete_skill(skill=w["skill"]),
    "profile": lambda w: services.update_profile(
        wallet=Wallet.objects.get(user=w["learner"]), display_name="Ada L.", headline="", bio=""
    ),
    "delete credential (credentials' hook)": lambda w: delete_credential(
        credential=w["credential"], actor=w["learner"]
    ),
}

UNSHOWN_CHANGES = {
    "private note": lambda w: curation_services.update_credential_notes(
        credential=w["credential"], note="Ask for a reference.", public_description=""
    ),
    "tags": lambda w: curation_services.set_credential_tags(
        credential=w["credential"], names=["first aid"]
    ),
    "pin": lambda w: curation_services.set_credential_pinned(
        credential=w["credential"], is_pinned=True
    ),
    "rename collection": lambda w: curation_services.update_collection(
        collection=w["collection"], name="Safe work", description="On site."
    ),
    "reorder collection": lambda w: curation_services.move_collection_item(
        collection=w["collection"], credential=w["credential"], offset=1
    ),
    "create an empty collection": lambda w: curation_services.create_collection(
        owner=w["learner"], name="Later"
    ),
}


@pytest.mark.parametrize("change", SHOWN_CHANGES.values(), ids=SHOWN_CHANGES.keys())
def test_each_service_that_changes_what_a_link_shows_bumps_the_revision(wallet, change):
    before = revision_of(wallet["learner"])
    change(wallet)
    assert revision_of(wallet["learner"]) > before


@pytest.mark.parametrize("change", SHOWN_CHANGES.values(), ids=SHOWN_CHANGES.keys())
def test_the_bump_commits_with_the_change_or_not_at_all(wallet, change):
    before = revision_of(wallet["learner"])
    with pytest.raises(RuntimeError), transaction.atomic():
        change(wallet)
        raise RuntimeError("the caller's transaction fails after the service")
    assert revision_of(wallet["learner"]) == before


@pytest.mark.parametrize("change", UNSHOWN_CHANGES.values(), ids=UNSHOWN_CHANGES.keys())
def test_changes_an_employer_never_sees_keep_the_revision(wallet, change):
    before = revision_of(wallet["learner"])
    change(wallet)
    assert revision_of(wallet["learner"]) == before


@pytest.mark.parametrize(
    "bulk_write",
    [
        # bulk_create of collection items, then a queryset delete of them: no signal either way.
        lambda w: curation_services.add_to_collection(
            collection=w["collection"], credentials=bulk_credentials(w["learner"], 3)
        ),
        lambda w: curation_services.remove_from_collection(
            collection=w["collection"], credential=w["credential"]
        ),
    ],
    ids=["bulk create", "queryset delete"],
)
def test_a_bulk_write_through_a_service_bumps_the_revision(wallet, bulk_write):
    before = revision_of(wallet["learner"])
    bulk_write(wallet)
    assert revision_of(wallet["learner"]) == before + 1


def test_a_credential_aligned_to_a_shared_skill_bumps_the_revision_when_imported(learner):
    imported(learner, name="First aid", alignments=[alignment("Rescue")])
    before = revision_of(learner)
    imported(learner, name="Lifeguard", alignments=[alignment("Rescue")])
    assert revision_of(learner) > before


def test_a_recheck_bumps_the_revision_through_the_credential_changed_hook(learner):
    credential = imported(learner, name="First aid")
    before = revision_of(learner)
    reverify_credential(credential=credential, now=datetime(2030, 1, 1, tzinfo=UTC))
    assert revision_of(learner) == before + 1


def test_a_bare_model_save_no_longer_bumps_the_revision(wallet):
    # The revision belongs to the services: a row saved outside them says nothing.
    before = revision_of(wallet["learner"])
    wallet["skill"].name = "Water rescue"
    wallet["skill"].save()
    wallet["credential"].save()
    assert revision_of(wallet["learner"]) == before


@pytest.mark.parametrize("signal", MODEL_SIGNALS.values(), ids=MODEL_SIGNALS.keys())
def test_no_app_listens_to_model_signals_on_its_models(signal):
    models = [
        model
        for label in APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]
    listening = {
        f"{receiver.__module__}.{receiver.__qualname__} on {model._meta.label}"
        for model in models
        for receivers in signal._live_receivers(model)
        for receiver in receivers
        if receiver.__module__.split(".")[0] in APPS
    }
    assert listening == set()
