"""Hostile input through every form a learner can post: never a server error, a refusal
names what to fix and changes nothing, and what is accepted comes back escaped on the
learner's pages, the employer's page, the PDF transcript and admin.

The routes that answer a POST are found from the resolver; each must be listed in FORMS
with the fields it reads, so a new form cannot slip past this module.
"""

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote_plus, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import get_resolver, reverse

from credentials.models import Credential
from credentials.services import create_self_reported
from sharing.models import ShareLink
from sharing.services.links import Selection, create_share_link
from tests.conftest import PASSWORD
from tests.hardening.corpus import TEXT, tagged, unescaped_markers
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

pytestmark = pytest.mark.django_db

# Not learner forms: Django admin, the debug toolbar, allauth's own (tested) flows,
# and the REST API's views (tests/hardening/test_hostile_api.py).
SKIPPED = ("admin:", "djdt:", "account_", "mfa_", "socialaccount_", "usersessions_")
# The host API and its OAuth endpoints answer platforms, not learner forms: their hostile
# input is in tests/hostapi/test_hostile_requests.py.
SKIPPED += ("hostapi:",)


@dataclass(frozen=True)
class Form:
    """What a route reads from a POST, and a valid body to vary one field of."""

    fields: tuple[str, ...] = ()
    valid: Any = None  # Objects -> dict of valid values
    files: tuple[str, ...] = ()
    why_no_fields: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def _link_form(o: Objects) -> dict[str, Any]:
    return {
        "title": "For Acme",
        "message": "",
        "expiry": "90",
        "expiry_date": "",
        "credentials": [str(o.credential.uuid)],
        "collections": [],
        "skills": [],
        "passcode": "",
        "language": "en",
        "show_public_descriptions": "on",
        "allow_transcript": "on",
    }


# The link's switches are checkboxes: any value ticks them, as in a browser.
LINK_FIELDS = (
    "title",
    "message",
    "expiry",
    "expiry_date",
    "credentials",
    "collections",
    "skills",
    "passcode",
    "language",
)

