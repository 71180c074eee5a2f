"""Hostile or broken files get a clear, specific reason, never a crash."""

import base64
import json
import struct
import zlib

import pytest

from credentials.formats import CredentialFormatError, read_credentials
from tests.credentials.support import fixtures

ISSUER = "did:key:z6MkexampleIssuer"


def _refused(data: bytes, filename: str | None = None) -> str:
    with pytest.raises(CredentialFormatError) as caught:
        read_credentials(data, filename=filename)
    return caught.value.reason


def test_it_refuses_an_empty_file():
    assert "empty" in _refused(b"")


def test_it_refuses_malformed_json_with_its_position():
    assert "line 1" in _refused(b'{"type": ["VerifiableCredential"')


def test_it_refuses_truncated_json():
    data = json.dumps(fixtures.achievement_credential(ISSUER)).encode()
    assert "malformed or truncated" in _refused(data[: len(data) // 2])


def test_it_refuses_json_over_two_megabytes():
    data = b'{"padding": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    assert "larger than" in _refused(data)


def test_it_refuses_deep_nesting_before_parsing():
    depth = 100_000
    assert "nests deeper" in _refused(b"{" + b'"a":[' * depth + b"]" * depth + b"}")


@pytest.mark.parametrize(
    ("where", "escape"),
    [("name", "\\u0000"), ("name", "\\ud800"), ("key", "\\u0000"), ("key", "\\udfff")],
)
def test_it_refuses_text_no_database_stores(where, escape):
    # JSON escapes allow a NUL and a lone surrogate; PostgreSQL's jsonb and UTF-8 do not,
    # so they are refused with the reason instead of failing the write.
    text = json.dumps(fixtures.achievement_credential(ISSUER, name="Teamwork"))
    if where == "name":
        text = text.replace('"Teamwork"', f'"Team{escape}work"')
    else:
        text = text.replace('"name": "Teamwork"', f'"na{escape}me": "Teamwork", "name": "Teamwork"')
    assert escape in text
    assert "cannot be stored" in _refused(text.encode())


def test_an_ordinary_escape_still_reads():
    credential = fixtures.achievement_credential(ISSUER, name="Équipe \u00e9 ☃")
    [parsed] = read_credentials(json.dumps(credential).encode())
    assert parsed.document["name"] == "Équipe \u00e9 ☃"


def test_brackets_inside_strings_do_not_count_as_nesting():
    credential = fixtures.achievement_credential(ISSUER, name="[" * 500)
    [parsed] = read_credentials(json.dumps(credential).encode())
    assert parsed.document["name"] == "[" * 500


def test_it_refuses_duplicate_keys():
    assert "repeats the key “issuer”" in _refused(b'{"issuer": "a", "issuer": "b"}')


def test_it_refuses_nan():
    assert "NaN" in _refused(b'{"value": NaN}')


@pytest.mark.parametrize("data", [b"[1, 2]", b'"text"', b"42"])
def test_it_refuses_json_that_is_not_an_object(data):
    assert "must be an object" in _refused(data)


def test_it_refuses_binary_garbage():
    assert "neither text" in _refused(b"\xff\xfe\x00\x01garbage")


def test_it_refuses_an_image_over_five_megabytes():
    assert "larger than 5.0\xa0MB" in _refused(fixtures.png() + b"\x00" * (5 * 1024 * 1024))


def test_it_refuses_a_png_declaring_a_bomb_of_pixels():
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    bomb = (
        b"\x89PNG\r\n\x1a\n"
        + fixtures.png_chunk(b"IHDR", header)
        + fixtures.png_chunk(b"IDAT", zlib.compress(b"\x00" * 1_000_000, 9))
        + fixtures.png_chunk(b"IEND", b"")
    )
    assert "decompression bomb" in _refused(bomb)


def test_it_refuses_a_compressed_text_chunk_that_inflates_too_far():
    payload = zlib.compress(b" " * (50 * 1024 * 1024), 9)
    body = b"openbadgecredential\x00\x01\x00\x00\x00" + payload
    image = fixtures.png(fixtures.png_chunk(b"iTXt", body))
    assert len(image) < 200_000
    assert "decompression bomb" in _refused(image)


def test_it_refuses_a_truncated_png():
    image = fixtures.baked_png(json.dumps(fixtures.achievement_credential(ISSUER)))
    assert "truncated" in _refused(image[:-30])


def test_it_refuses_a_png_with_a_corrupt_chunk():
    image = bytearray(fixtures.baked_png("{}"))
    image[40] ^= 0xFF
    assert "checksum" in _refused(bytes(image))


def test_it_says_when_an_image_has_no_badge():
    assert "no badge baked" in _refused(fixtures.png())


def test_it_refuses_an_svg_entity_bomb():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg">&c;</svg>'
    )
    assert "entities" in _refused(bomb)


def test_it_refuses_an_svg_xxe():
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">'
        b"<openbadges:credential>&x;</openbadges:credential></svg>"
    )
    reason = _refused(xxe)
    assert "entities" in reason or "external" in reason


