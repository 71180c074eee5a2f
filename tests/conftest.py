"""Shared personas and test wiring.

Personas: `learner` and `other_learner` (verified email, wallet),
`admin_user` (staff), and `employer` (an anonymous browser).
"""

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.test import Client

from config.celery import app as celery_app
from wallet.services import ensure_wallet

PASSWORD = "correct horse battery staple 42"


@pytest.fixture(autouse=True)
def _isolated_cache_and_eager_tasks(request):
    """Each test starts with an empty cache; tasks run in-process unless
    the test is marked `worker` (it then talks to a real Celery worker)."""
    cache.clear()
    eager = request.node.get_closest_marker("worker") is None
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    yield
    celery_app.conf.task_always_eager = previous
    cache.clear()


def make_learner(email: str, *, password: str = PASSWORD, verified: bool = True, **extra):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(email=email, password=password, **extra)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    ensure_wallet(user=user)
    return user


@pytest.fixture
def learner(db):
    return make_learner("ada@example.org")


@pytest.fixture
def other_learner(db):
    return make_learner("grace@example.org")


@pytest.fixture
def admin_user(db):
    return make_learner("admin@example.org", is_staff=True, is_superuser=True)


@pytest.fixture
def employer() -> Client:
    return Client()


@pytest.fixture
def learner_client(learner) -> Client:
    client = Client()
    client.force_login(learner)
    return client
