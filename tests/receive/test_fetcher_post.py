"""The fetcher's POST: the same guards as GET, for the token, nonce and credential endpoints."""

import json

import pytest

from credentials.fetcher import FetchError, post
from tests.receive.issuers import _Server, started


class Echo(_Server):
    """Answers each POST with what it received; /redirect moves, /big is too large."""

    def handle(self, method, path, headers, body):
        if path == "/redirect":
            return 307, {"moved": True}
        if path == "/big":
            return 200, {"padding": "x" * 5000}
        return 200, {
            "method": method,
            "content_type": headers.get("Content-Type"),
            "authorization": headers.get("Authorization"),
            "body": body.decode(),
        }


@pytest.fixture
def echo(settings):
    server = started(Echo(), settings)
    yield server
    server.stop()


def test_it_posts_a_form_and_a_json_body_with_a_bearer_token(echo):
    form = json.loads(post(echo.url("/token"), form={"grant_type": "x y"}).body)
    assert form["content_type"] == "application/x-www-form-urlencoded"
    assert form["body"] == "grant_type=x+y"
    sent = post(
        echo.url("/credential"), json_body={"a": "é"}, headers={"Authorization": "Bearer t"}
    )
    answer = json.loads(sent.body)
    assert answer["content_type"] == "application/json"
    assert json.loads(answer["body"]) == {"a": "é"}
    assert answer["authorization"] == "Bearer t"


def test_a_redirect_is_answered_as_it_stands_and_never_followed(echo):
    response = post(echo.url("/redirect"), form={"code": "secret"})
    assert response.status == 307
    assert [path for _method, path, _body in echo.requests] == ["/redirect"]


def test_an_answer_over_the_cap_is_refused(echo):
    with pytest.raises(FetchError, match="more than 100 bytes"):
        post(echo.url("/big"), form={}, max_bytes=100)


def test_loopback_and_private_addresses_are_refused_unless_allow_listed(settings):
    settings.FETCH_ALLOWLIST = []
    with pytest.raises(FetchError, match="https"):
        post("http://127.0.0.1:9/token", form={})
    with pytest.raises(FetchError, match="not on the public internet"):
        post("https://10.0.0.1/token", form={})
    with pytest.raises(FetchError, match="only https"):
        post("file:///etc/passwd", form={})


def test_header_injection_and_unknown_headers_are_refused(echo):
    with pytest.raises(FetchError, match="control characters"):
        post(echo.url("/x"), form={}, headers={"Authorization": "Bearer a\r\nX-Evil: 1"})
    with pytest.raises(ValueError):
        post(echo.url("/x"), form={}, headers={"Host": "elsewhere"})
    with pytest.raises(ValueError):
        post(echo.url("/x"))