def test_it_refuses_an_svg_that_is_not_well_formed():
    assert "not well-formed" in _refused(b"<svg><g></svg>", filename="x.svg")


def test_it_refuses_a_jwt_whose_payload_is_not_json():
    token = (
        "eyJhbGciOiJub25lIn0." + base64.urlsafe_b64encode(b"not json").decode().rstrip("=") + "."
    )
    assert "malformed" in _refused(token.encode())


def test_it_refuses_a_jwt_that_holds_no_credential():
    header = base64.urlsafe_b64encode(b'{"alg":"HS256"}').decode().rstrip("=")
    payload = base64.urlsafe_b64encode(b'{"sub":"x"}').decode().rstrip("=")
    assert "neither a Verifiable Credential" in _refused(f"{header}.{payload}.abc".encode())


def test_it_refuses_a_presentation_member_of_the_wrong_type():
    assert "not a credential" in _refused(json.dumps(fixtures.presentation([42])).encode())


def test_it_refuses_a_huge_number():
    assert "could not be read" in _refused(b'{"n": ' + b"9" * 5000 + b"}")


WRONG_TYPES = [
    ("issuer", 42),
    ("issuer", {"name": "no id"}),
    ("credentialSubject", "nobody"),
    ("credentialSubject", [1, 2]),
    ("proof", "signed, honestly"),
    ("proof", [1, {"type": 5}]),
    ("validFrom", 5),
    ("validUntil", ["2020"]),
    ("credentialStatus", "revoked?"),
    ("credentialStatus", {"type": "BitstringStatusListEntry", "statusListIndex": [1]}),
    ("@context", {"@vocab": "https://evil.example/"}),
    ("name", {"@value": 5}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "value"), WRONG_TYPES)
def test_wrong_types_in_a_credential_fail_with_a_reason_not_a_crash(field, value):
    from credentials.verification.engine import verify_bytes

    credential = fixtures.achievement_credential(ISSUER)
    credential["proof"] = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022"}
    credential[field] = value
    [result] = verify_bytes(json.dumps(credential).encode())
    assert result.verdict == "failed"
    assert result.checks[0].message


@pytest.mark.parametrize(
    ("field", "value"),
    [("recipient", "ada"), ("badge", 7), ("issuedOn", []), ("verification", "signed")],
)
def test_wrong_types_in_an_ob2_assertion_fail_with_a_reason(field, value):
    from credentials.verification.engine import verify_bytes

    assertion = fixtures.ob2_assertion("https://example.invalid/a/1", "https://example.invalid/b")
    assertion[field] = value
    [result] = verify_bytes(json.dumps(assertion).encode())
    assert result.verdict in ("failed", "unverifiable")
    assert result.checks[0].message


def test_a_credential_whose_type_is_not_a_list_or_string_is_not_a_credential():
    credential = fixtures.achievement_credential(ISSUER)
    credential["type"] = 5
    assert "not a credential this wallet knows" in _refused(json.dumps(credential).encode())


def test_an_alg_none_jwt_fails_with_a_reason():
    from credentials.verification.engine import verify_bytes

    claims = {"vc": fixtures.achievement_credential(ISSUER), "iss": ISSUER}
    header = base64.urlsafe_b64encode(b'{"alg":"none"}').decode().rstrip("=")
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    [result] = verify_bytes(f"{header}.{payload}.".encode())
    assert result.verdict == "failed"
    assert "none" in result.checks[0].message


def test_escaped_quotes_neither_end_strings_nor_slow_the_depth_scan():
    import time

    started = time.monotonic()
    reason = _refused(b'{"a": "' + b'\\"' * 900_000)
    assert time.monotonic() - started < 5
    assert "malformed or truncated" in reason


def test_escaped_quotes_and_backslashes_inside_strings_are_read_correctly():
    credential = fixtures.achievement_credential(ISSUER, name='say \\"[{\\\\')
    [parsed] = read_credentials(json.dumps(credential).encode())
    assert parsed.document["name"] == credential["name"]


def test_it_refuses_a_file_holding_too_many_credentials():
    member = fixtures.achievement_credential(ISSUER)
    clrs = [fixtures.clr_credential(ISSUER, [member] * 150) for _ in range(4)]
    assert "more than 500 credentials" in _refused(json.dumps(fixtures.presentation(clrs)).encode())


def test_an_empty_presentation_is_refused():
    assert "holds no credentials" in _refused(json.dumps(fixtures.presentation([])).encode())
