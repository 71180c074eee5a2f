"""manage.py import_trusted_issuers FILE: load the trusted-issuer registry from JSON."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import ngettext

from credentials.registry import import_trusted_issuers


class Command(BaseCommand):
    help = (
        'Create or update trusted issuers from a JSON file: {"issuers": [{"name", "homepage", '
        '"identifiers": [DIDs, URLs, key ids], "trusted": true}]}. Nothing is saved if any '
        "entry is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        try:
            count = import_trusted_issuers(data=data)
        except ValidationError as exc:
            raise CommandError(f"{path}: {' '.join(exc.messages)}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "%(count)d trusted issuer imported.",
                    "%(count)d trusted issuers imported.",
                    count,
                )
                % {"count": count}
            )
        )
