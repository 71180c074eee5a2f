"""Hostile bodies for every API endpoint that takes one: never a server error, every
refusal in the API's one error shape with nothing half-written, and what is accepted
comes back escaped on the HTML pages that later show it.

The endpoints are found from the resolver (every DRF view with post, put or patch);
each must be listed in BODIES, so a new endpoint cannot slip past this module.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from sharing.models import ShareLink
from tests.api.conftest import ApiClient
from tests.conftest import PASSWORD
from tests.hardening.corpus import JSON_ITEMS, JSON_VALUES, MALFORMED_BODIES, body_with, tagged
from tests.hardening.support import (
    Objects,
    Shown,
    argument_names,
    assert_shown_escaped,
    changed,
    learner_client,
    snapshot,
    walk,
)
from wallet.models import Skill
from wallet.tokens import create_api_token

pytestmark = pytest.mark.django_db

WRITES = ("post", "put", "patch")


@dataclass(frozen=True)
class Body:
    """The fields an endpoint reads from its JSON body, and a valid body."""

    valid: Callable[[Objects], dict[str, Any]]
    fields: tuple[str, ...] = ()
    session: bool = False


def _link(o: Objects) -> dict[str, Any]:
    return {"title": "For Acme", "credentials": [str(o.credential.uuid)]}


# The link's other switches are the same BooleanField as show_email.
LINK_FIELDS = (
    "title",
    "message",
    "expires_at",
    "passcode",
    "remove_passcode",
    "show_email",
    "language",
    "credentials",
    "collections",
    "skills",
)
NO_BODY = Body(valid=lambda o: {})

BODIES: dict[tuple[str, str], Body] = {
    ("api:me", "patch"): Body(
        valid=lambda o: {"headline": "Analyst"},
        fields=("display_name", "headline", "bio", "preferred_language"),
    ),
    ("api:api_token_list", "post"): Body(
        valid=lambda o: {"name": "Nightly"}, fields=("name", "scope", "expires_at"), session=True
    ),
    ("api:import_text", "post"): Body(valid=lambda o: {"text": "{}"}, fields=("text",)),
    ("api:self_reported", "post"): Body(
        valid=lambda o: {"title": "Volunteering"},
        fields=("title", "description", "achieved_on", "evidence_url"),
    ),
    ("api:import_url", "post"): Body(
        valid=lambda o: {"url": "https://example.org/b.json"}, fields=("url",)
    ),
    # An offer given by value that is not one: no request leaves the wallet.
    ("api:import_offer", "post"): Body(
        valid=lambda o: {"offer": "openid-credential-offer://?credential_offer=%7B%7D"},
        fields=("offer", "tx_code"),
    ),
    # Multipart only: a hostile file is the import tests' business (tests/corpus/hostile/).
    ("api:import_file", "post"): NO_BODY,
    ("api:credential_verify", "post"): NO_BODY,
    ("api:credential_notes", "put"): Body(
        valid=lambda o: {"note": "", "public_description": ""},
        fields=("note", "public_description"),
    ),
    ("api:credential_tags", "put"): Body(valid=lambda o: {"tags": ["a"]}, fields=("tags",)),
    ("api:credential_pin", "put"): Body(valid=lambda o: {"is_pinned": True}, fields=("is_pinned",)),
    ("api:credential_hide", "put"): Body(
        valid=lambda o: {"is_hidden": False}, fields=("is_hidden",)
    ),
    ("api:credential_collections", "put"): Body(
        valid=lambda o: {"collections": [str(o.collection.uuid)]}, fields=("collections",)
    ),
    ("api:collection_list", "post"): Body(
        valid=lambda o: {"name": "Data"}, fields=("name", "description", "credentials")
    ),
    ("api:collection_detail", "patch"): Body(
        valid=lambda o: {"name": "Data"}, fields=("name", "description")
    ),
    ("api:collection_items", "post"): Body(
        valid=lambda o: {"credentials": [str(o.credential.uuid)]}, fields=("credentials",)
    ),
    ("api:collection_item_move", "post"): Body(
        valid=lambda o: {"direction": "up"}, fields=("direction",)
    ),
    ("api:skill_list", "post"): Body(
        valid=lambda o: {"name": "Cooking"},
        fields=("name", "framework", "code", "url", "credentials"),
    ),
    ("api:skill_detail", "put"): Body(
        valid=lambda o: {"credentials": [str(o.credential.uuid)]}, fields=("credentials",)
    ),
    ("api:link_list", "post"): Body(valid=_link, fields=LINK_FIELDS),
    ("api:link_detail", "patch"): Body(valid=_link, fields=LINK_FIELDS),
    ("api:link_revoke", "post"): NO_BODY,
    ("api:link_regenerate", "post"): NO_BODY,
    ("api:link_transcript", "post"): NO_BODY,
    ("api:export_list", "post"): NO_BODY,
}


def write_endpoints() -> list[tuple[str, str]]:
    """Every (route, method) of a DRF view that takes a body."""
    found = set()
    for name, pattern in walk(get_resolver()):
        view = getattr(pattern.callback, "cls", None)
        if view is None:
            continue
        found.update((name, method) for method in WRITES if hasattr(view, method))
    return sorted(found)


def url_of(route: str, objects: Objects) -> str:
    kwargs = objects.kwargs(route, argument_names(route))
    return reverse(route, kwargs=kwargs)


def client_for(objects: Objects, body: Body) -> Client:
    if body.session:
        client = learner_client(objects.owner)
        # Making a token asks for the password again first.
        client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
        return client
    made = create_api_token(owner=objects.owner, name="hostile", scope="read_write")
    return ApiClient(made.token, raise_request_exception=False)


def assert_error_shape(response, shown: str) -> None:
    assert response["Content-Type"].startswith("application/json"), shown
    body = response.json()
    assert set(body) == {"error"}, shown
    assert {"code", "message", "fields"} <= set(body["error"]), shown
    assert body["error"]["message"], shown


def send(client: Client, method: str, url: str, body: bytes | str, content_type: str):
    """The body sent as it is (the client's post() would re-encode it by the charset)."""
    raw = body if isinstance(body, bytes) else body.encode()
    return client.generic(method.upper(), url, raw, content_type=content_type)


def test_every_api_endpoint_with_a_body_is_listed():
    found = set(write_endpoints())
    assert found - set(BODIES) == set(), "endpoints taking a body that BODIES does not list"
    assert set(BODIES) - found == set(), "BODIES lists endpoints that take no body"


FIELD_CASES = [(route, method, name) for (route, method), b in BODIES.items() for name in b.fields]


@pytest.mark.parametrize(
    ("route", "method", "name"),
    FIELD_CASES,
    ids=[f"{method.upper()} {route}.{name}" for route, method, name in FIELD_CASES],
)
def test_hostile_values_in_a_field_are_refused_in_the_error_shape(route, method, name, learner):
    objects = Objects(learner)
    body = BODIES[(route, method)]
    client = client_for(objects, body)
    url = url_of(route, objects)
    values = list(JSON_VALUES)
    if isinstance(body.valid(objects).get(name, ""), list) or name in LIST_FIELDS:
        values += [f"[{value}]" for value in JSON_ITEMS]
    for raw in values:
        before = snapshot(learner)
        response = send(
            client, method, url, body_with(body.valid(objects), name, raw), "application/json"
        )
        shown = f"{method.upper()} {route} with {name}={raw[:40]}"
        assert response.status_code < 500, shown
        if response.status_code >= 400:
            assert_error_shape(response, shown)
            assert not changed(before, snapshot(learner)), f"{shown}: half-written"
        if not objects.is_intact():
            objects = Objects(learner)
            url = url_of(route, objects)


LIST_FIELDS = {"tags", "credentials", "collections", "skills"}

ENDPOINT_CASES = sorted(BODIES)


@pytest.mark.parametrize(
    ("route", "method"), ENDPOINT_CASES, ids=[f"{m.upper()} {r}" for r, m in ENDPOINT_CASES]
)
def test_malformed_bodies_are_refused_in_the_error_shape(route, method, learner):
    objects = Objects(learner)
    body = BODIES[(route, method)]
    client = client_for(objects, body)
    # DRF reads no body for an endpoint that takes none: a few cases show it stays so.
    ignored = {"not json", "deeply nested arrays", "deeply nested objects", "a list"}
    cases = [case for case in MALFORMED_BODIES if body.fields or case[0] in ignored]
    for label, raw, content_type in cases:
        url = url_of(route, objects)
        before = snapshot(learner)
        response = send(client, method, url, raw, content_type)
        shown = f"{method.upper()} {route} with {label}"
        assert response.status_code < 500, shown
        # An empty body reads as an empty object (a change of nothing, or every default),
        # and an unknown charset falls back to UTF-8.
        if body.fields and label not in {"empty", "bad charset"}:
            assert 400 <= response.status_code < 500, shown
        if response.status_code >= 400:
            assert_error_shape(response, shown)
            assert not changed(before, snapshot(learner)), f"{shown}: half-written"
        if not objects.is_intact():
            objects = Objects(learner)


@pytest.mark.parametrize(
    "query",
    [
        "q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "q=" + "x" * 5000,
        "tag=%00",
        "verdict=%3Cscript%3E",
        "issuer=%FF%FE",
        "format=%ED%A0%80",
        "skill=not-a-uuid",
        "collection=%27%20OR%201%3D1",
        "hidden=maybe",
        "sort=-name;DROP",
        "page=-1",
        "page=99999999999999999999999",
        "page_size=100000000000000000000",
        "page_size=-5",
    ],
)
def test_hostile_list_parameters_never_break_the_api(query, learner):
    objects = Objects(learner)
    client = client_for(objects, NO_BODY)
    for route in ("api:credential_list", "api:collection_list", "api:link_list", "api:skill_list"):
        response = client.get(f"{reverse(route)}?{query}")
        assert response.status_code < 500, f"{route}?{query}"
        if response.status_code >= 400:
            assert_error_shape(response, f"{route}?{query}")


def test_values_accepted_through_the_api_are_escaped_wherever_they_are_shown(
    learner, admin_user, settings, django_capture_on_commit_callbacks
):
    settings.ADMIN_REQUIRES_MFA = False
    objects = Objects(learner)
    api = client_for(objects, NO_BODY)
    shown: list[Shown] = []

    def value(what: str, employer: bool | None, admin: bool = True) -> str:
        shown.append(Shown(len(shown) + 1, what, employer, admin))
        return tagged(len(shown))

    def write(method: str, route: str, data: dict[str, Any], **kwargs: str) -> dict[str, Any]:
        response = send(
            api, method, reverse(route, kwargs=kwargs), json.dumps(data), "application/json"
        )
        assert response.status_code in {200, 201}, (route, response.content[:500])
        return response.json()

    credential = str(objects.credential.uuid)
    write(
        "patch",
        "api:me",
        {
            "display_name": value("display name", True),
            "headline": value("headline", True),
            "bio": value("bio", False),
        },
    )
    write(
        "put",
        "api:credential_notes",
        {
            "note": value("private note", False, admin=False),
            "public_description": value("public text", True, admin=False),
        },
        credential_uuid=credential,
    )
    write(
        "put",
        "api:credential_tags",
        {"tags": [value("tag", False, admin=False)]},
        credential_uuid=credential,
    )
    write(
        "patch",
        "api:collection_detail",
        {"name": value("collection name", False), "description": value("collection text", False)},
        collection_uuid=str(objects.collection.uuid),
    )
    skill = write(
        "post",
        "api:skill_list",
        {
            "name": value("skill name", True),
            "framework": value("skill framework", False),
            "code": value("skill code", True),
            "credentials": [credential],
        },
    )
    session = learner_client(learner)
    # Making a token asks for the password again first.
    assert (
        session.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code == 302
    )
    response = session.post(
        reverse("api:api_token_list"),
        {"name": value("token name", False)},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content[:500]
    made = write(
        "post",
        "api:link_list",
        {
            "title": value("link title", True),
            "message": value("link message", True),
            "credentials": [credential],
            "skills": [skill["uuid"]],
            "expires_at": None,
        },
    )
    link = ShareLink.objects.get(uuid=made["uuid"])
    assert Skill.objects.owned_by(learner).filter(uuid=skill["uuid"]).exists()
    assert_shown_escaped(
        session,
        learner_client(admin_user),
        objects,
        link,
        shown,
        django_capture_on_commit_callbacks,
    )


def test_json_nested_past_the_parsers_limit_is_a_400_not_a_crash(learner):
    api = client_for(Objects(learner), NO_BODY)
    response = send(api, "patch", reverse("api:me"), "[" * 5000 + "]" * 5000, "application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


def test_a_lone_surrogate_is_refused_before_it_is_echoed_back(learner):
    objects = Objects(learner)
    api = client_for(objects, NO_BODY)
    url = reverse(
        "api:collection_item_move",
        kwargs={
            "collection_uuid": str(objects.collection.uuid),
            "credential_uuid": str(objects.credential.uuid),
        },
    )
    # A choice field repeats a wrong value in its message: this one cannot be encoded.
    response = send(api, "post", url, '{"direction": "\\ud800"}', "application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"
