"""Create a demo learner for local development; refuses with DEBUG off."""

import secrets
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from credentials.demo import DEMO_ISSUER_NAME, demo_credentials, demo_issuer_did
from credentials.models import CredentialSource, TrustedIssuer
from wallet.imports import add_self_reported, import_credentials_for
from wallet.services import ensure_wallet

DEMO_EMAIL = "demo@example.org"


def password_file() -> Path:
    """Where the demo password is kept between runs (var/, never committed)."""
    return Path(settings.VAR_DIR) / "demo-password"


def kept_password(user: object) -> str:
    """The password printed last time, if the demo learner still has it."""
    path = password_file()
    if not path.is_file():
        return ""
    password = path.read_text().strip()
    return password if password and user.check_password(password) else ""


def keep_password(password: str) -> None:
    path = password_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(password + "\n")
    path.chmod(0o600)


class Command(BaseCommand):
    help = (
        "Create (or reset) the demo learner, with demo credentials signed by a demo issuer "
        "that verify offline, and print its password (random the first time, then kept)."
    )

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG:
            raise CommandError("seed_demo only runs with DEBUG on: it creates a known account.")
        with transaction.atomic():
            user, created = get_user_model().objects.get_or_create(email=DEMO_EMAIL)
            # A second run must not lock out whoever is signed in with the printed password.
            password = "" if created else kept_password(user)
            if not password:
                password = secrets.token_urlsafe(12)
                user.set_password(password)
                user.save()
                keep_password(password)
            EmailAddress.objects.update_or_create(
                user=user, email=DEMO_EMAIL, defaults={"primary": True, "verified": True}
            )
            wallet = ensure_wallet(user=user)
            if created:
                wallet.display_name = "Demo Learner"
                wallet.headline = "Learning in public"
                wallet.save(update_fields=["display_name", "headline"])
            TrustedIssuer.objects.update_or_create(
                name=DEMO_ISSUER_NAME,
                defaults={"identifiers": [demo_issuer_did()], "homepage": "", "is_active": True},
            )
        if created:
            for data in demo_credentials(DEMO_EMAIL):
                import_credentials_for(learner=user, data=data, source=CredentialSource.DEMO)
            add_self_reported(
                learner=user,
                title="Volunteer sign-language interpreter",
                description="Two years interpreting at community events.",
            )
        self.stdout.write(self.style.SUCCESS(f"Demo learner: {DEMO_EMAIL}  password: {password}"))
