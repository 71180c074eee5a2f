"""Site-wide behaviour: health, headers, error pages, logs, languages."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import DatabaseError
from django.test import Client, override_settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthz_reports_the_database_and_broker():
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] in {"ok", "in-process"}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_down(monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def refuse(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.mark.django_db
@override_settings(REDIS_URL="redis://127.0.0.1:1/0")
def test_healthz_says_when_the_broker_is_unreachable():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "unavailable"


@pytest.mark.django_db
def test_every_page_sends_a_strict_content_security_policy():
    response = Client().get(reverse("account_login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("/", "Your skills, verified and in your hands"),
        ("/privacy/", "Privacy notice"),
        ("/terms/", "Terms of use"),
        ("/accessibility/", "Accessibility statement"),
        ("/accounts/login/", "Skip to main content"),
        ("/accounts/signup/", "privacy notice"),
        ("/accounts/password/reset/", "Skip to main content"),
    ],
)
def test_public_pages_render_inside_the_site_layout(url, text):
    response = Client().get(url)
    assert response.status_code == 200
    assert text in response.text
    assert 'href="#main"' in response.text
    assert '<main id="main"' in response.text


@pytest.mark.django_db
def test_pages_are_served_in_canadian_french():
    response = Client().get("/", HTTP_ACCEPT_LANGUAGE="fr-CA")
    assert '<html lang="fr-ca">' in response.text
    assert "Vos compétences" in response.text


@pytest.mark.django_db
def test_an_unknown_page_is_a_styled_404():
    response = Client().get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert 'href="#main"' in response.text


def test_the_500_page_renders_without_the_database():
    from config.views import server_error

    with pytest.MonkeyPatch.context() as patch:
        from django.db.backends.base.base import BaseDatabaseWrapper

        def refuse(self):
            raise DatabaseError("down")

        patch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
        response = server_error(None)
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


@pytest.mark.django_db
def test_a_csrf_failure_gets_a_friendly_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "a@b.c", "password": "x"})
    assert response.status_code == 403
    assert "Your form expired" in response.text


@pytest.mark.django_db
def test_robots_security_txt_and_favicon():
    client = Client()
    assert "Disallow: /s/" in client.get("/robots.txt").text
    security = client.get("/.well-known/security.txt").text
    assert "Contact: mailto:" in security
    assert "Expires: " in security
    favicon = client.get("/favicon.ico")
    assert favicon.status_code == 301


@pytest.mark.django_db
def test_request_logs_name_the_route_never_the_path(caplog):
    with caplog.at_level(logging.INFO, logger="skills_wallet.request"):
        Client().get("/accounts/password/reset/key/secret-key-abc123/?token=hunter2")
    lines = [r.getMessage() for r in caplog.records if r.name == "skills_wallet.request"]
    assert lines
    assert all("secret-key-abc123" not in line and "hunter2" not in line for line in lines)
    assert any("request_id=" in line and "route=" in line for line in lines)


def test_the_cache_fails_over_to_the_database_when_redis_is_down(db):
    from django.core.management import call_command

    cache_settings = {
        "default": {
            "BACKEND": "config.cache.FailoverRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"fallback": "database"},
        },
        "database": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cache_fallback",
        },
    }
    with override_settings(CACHES=cache_settings):
        call_command("createcachetable", verbosity=0)
        caches["default"].set("rate", [1, 2, 3], 60)
        assert caches["default"].get("rate") == [1, 2, 3]
        assert caches["database"].get("rate") == [1, 2, 3]
        assert Client().get("/accounts/login/").status_code == 200


PRODUCTION_ENV = {
    "DEBUG": "false",
    "TESTING": "false",
    "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
    "SITE_URL": "https://wallet.example.org",
    "ALLOWED_HOSTS": "wallet.example.org",
    "FIELD_ENCRYPTION_KEY": "hN1Yd5p4kN2m8a6zR0k3Q4QwV3b9i5ZyX6c7d8e9f0A=",
    "DATABASE_URL": "sqlite:///:memory:",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "DJANGO_ALLOW"))}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_demo_data_command_refuses_to_run_in_production():
    result = _manage("seed_demo", env=PRODUCTION_ENV)
    assert result.returncode != 0
    assert "only runs with DEBUG on" in result.stderr


@pytest.mark.django_db
def test_an_unhandled_error_is_logged_with_its_traceback_but_never_the_path(caplog):
    from django.db.backends.base.base import BaseDatabaseWrapper

    token = "T" * 43

    def refuse(self):
        raise DatabaseError("the database is down")

    client = Client(raise_request_exception=False)
    with pytest.MonkeyPatch.context() as patch, caplog.at_level(logging.ERROR):
        patch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
        response = client.get(f"/s/{token}/")
    assert response.status_code == 500
    records = [r for r in caplog.records if r.name == "skills_wallet.request"]
    failure = next(r for r in records if r.exc_info)
    assert failure.exc_info[0] is DatabaseError
    assert "route=sharing:public_page" in failure.getMessage()
    assert all(token not in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/privacy/", "/accessibility/"])
def test_the_notices_give_an_address_to_write_to(url, settings):
    settings.CONTACT_EMAIL = "privacy@wallet.example"
    page = Client().get(url).text
    assert '<a href="mailto:privacy@wallet.example">privacy@wallet.example</a>' in page
    assert "security.txt" not in page
