"""Nothing behind a login or a token is kept by a cache: every private URL, from the resolver.

New routes are covered automatically, with the objects the authorization matrix makes.
"""

import base64
import io
import json

import pytest
from django.test import Client
from PIL import Image

from credentials.models import CredentialSource
from credentials.services import import_credential
from tests.api.conftest import ApiClient
from tests.credentials.support.issuer import did_key_issuer
from tests.hardening.test_authorization_matrix import ROUTES, World, client_for, is_public
from tests.hardening.test_authorization_matrix import url_for as matrix_url_for
from wallet.tokens import create_api_token

pytestmark = pytest.mark.django_db

TOKEN_ROUTES = [
    (route, pattern) for route, pattern in ROUTES if route.startswith("sharing:public_")
]
LOGIN_ROUTES = [(route, pattern) for route, pattern in ROUTES if not is_public(route)]
API_ROUTES = [(route, pattern) for route, pattern in LOGIN_ROUTES if route.startswith("api:")]


class PrivateWorld(World):
    """The matrix's objects, around a verified credential of the learner's with a badge image."""

    def credential(self):
        if "credential" not in self.cache:
            issuer = did_key_issuer()
            document = issuer.credential(
                subject_id=None,
                identifier={
                    "type": "IdentityObject",
                    "identityHash": self.owner.email,
                    "identityType": "emailAddress",
                    "hashed": False,
                },
            )
            picture = io.BytesIO()
            Image.new("RGB", (32, 32), "#336699").save(picture, format="PNG")
            image = "data:image/png;base64," + base64.b64encode(picture.getvalue()).decode()
            document["credentialSubject"]["achievement"]["image"] = {"id": image, "type": "Image"}
            self.cache["credential"] = import_credential(
                learner=self.owner,
                data=json.dumps(issuer.sign(document)).encode(),
                source=CredentialSource.PASTE,
            ).created[0]
        return self.cache["credential"]


def url_for(route, pattern, learner) -> str:
    return matrix_url_for(route, pattern, PrivateWorld(learner))


def ids(routes):
    return [route for route, _ in routes]


def assert_not_stored(response, what: str) -> None:
    assert response.status_code < 500, what
    assert "no-store" in response.get("Cache-Control", ""), f"{what}: {response.status_code}"


@pytest.mark.parametrize(("route", "pattern"), LOGIN_ROUTES, ids=ids(LOGIN_ROUTES))
def test_every_page_behind_a_login_says_no_store(route, pattern, learner):
    url = url_for(route, pattern, learner)
    assert_not_stored(client_for(learner).get(url), f"GET {url}")


@pytest.mark.parametrize(("route", "pattern"), TOKEN_ROUTES, ids=ids(TOKEN_ROUTES))
def test_every_answer_behind_a_share_token_says_no_store(route, pattern, learner, employer):
    url = url_for(route, pattern, learner)
    assert_not_stored(employer.get(url), f"GET {url}")


@pytest.mark.parametrize(("route", "pattern"), API_ROUTES, ids=ids(API_ROUTES))
def test_every_api_answer_to_a_bearer_token_says_no_store(route, pattern, learner):
    url = url_for(route, pattern, learner)
    token = create_api_token(owner=learner, name="script").token
    assert_not_stored(ApiClient(token).get(url), f"GET {url}")


def test_a_badge_image_is_not_kept_either(learner):
    credential = PrivateWorld(learner).credential()
    assert credential.image
    response = client_for(learner).get(f"/credentials/{credential.uuid}/image.png")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_the_home_page_and_static_files_stay_cacheable_for_everyone():
    client = Client()
    assert "no-store" not in client.get("/").get("Cache-Control", "")
    static = client.get("/static/css/site.css")
    assert static.status_code == 200
    assert "no-store" not in static.get("Cache-Control", "")
