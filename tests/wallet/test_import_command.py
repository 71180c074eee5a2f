"""manage.py import_credentials: the verify_credential line plus the stored id."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from credentials.models import Credential
from tests.credentials.support.issuer import did_key_issuer

pytestmark = pytest.mark.django_db


def run(*args: str) -> list[dict]:
    out = io.StringIO()
    call_command("import_credentials", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_it_imports_files_and_prints_one_line_each(learner, tmp_path):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(did_key_issuer().signed()))
    bad = tmp_path / "bad.json"
    bad.write_text("{oops")
    lines = run("--email", learner.email, str(good), str(bad), str(tmp_path / "missing.json"))
    assert [line["status"] for line in lines[1:]] == ["error", "error"]
    first = lines[0]
    assert first["file"] == str(good)
    assert first["format"] == "ob3-vc"
    assert first["status"] == "verified_with_warnings"
    assert {check["name"] for check in first["checks"]} == {
        "proof",
        "issuer",
        "recipient",
        "dates",
        "status",
    }
    assert Credential.objects.get().uuid.hex == first["id"].replace("-", "")
    assert "malformed" in lines[1]["reason"] or "JSON" in lines[1]["reason"]


def test_a_second_import_is_refused_with_the_existing_id(learner, tmp_path):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(did_key_issuer().signed()))
    [first] = run("--email", learner.email, str(good))
    [again] = run("--email", learner.email, str(good))
    assert again["status"] == "error"
    assert again["id"] == first["id"]


def test_an_unknown_learner_is_an_error(db, tmp_path):
    with pytest.raises(CommandError):
        run("--email", "nobody@example.org", str(tmp_path / "x.json"))
