"""Digital Bazaar's ecdsa-sd-2023 verifier (tests/sharing/js/verify_sd.mjs), run on what the
wallet derived. Without node or the npm packages the caller skips, unless REQUIRE_BROWSER
is set (CI), where that fails: as the browser harness does for axe-core.
"""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

from credentials.jsonld.loader import CONTEXT_FILES, CONTEXTS_DIR

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).resolve().parent / "js" / "verify_sd.mjs"
PACKAGE = ROOT / "node_modules" / "@digitalbazaar" / "ecdsa-sd-2023-cryptosuite"


def _unavailable(reason: str) -> None:
    if os.environ.get("REQUIRE_BROWSER"):
        pytest.fail(f"REQUIRE_BROWSER is set but {reason}")
    pytest.skip(reason)


def independently_verified(credentials: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One {"verified", "error"} per credential, from the independent verifier."""
    node = shutil.which("node")
    if node is None:
        _unavailable("node is not installed")
    if not PACKAGE.is_dir():
        _unavailable("@digitalbazaar/ecdsa-sd-2023-cryptosuite is not installed (run `npm ci`)")
    contexts = {url: str(CONTEXTS_DIR / name) for url, name in CONTEXT_FILES.items()}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump({"contexts": contexts, "credentials": credentials}, handle)
    try:
        run = subprocess.run(
            [node, str(SCRIPT), handle.name],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=ROOT,
            check=False,
        )
    finally:
        os.unlink(handle.name)
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout)["results"]


def assert_independently_verified(*credentials: dict[str, Any]) -> None:
    """Every credential verifies in the independent verifier."""
    results = independently_verified(list(credentials))
    failures = [result["error"] for result in results if not result["verified"]]
    assert not failures, failures
