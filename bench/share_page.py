"""Employer share page under gunicorn with production settings, against a fixed page.

A learner shares 25 verified credentials. gunicorn (sync workers, one per
core) serves the employer page `/s/<token>/` from the benchmark's PostgreSQL
database; wrk loads it at fixed concurrency for a fixed duration. The baseline
is a minimal Django view returning a fixed HTML page of the same size, through
the same server, settings and middleware (bench/baseline_wsgi.py). The two are
loaded in turn, twice each, and each side keeps its best round.

The page's SQL queries are counted in-process for 5 and for 25 credentials:
the same number whatever the number of credentials.
"""

from __future__ import annotations

import os
import socket
import tempfile
from pathlib import Path
from typing import Any

from bench.core import Figure, QueryCounter, Skipped
from bench.environment import analyze
from bench.learners import fill_wallet, make_learner, share
from bench.load import LoadResult, gunicorn, run_wrk, wrk_missing

NAME = "share page"
CREDENTIALS = 25
FEW = 5
CONNECTIONS = 8
SECONDS = 8
ROUNDS = 2
MIN_THROUGHPUT = 0.7


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _page_queries(path: str) -> tuple[int, int]:
    """SQL queries and bytes of one employer visit, after a warm-up visit."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.get(path)
    with QueryCounter() as queries:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"the share page answered {response.status_code}")
    return queries.count, len(response.content)


def _path(link: Any) -> str:
    from django.urls import reverse

    return reverse("sharing:public_page", kwargs={"token": link.reveal_token()})


def _best(results: list[LoadResult]) -> LoadResult:
    return max(results, key=lambda result: result.requests_per_second)


def run() -> tuple[list[Figure], list[Skipped]]:
    """Throughput and latency against the baseline; queries for 5 against 25 credentials."""
    missing = wrk_missing()
    learner = make_learner("employer-view@bench.example")
    credentials = fill_wallet(learner, CREDENTIALS, prefix=30_000, skill_areas=8)
    many = share(learner, credentials, "Everything")
    few = share(learner, credentials[:FEW], "A few")
    analyze()
    many_path, few_path = _path(many), _path(few)
    queries_many, size = _page_queries(many_path)
    queries_few, _size = _page_queries(few_path)
    figures = [
        Figure(
            NAME,
            f"SQL queries per page, {CREDENTIALS} credentials",
            queries_many,
            "queries",
            f"{FEW} credentials",
            queries_few,
            target="= 1 (equal)",
            max_ratio=1.0,
            min_ratio=1.0,
        )
    ]
    if missing:
        return figures, [Skipped(f"{NAME} load", missing)]
    env = {**os.environ, "BENCH_PAGE_BYTES": str(size)}
    workers = os.cpu_count() or 2
    product: list[LoadResult] = []
    baseline: list[LoadResult] = []
    with tempfile.TemporaryDirectory(prefix="bench-gunicorn-") as folder:
        logs = Path(folder)
        for _round in range(ROUNDS):
            port = _free_port()
            with gunicorn(
                "bench.baseline_wsgi:application", port, env, logs / "b.log", workers
            ) as url:
                run_wrk(url + "/", connections=CONNECTIONS, seconds=2)
                baseline.append(run_wrk(url + "/", connections=CONNECTIONS, seconds=SECONDS))
            port = _free_port()
            with gunicorn("config.wsgi:application", port, env, logs / "p.log", workers) as url:
                run_wrk(url + many_path, connections=CONNECTIONS, seconds=2)
                product.append(run_wrk(url + many_path, connections=CONNECTIONS, seconds=SECONDS))
    page, fixed = _best(product), _best(baseline)
    load = {"connections": CONNECTIONS, "seconds": SECONDS, "workers": workers, "bytes": size}
    figures += [
        Figure(
            NAME,
            f"requests/s, {CREDENTIALS} credentials",
            page.requests_per_second,
            "req/s",
            "fixed page, same size and server",
            fixed.requests_per_second,
            target=f">= {MIN_THROUGHPUT}",
            min_ratio=MIN_THROUGHPUT,
            extra=load,
        ),
        Figure(NAME, "latency p50", page.p50 * 1000, "ms", "fixed page p50", fixed.p50 * 1000),
        Figure(NAME, "latency p99", page.p99 * 1000, "ms", "fixed page p99", fixed.p99 * 1000),
        Figure(
            NAME,
            "errors (socket errors and non-2xx answers)",
            sum(result.errors for result in product),
            "errors",
            "fixed page errors",
            sum(result.errors for result in baseline),
            target="0",
            exact=0.0,
            extra={"requests": sum(result.requests for result in product)},
        ),
    ]
    return figures, []