FORMS: dict[str, Form] = {
    "wallet:credential_import": Form(
        fields=(
            "source",
            "self-title",
            "self-description",
            "self-achieved_on",
            "self-evidence_url",
            "paste-text",
            "url-url",
        ),
        valid=lambda o: {
            "source": "self",
            "self-title": "Baking",
            "self-description": "",
            "self-achieved_on": "",
            "self-evidence_url": "",
        },
        files=("self-evidence_file", "upload-file"),
    ),
    "wallet:credential_notes": Form(
        fields=("note", "public_description"),
        valid=lambda o: {"note": "", "public_description": ""},
    ),
    "wallet:credential_tags": Form(fields=("tags",), valid=lambda o: {"tags": "teamwork"}),
    "wallet:credential_pin": Form(fields=("pinned",), valid=lambda o: {"pinned": "1"}),
    "wallet:credential_hide": Form(
        fields=("hidden", "confirm"), valid=lambda o: {"hidden": "0", "confirm": "1"}
    ),
    "wallet:credential_collections": Form(
        fields=("collections",), valid=lambda o: {"collections": [str(o.collection.uuid)]}
    ),
    "wallet:collection_list": Form(
        fields=("name", "description"), valid=lambda o: {"name": "Data", "description": ""}
    ),
    "wallet:collection_edit": Form(
        fields=("name", "description"), valid=lambda o: {"name": "Data", "description": ""}
    ),
    "wallet:collection_add": Form(
        fields=("credentials",), valid=lambda o: {"credentials": [str(o.loose.uuid)]}
    ),
    "wallet:collection_move": Form(fields=("direction",), valid=lambda o: {"direction": "up"}),
    "wallet:skill_list": Form(
        fields=("name", "framework", "code", "url"),
        valid=lambda o: {"name": "Cooking", "framework": "", "code": "", "url": ""},
    ),
    "wallet:skill_detail": Form(
        fields=("credentials",), valid=lambda o: {"credentials": [str(o.credential.uuid)]}
    ),
    "wallet:profile": Form(
        fields=("display_name", "headline", "bio"),
        valid=lambda o: {"display_name": "Ada", "headline": "", "bio": ""},
    ),
    "wallet:profile_photo_upload": Form(files=("photo",), valid=lambda o: {}),
    "wallet:identifier_add": Form(fields=("value",), valid=lambda o: {"value": "did:web:a.org"}),
    "wallet:set_language": Form(
        fields=("language", "next"), valid=lambda o: {"language": "fr-ca", "next": "/wallet/"}
    ),
    # An offer given by value that is not one: previewing it sends no request anywhere.
    "wallet:receive_offer": Form(
        fields=("offer", "tx_code", "step"),
        valid=lambda o: {"offer": "openid-credential-offer://?credential_offer=%7B%7D"},
    ),
    "sharing:link_create": Form(fields=LINK_FIELDS, valid=_link_form),
    "sharing:link_edit": Form(fields=LINK_FIELDS, valid=_link_form),
    "sharing:link_extend": Form(
        fields=("expiry", "expiry_date"), valid=lambda o: {"expiry": "30", "expiry_date": ""}
    ),
    "sharing:linkedin_create": Form(
        fields=("expiry", "expiry_date"), valid=lambda o: {"expiry": "never", "expiry_date": ""}
    ),
    "api:token_list": Form(
        fields=("name", "scope", "expiry"),
        valid=lambda o: {"name": "Nightly", "scope": "read", "expiry": "30"},
    ),
    # The employer's passcode form: see test_a_hostile_passcode_gets_the_generic_refusal.
    "sharing:public_page": Form(fields=("passcode",)),
    # Account deletion sits behind allauth's re-authentication; its one field is a
    # checkbox, and any value ticks it: see test_account_deletion_refuses_garbage_safely.
    "wallet:account_delete": Form(why_no_fields="a confirmation checkbox behind re-login"),
    # Buttons: the POST carries no value the learner typed.
    **{
        name: Form(why_no_fields="a button")
        for name in (
            "wallet:credential_reverify",
            "wallet:credential_delete",
            "wallet:collection_delete",
            "wallet:collection_remove",
            "wallet:skill_delete",
            "wallet:profile_photo_remove",
            "wallet:identifier_remove",
            "wallet:export_request",
            "sharing:link_revoke",
            "sharing:link_regenerate",
            "sharing:link_transcript",
            "api:token_revoke",
            "wallet:platform_disconnect",
            "wallet:platform_profile",
            "wallet:holder_key_rotate",
        )
    },
}

# Pages served whatever the method, that read nothing from a POST body: a POST full of
# hostile fields must change nothing (see test_pages_that_ignore_a_post_change_nothing).
IGNORING_POST = {
    "accessibility",
    "privacy",
    "terms",
    "api:not_found",
    "sharing:link_detail",
    "sharing:link_linkedin",
    "sharing:link_list",
    "sharing:link_qr_svg",
    "sharing:link_transcript_pdf",
    "wallet:account_history",
    "wallet:collection_detail",
    "wallet:credential_detail",
    "wallet:credential_evidence",
    "wallet:credential_image",
    "wallet:credential_json",
    "wallet:credential_original",
    "wallet:dashboard",
    "wallet:export_detail",
    "wallet:export_download",
    "wallet:export_list",
    "wallet:holder_key_list",
    "wallet:home",
    "wallet:import_job",
    "wallet:profile_photo",
    # The issuer's sign-in sends the learner back with a GET; a POST finishes nothing.
    "wallet:receive_callback",
}


def html_routes() -> list[str]:
    """Every named route served by a plain Django view (DRF views are the API's)."""
    return sorted(
        {
            name
            for name, pattern in walk(get_resolver())
            if not name.startswith(SKIPPED) and not hasattr(pattern.callback, "cls")
        }
    )


def url_of(route: str, objects: Objects) -> str:
    return reverse(route, kwargs=objects.kwargs(route, argument_names(route)))


