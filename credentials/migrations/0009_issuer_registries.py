"""External issuer registries: fetched by URL, their entries kept for verification."""

import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("credentials", "0008_freshness_and_duplicates"),
    ]

    operations = [
        migrations.CreateModel(
            name="IssuerRegistry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                (
                    "url",
                    models.URLField(max_length=2000, unique=True, verbose_name="address"),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="trusted")),
                ("entries", models.JSONField(blank=True, default=dict, verbose_name="entries")),
                (
                    "last_fetched_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="last fetched"),
                ),
                (
                    "last_error",
                    models.CharField(blank=True, max_length=500, verbose_name="last error"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
            ],
            options={
                "verbose_name": "issuer registry",
                "verbose_name_plural": "issuer registries",
                "ordering": ["name"],
            },
        ),
    ]
