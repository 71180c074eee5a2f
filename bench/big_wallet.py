"""Big wallet: dashboard, skills view and export at 1,000 credentials against 10.

Both wallets are filled through `import_credential` with real signed
credentials (presentations of 100), spread over 40 skill areas and 4 issuers.
Pages are requested in-process through Django's test client, logged in, after
warm-up; each time is the best of several requests. The export figure is the
background ZIP build, per credential (the export page itself only queues it).
Targets: the same number of SQL queries, and at most twice the time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from bench.core import Figure, QueryCounter, Skipped
from bench.environment import analyze
from bench.learners import fill_wallet, make_learner

NAME = "big wallet"
SMALL, BIG = 10, 1000
REQUESTS = 12
MAX_TIME_RATIO = 2.0


def _measure(action: Callable[[], Any], repeat: int) -> tuple[float, int]:
    """Best time of `repeat` runs after two warm-ups, and the SQL queries of one run."""
    action()
    action()
    with QueryCounter() as queries:
        action()
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best, queries.count


def _page(client: Any, path: str) -> Callable[[], Any]:
    def get() -> Any:
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        return response

    return get


def _export(owner: Any) -> Callable[[], Any]:
    from wallet import export_services
    from wallet.models import ExportJob

    def build() -> Any:
        job = ExportJob.objects.create(owner=owner)
        return export_services.build_export(job=job)

    return build


def _figures(what: str, small: tuple[float, int], big: tuple[float, int], unit_scale: float):
    """A time figure (ratio at most 2) and a query-count figure (equal) for one view."""
    return [
        Figure(
            NAME,
            f"{what}, {BIG} credentials",
            big[0] * unit_scale,
            "ms",
            f"{what}, {SMALL} credentials",
            small[0] * unit_scale,
            target=f"<= {MAX_TIME_RATIO}",
            max_ratio=MAX_TIME_RATIO,
        ),
        Figure(
            NAME,
            f"{what}, {BIG} credentials: SQL queries",
            big[1],
            "queries",
            f"{what}, {SMALL} credentials",
            small[1],
            target="= 1 (equal)",
            max_ratio=1.0,
            min_ratio=1.0,
        ),
    ]


def run() -> tuple[list[Figure], list[Skipped]]:
    """Compare the two wallets view by view."""
    from celery import current_app
    from django.test import Client

    small_owner = make_learner("small@bench.example")
    big_owner = make_learner("big@bench.example")
    fill_wallet(small_owner, SMALL, prefix=10_000)
    fill_wallet(big_owner, BIG, prefix=20_000)
    analyze()
    clients = {}
    for owner in (small_owner, big_owner):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(owner)
        clients[owner.pk] = client
    figures: list[Figure] = []
    for what, path in (("dashboard", "/wallet/"), ("skills view", "/wallet/skills/")):
        small = _measure(_page(clients[small_owner.pk], path), REQUESTS)
        big = _measure(_page(clients[big_owner.pk], path), REQUESTS)
        figures += _figures(what, small, big, 1000)
    # The ZIP itself grows with the wallet; what must not grow is its cost per credential.
    eager = current_app.conf.task_always_eager
    small_export = _measure(_export(small_owner), 3)
    big_export = _measure(_export(big_owner), 1)
    current_app.conf.task_always_eager = eager
    per_small = (small_export[0] / SMALL, small_export[1])
    per_big = (big_export[0] / BIG, big_export[1])
    figures += _figures("export ZIP build, per credential", per_small, per_big, 1000)
    return figures, []
