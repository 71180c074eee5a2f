"""API personas: clients that send a learner's personal access token."""

import pytest
from django.test import Client

from wallet.models import ApiTokenScope
from wallet.tokens import create_api_token


class ApiClient(Client):
    """A test client that sends JSON by default and a bearer token when it has one."""

    def __init__(self, token: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.token = token

    def _base_environ(self, **request):
        environ = super()._base_environ(**request)
        if self.token:
            environ.setdefault("HTTP_AUTHORIZATION", f"Bearer {self.token}")
        return environ

    def send(self, method: str, path: str, data=None, **kwargs):
        """Call with a JSON body unless told otherwise."""
        kwargs.setdefault("content_type", "application/json")
        return getattr(self, method)(path, data, **kwargs)


def token_client(user, scope: str = ApiTokenScope.READ_WRITE, **kwargs) -> ApiClient:
    """A client holding a fresh token of `user`."""
    made = create_api_token(owner=user, name="tests", scope=scope, **kwargs)
    return ApiClient(made.token)


@pytest.fixture
def api(learner) -> ApiClient:
    """The learner's read and write token."""
    return token_client(learner)


@pytest.fixture
def other_api(other_learner) -> ApiClient:
    """Another learner's read and write token."""
    return token_client(other_learner)


@pytest.fixture
def anonymous() -> ApiClient:
    """No credentials at all."""
    return ApiClient()


def assert_error(response, status: int, code: str | None = None) -> dict:
    """The response is the API's one error shape, with this status (and code)."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert {"code", "message", "fields"} <= set(body["error"])
    assert body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code, body
    return body["error"]
