"""Schema-driven fuzzing: every operation in /api/schema/, with generated input and a
read-write token, must never answer 5xx nor anything the schema does not describe."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.throttling import SimpleRateThrottle

from config.wsgi import application
from credentials.models import ImportJob
from sharing.services import Selection, create_share_link
from tests.api.conftest import token_client
from tests.wallet.support import imported
from wallet import curation_services, export_services

# Schema examples, then 20 generated cases per operation; the exhaustive coverage phase
# (hundreds of boundary cases per operation) would take this past a few minutes.
CONFIG = schemathesis.Config.from_dict({"phases": {"coverage": {"enabled": False}}})
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, config=CONFIG)

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


@pytest.fixture
def _test_connection_kept():
    """Requests go through the real WSGI handler, which closes "old" database connections
    at each request's start and end; inside a test's transaction that would close the test's
    own connection (on PostgreSQL), so do what Django's test client does and skip it."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def wallet_objects(learner, monkeypatch, _test_connection_kept):
    """A learner with one of everything, so that generated requests reach real rows."""
    # Hundreds of requests in one test: the throttles are tested on their own.
    for scope in ("user", "anon", "token"):
        monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, scope, "100000/hour")
    credential = imported(learner, name="Fuzzed")
    collection = curation_services.create_collection(
        owner=learner, name="Fuzz", credentials=[credential]
    )
    skill = curation_services.add_skill(owner=learner, name="Fuzzing", credentials=[credential])
    link = create_share_link(
        owner=learner,
        title="Fuzz",
        selection=Selection.of(collections=[collection]),
        expires_at=None,
    )
    client = token_client(learner)
    return {
        "token": client.token,
        "credential_uuid": str(credential.uuid),
        "collection_uuid": str(collection.uuid),
        "skill_uuid": str(skill.uuid),
        "link_uuid": str(link.uuid),
        "token_uuid": str(learner.api_tokens.first().uuid),
        "import_job": str(ImportJob.objects.create(owner=learner, url="https://x.test/").uuid),
        "export_job": str(export_services.request_export(owner=learner).uuid),
    }


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_operation_errors_or_breaks_its_schema(case, wallet_objects):
    # Real UUIDs in the path reach the code behind the 404s; bodies and queries stay fuzzed.
    for name in list(case.path_parameters or {}):
        if name == "job_uuid":
            kind = "export_job" if "/exports/" in case.path else "import_job"
            case.path_parameters[name] = wallet_objects[kind]
        elif name in wallet_objects:
            case.path_parameters[name] = wallet_objects[name]
    case.call_and_validate(
        headers={"Authorization": f"Bearer {wallet_objects['token']}"}, checks=CHECKS
    )
