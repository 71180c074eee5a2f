"""Create a demo learner for local development; refuses with DEBUG off."""

import secrets

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


class Command(BaseCommand):
    help = (
        "Create (or reset) the demo learner, with demo credentials signed by a demo issuer "
        "that verify offline, and print a fresh random password."
    )

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG:
            raise CommandError("seed_demo only runs with DEBUG on: it creates a known account.")
        password = secrets.token_urlsafe(12)
        with transaction.atomic():
            user, created = get_user_model().objects.get_or_create(email=DEMO_EMAIL)
            user.set_password(password)
            user.save()
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
                import_credentials_for(learner=user, data=data, source=CredentialSource.COMMAND)
            add_self_reported(
                learner=user,
                title="Volunteer sign-language interpreter",
                description="Two years interpreting at community events.",
            )
        self.stdout.write(self.style.SUCCESS(f"Demo learner: {DEMO_EMAIL}  password: {password}"))