def encoded(data: dict[str, Any]) -> bytes:
    """A form body from text or raw bytes, repeated keys for lists."""
    pairs = []
    for key, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            raw = item if isinstance(item, bytes) else str(item).encode()
            pairs.append(f"{quote_plus(key)}={quote_plus(raw)}")
    return "&".join(pairs).encode()


def post_form(client: Client, url: str, data: dict[str, Any]):
    return client.post(url, encoded(data), content_type="application/x-www-form-urlencoded")


def error_shown(html: str) -> bool:
    return 'class="errorlist' in html or 'role="alert"' in html


# -- every POST route is known -------------------------------------------------------


def test_every_route_that_answers_a_post_is_listed_with_its_fields(learner):
    objects = Objects(learner)
    client = learner_client(learner)
    answering = set()
    for route in html_routes():
        response = client.post(url_of(route, objects), b"", content_type="text/plain")
        assert response.status_code < 500, f"POST {route} with no body"
        if response.status_code != 405:
            answering.add(route)
        if not objects.is_intact():
            objects = Objects(learner)
    listed = set(FORMS) | IGNORING_POST
    unlisted = answering - listed
    assert not unlisted, f"routes that take a POST but are not in FORMS: {sorted(unlisted)}"
    stale = listed - answering
    assert not stale, f"FORMS lists routes that refuse a POST: {sorted(stale)}"


@pytest.mark.parametrize("route", sorted(IGNORING_POST))
def test_pages_that_ignore_a_post_change_nothing(route, learner):
    objects = Objects(learner)
    client = learner_client(learner)
    names = {name for form in FORMS.values() for name in form.fields}
    before = snapshot(learner)
    for payload in TEXT[:12]:
        response = post_form(client, url_of(route, objects), dict.fromkeys(names, payload))
        assert response.status_code < 500, f"POST {route} with {payload!r}"
        assert not unescaped_markers(response.content.decode(errors="replace")), route
    assert not changed(before, snapshot(learner)), f"POST {route} changed {changed}"


FIELD_CASES = [
    (route, name) for route, form in FORMS.items() if form.valid is not None for name in form.fields
]


@pytest.mark.parametrize(("route", "name"), FIELD_CASES, ids=[f"{r}.{n}" for r, n in FIELD_CASES])
def test_hostile_values_in_a_field_are_refused_or_kept_harmless(route, name, learner):
    objects = Objects(learner)
    client = learner_client(learner)
    url = url_of(route, objects)
    form = FORMS[route]
    before = snapshot(learner)
    for payload in TEXT:
        data = form.valid(objects)
        data[name] = [payload] if isinstance(data.get(name), list) else payload
        response = post_form(client, url, data)
        after = snapshot(learner)
        shown = f"POST {route} with {name}={payload[:40]!r}"
        assert response.status_code < 500, shown
        html = response.content.decode(errors="replace")
        assert not unescaped_markers(html), f"{shown}: {unescaped_markers(html)} unescaped"
        if response.status_code >= 400:
            assert response.status_code == 400, shown
            assert error_shown(html), f"{shown}: refused without saying why"
            assert not changed(before, after), f"{shown}: half-written"
        if response.status_code == 302:
            location = response["Location"]
            parts = urlsplit(location)
            assert not parts.scheme and not parts.netloc, f"{shown}: redirected to {location}"
        if response.status_code == 302 and changed(before, after):
            page = client.get(location)
            assert page.status_code < 500, shown
            follow = page.content.decode(errors="replace")
            assert not unescaped_markers(follow), f"{shown}: unescaped after the redirect"
        before = after


