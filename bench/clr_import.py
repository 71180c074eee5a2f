"""Import: a CLR with 50, 100 and 200 nested credentials; the time per credential stays flat.

Each pass imports a freshly signed CLR (the same one twice would be refused as a
duplicate) through `import_credential`, the service behind the import page:
read, verify every nested credential, store originals, rows and checks in one
transaction. The baseline is the time per credential of the 50-credential CLR;
each figure is the best of three passes, sizes interleaved.
"""

from __future__ import annotations

import time
from itertools import count

from bench import credentials as made
from bench.core import Figure, QueryCounter, Skipped
from bench.learners import make_learner

NAME = "import"
SIZES = (50, 100, 200)
PASSES = 3
FLAT = 1.25
_prefixes = count(100)


def _import_seconds(learner: object, data: bytes) -> tuple[float, int]:
    """Seconds and SQL queries for one import."""
    from credentials.models import CredentialSource
    from credentials.services import import_credential

    with QueryCounter() as queries:
        start = time.perf_counter()
        outcome = import_credential(
            learner=learner, data=data, source=CredentialSource.UPLOAD, filename="clr.json"
        )
        seconds = time.perf_counter() - start
    if len(outcome.created) != 1:
        raise RuntimeError("the CLR was not imported")
    return seconds, queries.count


def _clr(size: int) -> bytes:
    """A freshly signed CLR holding `size` freshly signed credentials."""
    prefix = next(_prefixes)
    issuers = made.new_issuers(2)
    members = made.ob3_credentials(size, issuers=issuers, prefix=prefix)
    return made.clr(issuers[0], members, prefix=prefix)


def run() -> tuple[list[Figure], list[Skipped]]:
    """Time per nested credential at each size, against the smallest size."""
    learner = make_learner("importer@bench.example")
    _import_seconds(learner, _clr(10))
    per_credential: dict[int, float] = dict.fromkeys(SIZES, float("inf"))
    queries: dict[int, int] = {}
    # Sizes interleaved pass by pass, so a busy moment of the machine hits them alike.
    for _ in range(PASSES):
        for size in SIZES:
            seconds, queries[size] = _import_seconds(learner, _clr(size))
            per_credential[size] = min(per_credential[size], seconds / size)
    base = SIZES[0]
    figures = [
        Figure(
            NAME,
            f"CLR with {size} credentials, per credential",
            per_credential[size] * 1000,
            "ms",
            f"CLR with {base} credentials, per credential",
            per_credential[base] * 1000,
            target=f"<= {FLAT} (flat)",
            max_ratio=FLAT,
            extra={"queries": queries[size], "queries per credential": queries[size] / size},
        )
        for size in SIZES
    ]
    return figures, []
