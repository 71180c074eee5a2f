"""Hostile input through every form a learner can post: never a server error, a refusal
names what to fix and changes nothing, and what is accepted comes back escaped on the
learner's pages, the employer's page, the PDF transcript and admin.

The routes that answer a POST are found from the resolver; each must be listed in FORMS
with the fields it reads, so a new form cannot slip past this module.
"""

import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote_plus, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from credentials.models import ApiToken, Credential, ImportJob, RecipientIdentifier
from credentials.services import create_self_reported
from credentials.services_tokens import create_api_token
from sharing.models import ShareLink, Transcript
from sharing.services.links import LinkOptions, Selection, create_share_link
from sharing.services.transcripts import request_transcript
from tests.conftest import PASSWORD
from tests.hardening.corpus import TEXT, escaped, in_pdf, tagged, unescaped_markers
from tests.sharing.pdf_support import pdf_text
from wallet import curation_services, services
from wallet.models import Collection, CollectionItem, Curation, ExportJob, Skill, Tag, Wallet

pytestmark = pytest.mark.django_db

# Not learner forms: Django admin, the debug toolbar, allauth's own (tested) flows,
# and the REST API's views (tests/hardening/test_hostile_api.py).
SKIPPED = ("admin:", "djdt:", "account_", "mfa_", "socialaccount_")


class Objects:
    """One of each thing a learner owns, made directly through the services."""

    def __init__(self, owner) -> None:
        self.owner = owner
        self.credential = create_self_reported(learner=owner, title="Teamwork", description="Kind")
        curation_services.index_credentials(credentials=[self.credential])
        self.collection = curation_services.create_collection(
            owner=owner, name=f"Best of {uuid.uuid4().hex[:6]}", credentials=[self.credential]
        )
        self.skill = curation_services.add_skill(
            owner=owner, name="Listening", credentials=[self.credential]
        )
        self.link = create_share_link(
            owner=owner,
            title="For employers",
            selection=Selection.of(
                credentials=[self.credential], collections=[self.collection], skills=[self.skill]
            ),
            expires_at=None,
            options=LinkOptions(show_email=True),
        )
        self.token = self.link.reveal_token()
        # Not in the collection: the collection page shows its "add" form.
        self.loose = create_self_reported(learner=owner, title="Baking")
        self.api_token = (
            ApiToken.objects.owned_by(owner).filter(revoked_at=None, name="Sync").first()
            or create_api_token(owner=owner, name="Sync").api_token
        )
        self.identifier = services.add_recipient_identifier(
            owner=owner, value=f"did:example:{uuid.uuid4().hex}"
        )
        self.export = ExportJob.objects.create(owner=owner)
        self.import_job = ImportJob.objects.create(owner=owner, url="https://example.org/b.json")

    def is_intact(self) -> bool:
        """Every object still there and usable (a button may have deleted or revoked one)."""
        self.link.refresh_from_db()
        return (
            not self.link.is_revoked
            and Credential.objects.filter(pk=self.credential.pk).exists()
            and Collection.objects.filter(pk=self.collection.pk).exists()
            and Skill.objects.filter(pk=self.skill.pk).exists()
            and RecipientIdentifier.objects.filter(pk=self.identifier.pk).exists()
            and ApiToken.objects.filter(pk=self.api_token.pk, revoked_at=None).exists()
            and self.token == self.link.reveal_token()
        )

    def kwargs(self, route: str, names: list[str]) -> dict[str, str]:
        values = {
            "credential_uuid": self.credential.uuid,
            "collection_uuid": self.collection.uuid,
            "skill_uuid": self.skill.uuid,
            "link_uuid": self.link.uuid,
            "token": self.token,
            "token_uuid": self.api_token.uuid,
            "identifier_uuid": self.identifier.uuid,
            "job_uuid": self.export.uuid if "export" in route else self.import_job.uuid,
        }
        missing = [name for name in names if name not in values]
        assert not missing, f"{route}: teach Objects.kwargs the argument(s) {missing}"
        return {name: str(values[name]) for name in names}


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
        fields=("name", "framework", "code", "url", "credentials"),
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
    "wallet:home",
    "wallet:import_job",
    "wallet:profile_photo",
}


