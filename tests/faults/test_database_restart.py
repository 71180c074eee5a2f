"""PostgreSQL restarted under light load: the web process recovers by itself."""

import threading
import time

import pytest

from tests.conftest import PASSWORD
from tests.faults.processes import (
    Browser,
    PrivatePostgres,
    WebProcess,
    manage,
    service_env,
    wait_for,
)

pytestmark = pytest.mark.faults

CREATE_LEARNER = (
    "from allauth.account.models import EmailAddress;"
    "from django.contrib.auth import get_user_model;"
    "u = get_user_model().objects.create_user(email='pg@example.org', password='{password}');"
    "EmailAddress.objects.create(user=u, email=u.email, primary=True, verified=True)"
)
COUNT_LEARNERS = (
    "from django.contrib.auth import get_user_model;"
    "print(get_user_model().objects.filter(email__endswith='@example.org').count())"
)


def test_requests_recover_after_postgresql_restarts_and_nothing_is_lost():
    database = PrivatePostgres()
    database.create()
    database.start()
    env = service_env(DATABASE_URL=database.url)
    web = WebProcess(env)
    try:
        manage("migrate", "--noinput", "-v0", env=env)
        manage("shell", "-c", CREATE_LEARNER.format(password=PASSWORD), env=env)
        web.start()
        browser = Browser(web.base)
        status, _page = browser.post_form(
            "/accounts/login/", {"login": "pg@example.org", "password": PASSWORD}
        )
        assert status == 200
        assert "My wallet" in browser.get("/wallet/")[1]
        signup = Browser(web.base).post_form(
            "/accounts/signup/",
            {
                "email": "written-before@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "accept_privacy": "on",
            },
        )
        assert signup[0] == 200

        statuses: list[int] = []
        stop = threading.Event()

        def light_load() -> None:
            while not stop.is_set():
                statuses.append(Browser(web.base).get("/healthz")[0])
                time.sleep(0.05)

        load = threading.Thread(target=light_load)
        load.start()
        try:
            time.sleep(0.5)
            database.restart()
            wait_for(lambda: Browser(web.base).get("/healthz")[0] == 200, what="recovery")
            time.sleep(0.5)
        finally:
            stop.set()
            load.join()

        # The same web process answers again, the session still works.
        assert web.process.poll() is None
        status, page = browser.get("/wallet/")
        assert status == 200
        assert "My wallet" in page
        assert statuses[-1] == 200
        assert set(statuses) <= {200, 503}
        counted = manage("shell", "-c", COUNT_LEARNERS, env=env).stdout.strip().splitlines()[-1]
        assert counted == "2"
    finally:
        web.stop()
        database.destroy()
