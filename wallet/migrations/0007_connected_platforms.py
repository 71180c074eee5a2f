import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import wallet.hostapi.models


class Migration(migrations.Migration):
    dependencies = [
        ("credentials", "0013_cache_table"),
        ("wallet", "0006_index_unindexed_credentials"),
    ]

    operations = [
        migrations.CreateModel(
            name="PlatformClient",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                (
                    "client_id",
                    models.CharField(max_length=64, unique=True, verbose_name="client id"),
                ),
                (
                    "client_secret_hash",
                    models.CharField(max_length=64, verbose_name="client secret hash"),
                ),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                ("host", models.CharField(max_length=253, verbose_name="host")),
                ("client_uri", models.URLField(max_length=2000, verbose_name="home page")),
                (
                    "logo_uri",
                    models.URLField(blank=True, max_length=2000, verbose_name="logo address"),
                ),
                (
                    "tos_uri",
                    models.URLField(blank=True, max_length=2000, verbose_name="terms of service"),
                ),
                (
                    "policy_uri",
                    models.URLField(blank=True, max_length=2000, verbose_name="privacy policy"),
                ),
                (
                    "software_id",
                    models.CharField(blank=True, max_length=200, verbose_name="software id"),
                ),
                (
                    "software_version",
                    models.CharField(blank=True, max_length=100, verbose_name="software version"),
                ),
                (
                    "redirect_uris",
                    models.JSONField(default=list, verbose_name="redirect addresses"),
                ),
                ("scope", models.CharField(max_length=1000, verbose_name="scopes")),
                (
                    "logo",
                    models.FileField(
                        blank=True,
                        upload_to=wallet.hostapi.models.logo_upload_to,
                        verbose_name="logo",
                    ),
                ),
                (
                    "first_consent_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="first consent"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="registered")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
            ],
            options={
                "verbose_name": "platform registration",
                "verbose_name_plural": "platform registrations",
                "ordering": ["-created_at"],
            },
        ),
        migrations.CreateModel(
            name="PlatformConnection",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("scope", models.CharField(max_length=1000, verbose_name="scopes")),
                (
                    "reads_all",
                    models.BooleanField(
                        default=False, verbose_name="reads every credential not hidden"
                    ),
                ),
                (
                    "last_used_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="last used"),
                ),
                (
                    "disconnected_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="disconnected"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="connected")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "client",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="connections",
                        to="wallet.platformclient",
                        verbose_name="platform",
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="platform_connections",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="learner",
                    ),
                ),
            ],
            options={
                "verbose_name": "connected platform",
                "verbose_name_plural": "connected platforms",
                "ordering": ["-created_at"],
            },
        ),
        migrations.CreateModel(
            name="AuthorizationCode",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "code_hash",
                    models.CharField(max_length=64, unique=True, verbose_name="code hash"),
                ),
                ("redirect_uri", models.URLField(max_length=2000, verbose_name="redirect address")),
                ("scope", models.CharField(max_length=1000, verbose_name="scopes")),
                ("code_challenge", models.CharField(max_length=128, verbose_name="code challenge")),
                (
                    "code_challenge_method",
                    models.CharField(max_length=8, verbose_name="code challenge method"),
                ),
                ("expires_at", models.DateTimeField(verbose_name="expires")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "connection",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="codes",
                        to="wallet.platformconnection",
                    ),
                ),
            ],
            options={
                "verbose_name": "authorization code",
                "verbose_name_plural": "authorization codes",
            },
        ),
        migrations.CreateModel(
            name="PlatformToken",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "access_token_hash",
                    models.CharField(max_length=64, unique=True, verbose_name="access token hash"),
                ),
                (
                    "refresh_token_hash",
                    models.CharField(
                        blank=True,
                        max_length=64,
                        null=True,
                        unique=True,
                        verbose_name="refresh token hash",
                    ),
                ),
                ("scope", models.CharField(max_length=1000, verbose_name="scopes")),
                ("expires_in", models.PositiveIntegerField(verbose_name="lifetime in seconds")),
                (
                    "issued_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="issued"),
                ),
                ("revoked_at", models.DateTimeField(blank=True, null=True, verbose_name="revoked")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "connection",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="tokens",
                        to="wallet.platformconnection",
                    ),
                ),
            ],
            options={
                "verbose_name": "platform token",
                "verbose_name_plural": "platform tokens",
            },
        ),
        migrations.CreateModel(
            name="ProfileSuggestion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(blank=True, max_length=120, verbose_name="display name")),
                ("description", models.TextField(blank=True, max_length=2000, verbose_name="bio")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="suggested")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "connection",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="profile_suggestion",
                        to="wallet.platformconnection",
                    ),
                ),
            ],
            options={
                "verbose_name": "profile suggestion",
                "verbose_name_plural": "profile suggestions",
            },
        ),
        migrations.CreateModel(
            name="Delivery",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("platform_name", models.CharField(max_length=200, verbose_name="platform")),
                ("platform_host", models.CharField(max_length=253, verbose_name="platform host")),
                (
                    "kind",
                    models.CharField(
                        choices=[("ob", "Open Badges 3.0"), ("clr", "CLR 2.0")],
                        max_length=8,
                        verbose_name="kind",
                    ),
                ),
                ("issuer_ref", models.CharField(max_length=2000, verbose_name="issuer id")),
                ("credential_ref", models.CharField(max_length=2000, verbose_name="credential id")),
                (
                    "replaced_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="last replaced"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="delivered")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "credential",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="platform_delivery",
                        to="credentials.credential",
                        verbose_name="credential",
                    ),
                ),
                (
                    "client",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="deliveries",
                        to="wallet.platformclient",
                        verbose_name="platform",
                    ),
                ),
            ],
            options={
                "verbose_name": "delivery",
                "verbose_name_plural": "deliveries",
                "ordering": ["created_at"],
                "indexes": [
                    models.Index(
                        fields=["client", "kind", "updated_at"],
                        name="wallet_deli_client__fb7507_idx",
                    )
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="platformconnection",
            constraint=models.UniqueConstraint(
                condition=models.Q(("disconnected_at__isnull", True)),
                fields=("owner", "client"),
                name="one_active_connection_per_platform",
            ),
        ),
    ]
