"""The OpenAPI schema describes every operation well enough to use it alone, and the
interactive docs run from local assets under the site's strict CSP."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema(django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        response = Client().get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


def test_the_schema_is_openapi_3_with_bearer_tokens(schema):
    assert schema["openapi"].startswith("3.")
    schemes = schema["components"]["securitySchemes"]
    assert schemes["personalAccessToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schemes["personalAccessToken"]["description"],
    }
    assert "Authorization: Bearer" in schema["info"]["description"]


def test_every_operation_has_a_summary_a_tag_and_its_errors(schema):
    seen = 0
    for name, operation in operations(schema):
        seen += 1
        assert operation.get("summary"), name
        assert operation.get("tags"), name
        responses = operation["responses"]
        assert {"401", "429"} <= set(responses), name
        for status, response in responses.items():
            if status.startswith("4"):
                content = response["content"]["application/json"]
                assert content["schema"] == {"$ref": "#/components/schemas/Error"}, name
                assert content.get("examples"), name
    assert seen >= 40


def test_every_path_is_under_v1(schema):
    assert all(path.startswith("/api/v1/") for path in schema["paths"])


def test_every_json_body_has_an_example(schema):
    missing = [
        name
        for name, operation in operations(schema)
        for media_type, content in operation.get("requestBody", {}).get("content", {}).items()
        if media_type == "application/json" and not content.get("examples")
    ]

    assert missing == []


def test_the_docs_page_has_no_inline_script_or_style(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag, tag
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_the_docs_assets_are_served_from_this_site(client):
    html = client.get("/api/docs/").content.decode()
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)

    assert any("swagger-ui-bundle.js" in asset for asset in assets)
    assert any("swagger-ui.css" in asset for asset in assets)
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
    assert "https://" not in "".join(re.findall(r'(?:src|href)="([^"]+)"', html))
