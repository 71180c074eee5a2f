"""State changes for the learner's curation: skills, search text, tags, notes,
pins, hiding and collections.

A service that changes what a share link shows (a public description, hiding,
which credentials a collection or skill holds, a skill itself) bumps the learner's
content revision in its own transaction (`wallet.revisions`). Private notes, tags,
pins and collections' names and order never reach an employer, so they leave the
cached share pages alone.
"""

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from credentials import i18n
from credentials import services as credential_services
from credentials.models import Credential
from credentials.services import record_audit_event
from wallet.audit import AccountAction
from wallet.models import (
    Collection,
    CollectionItem,
    Curation,
    SearchEntry,
    Skill,
    SkillSource,
    Tag,
    User,
)
from wallet.revisions import bump_content_revision
from wallet.search import fold

MAX_TAGS = 20
MAX_TAG_LENGTH = 60
MAX_TEXT_LENGTH = 5000
INDEX_BATCH = 500


def skill_key(*, name: str, framework: str = "", code: str = "") -> str:
    """What makes two skills the same: framework + code, else the folded name."""
    if code.strip():
        return f"code:{fold(framework)}|{fold(code)}"[:600]
    return f"name:{fold(name)}"[:600]


def _alignments(credential: Credential) -> list[dict[str, str]]:
    normalized = credential.normalized if isinstance(credential.normalized, dict) else {}
    found = normalized.get("alignments")
    if not isinstance(found, list):
        return []
    return [
        {key: str(item.get(key) or "").strip() for key in ("name", "framework", "code", "url")}
        for item in found
        if isinstance(item, dict)
    ]


@transaction.atomic
def sync_skills_from_alignments(*, credential: Credential) -> list[Skill]:
    """Find or make a skill for each of the credential's alignments and link them."""
    skills: list[Skill] = []
    for alignment in _alignments(credential):
        name = alignment["name"] or alignment["code"]
        if not name:
            continue
        key = skill_key(name=name, framework=alignment["framework"], code=alignment["code"])
        skill, _created = Skill.objects.get_or_create(
            owner_id=credential.owner_id,
            key=key,
            defaults={
                "name": name[:300],
                "framework": alignment["framework"][:300],
                "code": alignment["code"][:200],
                "url": alignment["url"][:2000]
                if alignment["url"].startswith(("https://", "http://"))
                else "",
                "source": SkillSource.ALIGNMENT,
            },
        )
        skill.credentials.add(credential)
        skills.append(skill)
    if skills:
        # A link that shows one of these skills now shows this credential too.
        bump_content_revision(owner_id=credential.owner_id)
    return skills


def index_credentials(*, credentials: Sequence[Credential]) -> None:
    """Sync skills and search text for newly imported credentials (and their children)."""
    if not credentials:
        return
    with transaction.atomic():
        ids = [credential.pk for credential in credentials]
        family = Credential.objects.filter(Q(pk__in=ids) | Q(parent_id__in=ids))
        for credential in family:
            sync_skills_from_alignments(credential=credential)
        refresh_search_entries(credentials=[c for c in credentials if c.parent_id is None])


def index_wallet(*, owner: User) -> int:
    """Index the learner's credentials that are not indexed yet (imported elsewhere)."""
    total = 0
    while True:
        missing = list(
            Credential.objects.owned_by(owner)
            .top_level()
            .filter(search_entry__isnull=True)
            .order_by("pk")[:INDEX_BATCH]
        )
        if not missing:
            return total
        index_credentials(credentials=missing)
        total += len(missing)


def refresh_search_entries(*, credentials: Iterable[Credential]) -> None:
    """Rewrite the search text of these top-level credentials from what they hold now."""
    ids = [credential.pk for credential in credentials]
    for start in range(0, len(ids), INDEX_BATCH):
        rows = (
            Credential.objects.filter(pk__in=ids[start : start + INDEX_BATCH])
            .select_related("curation")
            .prefetch_related("skills", "curation__tags", "children__skills")
        )
        SearchEntry.objects.bulk_create(
            [SearchEntry(credential=row, text=_search_text(row)) for row in rows],
            update_conflicts=True,
            unique_fields=["credential"],
            update_fields=["text", "updated_at"],
        )


