"""manage.py verify_credential: one JSON line per credential, exit code 0 whatever happens."""

import io
import json

import pytest
from django.core.management import call_command

from credentials.models import TrustedIssuer
from tests.credentials.support import fixtures
from tests.credentials.support.issuer import did_key_issuer

pytestmark = pytest.mark.django_db


def run(*paths) -> list[dict]:
    out = io.StringIO()
    call_command("verify_credential", *[str(path) for path in paths], stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_it_prints_one_line_per_credential_with_its_checks(tmp_path):
    issuer = did_key_issuer()
    file = tmp_path / "badge.json"
    file.write_text(json.dumps(issuer.signed()))
    [line] = run(file)
    assert line["file"] == str(file)
    assert line["index"] == 0
    assert line["format"] == "ob3-vc"
    assert line["status"] == "verified_with_warnings"
    assert [(c["name"], c["status"]) for c in line["checks"]] == [
        ("proof", "passed"),
        ("issuer", "warning"),
        ("recipient", "not_checked"),
        ("dates", "passed"),
        ("status", "not_checked"),
    ]
    assert all(check["message"] for check in line["checks"])


def test_each_line_shows_every_checks_code_and_the_issuers_identity_level(tmp_path):
    issuer = did_key_issuer()
    file = tmp_path / "badge.json"
    file.write_text(json.dumps(issuer.signed()))
    [line] = run(file)
    assert line["issuer_identity"] == "self_asserted"
    assert [c["code"] for c in line["checks"]][:2] == ["ok", "issuer_self_asserted"]
    TrustedIssuer.objects.create(name="Example University", identifiers=[issuer.id])
    [line] = run(file)
    assert line["issuer_identity"] == "registered"
    assert line["checks"][1]["code"] == "issuer_registered"


def test_a_clr_prints_itself_then_each_credential_inside(tmp_path):
    issuer = did_key_issuer()
    TrustedIssuer.objects.create(name="Example", identifiers=[issuer.id])
    members = [issuer.signed(name="A"), issuer.signed(name="B")]
    file = tmp_path / "clr.json"
    file.write_text(json.dumps(issuer.sign(fixtures.clr_credential(issuer.id, members))))
    lines = run(file)
    assert [(line["index"], line["format"], line["status"]) for line in lines] == [
        (0, "clr", "verified"),
        (1, "ob3-vc", "verified"),
        (2, "ob3-vc", "verified"),
    ]


def test_a_presentation_prints_each_member(tmp_path):
    issuer = did_key_issuer()
    file = tmp_path / "vp.json"
    file.write_text(json.dumps(fixtures.presentation([issuer.signed(), issuer.credential()])))
    assert [(line["index"], line["status"]) for line in run(file)] == [
        (0, "verified_with_warnings"),
        (1, "failed"),
    ]


def test_unreadable_and_missing_files_get_an_error_line_and_the_rest_still_runs(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"issuer": "a", "issuer": "b"}')
    good = tmp_path / "good.json"
    good.write_text(json.dumps(did_key_issuer().signed()))
    missing = tmp_path / "missing.json"
    lines = run(broken, missing, good)
    assert lines[0] == {
        "file": str(broken),
        "index": 0,
        "status": "error",
        "reason": "The JSON repeats the key “issuer”.",
    }
    assert (lines[1]["file"], lines[1]["status"]) == (str(missing), "error")
    assert lines[1]["reason"]
    assert (lines[2]["file"], lines[2]["status"]) == (str(good), "verified_with_warnings")


def test_a_baked_png_is_read_from_disk(tmp_path):
    file = tmp_path / "badge.png"
    file.write_bytes(fixtures.baked_png(json.dumps(did_key_issuer().signed())))
    [line] = run(file)
    assert line["status"] == "verified_with_warnings"


def test_an_oversized_file_is_an_error_line(tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 1000
    file = tmp_path / "big.png"
    file.write_bytes(fixtures.png() + b"\x00" * 2000)
    [line] = run(file)
    assert line["status"] == "error"
    assert "larger than" in line["reason"]
