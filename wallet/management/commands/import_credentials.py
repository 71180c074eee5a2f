"""manage.py import_credentials --email EMAIL FILE...: import files into a learner's wallet."""

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from credentials.formats import CredentialFormatError
from credentials.management.files import read_capped
from credentials.models import Credential, CredentialSource
from credentials.services import DuplicateCredential
from wallet.imports import import_credentials_for


def _line(path: str, credential: Credential) -> dict[str, Any]:
    """The verify_credential line for a stored credential, with its id."""
    return {
        "file": path,
        "index": credential.position,
        "format": credential.format,
        "status": credential.verdict,
        "message": credential.verdict_message,
        "name": credential.name,
        "issuer": credential.issuer_name,
        "checks": [
            {"name": check["name"], "status": check["status"], "message": check["message"]}
            for check in credential.checks
        ],
        "id": str(credential.uuid),
    }


class Command(BaseCommand):
    help = "Import credential files into a learner's wallet and print one JSON line each."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="The learner's account email.")
        parser.add_argument("files", nargs="+", metavar="FILE")

    def handle(self, *args: Any, **options: Any) -> None:
        learner = get_user_model().objects.filter(email__iexact=options["email"]).first()
        if learner is None:
            raise CommandError(f"No account with the email {options['email']}.")
        for path in options["files"]:
            for line in self._import(learner, path):
                self.stdout.write(json.dumps(line, ensure_ascii=False))

    def _import(self, learner: Any, path: str) -> list[dict[str, Any]]:
        try:
            outcome = import_credentials_for(
                learner=learner,
                data=read_capped(path),
                source=CredentialSource.COMMAND,
                filename=path,
            )
        except DuplicateCredential as exc:
            return [_refused(path, exc.messages[0], existing=exc.existing)]
        except (CredentialFormatError, ValidationError) as exc:
            reason = exc.reason if isinstance(exc, CredentialFormatError) else exc.messages[0]
            return [_refused(path, reason)]
        except OSError as exc:
            return [_refused(path, exc.strerror or str(exc))]
        lines = []
        for credential in outcome.created:
            lines.append(_line(path, credential))
            lines.extend(_line(path, child) for child in credential.children.order_by("position"))
        for existing in outcome.duplicates:
            reason = _("Already in this wallet.")
            lines.append(_refused(path, reason, existing=existing))
        return lines


def _refused(path: str, reason: str, *, existing: Credential | None = None) -> dict[str, Any]:
    line: dict[str, Any] = {"file": path, "index": 0, "status": "error", "reason": reason}
    if existing is not None:
        line["index"] = existing.position
        line["id"] = str(existing.uuid)
    return line