def _search_text(credential: Credential) -> str:
    parts = [credential.name, credential.issuer_name]
    skills = list(credential.skills.all())
    for child in credential.children.all():
        parts.append(child.name)
        skills.extend(child.skills.all())
    for skill in skills:
        parts.extend([skill.name, skill.code, skill.framework])
    curation = getattr(credential, "curation", None)
    if curation is not None:
        parts.extend(tag.name for tag in curation.tags.all())
        parts.append(curation.note)
    return fold(" \n ".join(part for part in parts if part))


def _curation_for(credential: Credential) -> Curation:
    if credential.parent_id:
        raise ValidationError(
            _("Curate the record this credential belongs to instead."), code="nested"
        )
    curation, _created = Curation.objects.get_or_create(credential=credential)
    return curation


def clean_tag_names(names: Iterable[str]) -> list[str]:
    """Trimmed, de-duplicated tag names, or a ValidationError saying what to fix."""
    cleaned: dict[str, str] = {}
    for raw in names:
        name = " ".join(str(raw).split())
        if not name:
            continue
        if len(name) > MAX_TAG_LENGTH:
            raise ValidationError(
                _("Keep each tag under %(max)d characters: “%(tag)s…” is too long.")
                % {"max": MAX_TAG_LENGTH, "tag": name[:20]},
                code="tag_length",
            )
        cleaned.setdefault(fold(name), name)
    if len(cleaned) > MAX_TAGS:
        raise ValidationError(
            _("Use at most %(max)d tags on one credential.") % {"max": MAX_TAGS},
            code="too_many_tags",
        )
    return list(cleaned.values())


@transaction.atomic
def set_credential_tags(*, credential: Credential, names: Sequence[str]) -> list[Tag]:
    """Replace the credential's tags; a tag the learner already has is reused."""
    names = clean_tag_names(names)
    curation = _curation_for(credential)
    existing = {fold(tag.name): tag for tag in Tag.objects.owned_by(credential.owner)}
    tags = []
    for name in names:
        tag = existing.get(fold(name))
        if tag is None:
            tag = Tag.objects.create(owner_id=credential.owner_id, name=name)
            existing[fold(name)] = tag
        tags.append(tag)
    curation.tags.set(tags)
    _prune_tags(credential.owner_id)
    refresh_search_entries(credentials=[credential])
    return tags


def _prune_tags(owner_id: int) -> None:
    Tag.objects.filter(owner_id=owner_id, curations__isnull=True).delete()


@transaction.atomic
def update_credential_notes(
    *, credential: Credential, note: str, public_description: str
) -> Curation:
    """Save the learner's private note and public description of a credential."""
    for value, label in ((note, _("private note")), (public_description, _("public description"))):
        if len(value) > MAX_TEXT_LENGTH:
            raise ValidationError(
                _("Keep the %(field)s under %(max)d characters.")
                % {"field": label, "max": MAX_TEXT_LENGTH},
                code="too_long",
            )
    curation = _curation_for(credential)
    is_shown_text_changed = curation.public_description != public_description
    curation.note = note
    curation.public_description = public_description
    curation.save(update_fields=["note", "public_description", "updated_at"])
    if is_shown_text_changed:
        bump_content_revision(owner_id=credential.owner_id)
    refresh_search_entries(credentials=[credential])
    return curation


@transaction.atomic
def set_credential_pinned(*, credential: Credential, is_pinned: bool) -> Curation:
    """Pin a credential to the top of the dashboard, or unpin it."""
    curation = _curation_for(credential)
    curation.is_pinned = is_pinned
    curation.save(update_fields=["is_pinned", "updated_at"])
    return curation


@transaction.atomic
def set_credential_hidden(*, credential: Credential, is_hidden: bool, actor: User) -> Curation:
    """Hide a credential from the dashboard and every share link, or show it again."""
    curation = _curation_for(credential)
    if curation.is_hidden == is_hidden:
        return curation
    curation.is_hidden = is_hidden
    curation.save(update_fields=["is_hidden", "updated_at"])
    bump_content_revision(owner_id=credential.owner_id)
    record_audit_event(
        action=AccountAction.CREDENTIAL_HIDDEN,
        actor=actor,
        target=credential,
        detail=i18n.gettext("Hidden") if is_hidden else i18n.gettext("Shown again"),
    )
    return curation


