"""API tokens moved from the credentials app to the wallet, beside the user model:
nothing stored moves or is lost, and what names the model follows it."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from credentials.models import AuditEvent
from tests.api.conftest import ApiClient
from tests.conftest import make_learner
from wallet.models import ApiToken
from wallet.tokens import hash_token

BEFORE = [("credentials", "0010_issuer_identity_codes")]
TOKEN = "swt_made-before-the-move-0123456789abcdefghijklmnop"


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return executor.loader.project_state(targets).apps


def test_the_model_keeps_its_table_and_is_named_in_the_wallet(db):
    assert ApiToken._meta.db_table == "credentials_apitoken"
    content_type = ContentType.objects.get_for_model(ApiToken)
    assert (content_type.app_label, content_type.model) == ("wallet", "apitoken")


@pytest.mark.django_db(transaction=True)
def test_a_token_made_before_the_move_still_works_after_it():
    learner = make_learner("ada@example.org")
    old = _migrate(BEFORE)
    old_type = old.get_model("contenttypes", "ContentType").objects.get(
        app_label="credentials", model="apitoken"
    )
    old_token = old.get_model("credentials", "ApiToken").objects.create(
        owner_id=learner.pk,
        name="Nightly sync",
        token_hash=hash_token(TOKEN),
        prefix=TOKEN[:12],
        scope="read_write",
    )
    old.get_model("credentials", "AuditEvent").objects.create(
        action="token.created",
        actor_id=learner.pk,
        target_type="credentials.apitoken",
        target_id=str(old_token.uuid),
    )
    view = old.get_model("auth", "Permission").objects.get(
        content_type=old_type, codename="view_apitoken"
    )

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    token = ApiToken.objects.get(uuid=old_token.uuid)
    assert token.owner == learner
    assert ApiClient(TOKEN).get("/api/v1/me/").status_code == 200
    content_type = ContentType.objects.get_for_model(ApiToken)
    assert content_type.pk == old_type.pk
    assert not ContentType.objects.filter(app_label="credentials", model="apitoken").exists()
    assert Permission.objects.get(pk=view.pk).content_type == content_type
    event = AuditEvent.objects.get(target_id=str(token.uuid))
    assert event.target_type == "wallet.apitoken"
