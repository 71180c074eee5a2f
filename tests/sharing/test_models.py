"""Share links at rest: the token only as a hash and ciphertext; the QuerySet verbs."""

import hashlib
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import check_password, get_hasher, identify_hasher
from django.db import connection
from django.utils import timezone

from sharing.models import ShareLink
from tests.sharing.conftest import import_signed, make_link
from wallet.models import Collection, CollectionItem, Skill

pytestmark = pytest.mark.django_db


def test_the_database_keeps_only_the_tokens_hash_and_its_ciphertext(learner, credential):
    link = make_link(learner, [credential])
    token = link.reveal_token()
    assert len(token) >= 43  # 32 random bytes, base64url: 256 bits
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in link.token_encrypted
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM sharing_sharelink")
        row = " ".join(str(value) for value in cursor.fetchone())
    assert token not in row


def test_two_links_never_share_a_token(learner, credential):
    tokens = {make_link(learner, [credential]).reveal_token() for _ in range(20)}
    assert len(tokens) == 20


def test_the_passcode_is_hashed_like_a_password(learner, credential):
    link = make_link(learner, [credential], passcode="blue-heron-42")
    assert "blue-heron-42" not in link.passcode_hash
    # The site's configured password hasher (tests may configure a fast one).
    assert identify_hasher(link.passcode_hash).algorithm == get_hasher().algorithm
    assert check_password("blue-heron-42", link.passcode_hash)


def test_the_public_url_is_built_from_site_url_without_a_language_prefix(
    learner, credential, settings
):
    link = make_link(learner, [credential])
    assert link.public_url() == f"{settings.SITE_URL}/s/{link.reveal_token()}/"


def test_active_leaves_out_revoked_and_expired_links(learner, credential):
    live = make_link(learner, [credential])
    forever = make_link(learner, [credential], expires_at=None)
    revoked = make_link(learner, [credential])
    ShareLink.objects.filter(pk=revoked.pk).update(is_revoked=True)
    expired = make_link(learner, [credential])
    ShareLink.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    assert set(ShareLink.objects.active()) == {live, forever}


def test_owned_by_keeps_each_learner_to_their_own_links(learner, other_learner, credential):
    mine = make_link(learner, [credential])
    theirs = make_link(other_learner, [import_signed(other_learner)])
    assert list(ShareLink.objects.owned_by(learner)) == [mine]
    assert list(ShareLink.objects.owned_by(other_learner)) == [theirs]


def test_including_finds_links_through_credentials_collections_and_skills(learner):
    credential = import_signed(learner)
    other = import_signed(learner, name="Other")
    collection = Collection.objects.create(owner=learner, name="Teaching")
    CollectionItem.objects.create(collection=collection, credential=credential)
    skill = Skill.objects.create(
        owner=learner, key="collab", name="Collaboration", source="learner"
    )
    skill.credentials.add(credential)
    direct = make_link(learner, [credential])
    by_collection = make_link(learner, collections=[collection])
    by_skill = make_link(learner, skills=[skill])
    unrelated = make_link(learner, [other])
    found = list(ShareLink.objects.including(credential))
    assert sorted(found, key=lambda link: link.pk) == [direct, by_collection, by_skill]
    assert unrelated not in found


def test_deleting_an_account_deletes_its_links(learner, credential):
    make_link(learner, [credential])
    learner.delete()
    assert ShareLink.objects.count() == 0
