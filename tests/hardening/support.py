"""What the hostile-input tests share: one of each thing a learner owns, the routes
from the resolver, a snapshot of what a learner can change, and the check that accepted
values come back escaped on every page (tests/hardening/test_hostile_forms.py and
tests/hardening/test_hostile_api.py).
"""

import uuid
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from credentials.models import Credential, ImportJob, RecipientIdentifier
from credentials.services import create_self_reported
from sharing.models import ShareLink, Transcript
from sharing.services.links import LinkOptions, Selection, create_share_link
from sharing.services.transcripts import request_transcript
from tests.hardening.corpus import escaped, in_pdf, unescaped_markers
from tests.hostapi.support import make_connection
from tests.sharing.pdf_support import pdf_text
from wallet import curation_services, services
from wallet.models import (
    ApiToken,
    Collection,
    CollectionItem,
    Curation,
    ExportJob,
    Skill,
    Tag,
    Wallet,
)
from wallet.tokens import create_api_token


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
        self.connection = make_connection(owner)

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
            "connection_uuid": self.connection.uuid,
            "client_uuid": self.connection.client.uuid,
        }
        missing = [name for name in names if name not in values]
        assert not missing, f"{route}: teach Objects.kwargs the argument(s) {missing}"
        return {name: str(values[name]) for name in names}


def walk(resolver: URLResolver, namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def argument_names(route: str) -> list[str]:
    resolver = get_resolver()
    *namespaces, name = route.split(":")
    for namespace in namespaces:
        resolver = resolver.namespace_dict[namespace][1]
    return sorted(resolver.reverse_dict.getlist(name)[0][0][0][1])


def learner_client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


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


@dataclass
class Shown:
    """A tagged value written through a form, and who must see it."""

    number: int
    what: str
    employer: bool | None  # None: the employer's page may or may not show it
    admin: bool = True


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
        "admin tokens": reverse("admin:wallet_apitoken_changelist"),
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
            "admin:wallet_apitoken_change", args=[token.pk]
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
