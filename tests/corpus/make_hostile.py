"""Writes tests/corpus/hostile/: hostile inputs for the import page (run from the repo root)."""

import base64
import gzip
import json
import struct
import zlib
from pathlib import Path

out = Path("tests/corpus/hostile")
out.mkdir(parents=True, exist_ok=True)
files = {}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(header, payload, sig=b"sig"):
    return f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}.{b64(sig)}"


def chunk(kind, body):
    return (
        struct.pack(">I", len(body))
        + kind
        + body
        + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    )


def png(*chunks, width=1, height=1):
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    raw = b"".join(b"\x00" + b"\x00" * 4 * width for _ in range(min(height, 4)))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + b"".join(chunks)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&"
VC2 = "https://www.w3.org/ns/credentials/v2"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def vc(**extra):
    doc = {
        "@context": [VC2, OB3],
        "id": "urn:uuid:11111111-2222-4333-8444-555555555555",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "did:example:issuer", "type": ["Profile"], "name": "Issuer"},
        "validFrom": "2024-01-01T00:00:00Z",
        "name": "Badge",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://example.org/a",
                "type": ["Achievement"],
                "name": "A",
                "criteria": {"narrative": "n"},
            },
        },
    }
    doc.update(extra)
    return doc


# malformed or wrong JSON
files["empty.json"] = b""
files["whitespace.json"] = b"   \n\t  "
files["truncated.json"] = b'{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": '
files["trailing-comma.json"] = b'{"a": 1,}'
files["single-quotes.json"] = b"{'a': 1}"
files["duplicate-keys.json"] = b'{"@context": "x", "id": "a", "id": "b"}'
files["nan.json"] = b'{"a": NaN}'
files["infinity.json"] = b'{"a": Infinity}'
files["array.json"] = b"[1, 2, 3]"
files["null.json"] = b"null"
files["number.json"] = b"42"
files["string.json"] = b'"hello"'
files["deep-arrays.json"] = b"[" * 10000 + b"]" * 10000
files["deep-objects.json"] = b'{"a":' * 5000 + b"1" + b"}" * 5000
files["utf16.json"] = '{"a": 1}'.encode("utf-16")
files["latin1.json"] = '{"name": "caf\xe9"}'.encode("latin-1")
files["nul-bytes.json"] = b'{"a": "\x00\x00"}'
files["lone-surrogate.json"] = b'{"name": "\\ud800"}'
files["huge-number.json"] = b'{"a": ' + b"9" * 5000 + b"}"
files["not-a-credential.json"] = b'{"hello": "world"}'
files["wrong-type-context.json"] = json.dumps(
    {"@context": 42, "type": "VerifiableCredential"}
).encode()
files["wrong-type-issuer.json"] = json.dumps(vc(issuer=["a", "b"])).encode()
files["wrong-type-subject.json"] = json.dumps(vc(credentialSubject="me")).encode()
files["wrong-type-name.json"] = json.dumps(vc(name={"a": [1, 2]})).encode()
files["wrong-type-dates.json"] = json.dumps(vc(validFrom=12345, validUntil=["x"])).encode()
files["bad-dates.json"] = json.dumps(
    vc(validFrom="yesterday", validUntil="2024-13-45T99:99:99Z")
).encode()
files["unknown-context.json"] = json.dumps(
    vc(**{"@context": [VC2, "https://evil.example/context.json"]})
).encode()
files["file-context.json"] = json.dumps(vc(**{"@context": [VC2, "file:///etc/passwd"]})).encode()
files["undefined-term.json"] = json.dumps(vc(sneaky="not in any context")).encode()
files["no-proof.json"] = json.dumps(vc()).encode()
files["proof-wrong-type.json"] = json.dumps(vc(proof="signed, honest")).encode()
files["proof-garbage.json"] = json.dumps(
    vc(
        proof={
            "type": "DataIntegrityProof",
            "cryptosuite": "eddsa-rdfc-2022",
            "verificationMethod": "did:key:zzz#zzz",
            "proofPurpose": "assertionMethod",
            "proofValue": "z!!!",
        }
    )
).encode()
files["proof-loopback-key.json"] = json.dumps(
    vc(
        proof={
            "type": "DataIntegrityProof",
            "cryptosuite": "eddsa-rdfc-2022",
            "verificationMethod": "https://127.0.0.1/key",
            "proofPurpose": "assertionMethod",
            "proofValue": "z3",
        }
    )
).encode()
files["proof-metadata-key.json"] = json.dumps(
    vc(
        proof={
            "type": "DataIntegrityProof",
            "cryptosuite": "eddsa-rdfc-2022",
            "verificationMethod": "http://169.254.169.254/latest/meta-data",
            "proofPurpose": "assertionMethod",
            "proofValue": "z3",
        }
    )
).encode()
files["status-private.json"] = json.dumps(
    vc(
        credentialStatus={
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "1",
            "statusListCredential": "https://10.0.0.1/list",
        }
    )
).encode()
files["xss-everywhere.json"] = json.dumps(
    vc(
        name=XSS,
        description=XSS,
        issuer={
            "id": "did:example:x",
            "type": ["Profile"],
            "name": XSS,
            "url": "javascript:alert(1)",
        },
        credentialSubject={
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://example.org/a",
                "type": ["Achievement"],
                "name": XSS,
                "description": XSS,
                "criteria": {"narrative": XSS, "id": "javascript:alert(3)"},
                "alignment": [
                    {
                        "type": ["Alignment"],
                        "targetName": XSS,
                        "targetUrl": "javascript:alert(4)",
                        "targetFramework": XSS,
                        "targetCode": XSS,
                    }
                ],
            },
        },
    )
).encode()
files["long-strings.json"] = json.dumps(vc(name="A" * 100000, description="B" * 200000)).encode()
files["many-members.json"] = json.dumps(
    {
        "@context": [VC2],
        "type": ["VerifiablePresentation"],
        "verifiableCredential": [vc() for _ in range(300)],
    }
).encode()
files["presentation-empty.json"] = json.dumps(
    {"@context": [VC2], "type": ["VerifiablePresentation"], "verifiableCredential": []}
).encode()
files["presentation-bad-member.json"] = json.dumps(
    {
        "@context": [VC2],
        "type": ["VerifiablePresentation"],
        "verifiableCredential": [42, "not.a.jwt"],
    }
).encode()
files["clr-bad-members.json"] = json.dumps(
    vc(
        type=["VerifiableCredential", "ClrCredential"],
        credentialSubject={"type": ["ClrSubject"], "verifiableCredential": ["x", {"y": 1}]},
    )
).encode()
files["ob2-javascript-id.json"] = json.dumps(
    {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": "javascript:alert(1)",
        "recipient": {"type": "email", "identity": "a@b.c", "hashed": False},
        "badge": "javascript:alert(2)",
        "verification": {"type": "hosted"},
        "issuedOn": "2024-01-01",
    }
).encode()
files["ob2-loopback-hosted.json"] = json.dumps(
    {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": "https://127.0.0.1/assertion",
        "recipient": {"type": "email", "identity": "a@b.c", "hashed": False},
        "badge": "https://127.0.0.1/badge",
        "verification": {"type": "hosted"},
        "issuedOn": "2024-01-01",
    }
).encode()
files["ob2-missing-fields.json"] = json.dumps(
    {"@context": "https://w3id.org/openbadges/v2", "type": "Assertion"}
).encode()
# JWT / JWS
files["jwt-alg-none.jwt"] = (
    jwt({"alg": "none"}, {"vc": vc(), "iss": "did:example:issuer"}).rsplit(".", 1)[0].encode()
    + b"."
)
files["jwt-alg-hs256.jwt"] = jwt(
    {"alg": "HS256", "kid": "did:example:issuer#1"}, {"vc": vc()}
).encode()
files["jwt-two-parts.jwt"] = b"eyJhbGciOiJFZERTQSJ9.eyJ2YyI6e319"
files["jwt-four-parts.jwt"] = b"a.b.c.d"
files["jwt-bad-base64.jwt"] = b"!!!.@@@.###"
files["jwt-header-not-json.jwt"] = (b64(b"not json") + "." + b64(b"{}") + ".sig").encode()
files["jwt-payload-array.jwt"] = jwt({"alg": "EdDSA"}, [1, 2]).encode()
files["jwt-jwk-garbage.jwt"] = jwt(
    {"alg": "EdDSA", "jwk": {"kty": "OKP", "crv": "Ed25519", "x": "!!"}}, {"vc": vc()}
).encode()
files["jwt-kid-loopback.jwt"] = jwt(
    {"alg": "ES256", "kid": "https://127.0.0.1/key#1"}, {"vc": vc()}
).encode()
files["jwe-five-parts.jwt"] = b"a.b.c.d.e"
# PNG
files["png-truncated.png"] = png()[:30]
files["png-bad-crc.png"] = png()[:20] + b"\x00\x00\x00\x00" + png()[24:]
files["png-no-badge.png"] = png()
files["png-itxt-bomb.png"] = png(
    chunk(b"iTXt", b"openbadgecredential\x00\x01\x00\x00\x00" + zlib.compress(b"A" * 50_000_000, 9))
)
files["png-itxt-garbage.png"] = png(
    chunk(b"iTXt", b"openbadgecredential\x00\x00\x00\x00\x00" + b"\xff\xfe not json")
)
files["png-itxt-bad-compression.png"] = png(
    chunk(b"iTXt", b"openbadges\x00\x01\x07\x00\x00" + b"zzzz")
)
files["png-huge-dimensions.png"] = png(width=100000, height=100000)
files["png-text-javascript-url.png"] = png(chunk(b"tEXt", b"openbadges\x00javascript:alert(1)"))
files["png-text-loopback-url.png"] = png(
    chunk(b"tEXt", b"openbadges\x00https://127.0.0.1/assertion")
)
files["png-xss-credential.png"] = png(
    chunk(b"iTXt", b"openbadgecredential\x00\x00\x00\x00\x00" + files["xss-everywhere.json"])
)
# SVG / XML
files["svg-billion-laughs.svg"] = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://openbadges.org"><openbadges:credential>&lol3;</openbadges:credential></svg>'
)
files["svg-xxe.svg"] = (
    b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://openbadges.org"><openbadges:credential>&xxe;</openbadges:credential></svg>'
)
files["svg-external-dtd.svg"] = (
    b'<?xml version="1.0"?><!DOCTYPE svg SYSTEM "http://127.0.0.1/evil.dtd"><svg xmlns="http://www.w3.org/2000/svg"></svg>'
)
files["svg-not-xml.svg"] = b"<svg><openbadges:credential>unclosed"
files["svg-no-badge.svg"] = (
    b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'
)
files["svg-script.svg"] = (
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://openbadges.org" onload="alert(1)"><script>alert(2)</script><openbadges:credential><![CDATA['
    + files["xss-everywhere.json"]
    + b"]]></openbadges:credential></svg>"
)
files["svg-verify-javascript.svg"] = (
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://openbadges.org"><openbadges:assertion verify="javascript:alert(1)"/></svg>'
)
# binary garbage
files["random-bytes.bin"] = bytes((i * 7919 + 13) % 256 for i in range(4096))
files["gzip-bomb.json.gz"] = gzip.compress(b"{" * 1_000_000)
files["zip-magic.zip"] = b"PK\x03\x04" + b"\x00" * 100
files["pdf-magic.pdf"] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n"
files["html.json"] = b"<html><body><script>alert(1)</script></body></html>"

for name, data in files.items():
    (out / name).write_bytes(data)
print(len(files), sum(len(d) for d in files.values()))
