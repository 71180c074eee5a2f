"""Each change to a share link bumps its owner's content revision in the same transaction,
and reading a link never does."""

import pytest
from django.db import transaction

from sharing import services
from tests.sharing.conftest import make_link, public_path
from tests.wallet.support import bulk_credentials
from wallet.models import Wallet

pytestmark = pytest.mark.django_db


def revision_of(learner) -> int:
    return Wallet.objects.get(user=learner).content_revision


@pytest.fixture
def link(learner):
    first, _second = bulk_credentials(learner, 2)
    return make_link(learner, [first])


def _update(link, learner):
    other = bulk_credentials(learner, 1, prefix="Other")
    return services.update_share_link(
        link=link,
        actor=learner,
        title="Globex",
        selection=services.Selection.of(credentials=other),
        expires_at=link.expires_at,
        options=services.LinkOptions(show_evidence=False),
    )


LINK_CHANGES = {
    "create": lambda link, learner: make_link(learner, bulk_credentials(learner, 1)),
    "edit and change the selection": _update,
    "extend": lambda link, learner: services.extend_share_link(
        link=link, actor=learner, expires_at=None
    ),
    "revoke": lambda link, learner: services.revoke_share_link(link=link, actor=learner),
    "regenerate": lambda link, learner: services.regenerate_share_link(link=link, actor=learner),
}


@pytest.mark.parametrize("change", LINK_CHANGES.values(), ids=LINK_CHANGES.keys())
def test_each_link_service_bumps_the_revision(learner, link, change):
    before = revision_of(learner)
    change(link, learner)
    assert revision_of(learner) == before + 1


@pytest.mark.parametrize("change", LINK_CHANGES.values(), ids=LINK_CHANGES.keys())
def test_a_link_change_and_its_bump_roll_back_together(learner, link, change):
    before = revision_of(learner)
    with pytest.raises(RuntimeError), transaction.atomic():
        change(link, learner)
        raise RuntimeError("the caller's transaction fails after the service")
    assert revision_of(learner) == before


def test_reading_and_counting_views_keep_the_revision(employer, learner, link):
    before = revision_of(learner)
    assert employer.get(public_path(link)).status_code == 200
    services.record_share_view(link=link)
    assert revision_of(learner) == before
