"""What an admin deletes leaves the learner's share pages at once: the deletion goes
through the services (or bumps the content revision itself), never a model signal."""

import pytest
from django.urls import reverse

from credentials.models import Credential
from tests.wallet.support import bulk_credentials
from wallet import curation_services
from wallet.models import Collection, Skill, Wallet

pytestmark = pytest.mark.django_db


def revision_of(learner) -> int:
    return Wallet.objects.get(user=learner).content_revision


@pytest.fixture
def held(learner):
    (credential,) = bulk_credentials(learner, 1)
    collection = curation_services.create_collection(
        owner=learner, name="Safety", credentials=[credential]
    )
    skill = curation_services.add_skill(owner=learner, name="Rescue", credentials=[credential])
    return {"credential": credential, "collection": collection, "skill": skill}


@pytest.mark.parametrize("kind", ["credential", "collection", "skill"])
def test_deleting_in_admin_bumps_the_revision(admin_client_, learner, held, kind):
    row = held[kind]
    before = revision_of(learner)
    url = reverse(f"admin:{row._meta.app_label}_{row._meta.model_name}_delete", args=[row.pk])
    response = admin_client_.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not type(row).objects.filter(pk=row.pk).exists()
    assert revision_of(learner) > before


@pytest.mark.parametrize("model", [Credential, Collection, Skill], ids=lambda m: m.__name__)
def test_the_delete_selected_action_bumps_the_revision(admin_client_, learner, held, model):
    before = revision_of(learner)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    rows = model.objects.filter(owner=learner)
    response = admin_client_.post(
        url,
        {
            "action": "delete_selected",
            "_selected_action": [row.pk for row in rows],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not model.objects.filter(owner=learner).exists()
    assert revision_of(learner) > before
