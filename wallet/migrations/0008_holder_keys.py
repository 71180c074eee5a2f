import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("credentials", "0013_cache_table"),
        ("wallet", "0007_connected_platforms"),
    ]

    operations = [
        migrations.CreateModel(
            name="OfferImport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "protocol",
                    models.CharField(
                        choices=[
                            ("oid4vci", "OpenID for Verifiable Credential Issuance"),
                            ("vcapi", "VC-API exchange"),
                        ],
                        max_length=16,
                        verbose_name="protocol",
                    ),
                ),
                (
                    "secret_encrypted",
                    models.TextField(blank=True, verbose_name="offer (encrypted)"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "job",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="offer_import",
                        to="credentials.importjob",
                        verbose_name="import job",
                    ),
                ),
            ],
            options={"verbose_name": "offer import", "verbose_name_plural": "offer imports"},
        ),
        migrations.CreateModel(
            name="HolderKey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                (
                    "key_type",
                    models.CharField(
                        choices=[("ed25519", "Ed25519 (did:key)"), ("p256", "P-256 (did:jwk)")],
                        max_length=16,
                        verbose_name="key type",
                    ),
                ),
                ("did", models.CharField(max_length=500, unique=True, verbose_name="DID")),
                (
                    "private_key_encrypted",
                    models.TextField(blank=True, verbose_name="private key (encrypted)"),
                ),
                ("retired_at", models.DateTimeField(blank=True, null=True, verbose_name="retired")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="holder_keys",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="learner",
                    ),
                ),
            ],
            options={
                "verbose_name": "holder key",
                "verbose_name_plural": "holder keys",
                "ordering": ["-created_at"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("retired_at__isnull", True)),
                        fields=("owner", "key_type"),
                        name="one_active_holder_key_per_type",
                    )
                ],
            },
        ),
    ]
