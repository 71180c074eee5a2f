"""manage.py verify_credential FILE...: verify credential files and print one JSON line each."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from credentials.formats import CredentialFormatError
from credentials.management.files import read_capped
from credentials.verification.checks import CheckName
from credentials.verification.engine import VerificationResult, verify_bytes


def _line(path: str, result: VerificationResult) -> dict[str, Any]:
    """The JSON line for one verified credential."""
    return {
        "file": path,
        "index": result.index,
        "format": str(result.format),
        "status": str(result.verdict),
        "message": str(result.message),
        "name": result.normalized.get("name", ""),
        "issuer": result.normalized.get("issuer", {}).get("name", ""),
        "issuer_identity": result.check(CheckName.ISSUER).details.get("identity_level", ""),
        "checks": [
            {
                "name": str(check.name),
                "status": str(check.status),
                "code": str(check.code),
                "message": str(check.message),
            }
            for check in result.checks
        ],
    }


def _flatten(results: list[VerificationResult]) -> list[VerificationResult]:
    """Results followed by their nested results, in reading order."""
    flat: list[VerificationResult] = []
    for result in results:
        flat.append(result)
        flat.extend(_flatten(result.children))
    return flat


class Command(BaseCommand):
    """Verify files without storing anything; the exit code is 0 whatever the verdicts."""

    help = "Verify credential files (JSON, JWT, baked PNG/SVG) and print one JSON line each."

    def add_arguments(self, parser: CommandParser) -> None:
        """FILE... to verify."""
        parser.add_argument("files", nargs="+", metavar="FILE")

    def handle(self, *args: Any, **options: Any) -> None:
        """Print one line per credential found, or one error line per unreadable file."""
        for path in options["files"]:
            try:
                results = verify_bytes(read_capped(path), filename=path)
            except CredentialFormatError as exc:
                line = {"file": path, "index": 0, "status": "error", "reason": exc.reason}
                self.stdout.write(json.dumps(line, ensure_ascii=False))
                continue
            except OSError as exc:
                line = {"file": path, "index": 0, "status": "error", "reason": exc.strerror}
                self.stdout.write(json.dumps(line, ensure_ascii=False))
                continue
            for result in _flatten(results):
                self.stdout.write(json.dumps(_line(path, result), ensure_ascii=False))
