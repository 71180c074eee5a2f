"""API tokens live beside the user model now: the wallet app adopts the existing
`credentials_apitoken` table (no row moves) and what names the model follows it.

- the content type `credentials.apitoken` becomes `wallet.apitoken`, so the model's
  permissions, groups holding them and admin history keep pointing at it;
- audit events whose target was a token name it `wallet.apitoken`.
"""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

OLD, NEW = ("credentials", "apitoken"), ("wallet", "apitoken")


def _relabel(apps, schema_editor, old: tuple[str, str], new: tuple[str, str]) -> None:
    db = schema_editor.connection.alias
    content_types = apps.get_model("contenttypes", "ContentType")
    # A fresh database has no content types yet (post_migrate makes them after this).
    if not content_types.objects.using(db).filter(app_label=new[0], model=new[1]).exists():
        content_types.objects.using(db).filter(app_label=old[0], model=old[1]).update(
            app_label=new[0]
        )
    content_types.objects.clear_cache()
    audit_events = apps.get_model("credentials", "AuditEvent")
    audit_events.objects.using(db).filter(target_type=".".join(old)).update(
        target_type=".".join(new)
    )


def forwards(apps, schema_editor) -> None:
    _relabel(apps, schema_editor, OLD, NEW)


def backwards(apps, schema_editor) -> None:
    _relabel(apps, schema_editor, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("wallet", "0004_content_revision"),
        ("credentials", "0011_move_api_tokens_state"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ApiToken",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ("name", models.CharField(max_length=100, verbose_name="name")),
                        (
                            "token_hash",
                            models.CharField(max_length=64, unique=True, verbose_name="token hash"),
                        ),
                        (
                            "prefix",
                            models.CharField(max_length=12, verbose_name="first characters"),
                        ),
                        (
                            "scope",
                            models.CharField(
                                choices=[("read", "read only"), ("read_write", "read and write")],
                                default="read",
                                max_length=16,
                                verbose_name="scope",
                            ),
                        ),
                        (
                            "expires_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="expires"),
                        ),
                        (
                            "last_used_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="last used"),
                        ),
                        (
                            "revoked_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="revoked"),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created"),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                        (
                            "owner",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="api_tokens",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="learner",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "API token",
                        "verbose_name_plural": "API tokens",
                        "ordering": ["-created_at"],
                        "db_table": "credentials_apitoken",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