@pytest.mark.parametrize(
    ("route", "name"),
    [(r, n) for r, form in FORMS.items() for n in form.files],
    ids=[f"{r}.{n}" for r, form in FORMS.items() for n in form.files],
)
def test_hostile_files_and_file_names_are_refused_safely(route, name, learner):
    objects = Objects(learner)
    client = learner_client(learner)
    url = url_of(route, objects)
    data = FORMS[route].valid(objects)
    if name == "upload-file":
        data["source"] = "upload"
    hostile_name = '"><script>alert(1)</script>.png'
    for content in (b"", b"<script>alert(1)</script>", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64):
        before = snapshot(learner)
        upload = SimpleUploadedFile(hostile_name, content, content_type="image/png")
        response = client.post(url, {**data, name: upload})
        shown = f"POST {route} with {name}={content[:10]!r}"
        assert response.status_code < 500, shown
        html = response.content.decode(errors="replace")
        assert not unescaped_markers(html), shown
        if response.status_code >= 400:
            assert error_shown(html), f"{shown}: refused without saying why"
            if name != "self-evidence_file":
                assert not changed(before, snapshot(learner)), f"{shown}: half-written"


def test_account_deletion_refuses_garbage_safely(learner):
    client = Client(raise_request_exception=False)
    client.post(reverse("account_login"), {"login": learner.email, "password": PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    url = reverse("wallet:account_delete")
    # Any value ticks a checkbox, as in a browser; these are the ones that do not.
    for payload in ("", "false", "False"):
        response = post_form(client, url, {"confirm": payload, "<script>alert(1)</script>": "x"})
        assert response.status_code == 400, payload
        assert not unescaped_markers(response.content.decode(errors="replace"))
        assert "Tick the box" in response.content.decode()
    learner.refresh_from_db()
    assert learner.is_active


# -- the employer's passcode form ----------------------------------------------------


def test_a_hostile_passcode_gets_the_generic_refusal(learner, settings):
    link = create_share_link(
        owner=learner,
        title="For Acme",
        selection=Selection.of(
            credentials=[create_self_reported(learner=learner, title="Teamwork")]
        ),
        expires_at=None,
        passcode="right horse",
    )
    url = reverse("sharing:public_page", kwargs={"token": link.reveal_token()})
    for payload in TEXT:
        employer = Client(raise_request_exception=False)
        response = post_form(employer, url, {"passcode": payload})
        shown = f"passcode {payload[:40]!r}"
        assert response.status_code in {400, 403, 429}, shown
        html = response.content.decode(errors="replace")
        assert not unescaped_markers(html), shown
        if response.status_code == 403:
            assert "That passcode is not right" in html, shown
        if response.status_code == 400:
            assert error_shown(html), shown
        assert "For Acme" not in html, f"{shown}: the page opened"


# -- search and filter parameters ----------------------------------------------------

GET_PAGES = {
    "wallet:dashboard": (
        "q",
        "verdict",
        "issuer",
        "skill",
        "tag",
        "format",
        "collection",
        "sort",
        "hidden",
        "page",
    ),
    "wallet:account_history": ("page",),
    "sharing:link_create": ("credential",),
}


@pytest.mark.parametrize("route", sorted(GET_PAGES))
def test_hostile_search_and_filter_parameters_come_back_escaped(route, learner):
    objects = Objects(learner)
    client = learner_client(learner)
    url = url_of(route, objects)
    for payload in TEXT:
        raw = payload if isinstance(payload, bytes) else payload.encode()
        query = "&".join(f"{name}={quote_plus(raw)}" for name in GET_PAGES[route])
        response = client.get(f"{url}?{query}")
        shown = f"GET {route} with {payload[:40]!r} in every parameter"
        assert response.status_code in {200, 400}, shown
        html = response.content.decode(errors="replace")
        assert not unescaped_markers(html), shown
        if response.status_code == 400:
            assert error_shown(html), f"{shown}: refused without saying why"


def test_a_long_search_is_refused_with_a_message(learner):
    Objects(learner)
    response = learner_client(learner).get(reverse("wallet:dashboard"), {"q": "<script>" * 12_500})
    assert response.status_code == 400
    assert error_shown(response.content.decode())


# -- what was accepted is escaped wherever it is shown -------------------------------


def fill_every_text_field(client: Client, objects: Objects) -> list[Shown]:
    """Write a tagged payload into every free-text field through its form."""
    shown: list[Shown] = []

    def post(route: str, data: dict[str, Any], **kwargs: str) -> None:
        url = reverse(route, kwargs=kwargs) if kwargs else reverse(route)
        response = post_form(client, url, data)
        # The token page answers 200: it shows the new token this once.
        assert response.status_code in {200, 302}, (route, response.content[:2000])
        assert not error_shown(response.content.decode()), (route, response.content[:2000])

    def value(what: str, employer: bool | None, admin: bool = True) -> str:
        shown.append(Shown(len(shown) + 1, what, employer, admin))
        return tagged(len(shown))

    credential = objects.credential
    post(
        "wallet:profile",
        {
            "display_name": value("display name", True),
            "headline": value("headline", True),
            "bio": value("bio", False),
        },
    )
    post(
        "wallet:credential_notes",
        {
            "note": value("private note", False, admin=False),
            "public_description": value("public text", True, admin=False),
        },
        credential_uuid=str(credential.uuid),
    )
    post(
        "wallet:credential_tags",
        {"tags": value("tag", False, admin=False)},
        credential_uuid=str(credential.uuid),
    )
    post(
        "wallet:collection_edit",
        {"name": value("collection name", False), "description": value("collection text", False)},
        collection_uuid=str(objects.collection.uuid),
    )
    # The employer sees a skill through the shared credentials that show it: this form
    # takes no evidence, so the skill's own page ties it to the credential the link shares.
    skill_name = value("skill name", True)
    post(
        "wallet:skill_list",
        {
            "name": skill_name,
            "framework": value("skill framework", False),
            "code": value("skill code", True),
            "url": "https://example.org/skill",
        },
    )
    skill = Skill.objects.owned_by(objects.owner).get(name=skill_name)
    post(
        "wallet:skill_detail",
        {"credentials": [str(credential.uuid)]},
        skill_uuid=str(skill.uuid),
    )
    post(
        "wallet:identifier_add",
        {"value": f"https://example.org/{tagged(len(shown) + 1).replace(' ', '')}"},
    )
    shown.append(Shown(len(shown) + 1, "identifier", False))
    # Making a token asks for the password again first.
    assert client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code == 302
    post(
        "api:token_list",
        {"name": value("token name", False), "scope": "read", "expiry": "30"},
    )
    post(
        "wallet:credential_import",
        {
            "source": "self",
            "self-title": value("self-reported title", True),
            "self-description": value("self-reported description", True, admin=False),
            "self-evidence_url": "https://example.org/" + "x" * 10,
        },
    )
    return shown


def test_every_accepted_value_is_escaped_wherever_it_is_shown(
    learner, admin_user, settings, django_capture_on_commit_callbacks
):
    settings.ADMIN_REQUIRES_MFA = False
    objects = Objects(learner)
    owner = learner_client(learner)
    shown = fill_every_text_field(owner, objects)
    created = Credential.objects.owned_by(learner).get(name__startswith='"><script>')
    response = post_form(
        owner,
        reverse("sharing:link_create"),
        {
            **_link_form(objects),
            "title": tagged(len(shown) + 1),
            "message": tagged(len(shown) + 2),
            "credentials": [str(objects.credential.uuid), str(created.uuid)],
            "skills": [str(skill.uuid) for skill in Skill.objects.owned_by(learner)],
            "passcode": '"><script>alert(1)</script>',
        },
    )
    assert response.status_code == 302, response.content[:3000]
    shown += [
        Shown(len(shown) + 1, "link title", True),
        Shown(len(shown) + 2, "link message", True),
    ]
    link = ShareLink.objects.owned_by(learner).get(title=tagged(len(shown) - 1))
    link.passcode_hash = ""
    link.save(update_fields=["passcode_hash"])
    staff = learner_client(admin_user)
    assert_shown_escaped(owner, staff, objects, link, shown, django_capture_on_commit_callbacks)


def test_a_self_reported_entry_with_an_evidence_link_opens(learner):
    credential = create_self_reported(
        learner=learner, title="Baking", evidence_url="https://example.org/bread"
    )
    response = learner_client(learner).get(credential.get_absolute_url())
    assert response.status_code == 200
    assert 'href="https://example.org/bread"' in response.content.decode()
