"""Freshness of verdicts, the duplicates rule, and originals stored with a guessed type.

- `last_verified_at`, `recheck_failed_at`, `recheck_error`, `recheck_failures`: a check that
  cannot run keeps the verdict it had and says since when and why;
- `duplicate_of` and the fingerprint rule: two credentials are the same when their issuer id
  and credential id match once a proof passed, else when their bytes match;
- originals typed `image/svg+xml` because "<svg" appeared in their first bytes, though they
  are JSON or a JWT, get their real type and file name back.
"""

import hashlib
import json
import re
from collections import defaultdict
from pathlib import PurePosixPath

import django.db.models.deletion
from django.db import migrations, models

COMPACT_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")
SELF_REPORTED = "self_reported"
BATCH = 500


def _proof_passed(checks):
    return any(
        isinstance(check, dict) and check.get("name") == "proof" and check.get("status") == "passed"
        for check in checks or []
    )


def _could_not_run(row):
    return row.verdict == "unverifiable" and any(
        isinstance(check, dict) and check.get("is_transient") for check in row.checks or []
    )


def _fingerprint(row):
    """`credentials.services.fingerprint_for`, as of this migration, from the stored row."""
    view = row.normalized if isinstance(row.normalized, dict) else {}
    issuer = view.get("issuer")
    issuer_id = str(issuer.get("id") or "") if isinstance(issuer, dict) else ""
    credential_id = str(view.get("credential_id") or "")
    if issuer_id and credential_id and _proof_passed(row.checks):
        return "id:" + hashlib.sha256(f"{issuer_id}\n{credential_id}".encode()).hexdigest()
    return f"sha256:{row.original_sha256}"


def backfill_freshness(apps, schema_editor):
    Credential = apps.get_model("credentials", "Credential")
    rows = []
    for row in (
        Credential.objects.exclude(verdict=SELF_REPORTED)
        .filter(verified_at__isnull=False)
        .only("pk", "verdict", "checks", "verified_at")
        .iterator(chunk_size=BATCH)
    ):
        if not _could_not_run(row):
            row.last_verified_at = row.verified_at
            rows.append(row)
    Credential.objects.bulk_update(rows, ["last_verified_at"], batch_size=BATCH)


def rewrite_fingerprints(apps, schema_editor):
    """Every imported credential gets the new rule's fingerprint; should two top-level
    credentials of one learner end up the same, the proven (else older) one keeps it and
    the other is marked its duplicate."""
    Credential = apps.get_model("credentials", "Credential")
    rows = list(
        Credential.objects.exclude(verdict=SELF_REPORTED)
        .only(
            "pk",
            "uuid",
            "owner_id",
            "parent_id",
            "fingerprint",
            "normalized",
            "checks",
            "original_sha256",
            "created_at",
        )
        .order_by("created_at", "pk")
    )
    wanted = {row.pk: _fingerprint(row) for row in rows}
    groups = defaultdict(list)
    for row in rows:
        if row.parent_id is None:
            groups[(row.owner_id, wanted[row.pk])].append(row)
    duplicate_of = {}
    for same in groups.values():
        if len(same) < 2:
            continue
        keeper = next((row for row in same if _proof_passed(row.checks)), same[0])
        for row in same:
            if row is not keeper:
                wanted[row.pk] = f"copy:{row.uuid}"
                duplicate_of[row.pk] = keeper.pk
    changed = [row for row in rows if row.fingerprint != wanted[row.pk] or row.pk in duplicate_of]
    # Through a unique placeholder first: a row may take the fingerprint another gives up.
    for row in changed:
        row.fingerprint = f"migrating:{row.pk}"
    Credential.objects.bulk_update(changed, ["fingerprint"], batch_size=BATCH)
    for row in changed:
        row.fingerprint = wanted[row.pk]
        row.duplicate_of_id = duplicate_of.get(row.pk)
    Credential.objects.bulk_update(changed, ["fingerprint", "duplicate_of"], batch_size=BATCH)


def _parsed_type(data):
    """`application/json` or `application/jwt` when the bytes are that; None otherwise."""
    try:
        text = data.decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        return None
    if COMPACT_JWS.match(text):
        return "application/jwt"
    try:
        document = json.loads(text)
    except ValueError:
        return None
    return "application/json" if isinstance(document, dict | list) else None


def repair_content_types(apps, schema_editor):
    """Originals typed as SVG from a guess: read them again; JSON and JWTs get their type."""
    Credential = apps.get_model("credentials", "Credential")
    extensions = {"application/json": "json", "application/jwt": "jwt"}
    for row in Credential.objects.filter(original_content_type="image/svg+xml").exclude(
        original=""
    ):
        try:
            with row.original.open("rb") as handle:
                data = handle.read()
        except OSError:
            continue
        content_type = _parsed_type(data)
        if content_type is None:
            continue
        stem = PurePosixPath(row.original_name or "credential").stem or "credential"
        row.original_content_type = content_type
        row.original_name = f"{stem}.{extensions[content_type]}"
        row.save(update_fields=["original_content_type", "original_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("credentials", "0007_ob1_format"),
    ]

    operations = [
        migrations.AddField(
            model_name="credential",
            name="duplicate_of",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="duplicates",
                to="credentials.credential",
                verbose_name="copy of",
            ),
        ),
        migrations.AddField(
            model_name="credential",
            name="last_verified_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="last checked successfully"
            ),
        ),
        migrations.AddField(
            model_name="credential",
            name="recheck_failed_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="not checked again since"
            ),
        ),
        migrations.AddField(
            model_name="credential",
            name="recheck_error",
            field=models.JSONField(
                blank=True, default=dict, verbose_name="why it was not checked again"
            ),
        ),
        migrations.AddField(
            model_name="credential",
            name="recheck_failures",
            field=models.PositiveIntegerField(default=0, verbose_name="checks that could not run"),
        ),
        migrations.RunPython(backfill_freshness, migrations.RunPython.noop),
        migrations.RunPython(rewrite_fingerprints, migrations.RunPython.noop),
        migrations.RunPython(repair_content_types, migrations.RunPython.noop),
    ]
