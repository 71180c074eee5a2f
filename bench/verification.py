"""Verification: 200 OB 3.0 eddsa-rdfc-2022 credentials and 200 OB 2.0 signed assertions.

Warm: the process has verified other credentials first, and OB 2.0 issuer
documents are fetched once per run (as nightly re-verification does). Each
figure is the time per credential; the baselines are the bare signature check
(the floor: no parsing, no JSON-LD, no checks) and, for OB 3.0, the reference
JavaScript verifier `@digitalbazaar/vc` on the same credentials.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from bench import credentials as made
from bench.core import BENCH_DIR, Figure, Skipped, each, per_item_seconds

NAME = "verification"
COUNT = 200
WARMUP = 20
NODE_DIR = BENCH_DIR / "node"


def _recipient() -> Any:
    from credentials.verification.recipient import RecipientContext

    return RecipientContext(
        verified_emails={made.fixtures.LEARNER_EMAIL}, claimed_identifiers=set()
    )


def _verify_all_pass(items: list[bytes]) -> None:
    """Refuse to time a verifier that does not verify: every proof must pass."""
    from credentials.verification.checks import CheckName, CheckStatus
    from credentials.verification.engine import verify_bytes

    for data in items:
        [result] = verify_bytes(data, recipient=_recipient())
        if result.check(CheckName.PROOF).status != CheckStatus.PASSED:
            raise RuntimeError(f"a benchmark credential did not verify: {result.message}")


def _ed25519_floor(documents: list[dict[str, Any]]) -> float:
    """Seconds per credential for the Ed25519 check alone, over precomputed signing input."""
    from credentials.verification.keys import multibase_decode, resolve_key
    from credentials.verification.proofs import signing_input

    prepared = []
    for document in documents:
        proof = document["proof"]
        key = resolve_key(proof["verificationMethod"]).public_key
        prepared.append(
            (key, multibase_decode(proof["proofValue"]), signing_input(document, proof))
        )
    return per_item_seconds(
        each(prepared, lambda item: item[0].verify(item[1], item[2])), len(prepared)
    )


def _rs256_floor(tokens: list[str], public_key: Any) -> float:
    """Seconds per assertion for the RS256 check alone."""
    prepared = []
    for token in tokens:
        header, payload, signature = token.split(".")
        raw = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
        prepared.append((raw, f"{header}.{payload}".encode("ascii")))
    return per_item_seconds(
        each(
            prepared,
            lambda item: public_key.verify(item[0], item[1], padding.PKCS1v15(), hashes.SHA256()),
        ),
        len(prepared),
    )


def _wallet_seconds(items: list[bytes], warmup: list[bytes]) -> float:
    """Seconds per credential for the wallet's full verification (`verify_bytes`)."""
    from credentials.verification.engine import verify_bytes

    recipient = _recipient()
    for data in warmup:
        verify_bytes(data, recipient=recipient)
    return per_item_seconds(
        each(items, lambda data: verify_bytes(data, recipient=recipient)), len(items)
    )


