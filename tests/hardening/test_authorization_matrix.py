"""Every URL pattern, from the resolver, as anonymous, another learner, the owner and staff.

New routes are covered automatically: a route whose arguments this module cannot fill
fails the test until it learns them.
"""

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from credentials.models import CredentialSource, ImportJob, RecipientIdentifier
from credentials.services import import_credential
from tests.conftest import make_learner
from tests.credentials.support.issuer import did_key_issuer
from tests.hostapi.support import make_connection
from wallet.models import ApiToken

pytestmark = pytest.mark.django_db

# Routes anyone may open: the site's public pages, allauth's entrance, the employer's page.
PUBLIC_PREFIXES = (
    "wallet:home",
    "wallet:set_language",
    "healthz",
    "robots_txt",
    "security_txt",
    "favicon",
    "privacy",
    "terms",
    "accessibility",
    "account_",
    "mfa_",
    "sharing:public_",
    "api:schema",
    "api:docs",
    "api:redoc",
    "javascript-catalog",
    "api:not_found",
    # The host API answers platforms (bearer tokens, client authentication), not sessions:
    # tests/hostapi covers who may do what there.
    "hostapi:",
)
# The owner's object exists but what the route serves may not yet (no image, no
# evidence file, export or transcript not rendered, not a LinkedIn link): 404 is fair.
OPTIONAL_RESOURCES = {
    "wallet:credential_image",
    "wallet:credential_evidence",
    "wallet:export_download",
    "api:link_transcript",
    "sharing:link_linkedin",
    "sharing:public_image",
    "hostapi:platform_logo",
}
SKIPPED_NAMESPACES = ("admin", "djdt")


def walk(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry, inner)
        elif entry.name:
            yield f"{namespace}{entry.name}", entry


ROUTES = sorted(
    {
        name: pattern
        for name, pattern in walk(get_resolver())
        if not name.startswith(SKIPPED_NAMESPACES)
    }.items()
)


def argument_names(route: str) -> list[str]:
    """The keyword arguments reverse() needs for a route (prefixes included)."""
    resolver = get_resolver()
    *namespaces, name = route.split(":")
    for namespace in namespaces:
        resolver = resolver.namespace_dict[namespace][1]
    possibilities = resolver.reverse_dict.getlist(name)[0][0]
    return sorted(possibilities[0][1])


class World:
    """A learner's objects of every kind, made on demand."""

    def __init__(self, owner) -> None:
        self.owner = owner
        self.cache: dict[str, Any] = {}

    def credential(self):
        if "credential" not in self.cache:
            signed = did_key_issuer().signed(subject_id=f"mailto:{self.owner.email}")
            data = json.dumps(signed).encode()
            self.cache["credential"] = import_credential(
                learner=self.owner, data=data, source=CredentialSource.PASTE
            ).created[0]
        return self.cache["credential"]

    def value(self, route: str, argument: str) -> str:
        makers: dict[str, Callable[[], Any]] = {
            "credential_uuid": lambda: self.credential().uuid,
            "job_uuid": lambda: self._job(route).uuid,
            "collection_uuid": lambda: self._collection().uuid,
            "skill_uuid": lambda: self._skill().uuid,
            "identifier_uuid": lambda: (
                RecipientIdentifier.objects.create(owner=self.owner, value="did:example:me").uuid
            ),
            "link_uuid": lambda: self._link()[0].uuid,
            "token": lambda: self._link()[1],
            "connection_uuid": lambda: self._connection().uuid,
            "client_uuid": lambda: self._connection().client.uuid,
            "token_uuid": lambda: (
                ApiToken.objects.create(
                    owner=self.owner, name="t", token_hash="0" * 64, prefix="x"
                ).uuid
            ),
        }
        if argument not in makers and is_public(route):
            return "1"
        if argument not in makers:
            pytest.fail(f"{route}: teach the authorization matrix the argument {argument!r}")
        return str(makers[argument]())

    def _connection(self):
        if "connection" not in self.cache:
            self.cache["connection"] = make_connection(self.owner)
        return self.cache["connection"]

    def _job(self, route: str):
        if "export" in route:
            from wallet.models import ExportJob

            return ExportJob.objects.create(owner=self.owner)
        return ImportJob.objects.create(owner=self.owner, url="https://example.org/badge.json")

    def _collection(self):
        from wallet.models import Collection, CollectionItem

        collection = Collection.objects.create(owner=self.owner, name="Best of")
        CollectionItem.objects.create(collection=collection, credential=self.credential())
        return collection

    def _skill(self):
        from wallet.models import Skill

        skill = Skill.objects.create(
            owner=self.owner, key="name:teamwork", name="Teamwork", source="learner"
        )
        skill.credentials.add(self.credential())
        return skill

    def _link(self):
        if "link" not in self.cache:
            from sharing.services.links import Selection, create_share_link

            link = create_share_link(
                owner=self.owner,
                title="For employers",
                selection=Selection.of(credentials=[self.credential()]),
                expires_at=None,
            )
            self.cache["link"] = (link, link.reveal_token())
        return self.cache["link"]


def url_for(route: str, pattern: URLPattern, world: World) -> str:
    kwargs = {name: world.value(route, name) for name in argument_names(route)}
    return reverse(route, kwargs=kwargs)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def is_public(route: str) -> bool:
    return route.startswith(PUBLIC_PREFIXES)


@pytest.mark.parametrize(("route", "pattern"), ROUTES, ids=[route for route, _ in ROUTES])
def test_every_route_keeps_each_persona_in_its_place(route, pattern, learner, admin_user):
    owner_world = World(learner)
    url = url_for(route, pattern, owner_world)
    owns_something = bool(argument_names(route)) and not is_public(route)
    stranger = make_learner("stranger@example.org")

    for method in ("get", "post"):
        anonymous = getattr(client_for(None), method)(url)
        other = getattr(client_for(stranger), method)(url)
        staff = getattr(client_for(admin_user), method)(url)
        for persona, response in (("anonymous", anonymous), ("other", other), ("staff", staff)):
            assert response.status_code < 500, f"{method.upper()} {url} as {persona}"
        if not is_public(route):
            assert anonymous.status_code in {302, 401, 403, 405}, f"{method.upper()} {url}"
            if anonymous.status_code == 302:
                assert re.search(r"/accounts/login/", anonymous["Location"])
        if owns_something:
            assert other.status_code in {404, 405}, f"{method.upper()} {url} as another learner"
            assert staff.status_code in {404, 405}, f"{method.upper()} {url} as staff"

    owner = client_for(learner).get(url)
    assert owner.status_code < 500
    if owns_something:
        refused = {401, 403} if route in OPTIONAL_RESOURCES else {401, 403, 404}
        assert owner.status_code not in refused, f"GET {url} as its owner"


def test_the_matrix_covers_the_learner_and_employer_routes():
    names = {route for route, _ in ROUTES}
    assert "wallet:credential_detail" in names
    assert any(name.startswith("sharing:") for name in names)