def walk(resolver: URLResolver, namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def html_routes() -> list[str]:
    """Every named route served by a plain Django view (DRF views are the API's)."""
    return sorted(
        {
            name
            for name, pattern in walk(get_resolver())
            if not name.startswith(SKIPPED) and not hasattr(pattern.callback, "cls")
        }
    )


def argument_names(route: str) -> list[str]:
    resolver = get_resolver()
    *namespaces, name = route.split(":")
    for namespace in namespaces:
        resolver = resolver.namespace_dict[namespace][1]
    return sorted(resolver.reverse_dict.getlist(name)[0][0][0][1])


def url_of(route: str, objects: Objects) -> str:
    return reverse(route, kwargs=objects.kwargs(route, argument_names(route)))


def learner_client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


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


def snapshot(user) -> dict[str, list]:
    """Everything the learner can change through a form, as plain values."""
    querysets = {
        "user": get_user_model()
        .objects.filter(pk=user.pk)
        .values("email", "preferred_language", "is_active"),
        "wallet": Wallet.objects.filter(user=user).values("display_name", "headline", "bio"),
        "credentials": Credential.objects.owned_by(user).values(
            "uuid", "name", "description", "evidence_url"
        ),
        "curations": Curation.objects.filter(credential__owner=user).values(
            "note", "public_description", "is_pinned", "is_hidden"
        ),
        "tags": Tag.objects.owned_by(user).values("name"),
        "collections": Collection.objects.owned_by(user).values("uuid", "name", "description"),
        "items": CollectionItem.objects.filter(collection__owner=user).values(
            "collection_id", "credential_id", "position"
        ),
        "skills": Skill.objects.owned_by(user).values("uuid", "name", "framework", "code", "url"),
        "skill evidence": Skill.credentials.through.objects.filter(skill__owner=user).values(
            "skill_id", "credential_id"
        ),
        "links": ShareLink.objects.owned_by(user).values(
            "uuid", "title", "message", "expires_at", "passcode_hash", "language", "show_email"
        ),
        "identifiers": RecipientIdentifier.objects.owned_by(user).values("value"),
        "tokens": ApiToken.objects.owned_by(user).values("name", "scope", "expires_at"),
    }
    return {name: sorted(map(repr, rows)) for name, rows in querysets.items()}


def changed(before: dict[str, list], after: dict[str, list]) -> list[str]:
    return [name for name in before if before[name] != after[name]]


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


@dataclass
class Shown:
    """A tagged value written through a form, and who must see it."""

    number: int
    what: str
    employer: bool | None  # None: the employer's page may or may not show it
    admin: bool = True


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
    post(
        "wallet:skill_list",
        {
            "name": value("skill name", None),
            "framework": value("skill framework", False),
            "code": value("skill code", None),
            "url": "https://example.org/skill",
            "credentials": [str(credential.uuid)],
        },
    )
    post(
        "wallet:identifier_add",
        {"value": f"https://example.org/{tagged(len(shown) + 1).replace(' ', '')}"},
    )
    shown.append(Shown(len(shown) + 1, "identifier", False))
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


def _pages(owner: Client, staff: Client, objects: Objects, link: ShareLink) -> dict[str, str]:
    owner_pages = {
        "dashboard": reverse("wallet:dashboard"),
        "dashboard search": reverse("wallet:dashboard") + "?q=alert",
        "collections": reverse("wallet:collection_list"),
        "skills": reverse("wallet:skill_list"),
        "profile": reverse("wallet:profile"),
        "links": reverse("sharing:link_list"),
        "link page": link.get_absolute_url(),
        "link form": reverse("sharing:link_edit", kwargs={"link_uuid": link.uuid}),
        "tokens": reverse("api:token_list"),
        "history": reverse("wallet:account_history"),
        "collection page": objects.collection.get_absolute_url(),
    }
    for credential in Credential.objects.owned_by(objects.owner):
        owner_pages[f"credential {credential.name[:30]}"] = credential.get_absolute_url()
        owner_pages[f"delete {credential.name[:30]}"] = reverse(
            "wallet:credential_delete", kwargs={"credential_uuid": credential.uuid}
        )
    for skill in Skill.objects.owned_by(objects.owner):
        owner_pages[f"skill {skill.name[:30]}"] = skill.get_absolute_url()
    pages = {name: owner.get(url) for name, url in owner_pages.items()}
    pages["employer page"] = Client().get(f"/s/{link.reveal_token()}/")
    admin_pages = {
        "admin users": reverse("admin:wallet_user_changelist"),
        "admin user": reverse("admin:wallet_user_change", args=[objects.owner.pk]),
        "admin wallets": reverse("admin:wallet_wallet_changelist"),
        "admin wallet": reverse(
            "admin:wallet_wallet_change", args=[Wallet.objects.get(user=objects.owner).pk]
        ),
        "admin credentials": reverse("admin:credentials_credential_changelist"),
        "admin collections": reverse("admin:wallet_collection_changelist"),
        "admin collection": reverse("admin:wallet_collection_change", args=[objects.collection.pk]),
        "admin skills": reverse("admin:wallet_skill_changelist"),
        "admin links": reverse("admin:sharing_sharelink_changelist"),
        "admin link": reverse("admin:sharing_sharelink_change", args=[link.pk]),
        "admin tokens": reverse("admin:credentials_apitoken_changelist"),
        "admin identifiers": reverse("admin:credentials_recipientidentifier_changelist"),
        "admin audit": reverse("admin:credentials_auditevent_changelist"),
    }
    for credential in Credential.objects.owned_by(objects.owner):
        admin_pages[f"admin credential {credential.pk}"] = reverse(
            "admin:credentials_credential_change", args=[credential.pk]
        )
    for skill in Skill.objects.owned_by(objects.owner):
        admin_pages[f"admin skill {skill.pk}"] = reverse(
            "admin:wallet_skill_change", args=[skill.pk]
        )
    for token in ApiToken.objects.owned_by(objects.owner):
        admin_pages[f"admin token {token.pk}"] = reverse(
            "admin:credentials_apitoken_change", args=[token.pk]
        )
    pages.update({name: staff.get(url) for name, url in admin_pages.items()})
    for name, response in pages.items():
        assert response.status_code == 200, name
    return {name: response.content.decode() for name, response in pages.items()}


def assert_shown_escaped(
    owner: Client,
    staff: Client,
    objects: Objects,
    link: ShareLink,
    shown: list[Shown],
    capture,
) -> None:
    """No page carries live markup; each value is visible, escaped, to whom it is for."""
    pages = _pages(owner, staff, objects, link)
    for name, html in pages.items():
        assert not unescaped_markers(html), f"{unescaped_markers(html)} unescaped on {name}"
    with capture(execute=True):
        request_transcript(link=link)
    with Transcript.objects.get(link=link).file.open("rb") as handle:
        pdf = pdf_text(handle.read())
    learner_html = "".join(html for name, html in pages.items() if not name.startswith("admin"))
    admin_html = "".join(html for name, html in pages.items() if name.startswith("admin"))
    problems = []
    for value in shown:
        expected = {
            "its owner's pages": (escaped(value.number) in learner_html, True),
            "admin": (escaped(value.number) in admin_html, value.admin),
            "the employer's page": (
                escaped(value.number) in pages["employer page"],
                value.employer,
            ),
            "the PDF transcript": (in_pdf(value.number) in pdf, value.employer),
        }
        for where, (is_there, should_be) in expected.items():
            if should_be is not None and is_there != should_be:
                problems.append(f"the {value.what} is {'' if is_there else 'not '}on {where}")
    assert not problems, problems


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