def _node_modules() -> str | None:
    """Install the reference verifier from the npm registry when missing; say why not."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        return "node and npm are not installed"
    if not (NODE_DIR / "node_modules" / "@digitalbazaar" / "vc").is_dir():
        install = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=NODE_DIR,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if install.returncode != 0:
            return f"npm ci failed: {install.stderr.strip()[-300:]}"
    return None


def _reference_seconds(
    documents: list[dict[str, Any]], warmup: list[dict[str, Any]]
) -> dict[str, Any]:
    """Run @digitalbazaar/vc on the same credentials with the same bundled contexts."""
    from credentials.jsonld.loader import CONTEXT_FILES, CONTEXTS_DIR

    with tempfile.TemporaryDirectory(prefix="bench-vc-") as folder:
        path = Path(folder) / "input.json"
        path.write_text(
            json.dumps(
                {
                    "contexts": {
                        url: str(CONTEXTS_DIR / file) for url, file in CONTEXT_FILES.items()
                    },
                    "warmup": warmup,
                    "credentials": documents,
                    "passes": 3,
                }
            ),
            encoding="utf-8",
        )
        done = subprocess.run(
            ["node", str(NODE_DIR / "verify.mjs"), str(path)],
            cwd=NODE_DIR,
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
    return json.loads(done.stdout.strip().splitlines()[-1])


def run() -> tuple[list[Figure], list[Skipped]]:
    """Measure both formats against their floors and OB 3.0 against @digitalbazaar/vc."""
    from django.conf import settings

    from credentials.fetcher import one_fetch_per_url

    figures: list[Figure] = []
    skipped: list[Skipped] = []
    issuers = made.new_issuers(4)
    warm_docs = made.ob3_credentials(WARMUP, issuers=issuers, prefix=1)
    docs = made.ob3_credentials(COUNT, issuers=issuers, prefix=2)
    warm_bytes = [json.dumps(doc).encode() for doc in warm_docs]
    ob3_bytes = [json.dumps(doc).encode() for doc in docs]
    _verify_all_pass(ob3_bytes[:5])
    ob3 = _wallet_seconds(ob3_bytes, warm_bytes)
    floor = _ed25519_floor(docs)
    figures.append(
        Figure(
            NAME,
            "OB 3.0 eddsa-rdfc-2022, per credential",
            ob3 * 1000,
            "ms",
            "Ed25519 check alone (floor)",
            floor * 1000,
            extra={"count": COUNT},
        )
    )
    problem = _node_modules()
    if problem:
        skipped.append(Skipped(f"{NAME} vs @digitalbazaar/vc", problem))
    else:
        reference = _reference_seconds(docs, warm_docs)
        if reference["verified"] != reference["count"]:
            skipped.append(
                Skipped(
                    f"{NAME} vs @digitalbazaar/vc",
                    f"it verified {reference['verified']} of {reference['count']} credentials",
                )
            )
        else:
            figures.append(
                Figure(
                    NAME,
                    "OB 3.0 eddsa-rdfc-2022, per credential",
                    ob3 * 1000,
                    "ms",
                    "@digitalbazaar/vc 7.3 (node)",
                    reference["per_credential_ms"],
                    target="<= 1.0",
                    max_ratio=1.0,
                    extra={
                        "node": subprocess.run(
                            ["node", "--version"], capture_output=True, text=True, check=True
                        ).stdout.strip()
                    },
                )
            )
    site = made.ob2_issuer_site()
    previous_allowlist = settings.FETCH_ALLOWLIST
    settings.FETCH_ALLOWLIST = [site.server.authority]
    try:
        warm_tokens = [token.encode() for token in site.assertions(WARMUP, prefix=3)]
        tokens = site.assertions(COUNT, prefix=4)
        ob2_bytes = [token.encode() for token in tokens]
        with one_fetch_per_url():
            _verify_all_pass(ob2_bytes[:5])
            ob2 = _wallet_seconds(ob2_bytes, warm_tokens)
        fetching = _wallet_seconds(ob2_bytes[:50], warm_tokens[:5])
    finally:
        settings.FETCH_ALLOWLIST = previous_allowlist
        site.server.stop()
    rs256 = _rs256_floor(tokens, site.key.public_key())
    figures.append(
        Figure(
            NAME,
            "OB 2.0 signed (RS256), per credential",
            ob2 * 1000,
            "ms",
            "RS256 check alone (floor)",
            rs256 * 1000,
            extra={"count": COUNT, "issuer documents": "fetched once per run"},
        )
    )
    figures.append(
        Figure(
            NAME,
            "OB 2.0 signed, fetching issuer documents each time",
            fetching * 1000,
            "ms",
            "RS256 check alone (floor)",
            rs256 * 1000,
            extra={"count": 50, "fetches per credential": 4, "network": "loopback"},
        )
    )
    return figures, skipped
