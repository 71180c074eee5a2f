"""Index, once, the credentials that were stored without a search entry.

Pages used to index what a URL job or the import command had stored when the learner next
looked; every import channel now indexes as it stores, and no page writes on read. This
fills in what the old way left behind, with the same skills and search text the wallet's
services write (kept here, as a migration must not follow the code's later changes).
"""

import unicodedata

from django.db import migrations
from django.db.models import Q

BATCH = 500


def _fold(text):
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


def _skill_key(name, framework, code):
    if code.strip():
        return f"code:{_fold(framework)}|{_fold(code)}"[:600]
    return f"name:{_fold(name)}"[:600]


def _sync_skills(Skill, credential):
    normalized = credential.normalized if isinstance(credential.normalized, dict) else {}
    found = normalized.get("alignments")
    for item in found if isinstance(found, list) else []:
        if not isinstance(item, dict):
            continue
        alignment = {
            key: str(item.get(key) or "").strip() for key in ("name", "framework", "code", "url")
        }
        name = alignment["name"] or alignment["code"]
        if not name:
            continue
        skill, _created = Skill.objects.get_or_create(
            owner_id=credential.owner_id,
            key=_skill_key(name, alignment["framework"], alignment["code"]),
            defaults={
                "name": name[:300],
                "framework": alignment["framework"][:300],
                "code": alignment["code"][:200],
                "url": alignment["url"][:2000]
                if alignment["url"].startswith(("https://", "http://"))
                else "",
                "source": "alignment",
            },
        )
        skill.credentials.add(credential)


def _search_text(credential):
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
    return _fold(" \n ".join(part for part in parts if part))


def index_unindexed(apps, schema_editor):
    Credential = apps.get_model("credentials", "Credential")
    Skill = apps.get_model("wallet", "Skill")
    SearchEntry = apps.get_model("wallet", "SearchEntry")
    while True:
        missing = list(
            Credential.objects.filter(parent__isnull=True, search_entry__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:BATCH]
        )
        if not missing:
            return
        for credential in Credential.objects.filter(Q(pk__in=missing) | Q(parent_id__in=missing)):
            _sync_skills(Skill, credential)
        rows = Credential.objects.filter(pk__in=missing).prefetch_related(
            "skills", "children__skills"
        )
        SearchEntry.objects.bulk_create(
            [SearchEntry(credential=row, text=_search_text(row)) for row in rows]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("wallet", "0005_api_tokens_from_credentials"),
    ]

    operations = [
        migrations.RunPython(index_unindexed, migrations.RunPython.noop, elidable=True),
    ]
