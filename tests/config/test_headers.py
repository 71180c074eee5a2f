"""Security headers and cookies, in development settings and with production settings."""

import json

import pytest
from django.test import Client

from tests.config.test_site import PRODUCTION_ENV, _manage
from tests.faults.processes import STATIC_ROOT, collect_static, service_env

PROBE = """
import json
from django.test import Client
client = Client()
login = client.get('/accounts/login/', secure=True, HTTP_HOST='wallet.example.org')
plain = client.get('/accounts/login/', HTTP_HOST='wallet.example.org')
cookies = {name: {'secure': bool(c['secure']), 'httponly': bool(c['httponly']),
                  'samesite': c['samesite']} for name, c in login.cookies.items()}
print(json.dumps({
    'status': login.status_code,
    'plain_status': plain.status_code,
    'plain_location': plain.get('Location', ''),
    'headers': dict(login.headers),
    'cookies': cookies,
}))
"""


@pytest.fixture(scope="module")
def production() -> dict:
    # Production serves hashed static files: templates need the collected manifest.
    env = {**PRODUCTION_ENV, "STATIC_ROOT": str(STATIC_ROOT)}
    collect_static({**service_env(), **env})
    result = _manage("shell", "-c", PROBE, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_sends_hsts_and_redirects_plain_http(production):
    assert production["status"] == 200
    assert "max-age=31536000" in production["headers"]["Strict-Transport-Security"]
    assert "includeSubDomains" in production["headers"]["Strict-Transport-Security"]
    assert production["plain_status"] == 301
    assert production["plain_location"].startswith("https://")


def test_production_cookies_are_secure_and_http_only(production):
    csrf = production["cookies"]["csrftoken"]
    assert csrf["secure"]
    assert csrf["httponly"]
    assert csrf["samesite"] == "Lax"


def test_production_keeps_the_strict_policy(production):
    headers = production["headers"]
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/signup/", "/privacy/"])
def test_no_page_loads_anything_from_another_origin(path):
    page = Client().get(path).text
    for attribute in ('src="http', "src='http", 'href="http://', "url(http", "//cdn"):
        assert attribute not in page
