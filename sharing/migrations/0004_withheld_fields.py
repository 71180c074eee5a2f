import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("credentials", "0013_cache_table"),
        ("sharing", "0003_sharelink_passcode_guessing"),
    ]

    operations = [
        migrations.CreateModel(
            name="WithheldFields",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("pointers", models.JSONField(default=list, verbose_name="withheld fields")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "credential",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="credentials.credential",
                        verbose_name="credential",
                    ),
                ),
                (
                    "link",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="withheld_fields",
                        to="sharing.sharelink",
                        verbose_name="link",
                    ),
                ),
            ],
            options={
                "verbose_name": "withheld fields",
                "verbose_name_plural": "withheld fields",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("link", "credential"), name="unique_withheld_fields_per_link"
                    )
                ],
            },
        ),
    ]