def remove_credential(*, credential: Credential, actor: User) -> None:
    """Delete a credential and its files, then the skills and tags only it held up."""
    if credential.parent_id:
        raise ValidationError(
            _("This credential is part of a record; delete the record instead."), code="nested"
        )
    owner_id = credential.owner_id
    with transaction.atomic():
        credential_services.delete_credential(credential=credential, actor=actor)
        Skill.objects.filter(
            owner_id=owner_id, source=SkillSource.ALIGNMENT, credentials__isnull=True
        ).delete()
        _prune_tags(owner_id)


def _clean_collection_fields(name: str, description: str) -> tuple[str, str]:
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Give the collection a name."), code="required")
    if len(name) > 120 or len(description) > 2000:
        raise ValidationError(
            _("Keep the name under 120 characters and the description under 2,000."),
            code="too_long",
        )
    return name, description.strip()


@transaction.atomic
def create_collection(
    *, owner: User, name: str, description: str = "", credentials: Sequence[Credential] = ()
) -> Collection:
    """Start a new collection, after the learner's others, holding these credentials."""
    name, description = _clean_collection_fields(name, description)
    last = Collection.objects.owned_by(owner).aggregate(last=Max("position"))["last"]
    collection = Collection.objects.create(
        owner=owner, name=name, description=description, position=(last or 0) + 1
    )
    add_to_collection(collection=collection, credentials=credentials)
    return collection


@transaction.atomic
def update_collection(*, collection: Collection, name: str, description: str) -> Collection:
    """Rename a collection or change its description."""
    collection.name, collection.description = _clean_collection_fields(name, description)
    collection.save(update_fields=["name", "description", "updated_at"])
    return collection


@transaction.atomic
def delete_collection(*, collection: Collection) -> None:
    """Delete a collection; its credentials stay in the wallet."""
    collection.delete()
    bump_content_revision(owner_id=collection.owner_id)


def _check_owner(collection: Collection, credentials: Iterable[Credential]) -> None:
    if any(credential.owner_id != collection.owner_id for credential in credentials):
        raise ValidationError(_("Only your own credentials can go in a collection."))


@transaction.atomic
def add_to_collection(*, collection: Collection, credentials: Iterable[Credential]) -> int:
    """Append credentials to the end of a collection, skipping those already in it."""
    credentials = [credential for credential in credentials if credential.parent_id is None]
    _check_owner(collection, credentials)
    held = set(collection.items.values_list("credential_id", flat=True))
    last = collection.items.aggregate(last=Max("position"))["last"] or 0
    new_items = []
    for credential in credentials:
        if credential.pk in held:
            continue
        held.add(credential.pk)
        last += 1
        new_items.append(
            CollectionItem(collection=collection, credential=credential, position=last)
        )
    CollectionItem.objects.bulk_create(new_items)
    if new_items:
        bump_content_revision(owner_id=collection.owner_id)
    return len(new_items)


@transaction.atomic
def remove_from_collection(*, collection: Collection, credential: Credential) -> None:
    """Take a credential out of a collection; it stays in the wallet."""
    if collection.items.filter(credential=credential).delete()[0]:
        bump_content_revision(owner_id=collection.owner_id)
    _renumber(collection)


@transaction.atomic
def set_credential_collections(
    *, credential: Credential, collections: Iterable[Collection]
) -> None:
    """Put a credential in exactly these collections of its owner."""
    wanted = {collection.pk: collection for collection in collections}
    for collection in Collection.objects.owned_by(credential.owner).filter(
        items__credential=credential
    ):
        if collection.pk not in wanted:
            remove_from_collection(collection=collection, credential=credential)
    for collection in wanted.values():
        add_to_collection(collection=collection, credentials=[credential])


