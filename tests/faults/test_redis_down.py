"""Redis stopped: pages keep answering, queued work waits, and finishes once Redis is back."""

import json

import pytest

from tests.conftest import PASSWORD
from tests.credentials.support.issuer import did_key_issuer
from tests.credentials.support.server import LocalServer
from tests.faults.processes import (
    Browser,
    PrivatePostgres,
    PrivateRedis,
    WebProcess,
    WorkerProcess,
    manage,
    service_env,
    wait_for,
)

pytestmark = pytest.mark.faults

CREATE_LEARNER = (
    "from allauth.account.models import EmailAddress;"
    "from django.contrib.auth import get_user_model;"
    "u = get_user_model().objects.create_user(email='redis@example.org', password='{password}');"
    "EmailAddress.objects.create(user=u, email=u.email, primary=True, verified=True)"
)
SHARE = (
    "import json;"
    "from django.contrib.auth import get_user_model;"
    "from credentials.models import CredentialSource;"
    "from credentials.services import import_credential;"
    "from sharing.services.links import Selection, create_share_link;"
    "from tests.credentials.support.issuer import did_key_issuer;"
    "u = get_user_model().objects.get(email='redis@example.org');"
    "data = json.dumps(did_key_issuer().signed(name='Shared Badge', "
    "credential_id='urn:uuid:5a1e0000-0000-4000-8000-000000000001', "
    "subject_id='mailto:redis@example.org')).encode();"
    "c = import_credential(learner=u, data=data, source=CredentialSource.UPLOAD).created[0];"
    "link = create_share_link(owner=u, title='Hiring', "
    "selection=Selection.of(credentials=[c]), expires_at=None);"
    "print(link.uuid, link.reveal_token())"
)
REQUEUE = (
    "from datetime import timedelta;"
    "from credentials.services import requeue_stale_jobs;"
    "print(requeue_stale_jobs(older_than=timedelta(0)))"
)


def test_pages_answer_with_redis_down_and_a_url_import_finishes_when_it_is_back(tmp_path):
    redis = PrivateRedis()
    database = PrivatePostgres()
    issuer_site = LocalServer()
    issuer_site.start()
    issuer_site.add("/badge.json", json.dumps(did_key_issuer().signed()).encode())
    database.create()
    database.start()
    redis.start()
    env = service_env(
        DATABASE_URL=database.url, REDIS_URL=redis.url, FETCH_ALLOWLIST=issuer_site.authority
    )
    web = WebProcess(env)
    worker = WorkerProcess(env, tmp_path / "worker.log")
    try:
        manage("migrate", "--noinput", "-v0", env=env)
        manage("createcachetable", env=env)
        manage("shell", "-c", CREATE_LEARNER.format(password=PASSWORD), env=env)
        link_uuid, token = (
            manage("shell", "-c", SHARE, env=env).stdout.strip().splitlines()[-1].split()
        )
        web.start()
        browser = Browser(web.base)
        assert (
            browser.post_form(
                "/accounts/login/", {"login": "redis@example.org", "password": PASSWORD}
            )[0]
            == 200
        )

        redis.stop()
        assert Browser(web.base).get("/healthz") == (
            200,
            '{"database": "ok", "broker": "unavailable"}',
        )
        assert Browser(web.base).get("/accounts/login/")[0] == 200
        status, page = browser.get("/wallet/")
        assert status == 200
        assert "My wallet" in page
        status, page = browser.post_form(
            "/wallet/import/", {"source": "url", "url-url": issuer_site.url("/badge.json")}
        )
        assert status == 200
        assert "Waiting for its turn" in page
        employer = Browser(web.base)
        status, page = employer.get(f"/s/{token}/")
        assert status == 200
        assert "Shared Badge" in page
        status, page = browser.post_form(f"/share/{link_uuid}/transcript/", {})
        assert status == 200

        redis.start()
        worker.start()
        # The one sweeper queues both jobs the broker never took: the URL import, the transcript.
        assert manage("shell", "-c", REQUEUE, env=env).stdout.strip().splitlines()[-1] == "2"
        wait_for(lambda: "Teamwork" in browser.get("/wallet/")[1], what="the import", timeout=60)
        wait_for(
            lambda: employer.get(f"/s/{token}/transcript.pdf")[0] == 200,
            what="the transcript",
            timeout=90,
        )
    finally:
        worker.stop()
        web.stop()
        redis.stop()
        database.destroy()
        issuer_site.stop()