def _renumber(collection: Collection) -> list[CollectionItem]:
    items = list(collection.items.order_by("position", "id"))
    for index, item in enumerate(items):
        item.position = index
    CollectionItem.objects.bulk_update(items, ["position"])
    return items


@transaction.atomic
def move_collection_item(*, collection: Collection, credential: Credential, offset: int) -> None:
    """Move a credential up (-1) or down (+1) in its collection."""
    if offset not in (-1, 1):
        raise ValidationError(_("A credential moves one place up or down."), code="offset")
    items = _renumber(collection)
    index = next((i for i, item in enumerate(items) if item.credential_id == credential.pk), None)
    if index is None:
        raise ValidationError(_("This credential is not in the collection."), code="missing")
    other = index + offset
    if not 0 <= other < len(items):
        return
    items[index].position, items[other].position = other, index
    CollectionItem.objects.bulk_update([items[index], items[other]], ["position"])


@transaction.atomic
def add_skill(
    *,
    owner: User,
    name: str,
    framework: str = "",
    code: str = "",
    url: str = "",
    credentials: Sequence[Credential] = (),
) -> Skill:
    """Add a skill backed by credentials; one that already exists gets the new evidence."""
    name, framework, code = (" ".join(value.split()) for value in (name, framework, code))
    if not name:
        raise ValidationError(_("Give the skill a name."), code="required")
    if url and not url.startswith(("https://", "http://")):
        raise ValidationError(_("Enter a web address starting with https://."), code="url")
    if any(credential.owner_id != owner.pk for credential in credentials):
        raise ValidationError(_("Only your own credentials can back a skill."))
    skill, _created = Skill.objects.get_or_create(
        owner=owner,
        key=skill_key(name=name, framework=framework, code=code),
        defaults={
            "name": name[:300],
            "framework": framework[:300],
            "code": code[:200],
            "url": url[:2000],
            "source": SkillSource.LEARNER,
        },
    )
    skill.credentials.add(*credentials)
    if credentials:
        bump_content_revision(owner_id=owner.pk)
    refresh_search_entries(credentials=_top_level(credentials))
    return skill


def _top_level(credentials: Iterable[Credential]) -> list[Credential]:
    ids = {credential.parent_id or credential.pk for credential in credentials}
    return list(Credential.objects.filter(pk__in=ids))


def _aligned_credentials(skill: Skill) -> list[Credential]:
    return [
        credential
        for credential in skill.credentials.all()
        if any(
            skill_key(name=a["name"] or a["code"], framework=a["framework"], code=a["code"])
            == skill.key
            for a in _alignments(credential)
        )
    ]


@transaction.atomic
def set_skill_credentials(*, skill: Skill, credentials: Sequence[Credential]) -> Skill:
    """Choose the credentials that back a skill; those aligned to it always stay."""
    if any(credential.owner_id != skill.owner_id for credential in credentials):
        raise ValidationError(_("Only your own credentials can back a skill."))
    before = list(skill.credentials.all())
    keep = {credential.pk: credential for credential in _aligned_credentials(skill)}
    keep.update({credential.pk: credential for credential in credentials})
    skill.credentials.set(list(keep.values()))
    bump_content_revision(owner_id=skill.owner_id)
    refresh_search_entries(credentials=_top_level([*before, *keep.values()]))
    return skill


@transaction.atomic
def delete_skill(*, skill: Skill) -> None:
    """Remove a skill the learner added; skills from alignments come back with them."""
    if _aligned_credentials(skill):
        raise ValidationError(
            _("This skill comes from your credentials' alignments and cannot be removed."),
            code="aligned",
        )
    backing = list(skill.credentials.all())
    skill.delete()
    bump_content_revision(owner_id=skill.owner_id)
    refresh_search_entries(credentials=_top_level(backing))


# Filled in `AppConfig.ready()` by the apps above that put credentials in links: each
# returns the learner's active links that include a credential.
LINKS_INCLUDING: list[Callable[[Credential], list[Any]]] = []


def share_links_including(credential: Credential) -> list[Any]:
    """The learner's active links this credential appears in, from every app that has links."""
    return [link for find in LINKS_INCLUDING for link in find(credential)]
